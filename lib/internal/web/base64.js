// Copyright (C) nv8 contributors
//
// atob and btoa (HTML Standard): forgiving-base64 decode, and encode of
// Latin-1 strings, with InvalidCharacterError DOMExceptions.

import { DOMException } from 'internal/web/domexception';

const alphabet =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const values = new Int8Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) {
    values[alphabet.charCodeAt(i)] = i;
}

function invalid(msg) {
    return new DOMException(msg, 'InvalidCharacterError');
}

/**
 * @param {string} data a string of Latin-1 characters
 * @returns {string} its base64 encoding
 */
export function btoa(data) {
    if (arguments.length === 0) {
        throw new TypeError('The "data" argument must be specified');
    }
    const s = String(data);
    let out = '';
    let i = 0;
    for (; i < s.length; i++) {
        if (s.charCodeAt(i) > 0xff) {
            throw invalid('Invalid character');
        }
    }
    for (i = 0; i + 2 < s.length; i += 3) {
        const n = (s.charCodeAt(i) << 16) | (s.charCodeAt(i + 1) << 8) |
                  s.charCodeAt(i + 2);
        out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] +
               alphabet[(n >> 6) & 63] + alphabet[n & 63];
    }
    if (s.length - i === 1) {
        const n = s.charCodeAt(i) << 16;
        out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + '==';
    } else if (s.length - i === 2) {
        const n = (s.charCodeAt(i) << 16) | (s.charCodeAt(i + 1) << 8);
        out += alphabet[n >> 18] + alphabet[(n >> 12) & 63] +
               alphabet[(n >> 6) & 63] + '=';
    }
    return out;
}

/**
 * @param {string} data base64, with ASCII whitespace allowed anywhere
 * @returns {string} the decoded bytes as a Latin-1 string
 */
export function atob(data) {
    if (arguments.length === 0) {
        throw new TypeError('The "data" argument must be specified');
    }
    let s = String(data).replace(/[\t\n\f\r ]/g, '');
    if (s.length % 4 === 0) {
        if (s.endsWith('==')) {
            s = s.slice(0, -2);
        } else if (s.endsWith('=')) {
            s = s.slice(0, -1);
        }
    }
    if (s.length % 4 === 1) {
        throw invalid('The string to be decoded is not correctly encoded.');
    }
    let out = '';
    let buf = 0;
    let bits = 0;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        const v = c < 128 ? values[c] : -1;
        if (v < 0) {
            throw invalid('The string to be decoded is not correctly ' +
                          'encoded.');
        }
        buf = (buf << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += String.fromCharCode((buf >> bits) & 0xff);
        }
    }
    return out;
}
