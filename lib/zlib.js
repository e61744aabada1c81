// Copyright (C) nv8 contributors
//
// node:zlib (and bare 'zlib'): gzip, deflate and Brotli on Debian's zlib
// and libbrotli (binding 'zlib', runtime/nv8_binding_zlib.c).  Streams
// and the callback forms run on libuv's thread pool; the *Sync forms
// block the worker while they run.  See docs/api/node.md.

import { Transform, finished } from 'stream';
import { Buffer, kMaxLength } from 'buffer';
import process from 'process';
import {
    binding, codes, constants, pump, zlibError,
} from 'internal/zlib';

export { codes, constants };

const {
    Z_NO_FLUSH, Z_BLOCK, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH,
    Z_FINISH, Z_MIN_CHUNK, Z_DEFAULT_CHUNK, Z_MIN_WINDOWBITS,
    Z_MAX_WINDOWBITS, Z_DEFAULT_WINDOWBITS, Z_MIN_LEVEL, Z_MAX_LEVEL,
    Z_DEFAULT_COMPRESSION, Z_MIN_MEMLEVEL, Z_MAX_MEMLEVEL,
    Z_DEFAULT_MEMLEVEL, Z_DEFAULT_STRATEGY, Z_FIXED, DEFLATE, INFLATE,
    GZIP, GUNZIP, DEFLATERAW, INFLATERAW, UNZIP, BROTLI_DECODE,
    BROTLI_ENCODE, BROTLI_OPERATION_PROCESS, BROTLI_OPERATION_FLUSH,
    BROTLI_OPERATION_FINISH, BROTLI_OPERATION_EMIT_METADATA,
} = constants;

const kMaxBrotliParam = Math.max(
    ...Object.keys(constants).filter((k) => k.startsWith('BROTLI_PARAM_'))
        .map((k) => constants[k]));

const zlibDefaultOpts = {
    flush: Z_NO_FLUSH, finishFlush: Z_FINISH, fullFlush: Z_FULL_FLUSH,
};
const brotliDefaultOpts = {
    flush: BROTLI_OPERATION_PROCESS,
    finishFlush: BROTLI_OPERATION_FINISH,
    fullFlush: BROTLI_OPERATION_FLUSH,
};
const FLUSH_BOUND = [
    [Z_NO_FLUSH, Z_BLOCK],
    [BROTLI_OPERATION_PROCESS, BROTLI_OPERATION_EMIT_METADATA],
];

// flush() writes one of these empty buffers; _transform() reads the flag
const kFlushFlag = Symbol('kFlushFlag');
const kResume = Symbol('kResume');
const kFlushFlagList = [
    Z_NO_FLUSH, Z_BLOCK, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH,
    Z_FINISH,
];
const flushiness = [];
const kFlushBuffers = [];
for (let i = 0; i < kFlushFlagList.length; i++) {
    const flag = kFlushFlagList[i];
    flushiness[flag] = i;
    kFlushBuffers[flag] = Buffer.from(new ArrayBuffer(0));
    kFlushBuffers[flag][kFlushFlag] = flag;
}

function maxFlush(a, b) {
    return flushiness[a] > flushiness[b] ? a : b;
}

// Node's error messages

function received(v) {
    if (v === null || v === undefined) {
        return String(v);
    }
    if (typeof v === 'function') {
        return `function ${v.name}`;
    }
    if (typeof v === 'object') {
        return v.constructor?.name ? `an instance of ${v.constructor.name}`
                                   : 'an object';
    }
    let s = typeof v === 'string' ? `'${v}'` : String(v);
    if (s.length > 25) {
        s = `${s.slice(0, 25)}...`;
    }
    return `type ${typeof v} (${s})`;
}

