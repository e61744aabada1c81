// Copyright (C) nv8 contributors
//
// structuredClone(value, { transfer }): HTML's structured clone, done by
// V8's ValueSerializer in the shim (as in Node and Deno), so it clones
// what V8 can serialize: primitives, plain objects and arrays (cycles and
// shared references kept), Date, RegExp, Map, Set, Error types, boxed
// primitives, BigInt, ArrayBuffer and views; SharedArrayBuffer is shared.
// Functions, symbols, WeakMaps, Promises and the like throw a
// DataCloneError.  Objects of JS classes (including nv8's Blob, URL, ...)
// are cloned as plain objects with their own enumerable properties.

import { codedError } from 'internal/errors';
import { DOMException } from 'internal/web/domexception';

const v8 = import.meta.binding('v8');

/**
 * @param {*} value
 * @param {{transfer?: Iterable<object>}} [options]
 * @returns {*} the clone
 */
export function structuredClone(value, options = undefined) {
    if (arguments.length === 0) {
        throw codedError(TypeError, 'ERR_MISSING_ARGS',
                         'The "value" argument must be specified');
    }
    let transfer = [];
    if (options !== undefined && options !== null) {
        if (typeof options !== 'object' && typeof options !== 'function') {
            throw new TypeError('The "options" argument must be of type ' +
                                'object');
        }
        const list = options.transfer;
        if (list !== undefined) {
            if (list === null || typeof list[Symbol.iterator] !==
                'function') {
                throw new TypeError('The "options.transfer" property must ' +
                                    'be an iterable of objects');
            }
            transfer = Array.from(list);
            for (const t of transfer) {
                if (t === null || (typeof t !== 'object' &&
                                   typeof t !== 'function')) {
                    throw new TypeError('The "options.transfer" property ' +
                                        'must be an iterable of objects');
                }
            }
        }
    }
    return v8.structuredClone(value, transfer, DOMException);
}
