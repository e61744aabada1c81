// Copyright (C) nv8 contributors
//
// node:util: format and inspect from nv8's own inspect (the one console
// uses), and the helpers of Node's util written for nv8.  Deep equality
// is npm "assert"'s (Node's algorithm), loaded when first used.

import { format, inspect } from 'internal/util/inspect';
import { TextDecoder, TextEncoder } from 'internal/encoding';
import { codedError, invalidArgType } from 'internal/errors';
import { console } from 'internal/console';
import process from 'process';
import types from 'util/types';

const v8 = import.meta.binding('v8');

const kCustomPromisify = Symbol.for('nodejs.util.promisify.custom');

function checkFunction(name, fn) {
    if (typeof fn !== 'function') {
        throw invalidArgType(name, 'of type function', fn);
    }
}

/**
 * A function returning a promise in place of one taking a callback
 * (err, value) last.
 * @param {Function} original
 * @returns {Function}
 */
export function promisify(original) {
    checkFunction('original', original);
    if (typeof original[kCustomPromisify] === 'function') {
        const fn = original[kCustomPromisify];
        return Object.defineProperty(fn, kCustomPromisify, {
            value: fn, enumerable: false, writable: false,
            configurable: true,
        });
    }
    function fn(...args) {
        return new Promise((resolve, reject) => {
            Reflect.apply(original, this, [...args, (err, ...values) => {
                if (err) {
                    reject(err);
                } else {
                    resolve(values[0]);
                }
            }]);
        });
    }
    Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
    Object.defineProperty(fn, kCustomPromisify, {
        value: fn, enumerable: false, writable: false, configurable: true,
    });
    return Object.defineProperties(fn,
        Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;

/**
 * A function taking a callback (err, value) last in place of one returning
 * a promise.
 * @param {Function} original
 * @returns {Function}
 */
export function callbackify(original) {
    checkFunction('original', original);
    function callbackified(...args) {
        const cb = args.pop();
        checkFunction('last argument', cb);
        Reflect.apply(original, this, args).then(
            (value) => process.nextTick(cb, null, value),
            (reason) => {
                if (!reason) {
                    const err = codedError(Error,
                        'ERR_FALSY_VALUE_REJECTION',
                        'Promise was rejected with falsy value');
                    err.reason = reason;
                    reason = err;
                }
                process.nextTick(cb, reason);
            });
    }
    Object.defineProperties(callbackified,
        Object.getOwnPropertyDescriptors(original));
    return callbackified;
}

/**
 * Old-style inheritance: ctor.prototype gets superCtor.prototype.
 * @param {Function} ctor
 * @param {Function} superCtor
 */
export function inherits(ctor, superCtor) {
    if (ctor === undefined || ctor === null) {
        throw invalidArgType('ctor', 'of type function', ctor);
    }
    if (superCtor === undefined || superCtor === null) {
        throw invalidArgType('superCtor', 'of type function', superCtor);
    }
    if (superCtor.prototype === undefined) {
        throw invalidArgType('superCtor.prototype', 'of type object',
                             superCtor.prototype);
    }
    Object.defineProperty(ctor, 'super_', {
        value: superCtor, writable: true, configurable: true,
    });
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const warned = new Set();

/**
 * Wraps fn so that its first call logs a DeprecationWarning.
 * @param {Function} fn
 * @param {string} msg
 * @param {string} [code]
 * @returns {Function}
 */
export function deprecate(fn, msg, code) {
    checkFunction('fn', fn);
    let done = false;
    function deprecated(...args) {
        if (!done && !process.noDeprecation) {
            done = true;
            if (code === undefined || !warned.has(code)) {
                if (code !== undefined) {
                    warned.add(code);
                }
                process.emitWarning(msg, 'DeprecationWarning', code);
            }
        }
        return new.target ? Reflect.construct(fn, args, new.target)
                          : Reflect.apply(fn, this, args);
    }
    Object.setPrototypeOf(deprecated, fn);
    if (fn.prototype) {
        deprecated.prototype = fn.prototype;
    }
    return deprecated;
}

/**
 * Node's deep strict equality (the one assert.deepStrictEqual uses).
 * @param {*} a
 * @param {*} b
 * @returns {boolean}
 */
export function isDeepStrictEqual(a, b) {
    return v8.builtin('internal/deps/assert').isDeepStrictEqual(a, b);
}

/**
 * A logger for NODE_DEBUG=section; nginx passes NODE_DEBUG only with an
 * "env" directive.
 * @param {string} section
 * @returns {Function}
 */
export function debuglog(section) {
    const re = new RegExp(`(^|,)(${section}|\\*)(,|$)`, 'i');
    const on = re.test(process.env.NODE_DEBUG ?? '');
    const fn = (...args) => {
        if (on) {
            console.error('%s %d: %s', section.toUpperCase(), process.pid,
                          format(...args));
        }
    };
    fn.enabled = on;
    return fn;
}

/**
 * format() with inspect options first.
 * @param {object} opts
 * @param {...*} args
 * @returns {string}
 */
export function formatWithOptions(opts, ...args) {
    if (typeof opts !== 'object' || opts === null) {
        throw invalidArgType('inspectOptions', 'of type object', opts);
    }
    return format(...args);
}

/**
 * @param {number} err a negative errno
 * @returns {string} its name, such as 'ENOENT'
 */
export function getSystemErrorName(err) {
    if (typeof err !== 'number' || err >= 0 || !Number.isSafeInteger(err)) {
        throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
                         'The value of "err" is out of range. It must be a ' +
                         `negative integer. Received ${err}`);
    }
    return import.meta.binding('fs').errname(err);
}

/** @returns {string} the text with ANSI escape codes removed */
export function stripVTControlCharacters(str) {
    if (typeof str !== 'string') {
        throw invalidArgType('str', 'of type string', str);
    }
    // eslint-disable-next-line no-control-regex
    return str.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

export const isArray = Array.isArray;
export { format, inspect, types, TextDecoder, TextEncoder };

export default {
    format, formatWithOptions, inspect, promisify, callbackify, inherits,
    deprecate, isDeepStrictEqual, debuglog, debug: debuglog,
    getSystemErrorName, stripVTControlCharacters, types,
    isArray, TextDecoder, TextEncoder,
};
