// Copyright (C) nv8 contributors
//
// Shared by node:zlib and the web's CompressionStream: the raw binding
// (runtime/nv8_binding_zlib.c), Node's constants, errors shaped as Node
// shapes them, and the loop that runs a stream's input through the pool
// one output chunk at a time.

export const binding = import.meta.binding('zlib');

const [zlibVersion, zlibVernum, brotliVersion] = binding.version();

/** Versions of the libraries behind node:zlib. */
export const versions = { zlib: zlibVersion, brotli: brotliVersion };

// Node's zlib.constants, with this zlib's ZLIB_VERNUM
export const constants = {
    Z_NO_FLUSH: 0,
    Z_PARTIAL_FLUSH: 1,
    Z_SYNC_FLUSH: 2,
    Z_FULL_FLUSH: 3,
    Z_FINISH: 4,
    Z_BLOCK: 5,
    Z_OK: 0,
    Z_STREAM_END: 1,
    Z_NEED_DICT: 2,
    Z_ERRNO: -1,
    Z_STREAM_ERROR: -2,
    Z_DATA_ERROR: -3,
    Z_MEM_ERROR: -4,
    Z_BUF_ERROR: -5,
    Z_VERSION_ERROR: -6,
    Z_NO_COMPRESSION: 0,
    Z_BEST_SPEED: 1,
    Z_BEST_COMPRESSION: 9,
    Z_DEFAULT_COMPRESSION: -1,
    Z_FILTERED: 1,
    Z_HUFFMAN_ONLY: 2,
    Z_RLE: 3,
    Z_FIXED: 4,
    Z_DEFAULT_STRATEGY: 0,
    ZLIB_VERNUM: Number(zlibVernum),
    DEFLATE: 1,
    INFLATE: 2,
    GZIP: 3,
    GUNZIP: 4,
    DEFLATERAW: 5,
    INFLATERAW: 6,
    UNZIP: 7,
    BROTLI_DECODE: 8,
    BROTLI_ENCODE: 9,
    Z_MIN_WINDOWBITS: 8,
    Z_MAX_WINDOWBITS: 15,
    Z_DEFAULT_WINDOWBITS: 15,
    Z_MIN_CHUNK: 64,
    Z_MAX_CHUNK: Infinity,
    Z_DEFAULT_CHUNK: 16384,
    Z_MIN_MEMLEVEL: 1,
    Z_MAX_MEMLEVEL: 9,
    Z_DEFAULT_MEMLEVEL: 8,
    Z_MIN_LEVEL: -1,
    Z_MAX_LEVEL: 9,
    Z_DEFAULT_LEVEL: -1,
    BROTLI_OPERATION_PROCESS: 0,
    BROTLI_OPERATION_FLUSH: 1,
    BROTLI_OPERATION_FINISH: 2,
    BROTLI_OPERATION_EMIT_METADATA: 3,
    BROTLI_PARAM_MODE: 0,
    BROTLI_MODE_GENERIC: 0,
    BROTLI_MODE_TEXT: 1,
    BROTLI_MODE_FONT: 2,
    BROTLI_DEFAULT_MODE: 0,
    BROTLI_PARAM_QUALITY: 1,
    BROTLI_MIN_QUALITY: 0,
    BROTLI_MAX_QUALITY: 11,
    BROTLI_DEFAULT_QUALITY: 11,
    BROTLI_PARAM_LGWIN: 2,
    BROTLI_MIN_WINDOW_BITS: 10,
    BROTLI_MAX_WINDOW_BITS: 24,
    BROTLI_LARGE_MAX_WINDOW_BITS: 30,
    BROTLI_DEFAULT_WINDOW: 22,
    BROTLI_PARAM_LGBLOCK: 3,
    BROTLI_MIN_INPUT_BLOCK_BITS: 16,
    BROTLI_MAX_INPUT_BLOCK_BITS: 24,
    BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING: 4,
    BROTLI_PARAM_SIZE_HINT: 5,
    BROTLI_PARAM_LARGE_WINDOW: 6,
    BROTLI_PARAM_NPOSTFIX: 7,
    BROTLI_PARAM_NDIRECT: 8,
    BROTLI_DECODER_RESULT_ERROR: 0,
    BROTLI_DECODER_RESULT_SUCCESS: 1,
    BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT: 2,
    BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: 3,
    BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION: 0,
    BROTLI_DECODER_PARAM_LARGE_WINDOW: 1,
    BROTLI_DECODER_NO_ERROR: 0,
    BROTLI_DECODER_SUCCESS: 1,
    BROTLI_DECODER_NEEDS_MORE_INPUT: 2,
    BROTLI_DECODER_NEEDS_MORE_OUTPUT: 3,
    BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE: -1,
    BROTLI_DECODER_ERROR_FORMAT_RESERVED: -2,
    BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE: -3,
    BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET: -4,
    BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME: -5,
    BROTLI_DECODER_ERROR_FORMAT_CL_SPACE: -6,
    BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE: -7,
    BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT: -8,
    BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1: -9,
    BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2: -10,
    BROTLI_DECODER_ERROR_FORMAT_TRANSFORM: -11,
    BROTLI_DECODER_ERROR_FORMAT_DICTIONARY: -12,
    BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS: -13,
    BROTLI_DECODER_ERROR_FORMAT_PADDING_1: -14,
    BROTLI_DECODER_ERROR_FORMAT_PADDING_2: -15,
    BROTLI_DECODER_ERROR_FORMAT_DISTANCE: -16,
    BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET: -19,
    BROTLI_DECODER_ERROR_INVALID_ARGUMENTS: -20,
    BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES: -21,
    BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS: -22,
    BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP: -25,
    BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1: -26,
    BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2: -27,
    BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES: -30,
    BROTLI_DECODER_ERROR_UNREACHABLE: -31,
};

