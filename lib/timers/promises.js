// Copyright (C) nv8 contributors
//
// node:timers/promises: timers as promises and async iterators, cancelled
// through an AbortSignal.

import * as timers from 'internal/timers';
import { codedError, invalidArgType } from 'internal/errors';

function abortError(signal) {
    const err = codedError(Error, 'ABORT_ERR', 'The operation was aborted');
    err.name = 'AbortError';
    err.cause = signal.reason;
    return err;
}

function checkOptions(options) {
    if (typeof options !== 'object' || options === null) {
        throw invalidArgType('options', 'of type object', options);
    }
    const { signal, ref } = options;
    if (signal !== undefined &&
        (typeof signal !== 'object' || signal === null ||
         !('aborted' in signal))) {
        throw invalidArgType('options.signal', 'an instance of AbortSignal',
                             signal);
    }
    if (ref !== undefined && typeof ref !== 'boolean') {
        throw invalidArgType('options.ref', 'of type boolean', ref);
    }
    return { signal, ref: ref ?? true };
}

function later(start, cancel, value, options) {
    let opts;
    try {
        opts = checkOptions(options);
    } catch (err) {
        return Promise.reject(err);
    }
    const { signal, ref } = opts;
    if (signal?.aborted) {
        return Promise.reject(abortError(signal));
    }
    return new Promise((resolve, reject) => {
        const onAbort = () => {
            cancel(handle);
            reject(abortError(signal));
        };
        const handle = start(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve(value);
        });
        if (!ref) {
            handle.unref?.();
        }
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}

/**
 * Resolves with value after delay ms.
 * @param {number} [delay]
 * @param {*} [value]
 * @param {{signal?: AbortSignal, ref?: boolean}} [options]
 * @returns {Promise<*>}
 */
export function setTimeout(delay, value, options = {}) {
    return later((fn) => timers.setTimeout(fn, delay), timers.clearTimeout,
                 value, options);
}

/**
 * Resolves with value after I/O of this loop turn.
 * @param {*} [value]
 * @param {{signal?: AbortSignal, ref?: boolean}} [options]
 * @returns {Promise<*>}
 */
export function setImmediate(value, options = {}) {
    return later((fn) => timers.setImmediate(fn), timers.clearImmediate,
                 value, options);
}

/**
 * Yields value every delay ms, for await ... of; ticks that come while the
 * consumer is busy are counted, not lost.
 * @param {number} [delay]
 * @param {*} [value]
 * @param {{signal?: AbortSignal, ref?: boolean}} [options]
 * @returns {AsyncIterableIterator<*>}
 */
export async function* setInterval(delay, value, options = {}) {
    const { signal, ref } = checkOptions(options);
    if (signal?.aborted) {
        throw abortError(signal);
    }
    let pending = 0;
    let wake = null;
    let aborted = false;
    const interval = timers.setInterval(() => {
        pending++;
        wake?.();
    }, delay);
    if (!ref) {
        interval.unref?.();
    }
    const onAbort = () => {
        aborted = true;
        wake?.();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
        for (;;) {
            if (pending === 0 && !aborted) {
                await new Promise((resolve) => {
                    wake = resolve;
                });
                wake = null;
            }
            if (aborted) {
                throw abortError(signal);
            }
            for (; pending > 0; pending--) {
                yield value;
            }
        }
    } finally {
        timers.clearInterval(interval);
        signal?.removeEventListener('abort', onAbort);
    }
}

export const scheduler = {
    /**
     * @param {number} delay
     * @param {{signal?: AbortSignal}} [options]
     * @returns {Promise<void>}
     */
    wait: (delay, options) => setTimeout(delay, undefined, options),
    /** @returns {Promise<void>} */
    yield: () => setImmediate(),
};

export default { setTimeout, setImmediate, setInterval, scheduler };
