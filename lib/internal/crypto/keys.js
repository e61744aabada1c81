// Copyright (C) nv8 contributors
//
// CryptoKey.  Key material stays in JS: a Uint8Array held in a WeakMap
// beside the key (raw bytes for secret keys, PKCS#8 or SubjectPublicKeyInfo
// DER for asymmetric ones), handed to the binding per operation.  Native
// key handles would need a finalizer to free them and a rule for keys
// that outlive a request pool (STYLE.md Part 3, #3); plain bytes have
// neither problem, the GC owns them, and they can be copied to a pool
// thread as they are.  The cost is re-parsing DER keys for every RSA/EC
// operation, which is small next to the operation itself.

const slots = new WeakMap();
let constructing = false;

/** WebCrypto CryptoKey; made only by SubtleCrypto. */
export class CryptoKey {
    constructor() {
        if (!constructing) {
            throw new TypeError('Illegal constructor');
        }
    }

    /** @returns {'secret'|'public'|'private'} */
    get type() {
        return slot(this).type;
    }

    /** @returns {boolean} */
    get extractable() {
        return slot(this).extractable;
    }

    /** @returns {object} the same object on every read */
    get algorithm() {
        return slot(this).algorithm;
    }

    /** @returns {string[]} the same array on every read */
    get usages() {
        return slot(this).usages;
    }

    get [Symbol.toStringTag]() {
        return 'CryptoKey';
    }
}

function slot(key) {
    const s = slots.get(key);
    if (s === undefined) {
        throw new TypeError('Illegal invocation');
    }
    return s;
}

/**
 * Makes a CryptoKey.
 * @param {string} type 'secret', 'public' or 'private'
 * @param {boolean} extractable
 * @param {object} algorithm the KeyAlgorithm dictionary
 * @param {string[]} usages
 * @param {Uint8Array} material owned by the key from now on
 * @returns {CryptoKey}
 */
export function createKey(type, extractable, algorithm, usages, material) {
    constructing = true;
    let key;
    try {
        key = new CryptoKey();
    } finally {
        constructing = false;
    }
    slots.set(key, {
        type, extractable: Boolean(extractable), algorithm,
        usages: usages.slice(), material,
    });
    return key;
}

/**
 * The internal slots of a CryptoKey, or undefined for anything else.
 * @param {*} key
 * @returns {{type: string, extractable: boolean, algorithm: object,
 *     usages: string[], material: Uint8Array}|undefined}
 */
export function keySlots(key) {
    return typeof key === 'object' && key !== null ? slots.get(key)
                                                   : undefined;
}
