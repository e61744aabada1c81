// Copyright (C) nv8 contributors
//
// Blob and File (File API).  A Blob's bytes are always in memory: they are
// copied in once at construction and never exposed without a copy, so
// slice() can share them.

import { TextDecoder, TextEncoder } from 'internal/encoding';
import { streamOfBytes } from 'internal/web/streams';
import { webidlInterface } from 'internal/web/webidl';

const kBytes = Symbol('bytes');
const kType = Symbol('type');
const kName = Symbol('name');
const kModified = Symbol('lastModified');

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function blob(self) {
    if (self === null || typeof self !== 'object' || !(kBytes in self)) {
        throw new TypeError('Illegal invocation');
    }
    return self;
}

/**
 * The type as the File API normalises it: lower-cased, or '' if it has a
 * character outside U+0020..U+007E.
 * @param {*} type
 * @returns {string}
 */
export function normalizeType(type) {
    const t = String(type);
    return /^[\x20-\x7e]*$/.test(t) ? t.toLowerCase() : '';
}

function toBytes(parts, endings) {
    if (parts === undefined) {
        return new Uint8Array(0);
    }
    if (parts === null || typeof parts !== 'object' ||
        typeof parts[Symbol.iterator] !== 'function') {
        throw new TypeError('Failed to construct \'Blob\': The provided ' +
                            'value cannot be converted to a sequence.');
    }
    const chunks = [];
    let total = 0;
    for (const p of parts) {
        let b;
        if (p !== null && typeof p === 'object' && kBytes in p) {
            b = p[kBytes];
        } else if (p instanceof ArrayBuffer) {
            b = new Uint8Array(p.slice(0));
        } else if (ArrayBuffer.isView(p)) {
            b = new Uint8Array(p.buffer, p.byteOffset, p.byteLength).slice();
        } else {
            let s = String(p);
            if (endings === 'native') {
                s = s.replace(/\r\n?/g, '\n');
            }
            b = encoder.encode(s);
        }
        chunks.push(b);
        total += b.byteLength;
    }
    if (chunks.length === 1 && chunks[0].byteLength === total) {
        return chunks[0];
    }
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
        out.set(c, off);
        off += c.byteLength;
    }
    return out;
}

function bagOf(options, what) {
    if (options === undefined || options === null) {
        return {};
    }
    if (typeof options !== 'object' && typeof options !== 'function') {
        throw new TypeError(`Failed to construct '${what}': The provided ` +
                            `value is not of type '${what}PropertyBag'.`);
    }
    return options;
}

/** File API Blob. */
export class Blob {
    /**
     * @param {Iterable<ArrayBuffer|ArrayBufferView|Blob|string>} [parts]
     * @param {{type?: string, endings?: 'transparent'|'native'}} [options]
     */
    constructor(parts, options) {
        const o = bagOf(options, 'Blob');
        const endings = o.endings === undefined ? 'transparent'
                                                : String(o.endings);
        if (endings !== 'transparent' && endings !== 'native') {
            throw new TypeError('Failed to construct \'Blob\': The provided ' +
                                `value '${endings}' is not a valid enum ` +
                                'value of type EndingType.');
        }
        this[kBytes] = toBytes(parts, endings);
        this[kType] = o.type === undefined ? '' : normalizeType(o.type);
    }

    get size() {
        return blob(this)[kBytes].byteLength;
    }

    get type() {
        return blob(this)[kType];
    }

    /**
     * @param {number} [start]
     * @param {number} [end]
     * @param {string} [contentType]
     * @returns {Blob}
     */
    slice(start, end, contentType) {
        const bytes = blob(this)[kBytes];
        const size = bytes.byteLength;
        const from = clamp(start, size, 0);
        const to = clamp(end, size, size);
        const b = Object.create(Blob.prototype);
        b[kBytes] = bytes.subarray(from, Math.max(from, to));
        b[kType] = contentType === undefined ? ''
                                             : normalizeType(contentType);
        return b;
    }

    /** @returns {ReadableStream} */
    stream() {
        return streamOfBytes(blob(this)[kBytes].slice());
    }

    /** @returns {Promise<string>} */
    text() {
        try {
            return Promise.resolve(decoder.decode(blob(this)[kBytes]));
        } catch (err) {
            return Promise.reject(err);
        }
    }

    /** @returns {Promise<ArrayBuffer>} */
    arrayBuffer() {
        try {
            return Promise.resolve(blob(this)[kBytes].slice().buffer);
        } catch (err) {
            return Promise.reject(err);
        }
    }

    /** @returns {Promise<Uint8Array>} */
    bytes() {
        try {
            return Promise.resolve(blob(this)[kBytes].slice());
        } catch (err) {
            return Promise.reject(err);
        }
    }
}

function clamp(v, size, dflt) {
    if (v === undefined) {
        return dflt;
    }
    let n = Math.trunc(Number(v)) || 0;
    if (n < 0) {
        n = Math.max(size + n, 0);
    }
    return Math.min(n, size);
}

webidlInterface(Blob);

/** File API File. */
export class File extends Blob {
    /**
     * @param {Iterable<ArrayBuffer|ArrayBufferView|Blob|string>} bits
     * @param {string} name
     * @param {{type?: string, endings?: string,
     *          lastModified?: number}} [options]
     */
    constructor(bits, name, options) {
        if (arguments.length < 2) {
            throw new TypeError('Failed to construct \'File\': 2 arguments ' +
                                `required, but only ${arguments.length} ` +
                                'present.');
        }
        const o = bagOf(options, 'File');
        super(bits, o);
        this[kName] = String(name);
        this[kModified] = o.lastModified === undefined
                          ? Date.now()
                          : Math.trunc(Number(o.lastModified)) || 0;
    }

    get name() {
        file(this);
        return this[kName];
    }

    get lastModified() {
        file(this);
        return this[kModified];
    }
}

function file(self) {
    if (self === null || typeof self !== 'object' || !(kName in self)) {
        throw new TypeError('Illegal invocation');
    }
}

webidlInterface(File);

/**
 * @param {*} v
 * @returns {boolean} whether v is a Blob (or File)
 */
export function isBlob(v) {
    return v !== null && typeof v === 'object' && kBytes in v;
}

/**
 * The bytes of a Blob, shared: callers must not modify or expose them.
 * @param {Blob} b
 * @returns {Uint8Array}
 */
export function blobBytes(b) {
    return b[kBytes];
}

/**
 * A Blob over bytes the caller hands over (no copy).
 * @param {Uint8Array} bytes
 * @param {string} type already normalised
 * @returns {Blob}
 */
export function newBlob(bytes, type) {
    const b = Object.create(Blob.prototype);
    b[kBytes] = bytes;
    b[kType] = type;
    return b;
}

/**
 * A File over bytes the caller hands over (no copy).
 * @param {Uint8Array} bytes
 * @param {string} name
 * @param {string} type
 * @param {number} [lastModified]
 * @returns {File}
 */
export function newFile(bytes, name, type, lastModified = Date.now()) {
    const f = Object.create(File.prototype);
    f[kBytes] = bytes;
    f[kType] = normalizeType(type);
    f[kName] = name;
    f[kModified] = lastModified;
    return f;
}
