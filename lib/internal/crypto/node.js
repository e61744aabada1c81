// Copyright (C) nv8 contributors
//
// node:crypto on OpenSSL.  Hash, Hmac and Cipher objects keep their input
// in JS and run one OpenSSL call when finished (digest(), final()), so no
// native state lives between calls; Cipher.update() therefore returns an
// empty result and final() returns all of the output (the concatenation
// is what Node returns).  pbkdf2, scrypt, hkdf with a callback run on
// libuv's thread pool; the *Sync variants run at once.
//
// Where Node returns a Buffer this returns a Uint8Array, or a Buffer
// sharing its memory when globalThis.Buffer exists at call time.

import {
    binding, bytesOf, codedTypeError, concat, encode, toBuffer,
} from 'internal/crypto/util';
import { crypto } from 'internal/crypto/subtle';
import { invalidArgType } from 'internal/errors';

const HASHES = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512',
                'sha512-224', 'sha512-256', 'sha3-224', 'sha3-256',
                'sha3-384', 'sha3-512', 'ripemd160'];

const CIPHERS = ['aes-128-cbc', 'aes-128-ctr', 'aes-128-gcm',
                 'aes-192-cbc', 'aes-192-ctr', 'aes-192-gcm',
                 'aes-256-cbc', 'aes-256-ctr', 'aes-256-gcm'];

function output(u8, encoding) {
    return encoding === undefined || encoding === 'buffer'
        ? toBuffer(u8) : encode(u8, encoding);
}

function checkDigest(name) {
    if (typeof name !== 'string') {
        throw invalidArgType('algorithm', 'of type string', name);
    }
    try {
        binding.digest(name, '');
    } catch {
        const e = new Error('Digest method not supported');
        e.code = 'ERR_CRYPTO_INVALID_DIGEST';
        throw e;
    }
    return name;
}

function checkCallback(cb) {
    if (typeof cb !== 'function') {
        throw invalidArgType('callback', 'of type function', cb);
    }
}

function checkInt(name, v, min, max) {
    if (typeof v !== 'number') {
        throw invalidArgType(name, 'of type number', v);
    }
    if (!Number.isInteger(v) || v < min || v > max) {
        const e = new RangeError(`The value of "${name}" is out of range. ` +
                                 `It must be >= ${min} && <= ${max}. ` +
                                 `Received ${v}`);
        e.code = 'ERR_OUT_OF_RANGE';
        throw e;
    }
    return v;
}

function finalized() {
    const e = new Error('Digest already called');
    e.code = 'ERR_CRYPTO_HASH_FINALIZED';
    return e;
}

/* the chunks of a Hash or Hmac, copied as they come */
class Chunks {
    constructor() {
        this.parts = [];
        this.done = false;
    }

    add(data, encoding) {
        if (this.done) {
            throw finalized();
        }
        if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
            throw invalidArgType('data', 'of type string or an instance ' +
                                 'of Buffer, TypedArray, or DataView', data);
        }
        this.parts.push(bytesOf(data, encoding, 'data').slice());
    }

    take() {
        if (this.done) {
            throw finalized();
        }
        this.done = true;
        const all = concat(this.parts);
        this.parts = [];
        return all;
    }
}

/** node:crypto Hash. */
export class Hash {
    constructor(algorithm, options) {
        this.algorithm = checkDigest(algorithm);
        this.chunks = new Chunks();
    }

    /**
     * @param {string|ArrayBufferView} data
     * @param {string} [inputEncoding] for a string; default utf8
     * @returns {Hash} this
     */
    update(data, inputEncoding) {
        this.chunks.add(data, inputEncoding);
        return this;
    }

    /**
     * @param {string} [encoding] hex, base64, base64url, latin1
     * @returns {string|Uint8Array}
     */
    digest(encoding) {
        return output(binding.digest(this.algorithm, this.chunks.take()),
                      encoding);
    }

    /** @returns {Hash} a Hash with the same state */
    copy() {
        if (this.chunks.done) {
            throw finalized();
        }
        const h = new Hash(this.algorithm);
        h.chunks.parts = this.chunks.parts.slice();
        return h;
    }
}