function argType(name, expected, v) {
    const what = name.includes('.') ? 'property' : 'argument';
    const err = new TypeError(`The "${name}" ${what} must be ${expected}. ` +
                              `Received ${received(v)}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    return err;
}

function separated(n) {
    let s = String(Math.trunc(Math.abs(n)));
    let out = '';
    for (; s.length > 3; s = s.slice(0, -3)) {
        out = `_${s.slice(-3)}${out}`;
    }
    return `${n < 0 ? '-' : ''}${s}${out}`;
}

function outOfRange(name, range, v) {
    const shown = Number.isInteger(v) && Math.abs(v) > 2 ** 32
        ? separated(v) : String(v);
    const err = new RangeError(`The value of "${name}" is out of range. ` +
                               `It must be ${range}. Received ${shown}`);
    err.code = 'ERR_OUT_OF_RANGE';
    return err;
}

function checkFiniteNumber(number, name) {
    if (number === undefined || Number.isNaN(number)) {
        return false;
    }
    if (Number.isFinite(number)) {
        return true;
    }
    if (typeof number !== 'number') {
        throw argType(name, 'of type number', number);
    }
    throw outOfRange(name, 'a finite number', number);
}

function checkRangesOrGetDefault(number, name, lower, upper, def) {
    if (!checkFiniteNumber(number, name)) {
        return def;
    }
    if (number < lower || number > upper) {
        throw outOfRange(name, `>= ${lower} and <= ${upper}`, number);
    }
    return number;
}

function isBrotli(mode) {
    return mode === BROTLI_ENCODE || mode === BROTLI_DECODE;
}

// the codec's handle and what the stream keeps of its options
function createHandle(opts, mode) {
    if (isBrotli(mode)) {
        const seen = new Set();
        const pairs = [];
        if (opts?.params) {
            for (const origKey of Object.keys(opts.params)) {
                const key = +origKey;
                if (Number.isNaN(key) || key < 0 || key > kMaxBrotliParam ||
                    seen.has(key)) {
                    const err = new RangeError(
                        `${origKey} is not a valid Brotli parameter`);
                    err.code = 'ERR_BROTLI_INVALID_PARAM';
                    throw err;
                }
                const value = opts.params[origKey];
                if (typeof value !== 'number' &&
                    typeof value !== 'boolean') {
                    throw argType('options.params[key]', 'of type number',
                                  value);
                }
                seen.add(key);
                pairs.push(key, Number(value) | 0);
            }
        }
        return {
            handle: binding.create(mode, 0, new Int32Array(pairs), null),
        };
    }

    let windowBits = Z_DEFAULT_WINDOWBITS;
    let level = Z_DEFAULT_COMPRESSION;
    let memLevel = Z_DEFAULT_MEMLEVEL;
    let strategy = Z_DEFAULT_STRATEGY;
    let dictionary = null;

    if (opts) {
        // 0 asks inflate to take the window size from the stream's header
        if ((opts.windowBits == null || opts.windowBits === 0) &&
            (mode === INFLATE || mode === GUNZIP || mode === UNZIP)) {
            windowBits = 0;
        } else {
            // { windowBits: 8 } is valid for deflate but not gzip
            const min = Z_MIN_WINDOWBITS + (mode === GZIP ? 1 : 0);
            windowBits = checkRangesOrGetDefault(
                opts.windowBits, 'options.windowBits', min,
                Z_MAX_WINDOWBITS, Z_DEFAULT_WINDOWBITS);
        }
        level = checkRangesOrGetDefault(
            opts.level, 'options.level', Z_MIN_LEVEL, Z_MAX_LEVEL,
            Z_DEFAULT_COMPRESSION);
        memLevel = checkRangesOrGetDefault(
            opts.memLevel, 'options.memLevel', Z_MIN_MEMLEVEL,
            Z_MAX_MEMLEVEL, Z_DEFAULT_MEMLEVEL);
        strategy = checkRangesOrGetDefault(
            opts.strategy, 'options.strategy', Z_DEFAULT_STRATEGY, Z_FIXED,
            Z_DEFAULT_STRATEGY);
        if (opts.dictionary !== undefined) {
            dictionary = opts.dictionary;
            if (dictionary instanceof ArrayBuffer ||
                dictionary instanceof SharedArrayBuffer) {
                dictionary = new Uint8Array(dictionary);
            } else if (!ArrayBuffer.isView(dictionary)) {
                throw argType('options.dictionary',
                              'an instance of Buffer, TypedArray, DataView,' +
                              ' or ArrayBuffer', dictionary);
            }
        }
    } else if (mode === INFLATE || mode === GUNZIP || mode === UNZIP) {
        windowBits = 0;
    }

    const handle = binding.create(
        mode, 0, new Int32Array([level, windowBits, memLevel, strategy]),
        dictionary);
    return { handle, level, strategy };
}

// what both the streams and the one-shot functions take from options
function baseOptions(opts, mode) {
    const bound = FLUSH_BOUND[isBrotli(mode) ? 1 : 0];
    const defaults = isBrotli(mode) ? brotliDefaultOpts : zlibDefaultOpts;
    let chunkSize = Z_DEFAULT_CHUNK;
    let { flush, finishFlush } = defaults;
    let maxOutputLength = kMaxLength;

    if (opts) {
        chunkSize = opts.chunkSize;
        if (!checkFiniteNumber(chunkSize, 'options.chunkSize')) {
            chunkSize = Z_DEFAULT_CHUNK;
        } else if (chunkSize < Z_MIN_CHUNK) {
            throw outOfRange('options.chunkSize', `>= ${Z_MIN_CHUNK}`,
                             chunkSize);
        }
        flush = checkRangesOrGetDefault(opts.flush, 'options.flush',
                                        bound[0], bound[1], flush);
        finishFlush = checkRangesOrGetDefault(
            opts.finishFlush, 'options.finishFlush', bound[0], bound[1],
            finishFlush);
        maxOutputLength = checkRangesOrGetDefault(
            opts.maxOutputLength, 'options.maxOutputLength', 1, kMaxLength,
            kMaxLength);
    }

    return {
        chunkSize: Math.min(Math.floor(chunkSize), 1024 * 1024 * 1024),
        flush,
        finishFlush,
        fullFlush: defaults.fullFlush,
        maxOutputLength,
    };
}

// calls a stream callback from a promise reaction: what it throws is an
// uncaught exception, as in Node, not a rejection nobody handles
function callOut(fn, ...args) {
    try {
        fn(...args);
    } catch (e) {
        queueMicrotask(() => {
            throw e;
        });
    }
}

function toBuffer(u8) {
    return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

/**
 * The base of every zlib and Brotli stream: a Transform whose input runs
 * through the codec on the thread pool.  Output waits for the reader
 * (push() returning false pauses the codec until _read()).
 */
class ZlibBase extends Transform {
    constructor(opts, mode, handle) {
        const o = baseOptions(opts, mode);
        if (opts && (opts.encoding || opts.objectMode ||
                     opts.writableObjectMode)) {
            opts = {
                ...opts, encoding: null, objectMode: false,
                writableObjectMode: false,
            };
        }
        super({ autoDestroy: true, ...opts });
        this.bytesWritten = 0;
        this._handle = handle;
        this._chunkSize = o.chunkSize;
        this._defaultFlushFlag = o.flush;
        this._finishFlushFlag = o.finishFlush;
        this._defaultFullFlushFlag = o.fullFlush;
        this._info = opts?.info;
        this._maxOutputLength = o.maxOutputLength;
        this[kResume] = null;
    }

    /** Whether the codec has been freed. */
    get _closed() {
        return this._handle === null;
    }

    /** Deprecated alias of bytesWritten. */
    get bytesRead() {
        return this.bytesWritten;
    }

    /**
     * Flushes what the codec holds; kind defaults to a full flush.
     * @param {number} [kind]
     * @param {Function} [callback]
     */
    flush(kind, callback) {
        if (typeof kind === 'function' || (kind === undefined && !callback)) {
            callback = kind;
            kind = this._defaultFullFlushFlag;
        }
        if (this.writableFinished) {
            if (callback) {
                process.nextTick(callback);
            }
        } else if (this.writableEnded) {
            if (callback) {
                this.once('end', callback);
            }
        } else {
            this.write(kFlushBuffers[kind], '', callback);
        }
    }

    /**
     * Frees the codec and destroys the stream.
     * @param {Function} [callback] when the stream has closed
     */
    close(callback) {
        if (callback) {
            finished(this, callback);
        }
        this.destroy();
    }

    /** Starts the codec afresh (a new stream on the same object). */
    reset() {
        if (this._handle === null) {
            throw new Error('zlib binding closed');
        }
        binding.reset(this._handle);
    }

    _transform(chunk, encoding, cb) {
        let flushFlag = this._defaultFlushFlag;
        if (typeof chunk[kFlushFlag] === 'number') {
            flushFlag = chunk[kFlushFlag];
        }
        // the last chunk also finishes the stream
        if (this.writableEnded && this.writableLength === chunk.byteLength) {
            flushFlag = maxFlush(flushFlag, this._finishFlushFlag);
        }
        this._processChunk(chunk, flushFlag, cb);
    }

    _flush(cb) {
        this._transform(Buffer.alloc(0), '', cb);
    }

    _processChunk(chunk, flushFlag, cb) {
        const handle = this._handle;
        if (handle === null) {
            process.nextTick(cb);
            return;
        }
        pump(handle, flushFlag, chunk, this._chunkSize,
             (out) => this._emitChunk(out),
             () => this._handle !== handle || this.destroyed)
            .then(({ consumed }) => {
                this.bytesWritten += consumed;
                callOut(cb);
            }, (e) => {
                this._close();
                callOut(cb, zlibError(e));
            });
    }

    _emitChunk(out) {
        if (this.push(toBuffer(out))) {
            return undefined;
        }
        return new Promise((resolve) => {
            this[kResume] = resolve;
        });
    }

    _read(n) {
        const resume = this[kResume];
        if (resume !== null) {
            this[kResume] = null;
            resume();
        }
        super._read(n);
    }

    _close() {
        if (this._handle !== null) {
            binding.close(this._handle);
            this._handle = null;
        }
    }

    _destroy(err, callback) {
        this._close();
        const resume = this[kResume];
        if (resume !== null) {
            this[kResume] = null;
            resume();
        }
        callback(err);
    }
}

/** The zlib (deflate/inflate) streams: ZlibBase plus params(). */
class Zlib extends ZlibBase {
    constructor(opts, mode) {
        const { handle, level, strategy } = createHandle(opts, mode);
        try {
            super(opts, mode, handle);
        } catch (e) {
            binding.close(handle);
            throw e;
        }
        this._level = level;
        this._strategy = strategy;
    }

    /**
     * Changes the compression level and strategy, after a sync flush.
     * @param {number} level
     * @param {number} strategy
     * @param {Function} [callback]
     */
    params(level, strategy, callback) {
        checkRangesOrGetDefault(level, 'level', Z_MIN_LEVEL, Z_MAX_LEVEL);
        checkRangesOrGetDefault(strategy, 'strategy', Z_DEFAULT_STRATEGY,
                                Z_FIXED);
        if (this._level === level && this._strategy === strategy) {
            if (callback) {
                process.nextTick(callback);
            }
            return;
        }
        this.flush(Z_SYNC_FLUSH, () => {
            if (this._handle === null) {
                throw new Error('zlib binding closed');
            }
            binding.params(this._handle, level, strategy);
            if (!this.destroyed) {
                this._level = level;
                this._strategy = strategy;
                if (callback) {
                    callback();
                }
            }
        });
    }
}

/** The Brotli streams (params() is there, as in Node, and a no-op). */
class Brotli extends Zlib {
}

/** A deflate (zlib format) compressor stream. */
export class Deflate extends Zlib {
    constructor(opts) {
        super(opts, DEFLATE);
    }
}

/** A deflate (zlib format) decompressor stream. */
export class Inflate extends Zlib {
    constructor(opts) {
        super(opts, INFLATE);
    }
}

/** A gzip compressor stream. */
export class Gzip extends Zlib {
    constructor(opts) {
        super(opts, GZIP);
    }
}

/** A gzip decompressor stream (every member of a multi-member file). */
export class Gunzip extends Zlib {
    constructor(opts) {
        super(opts, GUNZIP);
    }
}

/** A raw deflate compressor stream. */
export class DeflateRaw extends Zlib {
    constructor(opts) {
        super(opts, DEFLATERAW);
    }
}

/** A raw deflate decompressor stream. */
export class InflateRaw extends Zlib {
    constructor(opts) {
        super(opts, INFLATERAW);
    }
}

/** A decompressor stream for gzip or deflate, told by the header. */
export class Unzip extends Zlib {
    constructor(opts) {
        super(opts, UNZIP);
    }
}

/** A Brotli compressor stream. */
export class BrotliCompress extends Brotli {
    constructor(opts) {
        super(opts, BROTLI_ENCODE);
    }
}

/** A Brotli decompressor stream. */
export class BrotliDecompress extends Brotli {
    constructor(opts) {
        super(opts, BROTLI_DECODE);
    }
}

// the input of the one-shot functions, as a view without a copy
function toInput(buffer, name, expected) {
    if (typeof buffer === 'string') {
        return Buffer.from(buffer);
    }
    if (ArrayBuffer.isView(buffer)) {
        return buffer;
    }
    if (buffer instanceof ArrayBuffer ||
        buffer instanceof SharedArrayBuffer) {
        return new Uint8Array(buffer);
    }
    throw argType(name, expected, buffer);
}

// the one-shot functions make no stream: one handle, one pool job
function zlibBuffer(mode, buffer, opts, callback) {
    if (typeof opts === 'function') {
        callback = opts;
        opts = {};
    }
    if (typeof callback !== 'function') {
        throw argType('callback', 'of type function', callback);
    }
    const input = toInput(buffer, 'chunk', 'of type string or an ' +
                          'instance of Buffer, TypedArray, or DataView');
    const { handle } = createHandle(opts, mode);
    let o;
    try {
        o = baseOptions(opts, mode);
    } catch (e) {
        binding.close(handle);
        throw e;
    }
    binding.process(handle, o.finishFlush, input, o.maxOutputLength).then(
        (out) => {
            binding.close(handle);
            process.nextTick(callback, null, toBuffer(out));
        },
        (e) => {
            binding.close(handle);
            process.nextTick(callback, zlibError(e));
        });
}

function zlibBufferSync(mode, buffer, opts) {
    const input = toInput(buffer, 'buffer', 'of type string or an ' +
                          'instance of Buffer, TypedArray, DataView, or ' +
                          'ArrayBuffer');
    const { handle } = createHandle(opts, mode);
    try {
        const o = baseOptions(opts, mode);
        return toBuffer(binding.processSync(handle, o.finishFlush, input,
                                            o.maxOutputLength));
    } catch (e) {
        throw zlibError(e);
    } finally {
        binding.close(handle);
    }
}

/** deflate(buffer[, options], callback): zlib format, on the pool. */
export function deflate(buffer, opts, callback) {
    zlibBuffer(DEFLATE, buffer, opts, callback);
}

/** Blocks the worker: deflate on the calling thread. */
export function deflateSync(buffer, opts) {
    return zlibBufferSync(DEFLATE, buffer, opts);
}

/** inflate(buffer[, options], callback): zlib format, on the pool. */
export function inflate(buffer, opts, callback) {
    zlibBuffer(INFLATE, buffer, opts, callback);
}

/** Blocks the worker: inflate on the calling thread. */
export function inflateSync(buffer, opts) {
    return zlibBufferSync(INFLATE, buffer, opts);
}

/** gzip(buffer[, options], callback): on the pool. */
export function gzip(buffer, opts, callback) {
    zlibBuffer(GZIP, buffer, opts, callback);
}

/** Blocks the worker: gzip on the calling thread. */
export function gzipSync(buffer, opts) {
    return zlibBufferSync(GZIP, buffer, opts);
}

/** gunzip(buffer[, options], callback): on the pool. */
export function gunzip(buffer, opts, callback) {
    zlibBuffer(GUNZIP, buffer, opts, callback);
}

/** Blocks the worker: gunzip on the calling thread. */
export function gunzipSync(buffer, opts) {
    return zlibBufferSync(GUNZIP, buffer, opts);
}

/** deflateRaw(buffer[, options], callback): on the pool. */
export function deflateRaw(buffer, opts, callback) {
    zlibBuffer(DEFLATERAW, buffer, opts, callback);
}

/** Blocks the worker: raw deflate on the calling thread. */
export function deflateRawSync(buffer, opts) {
    return zlibBufferSync(DEFLATERAW, buffer, opts);
}

/** inflateRaw(buffer[, options], callback): on the pool. */
export function inflateRaw(buffer, opts, callback) {
    zlibBuffer(INFLATERAW, buffer, opts, callback);
}

/** Blocks the worker: raw inflate on the calling thread. */
export function inflateRawSync(buffer, opts) {
    return zlibBufferSync(INFLATERAW, buffer, opts);
}

/** unzip(buffer[, options], callback): gzip or deflate, on the pool. */
export function unzip(buffer, opts, callback) {
    zlibBuffer(UNZIP, buffer, opts, callback);
}

/** Blocks the worker: gzip or deflate, on the calling thread. */
export function unzipSync(buffer, opts) {
    return zlibBufferSync(UNZIP, buffer, opts);
}

/** brotliCompress(buffer[, options], callback): on the pool. */
export function brotliCompress(buffer, opts, callback) {
    zlibBuffer(BROTLI_ENCODE, buffer, opts, callback);
}

/** Blocks the worker: Brotli compression on the calling thread. */
export function brotliCompressSync(buffer, opts) {
    return zlibBufferSync(BROTLI_ENCODE, buffer, opts);
}

/** brotliDecompress(buffer[, options], callback): on the pool. */
export function brotliDecompress(buffer, opts, callback) {
    zlibBuffer(BROTLI_DECODE, buffer, opts, callback);
}

/** Blocks the worker: Brotli decompression on the calling thread. */
export function brotliDecompressSync(buffer, opts) {
    return zlibBufferSync(BROTLI_DECODE, buffer, opts);
}

/** @returns {Deflate} */
export function createDeflate(opts) {
    return new Deflate(opts);
}

/** @returns {Inflate} */
export function createInflate(opts) {
    return new Inflate(opts);
}

/** @returns {Gzip} */
export function createGzip(opts) {
    return new Gzip(opts);
}

/** @returns {Gunzip} */
export function createGunzip(opts) {
    return new Gunzip(opts);
}

/** @returns {DeflateRaw} */
export function createDeflateRaw(opts) {
    return new DeflateRaw(opts);
}

/** @returns {InflateRaw} */
export function createInflateRaw(opts) {
    return new InflateRaw(opts);
}

/** @returns {Unzip} */
export function createUnzip(opts) {
    return new Unzip(opts);
}

/** @returns {BrotliCompress} */
export function createBrotliCompress(opts) {
    return new BrotliCompress(opts);
}

/** @returns {BrotliDecompress} */
export function createBrotliDecompress(opts) {
    return new BrotliDecompress(opts);
}

/**
 * CRC-32 of data (a string is UTF-8), continuing from value.
 * @param {string|ArrayBufferView} data
 * @param {number} [value]
 * @returns {number}
 */
export function crc32(data, value = 0) {
    if (typeof data === 'string') {
        data = Buffer.from(data);
    } else if (!ArrayBuffer.isView(data)) {
        throw argType('data', 'of type string or an instance of Buffer, ' +
                      'TypedArray, or DataView', data);
    }
    if (typeof value !== 'number') {
        throw argType('value', 'of type number', value);
    }
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
        throw outOfRange('value', '>= 0 and <= 4294967295', value);
    }
    return binding.crc32(data, value);
}

export default {
    crc32, Deflate, Inflate, Gzip, Gunzip, DeflateRaw, InflateRaw, Unzip,
    BrotliCompress, BrotliDecompress, deflate, deflateSync, gzip, gzipSync,
    deflateRaw, deflateRawSync, unzip, unzipSync, inflate, inflateSync,
    gunzip, gunzipSync, inflateRaw, inflateRawSync, brotliCompress,
    brotliCompressSync, brotliDecompress, brotliDecompressSync,
    createDeflate, createInflate, createDeflateRaw, createInflateRaw,
    createGzip, createGunzip, createUnzip, createBrotliCompress,
    createBrotliDecompress, constants, codes,
};
