// Copyright (C) nv8 contributors
//
// The Fetch Standard's Body mixin for Request and Response.  A body is
// {source, stream, length, used}: source holds the bytes (Uint8Array) or
// string a body was made from and stays the only representation until
// someone asks for .body, so new Response('x') and the server's
// responseParts() never make a ReadableStream.

import { TextDecoder, TextEncoder } from 'internal/encoding';
import { blobBytes, isBlob, newBlob, normalizeType } from 'internal/web/blob';
import {
    boundaryOf, encodeMultipart, formDataOf, isFormData, newBoundary,
    parseMultipart,
} from 'internal/web/formdata';
import {
    isDisturbed, isReadableStream, readAllBytes, streamOfBytes,
} from 'internal/web/streams';
import { URLSearchParams } from 'internal/web/url';

/** Where Request and Response keep their BodyState (or null). */
export const kBody = Symbol('body');
/** Where Request and Response keep their flat header list. */
export const kHeaderList = Symbol('headerList');

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * @typedef {object} BodyState
 * @property {Uint8Array|string|null} source bytes not yet turned into a
 *     stream, or null once stream is the body
 * @property {ReadableStream|null} stream
 * @property {number} length byte length, or -1 if unknown
 * @property {boolean} used consumed through source (no stream exists)
 */

/**
 * The Fetch Standard's "extract a body".
 * @param {*} init BodyInit (not null)
 * @returns {{body: BodyState, type: string|null}}
 */
export function extractBody(init) {
    if (typeof init === 'string') {
        return { body: sourceBody(init, -1),
                 type: 'text/plain;charset=UTF-8' };
    }
    if (init !== null && typeof init === 'object') {
        if (init instanceof ArrayBuffer) {
            const b = new Uint8Array(init.slice(0));
            return { body: sourceBody(b, b.byteLength), type: null };
        }
        if (ArrayBuffer.isView(init)) {
            const b = new Uint8Array(init.buffer, init.byteOffset,
                                     init.byteLength).slice();
            return { body: sourceBody(b, b.byteLength), type: null };
        }
        if (isBlob(init)) {
            const b = blobBytes(init);
            return { body: sourceBody(b, b.byteLength),
                     type: init.type === '' ? null : init.type };
        }
        if (init instanceof URLSearchParams) {
            return {
                body: sourceBody(init.toString(), -1),
                type: 'application/x-www-form-urlencoded;charset=UTF-8',
            };
        }
        if (isFormData(init)) {
            const boundary = newBoundary();
            const b = encodeMultipart(init, boundary);
            return { body: sourceBody(b, b.byteLength),
                     type: `multipart/form-data; boundary=${boundary}` };
        }
        if (isReadableStream(init)) {
            if (isDisturbed(init) || init.locked) {
                throw new TypeError('Response body object should not be ' +
                                    'disturbed or locked');
            }
            return { body: streamBody(init), type: null };
        }
    }
    return { body: sourceBody(String(init), -1),
             type: 'text/plain;charset=UTF-8' };
}

function sourceBody(source, length) {
    return { source, stream: null, length, used: false };
}

/**
 * @param {ReadableStream} stream
 * @returns {BodyState}
 */
export function streamBody(stream) {
    return { source: null, stream, length: -1, used: false };
}

/**
 * @param {BodyState|null} body
 * @returns {boolean} the Fetch Standard's "unusable"
 */
export function bodyUnusable(body) {
    return body !== null &&
           (body.used || (body.stream !== null &&
                          (isDisturbed(body.stream) || body.stream.locked)));
}

/**
 * The stream of a body, made from its source on first use.
 * @param {BodyState} body
 * @returns {ReadableStream}
 */
export function bodyStream(body) {
    if (body.stream === null) {
        if (body.used) {
            // consumed through the fast path: an empty, disturbed stream
            body.stream = streamOfBytes(new Uint8Array(0));
            const r = body.stream.getReader();
            r.read();
            r.releaseLock();
        } else {
            const s = body.source;
            body.stream = streamOfBytes(typeof s === 'string'
                                        ? encoder.encode(s) : s.slice());
        }
        body.source = null;
    }
    return body.stream;
}