/** node:crypto Hmac. */
export class Hmac {
    constructor(algorithm, key, options) {
        this.algorithm = checkDigest(algorithm);
        if (typeof key !== 'string' && !ArrayBuffer.isView(key) &&
            !(key instanceof ArrayBuffer)) {
            throw invalidArgType('key', 'of type string or an instance of ' +
                                 'ArrayBuffer, Buffer, TypedArray, ' +
                                 'DataView, KeyObject, or CryptoKey', key);
        }
        this.key = bytesOf(key, options?.encoding, 'key').slice();
        this.chunks = new Chunks();
    }

    /** @returns {Hmac} this */
    update(data, inputEncoding) {
        this.chunks.add(data, inputEncoding);
        return this;
    }

    /** @returns {string|Uint8Array} */
    digest(encoding) {
        return output(binding.hmac(this.algorithm, this.key,
                                   this.chunks.take()), encoding);
    }
}

/**
 * @param {string} algorithm md5, sha1, sha256, sha384, sha512, ...
 * @returns {Hash}
 */
export function createHash(algorithm, options) {
    return new Hash(algorithm, options);
}

/**
 * @param {string} algorithm
 * @param {string|ArrayBufferView} key
 * @returns {Hmac}
 */
export function createHmac(algorithm, key, options) {
    return new Hmac(algorithm, key, options);
}

function cipherError(e) {
    if (e.code === 'ERR_CRYPTO_OPERATION_FAILED') {
        const err = new Error(e.message.replace(/^cipher: /, ''));
        err.code = 'ERR_CRYPTO_OPERATION_FAILED';
        return err;
    }
    return e;
}

/** node:crypto Cipher and Decipher (createCipheriv, createDecipheriv). */
class CipherBase {
    constructor(encrypt, algorithm, key, iv, options) {
        const name = String(algorithm).toLowerCase();
        if (!CIPHERS.includes(name)) {
            throw codedTypeError('ERR_CRYPTO_UNKNOWN_CIPHER',
                                 'Unknown cipher');
        }
        this.name = name;
        this.encrypt = encrypt;
        this.gcm = name.endsWith('-gcm');
        this.key = bytesOf(key, undefined, 'key').slice();
        this.iv = bytesOf(iv, undefined, 'iv').slice();
        this.aad = new Uint8Array(0);
        this.tag = null;
        this.tagLength = options?.authTagLength ?? 16;
        this.padding = true;
        this.chunks = new Chunks();
        if (this.key.length * 8 !== Number(name.split('-')[1])) {
            const e = new RangeError('Invalid key length');
            e.code = 'ERR_CRYPTO_INVALID_KEYLEN';
            throw e;
        }
        if (this.gcm ? this.iv.length === 0 : this.iv.length !== 16) {
            const e = new TypeError('Invalid initialization vector');
            e.code = 'ERR_CRYPTO_INVALID_IV';
            throw e;
        }
    }

    /**
     * Buffers data; the output comes from final().
     * @returns {string|Uint8Array} empty
     */
    update(data, inputEncoding, outputEncoding) {
        this.chunks.add(data, inputEncoding);
        return output(new Uint8Array(0), outputEncoding);
    }

    /** @returns {string|Uint8Array} all of the output */
    final(outputEncoding) {
        const data = this.chunks.take();
        const none = new Uint8Array(0);
        if (this.gcm && !this.encrypt && this.tag === null) {
            const e = new Error('Unsupported state or unable to ' +
                                'authenticate data');
            e.code = 'ERR_CRYPTO_INVALID_STATE';
            throw e;
        }
        let out;
        try {
            out = binding.cipher(this.name, this.key, this.iv, this.aad, data,
                                 this.tag ?? none, this.encrypt ? 1 : 0,
                                 this.gcm ? this.tagLength : 0,
                                 this.padding ? 0 : 1);
        } catch (e) {
            throw cipherError(e);
        }
        if (this.gcm && this.encrypt) {
            this.tag = out.slice(out.length - this.tagLength);
            out = out.subarray(0, out.length - this.tagLength);
        }
        return output(out, outputEncoding);
    }

