// Copyright (C) nv8 contributors
//
// FormData (XHR Standard) and its multipart/form-data encoding (HTML
// Standard) and parsing (RFC 7578, as the Fetch Standard's formData()
// asks).  The parser works on the whole body: Body reads it to the end
// first, so chunk boundaries never matter.

import { TextDecoder, TextEncoder } from 'internal/encoding';
import { File, blobBytes, isBlob, newFile } from 'internal/web/blob';
import { webidlInterface } from 'internal/web/webidl';

const kEntries = Symbol('entries');

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fd(self) {
    if (self === null || typeof self !== 'object' || !(kEntries in self)) {
        throw new TypeError('Illegal invocation');
    }
    return self[kEntries];
}

const loneSurrogate =
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// WebIDL USVString: lone surrogates become U+FFFD
function usv(s) {
    return String(s).replace(loneSurrogate, '\ufffd');
}

function entryValue(value, filename, nargs, what) {
    if (isBlob(value)) {
        let name;
        if (filename !== undefined) {
            name = usv(filename);
        } else if (value instanceof File) {
            name = value.name;
        } else {
            name = 'blob';
        }
        if (value instanceof File && filename === undefined) {
            return value;
        }
        return newFile(blobBytes(value), name, value.type,
                       value instanceof File ? value.lastModified
                                             : Date.now());
    }
    if (nargs > 2) {
        throw new TypeError(`Failed to execute '${what}' on 'FormData': ` +
                            'parameter 2 is not of type \'Blob\'.');
    }
    return usv(value);
}

function need(n, nargs, what) {
    if (nargs < n) {
        throw new TypeError(`Failed to execute '${what}' on 'FormData': ` +
                            `${n} argument${n > 1 ? 's' : ''} required, ` +
                            `but only ${nargs} present.`);
    }
}

/** XHR FormData (without an HTML form to read from). */
export class FormData {
    /** @param {undefined} [form] must be absent: there are no forms */
    constructor(form) {
        if (form !== undefined) {
            throw new TypeError('Failed to construct \'FormData\': ' +
                                'parameter 1 is not of type ' +
                                '\'HTMLFormElement\'.');
        }
        this[kEntries] = [];
    }

    /**
     * @param {string} name
     * @param {string|Blob} value
     * @param {string} [filename] for Blob values
     */
    append(name, value, filename) {
        const e = fd(this);
        need(2, arguments.length, 'append');
        e.push([usv(name),
                entryValue(value, filename, arguments.length, 'append')]);
    }

    /** @param {string} name */
    delete(name) {
        const e = fd(this);
        need(1, arguments.length, 'delete');
        name = usv(name);
        this[kEntries] = e.filter((x) => x[0] !== name);
    }

    /**
     * @param {string} name
     * @returns {string|File|null} the first value for name
     */
    get(name) {
        const e = fd(this);
        need(1, arguments.length, 'get');
        name = usv(name);
        const x = e.find((x) => x[0] === name);
        return x === undefined ? null : x[1];
    }

    /**
     * @param {string} name
     * @returns {Array<string|File>}
     */
    getAll(name) {
        const e = fd(this);
        need(1, arguments.length, 'getAll');
        name = usv(name);
        return e.filter((x) => x[0] === name).map((x) => x[1]);
    }

    /**
     * @param {string} name
     * @returns {boolean}
     */
    has(name) {
        const e = fd(this);
        need(1, arguments.length, 'has');
        name = usv(name);
        return e.some((x) => x[0] === name);
    }

    /**
     * Replaces the first entry for name and removes the others.
     * @param {string} name
     * @param {string|Blob} value
     * @param {string} [filename]
     */
    set(name, value, filename) {
        const e = fd(this);
        need(2, arguments.length, 'set');
        name = usv(name);
        const entry = [name,
                       entryValue(value, filename, arguments.length, 'set')];
        const i = e.findIndex((x) => x[0] === name);
        if (i < 0) {
            e.push(entry);
            return;
        }
        e[i] = entry;
        this[kEntries] = e.filter((x, j) => j <= i || x[0] !== name);
    }

    /**
     * @param {Function} callback (value, name, formData)
     * @param {*} [thisArg]
     */
    forEach(callback, thisArg) {
        fd(this);
        if (typeof callback !== 'function') {
            throw new TypeError('Failed to execute \'forEach\' on ' +
                                '\'FormData\': parameter 1 is not of type ' +
                                '\'Function\'.');
        }
        for (let i = 0; i < this[kEntries].length; i++) {
            const [n, v] = this[kEntries][i];
            callback.call(thisArg, v, n, this);
        }
    }

    /** @returns {Iterator<[string, string|File]>} */
    *entries() {
        fd(this);
        for (let i = 0; i < this[kEntries].length; i++) {
            const [n, v] = this[kEntries][i];
            yield [n, v];
        }
    }

    /** @returns {Iterator<string>} */
    *keys() {
        for (const [n] of this.entries()) {
            yield n;
        }
    }

    /** @returns {Iterator<string|File>} */
    *values() {
        for (const [, v] of this.entries()) {
            yield v;
        }
    }
}

Object.defineProperty(FormData.prototype, Symbol.iterator, {
    value: FormData.prototype.entries, writable: true, configurable: true,
});
webidlInterface(FormData);

/**
 * @param {*} v
 * @returns {boolean} whether v is a FormData
 */
export function isFormData(v) {
    return v !== null && typeof v === 'object' && kEntries in v;
}