/**
 * The Fetch Standard's "clone a body": tees a stream, shares a source.
 * @param {BodyState} body
 * @returns {BodyState}
 */
export function cloneBody(body) {
    if (body.stream === null) {
        return { source: body.source, stream: null, length: body.length,
                 used: false };
    }
    const [a, b] = body.stream.tee();
    body.stream = a;
    return { source: null, stream: b, length: body.length, used: false };
}

/**
 * @param {string} s
 * @returns {number} the UTF-8 byte length of s
 */
export function utf8Length(s) {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x80) {
            continue;
        }
        if (c < 0x800) {
            n += 1;
        } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length &&
                   (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
            n += 2;
            i++;
        } else {
            n += 2;
        }
    }
    return n;
}

function unusable() {
    return Promise.reject(new TypeError('Body is unusable: Body has ' +
                                        'already been read'));
}

// A body's bytes or string, reading a stream to its end.  The value is
// passed to fn with whether it is shared (a source a clone may also hold).
function consume(self, fn) {
    const body = self[kBody];
    if (body === null) {
        return Promise.resolve(new Uint8Array(0)).then((v) => fn(v, false));
    }
    if (bodyUnusable(body)) {
        return unusable();
    }
    if (body.stream === null) {
        const v = body.source;
        body.used = true;
        body.source = null;
        return Promise.resolve(v).then((v) => fn(v, true));
    }
    return readAllBytes(body.stream).then((v) => fn(v, false));
}

function bytesOf(v, shared) {
    if (typeof v === 'string') {
        return encoder.encode(v);
    }
    return shared ? v.slice() : v;
}

function textOf(v) {
    return typeof v === 'string' ? v : decoder.decode(v);
}

// server requests keep names as received until someone looks at them
function mimeType(self) {
    const l = self[kHeaderList];
    for (let i = 0; i < l.length; i += 2) {
        if (l[i].toLowerCase() === 'content-type') {
            return l[i + 1];
        }
    }
    return '';
}

const methods = {
    /** @returns {ReadableStream|null} */
    get body() {
        check(this);
        return this[kBody] === null ? null : bodyStream(this[kBody]);
    },

    /** @returns {boolean} */
    get bodyUsed() {
        check(this);
        const b = this[kBody];
        return b !== null &&
               (b.used || (b.stream !== null && isDisturbed(b.stream)));
    },

    /** @returns {Promise<ArrayBuffer>} */
    arrayBuffer() {
        return call(this, (v, shared) => {
            const b = bytesOf(v, shared);
            return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
                   ? b.buffer : b.slice().buffer;
        });
    },

    /** @returns {Promise<Uint8Array>} */
    bytes() {
        return call(this, bytesOf);
    },

    /** @returns {Promise<Blob>} */
    blob() {
        return call(this, (v, shared) => newBlob(
            bytesOf(v, shared), normalizeType(mimeType(this))));
    },

    /** @returns {Promise<string>} */
    text() {
        return call(this, textOf);
    },

    /** @returns {Promise<*>} */
    json() {
        return call(this, (v) => JSON.parse(textOf(v)));
    },

    /** @returns {Promise<FormData>} */
    formData() {
        return call(this, (v) => {
            const type = mimeType(this);
            const essence = type.split(';')[0].trim().toLowerCase();
            if (essence === 'multipart/form-data') {
                return parseMultipart(bytesOf(v, false), boundaryOf(type));
            }
            if (essence === 'application/x-www-form-urlencoded') {
                return formDataOf(new URLSearchParams(textOf(v)));
            }
            throw new TypeError('Could not parse content as FormData.');
        });
    },
};

function check(self) {
    if (self === null || typeof self !== 'object' || !(kBody in self)) {
        throw new TypeError('Illegal invocation');
    }
}

function call(self, fn) {
    try {
        check(self);
    } catch (err) {
        return Promise.reject(err);
    }
    return consume(self, fn);
}

/**
 * Adds the Body mixin's members to a prototype (Request, Response).
 * @param {object} proto
 */
export function mixinBody(proto) {
    for (const key of Object.keys(methods)) {
        const d = Object.getOwnPropertyDescriptor(methods, key);
        d.enumerable = true;
        Object.defineProperty(proto, key, d);
    }
}