    /** @returns {this} */
    setAAD(buffer, options) {
        this.aad = bytesOf(buffer, undefined, 'buffer').slice();
        return this;
    }

    /** @returns {this} */
    setAutoPadding(autoPadding = true) {
        this.padding = Boolean(autoPadding);
        return this;
    }
}

export class Cipheriv extends CipherBase {
    constructor(algorithm, key, iv, options) {
        super(true, algorithm, key, iv, options);
    }

    /** @returns {Uint8Array} the GCM tag, after final() */
    getAuthTag() {
        if (!this.gcm || !this.chunks.done || this.tag === null) {
            const e = new Error('Invalid state for operation getAuthTag');
            e.code = 'ERR_CRYPTO_INVALID_STATE';
            throw e;
        }
        return toBuffer(this.tag.slice());
    }
}

export class Decipheriv extends CipherBase {
    constructor(algorithm, key, iv, options) {
        super(false, algorithm, key, iv, options);
    }

    /** @returns {this} */
    setAuthTag(tag, encoding) {
        const t = bytesOf(tag, encoding, 'buffer').slice();
        if (!this.gcm || t.length < 4 || t.length > 16) {
            const e = new TypeError(`Invalid authentication tag length: ` +
                                    `${t.length}`);
            e.code = 'ERR_CRYPTO_INVALID_AUTH_TAG';
            throw e;
        }
        this.tag = t;
        this.tagLength = t.length;
        return this;
    }
}

/** @returns {Cipheriv} */
export function createCipheriv(algorithm, key, iv, options) {
    return new Cipheriv(algorithm, key, iv, options);
}

/** @returns {Decipheriv} */
export function createDecipheriv(algorithm, key, iv, options) {
    return new Decipheriv(algorithm, key, iv, options);
}

/**
 * @param {number} size bytes
 * @param {Function} [callback] (err, buf)
 * @returns {Uint8Array|undefined}
 */
export function randomBytes(size, callback) {
    checkInt('size', size, 0, 2 ** 31 - 1);
    if (callback !== undefined) {
        checkCallback(callback);
    }
    const u8 = new Uint8Array(size);
    binding.randomFill(u8);
    if (callback === undefined) {
        return toBuffer(u8);
    }
    queueMicrotask(() => callback(null, toBuffer(u8)));
}

/**
 * Fills a view with random bytes.
 * @returns {ArrayBufferView} buf
 */
export function randomFillSync(buf, offset = 0, size) {
    const v = bytesOf(buf, undefined, 'buf');
    binding.randomFill(v.subarray(offset, size === undefined ? undefined
                                                             : offset + size));
    return buf;
}

/**
 * A random integer in [min, max).
 * @returns {number|undefined}
 */
export function randomInt(min, max, callback) {
    if (max === undefined || typeof max === 'function') {
        callback = max;
        max = min;
        min = 0;
    }
    if (!Number.isSafeInteger(min)) {
        throw invalidArgType('min', 'a safe integer', min);
    }
    if (!Number.isSafeInteger(max)) {
        throw invalidArgType('max', 'a safe integer', max);
    }
    if (max <= min || max - min > 2 ** 48 - 1) {
        const e = new RangeError('The value of "max" is out of range. It ' +
                                 `must be greater than the value of "min" ` +
                                 `(${min}) and at most 2^48 - 1 above it. ` +
                                 `Received ${max}`);
        e.code = 'ERR_OUT_OF_RANGE';
        throw e;
    }
    const range = max - min;
    const limit = 2 ** 48 - (2 ** 48 % range);
    const b = new Uint8Array(6);
    let x;
    do {
        binding.randomFill(b);
        x = b.reduce((a, v) => a * 256 + v, 0);
    } while (x >= limit);
    const n = min + (x % range);
    if (callback === undefined) {
        return n;
    }
    checkCallback(callback);
    queueMicrotask(() => callback(null, n));
}