/**
 * A boundary as browsers make them: a fixed prefix and random digits.
 * @returns {string}
 */
export function newBoundary() {
    let r = '';
    for (let i = 0; i < 24; i++) {
        r += Math.floor(Math.random() * 10);
    }
    return `----formdata-nv8-${r}`;
}

function escapeName(s) {
    return s.replace(/\r\n?|\n/g, '\r\n').replace(/\n/g, '%0A')
        .replace(/\r/g, '%0D').replace(/"/g, '%22');
}

/**
 * The multipart/form-data encoding of a FormData (HTML Standard).
 * @param {FormData} form
 * @param {string} boundary
 * @returns {Uint8Array}
 */
export function encodeMultipart(form, boundary) {
    const chunks = [];
    let total = 0;
    const push = (b) => {
        chunks.push(b);
        total += b.byteLength;
    };
    for (const [name, value] of form[kEntries]) {
        let head = `--${boundary}\r\nContent-Disposition: form-data; ` +
                   `name="${escapeName(name)}"`;
        if (typeof value === 'string') {
            head += '\r\n\r\n' + value.replace(/\r\n?|\n/g, '\r\n') + '\r\n';
            push(encoder.encode(head));
            continue;
        }
        head += `; filename="${escapeName(value.name)}"\r\n` +
                `Content-Type: ${value.type || 'application/octet-stream'}` +
                '\r\n\r\n';
        push(encoder.encode(head));
        push(blobBytes(value));
        push(encoder.encode('\r\n'));
    }
    push(encoder.encode(`--${boundary}--\r\n`));
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
        out.set(c, off);
        off += c.byteLength;
    }
    return out;
}

function indexOf(hay, needle, from) {
    const first = needle[0];
    const last = hay.length - needle.length;
    for (let i = hay.indexOf(first, from); i !== -1 && i <= last;
         i = hay.indexOf(first, i + 1)) {
        let j = 1;
        while (j < needle.length && hay[i + j] === needle[j]) {
            j++;
        }
        if (j === needle.length) {
            return i;
        }
    }
    return -1;
}

function malformed(why) {
    return new TypeError(`Failed to parse body as FormData: ${why}`);
}

// a header parameter: name="quoted" or name=token
function param(header, name) {
    const re = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"` +
                          '|([^;\\s]*))', 'i');
    const m = re.exec(header);
    if (m === null) {
        return null;
    }
    return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

/**
 * The boundary parameter of a multipart/form-data content type.
 * @param {string} contentType
 * @returns {string|null}
 */
export function boundaryOf(contentType) {
    return param(contentType, 'boundary');
}

/**
 * Parses a multipart/form-data body into a FormData.
 * @param {Uint8Array} body
 * @param {string} boundary
 * @returns {FormData}
 */
export function parseMultipart(body, boundary) {
    if (!boundary || boundary.length > 70) {
        throw malformed('invalid boundary');
    }
    const form = new FormData();
    const delim = encoder.encode(`--${boundary}`);
    const next = encoder.encode(`\r\n--${boundary}`);
    const crlf2 = encoder.encode('\r\n\r\n');
    let pos;
    if (indexOf(body, delim, 0) === 0) {
        pos = delim.length;
    } else {
        const p = indexOf(body, next, 0);
        if (p < 0) {
            throw malformed('no boundary');
        }
        pos = p + next.length;
    }
    for (;;) {
        if (body[pos] === 0x2d && body[pos + 1] === 0x2d) {
            return form;
        }
        while (body[pos] === 0x20 || body[pos] === 0x09) {
            pos++;
        }
        if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) {
            throw malformed('bad boundary line');
        }
        pos += 2;
        const hend = body[pos] === 0x0d && body[pos + 1] === 0x0a
                     ? pos : indexOf(body, crlf2, pos);
        if (hend < 0) {
            throw malformed('unterminated part headers');
        }
        const head = decoder.decode(body.subarray(pos, hend));
        pos = hend + (hend === pos ? 2 : 4);
        const end = indexOf(body, next, pos);
        if (end < 0) {
            throw malformed('unterminated part');
        }
        let disposition = null;
        let type = null;
        for (const line of head.split('\r\n')) {
            const c = line.indexOf(':');
            if (c < 0) {
                continue;
            }
            const n = line.slice(0, c).trim().toLowerCase();
            const v = line.slice(c + 1).trim();
            if (n === 'content-disposition') {
                disposition = v;
            } else if (n === 'content-type') {
                type = v;
            }
        }
        if (disposition === null ||
            !/^form-data\s*(;|$)/i.test(disposition)) {
            throw malformed('part without Content-Disposition: form-data');
        }
        const name = param(disposition, 'name');
        if (name === null) {
            throw malformed('part without a name');
        }
        const filename = param(disposition, 'filename');
        const bytes = body.slice(pos, end);
        if (filename !== null) {
            form[kEntries].push([name, newFile(bytes, filename,
                                               type ?? 'text/plain')]);
        } else {
            form[kEntries].push([name, decoder.decode(bytes)]);
        }
        pos = end + next.length;
    }
}

/**
 * A FormData from application/x-www-form-urlencoded entries.
 * @param {Iterable<[string, string]>} pairs
 * @returns {FormData}
 */
export function formDataOf(pairs) {
    const form = new FormData();
    for (const [n, v] of pairs) {
        form[kEntries].push([n, v]);
    }
    return form;
}
