// Copyright (C) nv8 contributors
//
// node:events: npm "events" (the browserify port of Node's EventEmitter,
// vendored in internal/deps/events) plus the helpers Node exports beside it.

import EventEmitter from 'internal/deps/events';
import { invalidArgType } from 'internal/errors';
import { inspect } from 'internal/util/inspect';

// a listener that is not a function: Node's code and message (the
// package's TypeError has neither)
for (const [name, alias] of [['addListener', 'on'], ['prependListener'],
                             ['once'], ['prependOnceListener'],
                             ['removeListener', 'off']]) {
    const fn = EventEmitter.prototype[name];
    const checked = {
        [name](type, listener) {
            if (typeof listener !== 'function') {
                throw invalidArgType('listener', 'of type function',
                                     listener);
            }
            return fn.call(this, type, listener);
        },
    }[name];
    EventEmitter.prototype[name] = checked;
    if (alias !== undefined) {
        EventEmitter.prototype[alias] = checked;     // the same, as in Node
    }
}

/**
 * The listeners of an emitter (or EventTarget) for one event.
 * @param {EventEmitter|EventTarget} emitter
 * @param {string|symbol} name
 * @returns {Function[]}
 */
export function getEventListeners(emitter, name) {
    return typeof emitter.listeners === 'function'
        ? emitter.listeners(name) : [];
}

// an unhandled 'error' that is not an Error: Node's message and code
const emit = EventEmitter.prototype.emit;
EventEmitter.prototype.emit = function (type, er) {
    if (type === 'error' && !(er instanceof Error) &&
        this.listenerCount('error') === 0) {
        let what;
        try {
            what = inspect(er);
        } catch {
            what = String(er);
        }
        const err = new Error(`Unhandled error. (${what})`);
        err.code = 'ERR_UNHANDLED_ERROR';
        err.context = er;
        throw err;
    }
    return emit.apply(this, arguments);
};

/**
 * An async iterator of the argument lists of "name" events; an 'error'
 * event ends it by throwing, as does aborting options.signal.
 * @param {EventEmitter} emitter
 * @param {string|symbol} name
 * @param {{signal?: AbortSignal}} [options]
 * @returns {AsyncIterableIterator<Array>}
 */
export function on(emitter, name, options = {}) {
    const signal = options?.signal;
    const queue = [];
    const waiting = [];
    let error = null;
    let done = false;

    const abortError = () => {
        const err = new Error('The operation was aborted');
        err.name = 'AbortError';
        err.code = 'ABORT_ERR';
        err.cause = signal.reason;
        return err;
    };
    const onEvent = (...args) => {
        const w = waiting.shift();
        if (w) {
            w.resolve({ value: args, done: false });
        } else {
            queue.push(args);
        }
    };
    const fail = (err) => {
        cleanup();
        const w = waiting.shift();
        if (w) {
            w.reject(err);
        } else {
            error = err;
        }
        for (const rest of waiting.splice(0)) {
            rest.resolve({ value: undefined, done: true });
        }
    };
    const onAbort = () => fail(abortError());
    function cleanup() {
        done = true;
        emitter.removeListener(name, onEvent);
        if (name !== 'error') {
            emitter.removeListener('error', fail);
        }
        signal?.removeEventListener('abort', onAbort);
    }

    if (signal?.aborted) {
        throw abortError();
    }
    emitter.on(name, onEvent);
    if (name !== 'error') {
        emitter.on('error', fail);
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    return {
        next() {
            if (queue.length > 0) {
                return Promise.resolve({ value: queue.shift(), done: false });
            }
            if (error !== null) {
                const err = error;
                error = null;
                return Promise.reject(err);
            }
            if (done) {
                return Promise.resolve({ value: undefined, done: true });
            }
            return new Promise((resolve, reject) => {
                waiting.push({ resolve, reject });
            });
        },
        return() {
            cleanup();
            for (const w of waiting.splice(0)) {
                w.resolve({ value: undefined, done: true });
            }
            return Promise.resolve({ value: undefined, done: true });
        },
        throw(err) {
            fail(err);
            return Promise.reject(err);
        },
        [Symbol.asyncIterator]() {
            return this;
        },
    };
}

// require('events') is the class itself, as in Node
EventEmitter.getEventListeners = getEventListeners;
EventEmitter.on = on;

export const once = EventEmitter.once;
export const listenerCount = EventEmitter.listenerCount;
export { EventEmitter };
export default EventEmitter;
