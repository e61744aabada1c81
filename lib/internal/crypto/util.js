// Copyright (C) nv8 contributors
//
// Shared by Web Crypto (internal/crypto/subtle) and node:crypto
// (internal/crypto/node): the raw binding, byte and encoding helpers, and
// the error shapes of both APIs.

import { DOMException } from 'internal/web/domexception';
import { invalidArgType } from 'internal/errors';
import { TextEncoder, TextDecoder } from 'internal/encoding';

export const binding = import.meta.binding('crypto');

const encoder = new TextEncoder();
const utf8 = new TextDecoder();

/**
 * A DOMException with a WebCrypto error name.
 * @param {string} name 'OperationError', 'DataError', ...
 * @param {string} message
 * @returns {DOMException}
 */
export function domError(name, message) {
    return new DOMException(message, name);
}

/**
 * A view of BufferSource bytes, without copying.
 * @param {*} data ArrayBuffer or ArrayBufferView
 * @param {string} name argument name, for the TypeError
 * @returns {Uint8Array|null} null when data is not a BufferSource
 */
export function viewOf(data) {
    if (data instanceof ArrayBuffer) {
        return new Uint8Array(data);
    }
    if (ArrayBuffer.isView(data)) {
        return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    }
    return null;
}

/**
 * A copy of BufferSource bytes (WebCrypto copies its inputs when called).
 * @param {*} data
 * @param {string} name
 * @returns {Uint8Array}
 */
export function copyOf(data, name) {
    const v = viewOf(data);
    if (v === null) {
        throw new TypeError(`${name} must be an ArrayBuffer or an ` +
                            'ArrayBufferView');
    }
    return v.slice();
}

/**
 * Node's Buffer when one is installed (globalThis.Buffer), else the
 * Uint8Array itself.  Shares the memory either way.
 * @param {Uint8Array} u8
 * @returns {Uint8Array}
 */
export function toBuffer(u8) {
    const B = globalThis.Buffer;
    if (typeof B === 'function' && typeof B.from === 'function') {
        return B.from(u8.buffer, u8.byteOffset, u8.length);
    }
    return u8;
}

const HEX = '0123456789abcdef';
const B64 =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64(u8, table, pad) {
    let s = '';
    let i = 0;
    for (; i + 2 < u8.length; i += 3) {
        const n = (u8[i] << 16) | (u8[i + 1] << 8) | u8[i + 2];
        s += table[n >> 18] + table[(n >> 12) & 63] +
             table[(n >> 6) & 63] + table[n & 63];
    }
    if (i < u8.length) {
        const n = (u8[i] << 16) | ((u8[i + 1] ?? 0) << 8);
        s += table[n >> 18] + table[(n >> 12) & 63];
        if (i + 1 < u8.length) {
            s += table[(n >> 6) & 63] + (pad ? '=' : '');
        } else if (pad) {
            s += '==';
        }
    }
    return s;
}

function unbase64(s) {
    const out = [];
    let bits = 0;
    let n = 0;
    for (const c of s) {
        let v = B64.indexOf(c);
        if (v < 0) {
            v = B64URL.indexOf(c);
        }
        if (v < 0) {
            if (c === '=') {
                break;
            }
            continue;
        }
        n = (n << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push((n >> bits) & 255);
        }
    }
    return new Uint8Array(out);
}

/**
 * base64url without padding, as JWK writes it.
 * @param {Uint8Array} u8
 * @returns {string}
 */
export function base64url(u8) {
    return base64(u8, B64URL, false);
}

/**
 * Strict base64url decoding for JWK members.
 * @param {string} s
 * @returns {Uint8Array|null} null if s is not base64url
 */
export function fromBase64url(s) {
    if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s) ||
        s.length % 4 === 1) {
        return null;
    }
    return unbase64(s);
}

/**
 * Bytes as a string in a Node encoding.
 * @param {Uint8Array} u8
 * @param {string} encoding hex, base64, base64url, latin1/binary, utf8
 * @returns {string}
 */
export function encode(u8, encoding) {
    switch (String(encoding).toLowerCase()) {
    case 'hex': {
        let s = '';
        for (let i = 0; i < u8.length; i++) {
            s += HEX[u8[i] >> 4] + HEX[u8[i] & 15];
        }
        return s;
    }
    case 'base64':
        return base64(u8, B64, true);
    case 'base64url':
        return base64(u8, B64URL, false);
    case 'latin1':
    case 'binary': {
        let s = '';
        for (let i = 0; i < u8.length; i += 8192) {
            s += String.fromCharCode.apply(null, u8.subarray(i, i + 8192));
        }
        return s;
    }
    case 'utf8':
    case 'utf-8':
        return utf8.decode(u8);
    default:
        throw codedTypeError('ERR_UNKNOWN_ENCODING',
                             `Unknown encoding: ${encoding}`);
    }
}

/**
 * A string in a Node encoding, or a BufferSource, as bytes (a view, not
 * a copy, for a BufferSource).
 * @param {string|ArrayBuffer|ArrayBufferView} data
 * @param {string} [encoding] for strings; default utf8
 * @param {string} name argument name for the TypeError
 * @returns {Uint8Array}
 */
export function bytesOf(data, encoding, name) {
    if (typeof data === 'string') {
        switch (String(encoding ?? 'utf8').toLowerCase()) {
        case 'hex': {
            const n = data.length >> 1;
            const u8 = new Uint8Array(n);
            for (let i = 0; i < n; i++) {
                const b = parseInt(data.substr(i * 2, 2), 16);
                if (Number.isNaN(b)) {
                    return u8.subarray(0, i);
                }
                u8[i] = b;
            }
            return u8;
        }
        case 'base64':
        case 'base64url':
            return unbase64(data);
        case 'latin1':
        case 'binary':
        case 'ascii': {
            const u8 = new Uint8Array(data.length);
            for (let i = 0; i < data.length; i++) {
                u8[i] = data.charCodeAt(i);
            }
            return u8;
        }
        case 'utf8':
        case 'utf-8':
            return encoder.encode(data);
        default:
            throw codedTypeError('ERR_UNKNOWN_ENCODING',
                                 `Unknown encoding: ${encoding}`);
        }
    }
    const v = viewOf(data);
    if (v === null) {
        throw invalidArgType(name, 'of type string or an instance of ' +
                             'ArrayBuffer, Buffer, TypedArray, or DataView',
                             data);
    }
    return v;
}

/**
 * Joins byte arrays.
 * @param {Uint8Array[]} parts
 * @returns {Uint8Array}
 */
export function concat(parts) {
    let n = 0;
    for (const p of parts) {
        n += p.length;
    }
    const u8 = new Uint8Array(n);
    n = 0;
    for (const p of parts) {
        u8.set(p, n);
        n += p.length;
    }
    return u8;
}

function codedTypeError(code, message) {
    const e = new TypeError(message);
    e.code = code;
    return e;
}

export { codedTypeError };
