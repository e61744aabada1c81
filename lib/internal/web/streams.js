// Copyright (C) nv8 contributors
//
// WHATWG Streams: the web-streams-polyfill ponyfill, vendored by
// build-aux/update-npm-deps, plus TextEncoderStream and TextDecoderStream
// over internal/encoding.

import 'internal/web/prelude';
import { ReadableStream, TransformStream } from 'internal/deps/web-streams';
import { TextDecoder, TextEncoder } from 'internal/encoding';
import { webidlInterface } from 'internal/web/webidl';

export {
    ByteLengthQueuingStrategy,
    CountQueuingStrategy,
    ReadableByteStreamController,
    ReadableStream,
    ReadableStreamBYOBReader,
    ReadableStreamBYOBRequest,
    ReadableStreamDefaultController,
    ReadableStreamDefaultReader,
    TransformStream,
    TransformStreamDefaultController,
    WritableStream,
    WritableStreamDefaultController,
    WritableStreamDefaultWriter,
} from 'internal/deps/web-streams';

const kTransform = Symbol('transform');
const kDecoder = Symbol('decoder');

/** WHATWG TextEncoderStream (UTF-8). */
export class TextEncoderStream {
    constructor() {
        const enc = new TextEncoder();
        let pending = '';
        this[kTransform] = new TransformStream({
            transform(chunk, controller) {
                let s = pending + String(chunk);
                pending = '';
                // a lone high surrogate at the end may pair with the next
                const last = s.charCodeAt(s.length - 1);
                if (last >= 0xd800 && last <= 0xdbff) {
                    pending = s.slice(-1);
                    s = s.slice(0, -1);
                }
                if (s.length > 0) {
                    controller.enqueue(enc.encode(s));
                }
            },
            flush(controller) {
                if (pending !== '') {
                    controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
                }
            },
        });
    }

    get encoding() {
        return 'utf-8';
    }

    get readable() {
        return this[kTransform].readable;
    }

    get writable() {
        return this[kTransform].writable;
    }
}

/**
 * WHATWG TextDecoderStream, for every encoding TextDecoder knows: one
 * TextDecoder in stream mode carries a character split between chunks.
 */
export class TextDecoderStream {
    /**
     * @param {string} [label]
     * @param {{fatal?: boolean, ignoreBOM?: boolean}} [options]
     */
    constructor(label = 'utf-8', options = {}) {
        const dec = new TextDecoder(label, options);
        this[kDecoder] = dec;
        this[kTransform] = new TransformStream({
            transform(chunk, controller) {
                const s = dec.decode(toBytes(chunk), { stream: true });
                if (s !== '') {
                    controller.enqueue(s);
                }
            },
            flush(controller) {
                const s = dec.decode();
                if (s !== '') {
                    controller.enqueue(s);
                }
            },
        });
    }

    get encoding() {
        return this[kDecoder].encoding;
    }

    get fatal() {
        return this[kDecoder].fatal;
    }

    get ignoreBOM() {
        return this[kDecoder].ignoreBOM;
    }

    get readable() {
        return this[kTransform].readable;
    }

    get writable() {
        return this[kTransform].writable;
    }
}

function toBytes(chunk) {
    if (chunk instanceof ArrayBuffer) {
        return new Uint8Array(chunk);
    }
    if (ArrayBuffer.isView(chunk)) {
        return new Uint8Array(chunk.buffer, chunk.byteOffset,
                              chunk.byteLength);
    }
    throw new TypeError('The "chunk" argument must be an ArrayBuffer or ' +
                        'ArrayBufferView');
}

webidlInterface(TextEncoderStream);
webidlInterface(TextDecoderStream);

/**
 * @param {*} v
 * @returns {boolean} whether v is a ReadableStream
 */
export function isReadableStream(v) {
    return v instanceof ReadableStream;
}

/**
 * The Streams Standard's "disturbed" flag (read from or cancelled), which
 * has no public accessor; the polyfill keeps it in a field.
 * @param {ReadableStream} stream
 * @returns {boolean}
 */
export function isDisturbed(stream) {
    return stream._disturbed === true;
}

/**
 * A byte stream that yields bytes once, then closes.
 * @param {Uint8Array} bytes handed over to the stream
 * @returns {ReadableStream}
 */
export function streamOfBytes(bytes) {
    return new ReadableStream({
        type: 'bytes',
        start(controller) {
            if (bytes.byteLength > 0) {
                controller.enqueue(bytes);
            }
            controller.close();
        },
    });
}

/**
 * Reads a stream of Uint8Array chunks to its end.
 * @param {ReadableStream} stream
 * @returns {Promise<Uint8Array>}
 */
export async function readAllBytes(stream) {
    const reader = stream.getReader();
    const chunks = [];
    let total = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) {
            break;
        }
        if (!(value instanceof Uint8Array)) {
            const err = new TypeError('Received non-Uint8Array chunk');
            reader.cancel(err).catch(() => {});
            throw err;
        }
        chunks.push(value);
        total += value.byteLength;
    }
    if (chunks.length === 1) {
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