/** @returns {string} a random version 4 UUID */
export function randomUUID(options) {
    return crypto.randomUUID();
}

/**
 * Constant-time comparison of two views of the same byte length.
 * @returns {boolean}
 */
export function timingSafeEqual(a, b) {
    for (const [name, v] of [['buf1', a], ['buf2', b]]) {
        if (!ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer)) {
            throw invalidArgType(name, 'an instance of ArrayBuffer, ' +
                                 'Buffer, TypedArray, or DataView', v);
        }
    }
    return binding.timingSafeEqual(a, b);
}

function settle(promise, callback) {
    promise.then((u8) => callback(null, toBuffer(u8)),
                 (e) => callback(e));
}

function pbkdf2Args(password, salt, iterations, keylen, digest) {
    return [checkDigest(digest), bytesOf(password, undefined, 'password'),
            bytesOf(salt, undefined, 'salt'),
            checkInt('iterations', iterations, 1, 2 ** 31 - 1),
            checkInt('keylen', keylen, 0, 2 ** 31 - 1)];
}

/** PBKDF2 on the thread pool; callback(err, derivedKey). */
export function pbkdf2(password, salt, iterations, keylen, digest, callback) {
    checkCallback(callback);
    settle(binding.pbkdf2Async(...pbkdf2Args(password, salt, iterations,
                                             keylen, digest)), callback);
}

/** @returns {Uint8Array} */
export function pbkdf2Sync(password, salt, iterations, keylen, digest) {
    return toBuffer(binding.pbkdf2(...pbkdf2Args(password, salt, iterations,
                                                 keylen, digest)));
}

function scryptArgs(password, salt, keylen, options) {
    const o = options ?? {};
    const N = o.N ?? o.cost ?? 16384;
    const r = o.r ?? o.blockSize ?? 8;
    const p = o.p ?? o.parallelization ?? 1;
    const maxmem = o.maxmem ?? 32 * 1024 * 1024;
    checkInt('keylen', keylen, 0, 2 ** 31 - 1);
    if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0) {
        const e = new RangeError('Invalid scrypt params: N must be a ' +
                                 'power of 2 greater than 1');
        e.code = 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS';
        throw e;
    }
    return ['', bytesOf(password, undefined, 'password'),
            bytesOf(salt, undefined, 'salt'), N, r, p, maxmem, keylen];
}

/** scrypt on the thread pool; callback(err, derivedKey). */
export function scrypt(password, salt, keylen, options, callback) {
    if (typeof options === 'function') {
        callback = options;
        options = undefined;
    }
    checkCallback(callback);
    settle(binding.scryptAsync(...scryptArgs(password, salt, keylen,
                                             options)), callback);
}

/** @returns {Uint8Array} */
export function scryptSync(password, salt, keylen, options) {
    return toBuffer(binding.scrypt(...scryptArgs(password, salt, keylen,
                                                 options)));
}

function hkdfArgs(digest, ikm, salt, info, keylen) {
    return [checkDigest(digest), bytesOf(ikm, undefined, 'ikm'),
            bytesOf(salt, undefined, 'salt'), bytesOf(info, undefined, 'info'),
            checkInt('keylen', keylen, 0, 255 * 64)];
}

/** HKDF on the thread pool; callback(err, ArrayBuffer). */
export function hkdf(digest, ikm, salt, info, keylen, callback) {
    checkCallback(callback);
    binding.hkdfAsync(...hkdfArgs(digest, ikm, salt, info, keylen))
        .then((u8) => callback(null, u8.buffer), (e) => callback(e));
}

/** @returns {ArrayBuffer} */
export function hkdfSync(digest, ikm, salt, info, keylen) {
    return binding.hkdf(...hkdfArgs(digest, ikm, salt, info, keylen)).buffer;
}

/** @returns {string[]} */
export function getHashes() {
    return HASHES.slice();
}

/** @returns {string[]} */
export function getCiphers() {
    return CIPHERS.slice();
}

export function getRandomValues(array) {
    return crypto.getRandomValues(array);
}

export const webcrypto = crypto;
export const subtle = crypto.subtle;
