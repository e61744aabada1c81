// Copyright (C) nv8 contributors
//
// Headers (Fetch Standard).  The header list is a flat array [name, value,
// name, value, ...] with lower-cased names, shared by reference with the
// Request or Response that owns it, so the server side can hand one over
// without copying.  Like Deno, Workers and undici, there are no forbidden
// header names: a server may set any header.

import { webidlInterface } from 'internal/web/webidl';

const kList = Symbol('list');
const kGuard = Symbol('guard');
const kSorted = Symbol('sorted');

// RFC 9110 token
const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// a header value may not contain NUL, CR or LF
const badValueRe = /[\0\r\n]/;
const httpWs = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function hd(self) {
    if (self === null || typeof self !== 'object' || !(kList in self)) {
        throw new TypeError('Illegal invocation');
    }
    return self;
}

/**
 * @param {*} name
 * @param {string} what the method, for the message
 * @returns {string} name, lower-cased
 */
function checkName(name, what) {
    const n = String(name);
    if (!tokenRe.test(n)) {
        throw new TypeError(`Headers.${what}: ${JSON.stringify(n)} is an ` +
                            'invalid header name.');
    }
    return n.toLowerCase();
}

/**
 * @param {*} value
 * @param {string} what
 * @returns {string} value without leading and trailing HTTP whitespace
 */
function checkValue(value, what) {
    const v = String(value).replace(httpWs, '');
    if (badValueRe.test(v) || /[^\0-\xff]/.test(v)) {
        throw new TypeError(`Headers.${what}: ${JSON.stringify(v)} is an ` +
                            'invalid header value.');
    }
    return v;
}

function mutable(self) {
    if (self[kGuard] === 'immutable') {
        throw new TypeError('Headers are immutable');
    }
    self[kSorted] = null;
}

/** Fetch Headers. */
export class Headers {
    /**
     * @param {Headers|Array<[string, string]>|Object<string, string>} [init]
     */
    constructor(init) {
        this[kList] = [];
        this[kGuard] = 'none';
        this[kSorted] = null;
        if (init !== undefined) {
            fill(this, init);
        }
    }

    /**
     * @param {string} name
     * @param {string} value
     */
    append(name, value) {
        hd(this);
        need(2, arguments.length, 'append');
        const n = checkName(name, 'append');
        const v = checkValue(value, 'append');
        mutable(this);
        this[kList].push(n, v);
    }

    /** @param {string} name */
    delete(name) {
        hd(this);
        need(1, arguments.length, 'delete');
        const n = checkName(name, 'delete');
        mutable(this);
        const l = this[kList];
        let j = 0;
        for (let i = 0; i < l.length; i += 2) {
            if (l[i] !== n) {
                l[j++] = l[i];
                l[j++] = l[i + 1];
            }
        }
        l.length = j;
    }

    /**
     * @param {string} name
     * @returns {string|null} the values for name joined by ', '
     */
    get(name) {
        hd(this);
        need(1, arguments.length, 'get');
        return getHeader(this[kList], checkName(name, 'get'));
    }

    /** @returns {string[]} every Set-Cookie value, uncombined */
    getSetCookie() {
        hd(this);
        const l = this[kList];
        const r = [];
        for (let i = 0; i < l.length; i += 2) {
            if (l[i] === 'set-cookie') {
                r.push(l[i + 1]);
            }
        }
        return r;
    }

