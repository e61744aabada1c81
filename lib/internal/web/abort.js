// Copyright (C) nv8 contributors
//
// AbortController and AbortSignal (DOM Standard), including the static
// abort(), timeout() and any().  Dependent signals from any() hold their
// sources strongly; signals here live for one request, so no weak refs.

import { setTimeout } from 'internal/timers';
import { DOMException } from 'internal/web/domexception';
import {
    Event, EventTarget, defineEventHandler, trusted,
} from 'internal/web/events';
import { webidlInterface } from 'internal/web/webidl';

const kAborted = Symbol('aborted');
const kReason = Symbol('reason');
const kAlgorithms = Symbol('algorithms');
const kDependents = Symbol('dependents');
const kToken = Symbol('token');
const kSources = Symbol('sources');

function sig(self) {
    if (self === null || typeof self !== 'object' || !(kAborted in self)) {
        throw new TypeError('Illegal invocation');
    }
    return self;
}

/** DOM AbortSignal; made by AbortController or the static methods. */
export class AbortSignal extends EventTarget {
    constructor(token) {
        if (token !== kToken) {
            throw new TypeError('Illegal constructor');
        }
        super();
        this[kAborted] = false;
        this[kReason] = undefined;
        this[kAlgorithms] = [];
        this[kDependents] = [];
    }

    get aborted() {
        return sig(this)[kAborted];
    }

    get reason() {
        return sig(this)[kReason];
    }

    throwIfAborted() {
        if (sig(this)[kAborted]) {
            throw this[kReason];
        }
    }

    /**
     * @param {*} [reason] defaults to an AbortError DOMException
     * @returns {AbortSignal} an already aborted signal
     */
    static abort(reason) {
        const s = new AbortSignal(kToken);
        s[kAborted] = true;
        s[kReason] = reason !== undefined ? reason : abortError();
        return s;
    }

    /**
     * @param {number} ms
     * @returns {AbortSignal} aborted with a TimeoutError after ms
     */
    static timeout(ms) {
        ms = Number(ms);
        if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
            throw new TypeError('The "milliseconds" argument must be a ' +
                                'non-negative finite number');
        }
        const s = new AbortSignal(kToken);
        setTimeout(() => {
            signalAbort(s, new DOMException('The operation was aborted ' +
                                            'due to timeout',
                                            'TimeoutError'));
        }, ms);
        return s;
    }

    /**
     * @param {Iterable<AbortSignal>} signals
     * @returns {AbortSignal} aborted when the first of signals aborts
     */
    static any(signals) {
        const list = [];
        for (const s of signals) {
            if (s === null || typeof s !== 'object' || !(kAborted in s)) {
                throw new TypeError('Failed to execute \'any\' on ' +
                                    '\'AbortSignal\': Failed to convert ' +
                                    'value to \'AbortSignal\'.');
            }
            list.push(s);
        }
        const sources = [];
        for (const s of list) {
            // a dependent signal is replaced by its own sources
            for (const src of s[kSources] ?? [s]) {
                if (!sources.includes(src)) {
                    sources.push(src);
                }
            }
        }
        const r = new AbortSignal(kToken);
        for (const s of list) {
            if (s[kAborted]) {
                r[kAborted] = true;
                r[kReason] = s[kReason];
                return r;
            }
        }
        r[kSources] = sources;
        for (const s of sources) {
            s[kDependents].push(r);
        }
        return r;
    }
}

defineEventHandler(AbortSignal.prototype, 'abort');
webidlInterface(AbortSignal);

function abortError() {
    return new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Aborts a signal (the DOM's "signal abort").
 * @param {AbortSignal} signal
 * @param {*} [reason]
 */
export function signalAbort(signal, reason) {
    if (signal[kAborted]) {
        return;
    }
    signal[kAborted] = true;
    signal[kReason] = reason !== undefined ? reason : abortError();
    const dependents = [];
    for (const d of signal[kDependents]) {
        if (!d[kAborted]) {
            d[kAborted] = true;
            d[kReason] = signal[kReason];
            dependents.push(d);
        }
    }
    signal[kDependents] = [];
    runAbort(signal);
    for (const d of dependents) {
        runAbort(d);
    }
}

function runAbort(signal) {
    const algorithms = signal[kAlgorithms];
    signal[kAlgorithms] = [];
    for (const fn of algorithms) {
        fn();
    }
    signal.dispatchEvent(trusted(new Event('abort')));
}

/**
 * Runs fn when signal aborts (the DOM's "add an abort algorithm"), before
 * the abort event's listeners.
 * @param {AbortSignal} signal
 * @param {Function} fn
 */
export function addAbortAlgorithm(signal, fn) {
    if (!signal[kAborted]) {
        signal[kAlgorithms].push(fn);
    }
}

/**
 * @param {*} v
 * @returns {boolean} whether v is an AbortSignal
 */
export function isAbortSignal(v) {
    return v !== null && typeof v === 'object' && kAborted in v;
}

/**
 * A new signal not yet aborted, for internal owners (Request).
 * @returns {AbortSignal}
 */
export function newAbortSignal() {
    return new AbortSignal(kToken);
}

/** DOM AbortController. */
export class AbortController {
    constructor() {
        this[kToken] = new AbortSignal(kToken);
    }

    get signal() {
        ctl(this);
        return this[kToken];
    }

    /** @param {*} [reason] */
    abort(reason) {
        ctl(this);
        signalAbort(this[kToken], reason);
    }
}

function ctl(self) {
    if (self === null || typeof self !== 'object' || !(kToken in self)) {
        throw new TypeError('Illegal invocation');
    }
}

webidlInterface(AbortController);