// zlib.codes: both directions, as Node has them
const codeList = {
    Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1,
    Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3, Z_MEM_ERROR: -4, Z_BUF_ERROR: -5,
    Z_VERSION_ERROR: -6,
};

export const codes = { ...codeList };
for (const [name, value] of Object.entries(codeList)) {
    codes[value] = name;
}
Object.freeze(codes);

// Brotli decoder errors Node's constants do not name
const brotliErrnos = { ERR__ERROR_FORMAT_BLOCK_SWITCH: -17 };

/** create() flag: data after the end of the stream is an error */
export const REJECT_TRAILING = 1;

/**
 * The binding's error as Node reports it: an Error with errno and code
 * (RangeError for ERR_BUFFER_TOO_LARGE).
 * @param {Error} e from the binding
 * @returns {Error}
 */
export function zlibError(e) {
    const code = e?.code;
    if (typeof code !== 'string') {
        return e;
    }
    if (code === 'ERR_BUFFER_TOO_LARGE') {
        const err = new RangeError(e.message);
        err.code = code;
        return err;
    }
    let errno;
    if (code in codeList) {
        errno = codeList[code];
    } else if (code.startsWith('ERR__ERROR_')) {
        errno = constants[`BROTLI_DECODER${code.slice(4)}`] ??
                brotliErrnos[code];
    } else if (code === 'ERR_BROTLI_COMPRESSION_FAILED') {
        errno = -1;
    } else {
        return e;
    }
    const err = new Error(e.message);
    err.errno = errno;
    err.code = code;
    return err;
}

/**
 * Runs input through handle on the thread pool, one output chunk of at
 * most chunkSize bytes per job, and hands each chunk to emit(); when
 * emit() returns a promise, the next job waits for it (back-pressure).
 * Stops early, without error, when stopped() turns true (the stream was
 * closed meanwhile).
 * @param {object} handle from binding.create()
 * @param {number} flush the flush flag
 * @param {Uint8Array|null} input copied by the binding
 * @param {number} chunkSize
 * @param {function(Uint8Array): (Promise|undefined)} emit
 * @param {function(): boolean} stopped
 * @returns {Promise<{ended: boolean, consumed: number}>}
 */
export async function pump(handle, flush, input, chunkSize, emit, stopped) {
    const total = input === null ? 0 : input.byteLength;
    for (;;) {
        const out = await binding.write(handle, flush, input, chunkSize);
        input = null;
        if (stopped()) {
            return { ended: false, consumed: total };
        }
        const status = binding.status(handle);
        if (out.byteLength > 0) {
            const wait = emit(out);
            if (wait !== undefined) {
                await wait;
                if (stopped()) {
                    return { ended: false, consumed: total };
                }
            }
        }
        // bit 1: the chunk was filled, so there may be more
        if ((status & 2) === 0) {
            return {
                ended: (status & 1) !== 0,
                consumed: total - Math.floor(status / 4),
            };
        }
    }
}