    /**
     * @param {string} name
     * @returns {boolean}
     */
    has(name) {
        hd(this);
        need(1, arguments.length, 'has');
        const n = checkName(name, 'has');
        const l = this[kList];
        for (let i = 0; i < l.length; i += 2) {
            if (l[i] === n) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces every value of name with value.
     * @param {string} name
     * @param {string} value
     */
    set(name, value) {
        hd(this);
        need(2, arguments.length, 'set');
        const n = checkName(name, 'set');
        const v = checkValue(value, 'set');
        mutable(this);
        setHeader(this[kList], n, v);
    }

    /**
     * @param {Function} callback (value, name, headers)
     * @param {*} [thisArg]
     */
    forEach(callback, thisArg) {
        hd(this);
        if (typeof callback !== 'function') {
            throw new TypeError('Headers.forEach: parameter 1 is not of ' +
                                'type \'Function\'.');
        }
        for (let i = 0; i < sorted(this).length; i++) {
            const [n, v] = sorted(this)[i];
            callback.call(thisArg, v, n, this);
        }
    }

    /** @returns {Iterator<[string, string]>} */
    entries() {
        return new HeadersIterator(hd(this), 'entries');
    }

    /** @returns {Iterator<string>} */
    keys() {
        return new HeadersIterator(hd(this), 'keys');
    }

    /** @returns {Iterator<string>} */
    values() {
        return new HeadersIterator(hd(this), 'values');
    }
}

Object.defineProperty(Headers.prototype, Symbol.iterator, {
    value: Headers.prototype.entries, writable: true, configurable: true,
});
// console.log() shows the entries, as Node's Headers
Object.defineProperty(Headers.prototype,
                      Symbol.for('nodejs.util.inspect.custom'), {
    value(depth, options, inspect) {
        const o = {};
        for (const [n, v] of this) {
            o[n] = n in o ? `${o[n]}, ${v}` : v;
        }
        return `Headers ${inspect(o, options)}`;
    },
    configurable: true, writable: true,
});
webidlInterface(Headers);

function need(n, nargs, what) {
    if (nargs < n) {
        throw new TypeError(`Headers.${what}: ${n} argument` +
                            `${n > 1 ? 's' : ''} required, but only ` +
                            `${nargs} present.`);
    }
}

function fill(self, init) {
    if (init === null || (typeof init !== 'object' &&
                          typeof init !== 'function')) {
        throw new TypeError('Headers constructor: init must be a sequence ' +
                            'of pairs or a record.');
    }
    if (typeof init[Symbol.iterator] === 'function') {
        for (const pair of init) {
            if (pair === null || typeof pair !== 'object' ||
                typeof pair[Symbol.iterator] !== 'function') {
                throw new TypeError('Headers constructor: a header pair is ' +
                                    'not a sequence.');
            }
            const p = [...pair];
            if (p.length !== 2) {
                throw new TypeError('Headers constructor: expected name/' +
                                    `value pair to be length 2, found ` +
                                    `${p.length}.`);
            }
            self.append(p[0], p[1]);
        }
        return;
    }
    for (const key of Reflect.ownKeys(init)) {
        const d = Reflect.getOwnPropertyDescriptor(init, key);
        if (d === undefined || !d.enumerable) {
            continue;
        }
        if (typeof key === 'symbol') {
            throw new TypeError('Headers constructor: a record key is a ' +
                                'symbol.');
        }
        self.append(key, init[key]);
    }
}

// the Fetch Standard's "sort and combine", cached until the next change
function sorted(self) {
    if (self[kSorted] !== null) {
        return self[kSorted];
    }
    const l = self[kList];
    const names = [];
    for (let i = 0; i < l.length; i += 2) {
        if (!names.includes(l[i])) {
            names.push(l[i]);
        }
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const r = [];
    for (const n of names) {
        if (n === 'set-cookie') {
            for (let i = 0; i < l.length; i += 2) {
                if (l[i] === n) {
                    r.push([n, l[i + 1]]);
                }
            }
        } else {
            r.push([n, getHeader(l, n)]);
        }
    }
    self[kSorted] = r;
    return r;
}

const iteratorProto = Object.create(
    Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));

class HeadersIterator {
    constructor(headers, kind) {
        this.headers = headers;
        this.kind = kind;
        this.index = 0;
    }
}

Object.setPrototypeOf(HeadersIterator.prototype, iteratorProto);
Object.defineProperty(HeadersIterator.prototype, 'next', {
    value: function next() {
        if (!(this instanceof HeadersIterator)) {
            throw new TypeError('Illegal invocation');
        }
        const s = sorted(this.headers);
        if (this.index >= s.length) {
            return { value: undefined, done: true };
        }
        const [n, v] = s[this.index++];
        const value = this.kind === 'keys' ? n
                      : this.kind === 'values' ? v : [n, v];
        return { value, done: false };
    },
    writable: true, configurable: true, enumerable: true,
});
Object.defineProperty(HeadersIterator.prototype, Symbol.toStringTag, {
    value: 'Headers Iterator', configurable: true,
});

/**
 * The combined value of a lower-cased name in a list, or null.
 * @param {Array<string>} list flat header list
 * @param {string} name lower-cased
 * @returns {string|null}
 */
export function getHeader(list, name) {
    let r = null;
    for (let i = 0; i < list.length; i += 2) {
        if (list[i] === name) {
            r = r === null ? list[i + 1] : `${r}, ${list[i + 1]}`;
        }
    }
    return r;
}

/**
 * Replaces the values of a lower-cased name in a list.
 * @param {Array<string>} list flat header list
 * @param {string} name lower-cased
 * @param {string} value
 */
export function setHeader(list, name, value) {
    let found = false;
    let j = 0;
    for (let i = 0; i < list.length; i += 2) {
        if (list[i] !== name) {
            list[j++] = list[i];
            list[j++] = list[i + 1];
        } else if (!found) {
            found = true;
            list[j++] = name;
            list[j++] = value;
        }
    }
    list.length = j;
    if (!found) {
        list.push(name, value);
    }
}

/**
 * A Headers object over an owner's list, without copying or checking it.
 * @param {Array<string>} list flat, lower-cased names
 * @param {string} guard 'immutable', 'request', 'response' or 'none'
 * @returns {Headers}
 */
export function wrapHeaders(list, guard) {
    const h = Object.create(Headers.prototype);
    h[kList] = list;
    h[kGuard] = guard;
    h[kSorted] = null;
    return h;
}

/**
 * The list of a Headers object made from init (validated).
 * @param {*} init HeadersInit or a Headers
 * @returns {Array<string>} a new flat list
 */
export function headerListOf(init) {
    if (init !== null && typeof init === 'object' && kList in init) {
        return init[kList].slice();
    }
    return new Headers(init)[kList];
}

/**
 * Sets the guard of a Headers object.
 * @param {Headers} headers
 * @param {string} guard
 */
export function setGuard(headers, guard) {
    headers[kGuard] = guard;
}
