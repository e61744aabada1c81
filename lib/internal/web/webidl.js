// Copyright (C) nv8 contributors
//
// WebIDL conventions that JS classes do not follow by themselves.

/**
 * Makes a class look like a WebIDL interface: its prototype's operations
 * and attributes become enumerable, and it gets a Symbol.toStringTag.
 * @param {Function} C the class
 * @param {string} [tag] defaults to the class name
 */
export function webidlInterface(C, tag = C.name) {
    const proto = C.prototype;
    for (const key of Object.getOwnPropertyNames(proto)) {
        if (key !== 'constructor') {
            Object.defineProperty(proto, key, { enumerable: true });
        }
    }
    Object.defineProperty(proto, Symbol.toStringTag, {
        value: tag, configurable: true,
    });
}
