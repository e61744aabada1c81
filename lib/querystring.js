// Copyright (C) nv8 contributors
//
// node:querystring: npm "querystring-es3" (Node's querystring, as a
// package), vendored in internal/deps/querystring, plus escape/unescape.

import { parse, stringify } from 'internal/deps/querystring';

/**
 * Percent-encodes a string as querystring.stringify() does.
 * @param {string} str
 * @returns {string}
 */
export function escape(str) {
    return encodeURIComponent(str);
}

/**
 * Percent-decodes a string; malformed escapes are left as they are.
 * @param {string} str
 * @returns {string}
 */
export function unescape(str) {
    try {
        return decodeURIComponent(str);
    } catch {
        return str.replace(/%([0-9a-fA-F]{2})/g, (m, h) =>
            String.fromCharCode(parseInt(h, 16)));
    }
}

export const decode = parse;
export const encode = stringify;
export { parse, stringify };
export default { parse, stringify, decode, encode, escape, unescape };
