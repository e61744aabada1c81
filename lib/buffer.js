// Copyright (C) nv8 contributors
//
// node:buffer: feross's npm "buffer" (vendored in internal/deps/buffer), a
// Uint8Array subclass with Node's API, plus 'base64url', which that package
// lacks, and the web pieces Node exports here (atob, btoa, Blob, File).

import {
    Buffer, SlowBuffer, kMaxLength, INSPECT_MAX_BYTES,
} from 'internal/deps/buffer';
import { atob, btoa } from 'internal/web/base64';
import { Blob, File } from 'internal/web/blob';
import { describeReceived, invalidArgType } from 'internal/errors';

function isBase64url(enc) {
    return typeof enc === 'string' && enc.toLowerCase() === 'base64url';
}

// base64-js already decodes the URL alphabet, so for input 'base64url' is
// 'base64'; on output the result is translated
function inputAs64(fn) {
    return function (...args) {
        for (let i = 1; i < args.length; i++) {
            if (isBase64url(args[i])) {
                args[i] = 'base64';
            }
        }
        return fn.apply(this, args);
    };
}

const isEncoding = Buffer.isEncoding;
Buffer.isEncoding = function (encoding) {
    return isBase64url(encoding) || isEncoding(encoding);
};
Buffer.from = inputAs64(Buffer.from);
Buffer.byteLength = inputAs64(Buffer.byteLength);
for (const name of ['write', 'fill', 'indexOf', 'lastIndexOf', 'includes']) {
    Buffer.prototype[name] = inputAs64(Buffer.prototype[name]);
}

// Node accepts any Uint8Array here; the package only Buffers
const equals = Buffer.prototype.equals;
Buffer.prototype.equals = function (other) {
    if (other instanceof Uint8Array && !Buffer.isBuffer(other)) {
        other = Buffer.from(other.buffer, other.byteOffset, other.length);
    }
    return equals.call(this, other);
};

// the package's TypeErrors for bad arguments: Node's code and message
const from = Buffer.from;
Buffer.from = function (value, encodingOrOffset, length) {
    if (value === null || value === undefined ||
        (typeof value !== 'string' && typeof value !== 'object')) {
        const err = new TypeError('The first argument must be of type ' +
                                  'string or an instance of Buffer, ' +
                                  'ArrayBuffer, or Array or an Array-like ' +
                                  `Object. Received ${describeReceived(value)}`);
        err.code = 'ERR_INVALID_ARG_TYPE';
        throw err;
    }
    return from.call(this, value, encodingOrOffset, length);
};
for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow']) {
    const fn = Buffer[name];
    Buffer[name] = function (size, ...rest) {
        if (typeof size !== 'number') {
            throw invalidArgType('size', 'of type number', size);
        }
        return fn.call(this, size, ...rest);
    };
}
const concat = Buffer.concat;
Buffer.concat = function (list, totalLength) {
    if (!Array.isArray(list)) {
        throw invalidArgType('list', 'an instance of Array', list);
    }
    for (let i = 0; i < list.length; i++) {
        if (!(list[i] instanceof Uint8Array)) {
            throw invalidArgType(`list[${i}]`,
                                 'an instance of Buffer or Uint8Array',
                                 list[i]);
        }
    }
    return concat.call(this, list, totalLength);
};

// the package's RangeErrors lack Node's code
function withCode(fn) {
    return function (...args) {
        try {
            return fn.apply(this, args);
        } catch (err) {
            if (err instanceof RangeError && err.code === undefined) {
                err.code = 'ERR_OUT_OF_RANGE';
            }
            throw err;
        }
    };
}

for (const name of Object.getOwnPropertyNames(Buffer.prototype)) {
    if (/^(read|write)[A-Z]/.test(name)) {
        Buffer.prototype[name] = withCode(Buffer.prototype[name]);
    }
}

/** The largest string length V8 allows. */
export const kStringMaxLength = (1 << 29) - 24;

// UTF-8 and Latin-1 are decoded by V8, as in Node (the package's JS loops
// took 75 times as long for 50 KB, and replaced each bad byte on its own
// where Node and the Encoding Standard replace each maximal bad sequence)
const v8 = import.meta.binding('v8');
const nativeDecoders = {
    __proto__: null,
    'utf8': v8.decodeUtf8,
    'utf-8': v8.decodeUtf8,
    'latin1': v8.decodeLatin1,
    'binary': v8.decodeLatin1,
};

const toString = Buffer.prototype.toString;
Buffer.prototype.toString = function (encoding, start, end) {
    const decode = encoding === undefined ? v8.decodeUtf8
        : nativeDecoders[typeof encoding === 'string' &&
                         (nativeDecoders[encoding] ? encoding
                             : encoding.toLowerCase())];
    if (decode !== undefined) {
        // the package's (and Node's) clamping of start and end
        const len = this.length;
        start = start === undefined || start < 0 ? 0 : start;
        end = end === undefined || end > len ? len : end;
        if (start > len || end <= 0) {
            return '';
        }
        start >>>= 0;
        end >>>= 0;
        if (end <= start) {
            return '';
        }
        if (end - start > kStringMaxLength) {
            const err = new Error('Cannot create a string longer than ' +
                                  '0x1fffffe8 characters');
            err.code = 'ERR_STRING_TOO_LONG';
            throw err;
        }
        return decode(new Uint8Array(this.buffer, this.byteOffset + start,
                                     end - start));
    }
    if (isBase64url(encoding)) {
        return toString.call(this, 'base64', start, end)
            .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    }
    return toString.call(this, encoding, start, end);
};
Buffer.prototype.toLocaleString = Buffer.prototype.toString;

export const constants = {
    MAX_LENGTH: kMaxLength,
    MAX_STRING_LENGTH: kStringMaxLength,
};

/**
 * @param {ArrayBuffer|ArrayBufferView} input
 * @returns {boolean} whether the bytes are valid UTF-8
 */
export function isUtf8(input) {
    const b = bytes(input);
    for (let i = 0; i < b.length;) {
        const c = b[i];
        const n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1
            : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
        if (n < 0 || i + n >= b.length) {
            return false;
        }
        let cp = n === 0 ? c : c & (0x3f >> n);
        for (let k = 1; k <= n; k++) {
            if ((b[i + k] & 0xc0) !== 0x80) {
                return false;
            }
            cp = (cp << 6) | (b[i + k] & 0x3f);
        }
        if ((n === 2 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
            (n === 3 && (cp < 0x10000 || cp > 0x10ffff))) {
            return false;
        }
        i += n + 1;
    }
    return true;
}

function bytes(input) {
    return ArrayBuffer.isView(input)
        ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
        : new Uint8Array(input);
}

/**
 * @param {ArrayBuffer|ArrayBufferView} input
 * @returns {boolean} whether every byte is below 0x80
 */
export function isAscii(input) {
    return bytes(input).every((c) => c < 0x80);
}

export {
    Buffer, SlowBuffer, kMaxLength, INSPECT_MAX_BYTES, atob, btoa, Blob,
    File,
};

export default {
    Buffer, SlowBuffer, kMaxLength, kStringMaxLength, INSPECT_MAX_BYTES,
    constants, atob, btoa, Blob, File, isUtf8, isAscii,
};
