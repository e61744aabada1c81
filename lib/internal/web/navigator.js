// Copyright (C) nv8 contributors
//
// The `navigator` global, as Node 21+, Deno and Workers have it: the
// WorkerNavigator attributes that make sense on a server.

import { webidlInterface } from 'internal/web/webidl';
import process from 'process';

const os = import.meta.binding('os');

let constructing = false;
let language;

function nav(self) {
    if (self !== navigator) {
        throw new TypeError('Illegal invocation');
    }
    return self;
}

/** HTML's Navigator, with its only instance `navigator`. */
export class Navigator {
    constructor() {
        if (!constructing) {
            throw new TypeError('Illegal constructor');
        }
    }

    /** @returns {string} 'nv8/<version>' */
    get userAgent() {
        nav(this);
        return `nv8/${process.versions.nv8}`;
    }

    /** @returns {number} CPUs the worker may run on (libuv) */
    get hardwareConcurrency() {
        nav(this);
        return os.parallelism();
    }

    /** @returns {string} ICU's default locale, e.g. 'en-US' */
    get language() {
        nav(this);
        language ??= new Intl.DateTimeFormat().resolvedOptions().locale;
        return language;
    }

    /** @returns {string[]} [language] */
    get languages() {
        return Object.freeze([this.language]);
    }

    /** @returns {string} e.g. 'Linux x86_64' */
    get platform() {
        nav(this);
        const [sys, , , machine] = os.uname();
        return `${sys} ${machine}`;
    }
}

webidlInterface(Navigator);

constructing = true;
/** The `navigator` global. */
export const navigator = new Navigator();
constructing = false;
