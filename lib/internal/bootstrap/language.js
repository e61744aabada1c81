// Copyright (C) nv8 contributors
//
// The first step of the bootstrap: the ECMAScript built-ins V8 10.2 lacks
// (ES2023 to ES2025: change-array-by-copy, groupBy, Set methods, iterator
// helpers, Array.fromAsync, ...), from the core-js modules vendored in
// internal/deps/core-js, and ArrayBuffer.prototype.transfer from the shim.
// bootstrap/main.js imports this module first, so every other module of
// lib/ and all user code see them.
//
// Nothing V8 has is replaced: core-js adds a method only where V8 has
// none, and its own Function.prototype.toString (which makes polyfills
// print as native code) is taken back out.

import { install } from 'internal/deps/core-js';

const v8 = import.meta.binding('v8');

const functionToString = Function.prototype.toString;

install();

// core-js assigned it; assign the native back (same attributes)
Function.prototype.toString = functionToString;

// core-js's shared state is captured by the bundle's closures already
delete globalThis['__core-js_shared__'];

const byteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype,
                                                   'byteLength').get;

function toIndex(value) {
    const n = Math.trunc(Number(value)) || 0;
    if (n < 0 || n > Number.MAX_SAFE_INTEGER) {
        throw new RangeError('Invalid array buffer length');
    }
    return n;
}

// ECMA-262 ArrayBufferCopyAndDetach; V8 10.2 has no resizable buffers
function copyAndDetach(buffer, newLength) {
    const length = byteLength.call(buffer);
    const n = newLength === undefined ? length : toIndex(newLength);
    const moved = v8.transferBuffer(buffer, n);
    if (moved !== undefined) {
        return moved;
    }
    const copy = new ArrayBuffer(n);
    new Uint8Array(copy).set(new Uint8Array(buffer, 0, Math.min(n, length)));
    v8.transferBuffer(buffer, length);
    return copy;
}

const arrayBufferMethods = {
    transfer(newLength = undefined) {
        return copyAndDetach(this, newLength);
    },
    transferToFixedLength(newLength = undefined) {
        return copyAndDetach(this, newLength);
    },
    get detached() {
        byteLength.call(this);
        return v8.isDetached(this);
    },
};

for (const name of ['transfer', 'transferToFixedLength', 'detached']) {
    if (!(name in ArrayBuffer.prototype)) {
        const d = Object.getOwnPropertyDescriptor(arrayBufferMethods, name);
        d.enumerable = false;
        Object.defineProperty(ArrayBuffer.prototype, name, d);
    }
}
