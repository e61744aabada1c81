// Copyright (C) nv8 contributors
//
// TextEncoder and TextDecoder for UTF-8 (the WHATWG Encoding Standard's
// default); other encodings arrive with the standard library work.

const v8 = import.meta.binding('v8');

/** WHATWG TextEncoder (UTF-8). */
export class TextEncoder {
    get encoding() {
        return 'utf-8';
    }

    /**
     * @param {string} [input]
     * @returns {Uint8Array}
     */
    encode(input = '') {
        return v8.encodeUtf8(String(input));
    }
}

/*
 * How many bytes at the end of "u8" begin a UTF-8 sequence that the
 * bytes present do not complete (0 to 3): kept for the next chunk when
 * decoding a stream.
 */
function incompleteTail(u8) {
    const n = u8.length;
    for (let back = 1; back <= 3 && back <= n; back++) {
        const b = u8[n - back];
        if ((b & 0xc0) === 0x80) {
            continue;                       // a continuation byte
        }
        const need = b >= 0xf0 && b <= 0xf4 ? 4
                   : b >= 0xe0 ? 3
                   : b >= 0xc2 && b < 0xe0 ? 2 : 1;
        return need > back ? back : 0;
    }
    return 0;
}

/** WHATWG TextDecoder (UTF-8), with {stream: true}. */
export class TextDecoder {
    constructor(label = 'utf-8', options = {}) {
        const l = String(label).trim().toLowerCase();
        if (l !== 'utf-8' && l !== 'utf8' && l !== 'unicode-1-1-utf-8') {
            throw new RangeError(`The "${label}" encoding is not supported`);
        }
        this._ignoreBOM = Boolean(options.ignoreBOM);
        this._fatal = Boolean(options.fatal);
        this._pending = null;               // bytes of a split character
        this._started = false;              // the BOM is only at the start
    }

    get encoding() {
        return 'utf-8';
    }

    get fatal() {
        return this._fatal;
    }

    get ignoreBOM() {
        return this._ignoreBOM;
    }

    /**
     * @param {ArrayBuffer|ArrayBufferView} [input]
     * @param {{stream?: boolean}} [options]
     * @returns {string}
     */
    decode(input, options) {
        const stream = Boolean(options?.stream);
        let view;
        if (input === undefined) {
            view = new Uint8Array(0);
        } else if (input instanceof ArrayBuffer) {
            view = new Uint8Array(input);
        } else if (ArrayBuffer.isView(input)) {
            view = new Uint8Array(input.buffer, input.byteOffset,
                                  input.byteLength);
        } else {
            throw new TypeError('The "input" argument must be an ' +
                                'ArrayBuffer or ArrayBufferView');
        }
        if (this._pending !== null) {
            const joined = new Uint8Array(this._pending.length + view.length);
            joined.set(this._pending);
            joined.set(view, this._pending.length);
            view = joined;
            this._pending = null;
        }
        if (stream) {
            const tail = incompleteTail(view);
            if (tail > 0) {
                this._pending = view.slice(view.length - tail);
                view = view.subarray(0, view.length - tail);
            }
        }
        let s = view.length === 0 ? '' : v8.decodeUtf8(view);
        if (this._fatal && s.includes('\ufffd') &&
            !(input !== undefined && hasReplacement(view))) {
            const err = new TypeError('The encoded data was not valid for ' +
                                      'encoding utf-8');
            err.code = 'ERR_ENCODING_INVALID_ENCODED_DATA';
            throw err;
        }
        if (!this._started && s.length > 0) {
            this._started = true;
            if (!this._ignoreBOM && s.charCodeAt(0) === 0xfeff) {
                s = s.slice(1);
            }
        }
        if (!stream) {
            this._started = false;
        }
        return s;
    }
}

/* U+FFFD itself in the input (EF BF BD) is not an error for "fatal" */
function hasReplacement(u8) {
    for (let i = 0; i + 2 < u8.length; i++) {
        if (u8[i] === 0xef && u8[i + 1] === 0xbf && u8[i + 2] === 0xbd) {
            return true;
        }
    }
    return false;
}
