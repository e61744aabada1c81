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

/** WHATWG TextDecoder (UTF-8 only, non-streaming). */
export class TextDecoder {
    constructor(label = 'utf-8', options = {}) {
        const l = String(label).trim().toLowerCase();
        if (l !== 'utf-8' && l !== 'utf8' && l !== 'unicode-1-1-utf-8') {
            throw new RangeError(`The "${label}" encoding is not supported`);
        }
        this._ignoreBOM = Boolean(options.ignoreBOM);
    }

    get encoding() {
        return 'utf-8';
    }

    /**
     * @param {ArrayBuffer|ArrayBufferView} [input]
     * @returns {string}
     */
    decode(input) {
        if (input === undefined) {
            return '';
        }
        let view = input;
        if (input instanceof ArrayBuffer) {
            view = new Uint8Array(input);
        } else if (!ArrayBuffer.isView(input)) {
            throw new TypeError('The "input" argument must be an ' +
                                'ArrayBuffer or ArrayBufferView');
        }
        const s = v8.decodeUtf8(view);
        return !this._ignoreBOM && s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
    }
}
