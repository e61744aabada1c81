// Copyright (C) nv8 contributors
//
// The Compression Streams standard: CompressionStream and
// DecompressionStream for 'gzip', 'deflate' and 'deflate-raw', as
// TransformStreams whose chunks run through the zlib binding on the
// thread pool (internal/zlib).  A chunk's output is enqueued one chunk of
// at most 16 KB at a time, waiting while the readable side is full, so a
// small input that inflates to a lot cannot fill memory ahead of the
// reader.  Errors are TypeErrors, as the standard has it; the zlib code
// ("Z_DATA_ERROR", ...) stays on them as "code".

import { TransformStream } from 'internal/deps/web-streams';
import { webidlInterface } from 'internal/web/webidl';
import {
    REJECT_TRAILING, binding, constants, pump,
} from 'internal/zlib';

const {
    Z_NO_FLUSH, Z_FINISH, Z_DEFAULT_COMPRESSION, Z_DEFAULT_MEMLEVEL,
    Z_DEFAULT_STRATEGY, Z_DEFAULT_WINDOWBITS, DEFLATE, INFLATE, GZIP, GUNZIP,
    DEFLATERAW, INFLATERAW,
} = constants;

const CHUNK = 16384;

// format -> [compress mode, decompress mode]
const FORMATS = {
    'deflate': [DEFLATE, INFLATE],
    'deflate-raw': [DEFLATERAW, INFLATERAW],
    'gzip': [GZIP, GUNZIP],
};

const kTransform = Symbol('transform');

function transformOf(self) {
    if (typeof self !== 'object' || self === null || !(kTransform in self)) {
        throw new TypeError('Illegal invocation');
    }
    return self[kTransform];
}

function checkFormat(format, what) {
    const name = String(format);
    if (!Object.hasOwn(FORMATS, name)) {
        throw new TypeError(`Failed to construct '${what}': The provided ` +
                            `value '${name}' is not a valid enum value of ` +
                            'type CompressionFormat.');
    }
    return name;
}

function bytesOf(chunk) {
    if (chunk instanceof ArrayBuffer) {
        return new Uint8Array(chunk);
    }
    if (ArrayBuffer.isView(chunk)) {
        return new Uint8Array(chunk.buffer, chunk.byteOffset,
                              chunk.byteLength);
    }
    throw new TypeError('The chunk must be an ArrayBuffer or an ' +
                        'ArrayBufferView');
}

function webError(e, decompress) {
    if (e?.code === undefined) {
        return e;
    }
    let message = e.message;
    if (decompress && e.code === 'Z_BUF_ERROR') {
        message = 'The compressed data was truncated';
    }
    const err = new TypeError(message);
    err.code = e.code;
    return err;
}

// a TransformStream over one codec; the codec is closed when the stream
// ends, errors or is cancelled, and by the GC if it is dropped
function codecStream(mode, decompress) {
    const handle = binding.create(
        mode, decompress ? REJECT_TRAILING : 0,
        new Int32Array([Z_DEFAULT_COMPRESSION,
                        decompress && mode !== INFLATERAW
                            ? 0 : Z_DEFAULT_WINDOWBITS,
                        Z_DEFAULT_MEMLEVEL, Z_DEFAULT_STRATEGY]),
        null);
    let closed = false;
    let ended = false;
    let ts = null;

    const close = () => {
        if (!closed) {
            closed = true;
            binding.close(handle);
        }
    };

    const emit = (controller) => (out) => {
        controller.enqueue(out);
        // the polyfill's state: wait until the readable side pulls again
        if (ts._backpressure) {
            return ts._backpressureChangePromise;
        }
        return undefined;
    };

    const run = async (input, flush, controller) => {
        try {
            const r = await pump(handle, flush, input, CHUNK,
                                 emit(controller), () => closed);
            ended ||= r.ended;
        } catch (e) {
            close();
            throw webError(e, decompress);
        }
    };

    ts = new TransformStream({
        transform(chunk, controller) {
            const input = bytesOf(chunk);
            if (closed) {
                throw new TypeError('The stream is closed');
            }
            return run(input, Z_NO_FLUSH, controller);
        },
        async flush(controller) {
            if (closed) {
                return;
            }
            await run(new Uint8Array(0), Z_FINISH, controller);
            close();
            if (decompress && !ended) {
                throw new TypeError('The compressed data was truncated');
            }
        },
        cancel() {
            close();
        },
    });
    return ts;
}

/** WHATWG CompressionStream: 'gzip', 'deflate' or 'deflate-raw'. */
export class CompressionStream {
    /** @param {string} format */
    constructor(format) {
        if (arguments.length < 1) {
            throw new TypeError("Failed to construct 'CompressionStream': " +
                                '1 argument required, but only 0 present.');
        }
        const name = checkFormat(format, 'CompressionStream');
        this[kTransform] = codecStream(FORMATS[name][0], false);
    }

    /** @returns {ReadableStream} */
    get readable() {
        return transformOf(this).readable;
    }

    /** @returns {WritableStream} */
    get writable() {
        return transformOf(this).writable;
    }
}

/**
 * WHATWG DecompressionStream: 'gzip', 'deflate' or 'deflate-raw'.  Data
 * after the end of the compressed stream, and a stream cut short, are
 * errors.
 */
export class DecompressionStream {
    /** @param {string} format */
    constructor(format) {
        if (arguments.length < 1) {
            throw new TypeError("Failed to construct 'DecompressionStream':" +
                                ' 1 argument required, but only 0 present.');
        }
        const name = checkFormat(format, 'DecompressionStream');
        this[kTransform] = codecStream(FORMATS[name][1], true);
    }

    /** @returns {ReadableStream} */
    get readable() {
        return transformOf(this).readable;
    }

    /** @returns {WritableStream} */
    get writable() {
        return transformOf(this).writable;
    }
}

webidlInterface(CompressionStream);
webidlInterface(DecompressionStream);
