// node:zlib: one-shot round trips (sync, callback, promisified), streams
// (pipeline, flush, params, reset, close), Node's errors and codes, bad
// arguments, maxOutputLength, crc32 and constants.  Errors and values
// printed here are the ones Node.js 20 prints for the same calls.

import zlib from 'node:zlib';
import { gzipSync, constants, codes } from 'zlib';
import { Readable, Writable, pipeline } from 'node:stream';
import { promisify } from 'node:util';

const req = (await import('node:module')).createRequire(import.meta.url);
const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
const err = (e) => [e.constructor.name, e.code, e.errno, e.message];

show(req('zlib') === zlib, req('node:zlib').gzipSync === gzipSync,
     zlib.constants === constants);
show(constants.Z_BEST_COMPRESSION, constants.BROTLI_PARAM_QUALITY,
     constants.BROTLI_DECODER_ERROR_FORMAT_PADDING_1, constants.GUNZIP,
     constants.Z_DEFAULT_CHUNK, typeof constants.ZLIB_VERNUM);
show(codes.Z_DATA_ERROR, codes[-3], codes.Z_NEED_DICT, codes['2']);

const text = 'the quick brown fox jumps over the lazy dog. '.repeat(200);
const pairs = [
    ['gzip', 'gunzip'], ['deflate', 'inflate'], ['deflateRaw', 'inflateRaw'],
    ['gzip', 'unzip'], ['deflate', 'unzip'],
    ['brotliCompress', 'brotliDecompress'],
];

// sync
for (const [c, d] of pairs) {
    const z = zlib[`${c}Sync`](text);
    const back = zlib[`${d}Sync`](z);
    show('sync', c, d, Buffer.isBuffer(z), z.length < text.length,
         back.toString() === text);
}

// every input type
const u8 = new TextEncoder().encode('bytes');
for (const input of [u8, u8.buffer, new DataView(u8.buffer),
                     new Uint16Array(u8.buffer.slice(0, 4)),
                     Buffer.from('bytes')]) {
    show('input', Object.prototype.toString.call(input),
         zlib.inflateSync(zlib.deflateSync(input)).length);
}

// callbacks, on the pool
for (const [c, d] of pairs) {
    const back = await new Promise((resolve, reject) => {
        zlib[c](text, (e1, z) => {
            if (e1) {
                reject(e1);
                return;
            }
            zlib[d](z, { chunkSize: 1024 }, (e2, r) => {
                if (e2) {
                    reject(e2);
                } else {
                    resolve(r);
                }
            });
        });
    });
    show('callback', c, d, Buffer.isBuffer(back), back.toString() === text);
}

// promisified
const gz = await promisify(zlib.gzip)(text, { level: 9 });
show('promisify', (await promisify(zlib.gunzip)(gz)).toString() === text);

// callback order: after the current code, asynchronously
{
    const order = [];
    const done = new Promise((resolve) => {
        zlib.deflate('x', () => {
            order.push('callback');
            resolve();
        });
    });
    order.push('after call');
    await done;
    show('order', order);
}

// options
show('levels', [0, 1, 6, 9, -1].map((level) =>
    zlib.inflateSync(zlib.deflateSync(text, { level })).toString() === text));
show('level 0 stores', zlib.deflateSync(text, { level: 0 }).length >
     text.length);
for (const strategy of [0, 1, 2, 3, 4]) {
    show('strategy', strategy,
         zlib.inflateRawSync(zlib.deflateRawSync(text, { strategy }))
             .toString() === text);
}
show('windowBits/memLevel',
     zlib.gunzipSync(zlib.gzipSync(text, { windowBits: 9, memLevel: 1 }))
         .toString() === text,
     zlib.inflateRawSync(zlib.deflateRawSync(text, { windowBits: 8 }),
                         { windowBits: 9 }).toString() === text);
const dictionary = Buffer.from('the quick brown fox jumps over');
const withDict = zlib.deflateSync(text, { dictionary });
show('dictionary', zlib.inflateSync(withDict, { dictionary })
    .toString() === text);
for (const opts of [{}, { dictionary: Buffer.from('other') }]) {
    try {
        zlib.inflateSync(withDict, opts);
    } catch (e) {
        show('dictionary error', ...err(e));
    }
}
show('raw dictionary', zlib.inflateRawSync(
    zlib.deflateRawSync('fox fox', { dictionary }), { dictionary })
    .toString());
const q = constants.BROTLI_PARAM_QUALITY;
show('brotli params', [0, 5, 11].map((quality) => zlib.brotliDecompressSync(
    zlib.brotliCompressSync(text, { params: {
        [q]: quality,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
    } })).toString() === text));
show('brotli q0 bigger than q11',
     zlib.brotliCompressSync(text, { params: { [q]: 0 } }).length >
     zlib.brotliCompressSync(text, { params: { [q]: 11 } }).length);

// partial streams: finishFlush Z_SYNC_FLUSH decodes a cut stream
{
    const whole = zlib.gzipSync(text);
    const cut = whole.subarray(0, whole.length >> 1);
    try {
        zlib.gunzipSync(cut);
    } catch (e) {
        show('cut', ...err(e));
    }
    const part = zlib.gunzipSync(cut, {
        finishFlush: constants.Z_SYNC_FLUSH,
    }).toString();
    show('cut with Z_SYNC_FLUSH', part.length > 0, text.startsWith(part));
}

// trailing data, gzip members, padding
{
    const a = zlib.gzipSync('a');
    const b = zlib.gzipSync('b');
    show('members', zlib.gunzipSync(Buffer.concat([a, b])).toString(),
         zlib.unzipSync(Buffer.concat([a, b])).toString(),
         zlib.gunzipSync(Buffer.concat([a, Buffer.alloc(9)])).toString(),
         zlib.inflateSync(Buffer.concat([zlib.deflateSync('c'),
                                         Buffer.from('junk')])).toString(),
         zlib.brotliDecompressSync(Buffer.concat([
             zlib.brotliCompressSync('d'), Buffer.from('junk')]))
             .toString());
    try {
        zlib.gunzipSync(Buffer.concat([a, Buffer.from('junk')]));
    } catch (e) {
        show('gzip junk', ...err(e));
    }
}

// errors, as Node reports them
const bad = Buffer.from('this is not compressed at all');
for (const fn of ['gunzipSync', 'inflateSync', 'inflateRawSync', 'unzipSync',
                  'brotliDecompressSync']) {
    try {
        zlib[fn](bad);
        show(fn, 'no error');
    } catch (e) {
        show(fn, ...err(e), Object.keys(e));
    }
}
for (const fn of ['gunzipSync', 'inflateSync', 'brotliDecompressSync']) {
    try {
        zlib[fn](Buffer.alloc(0));
    } catch (e) {
        show(`${fn} empty`, ...err(e));
    }
}
{
    const z = zlib.brotliCompressSync(text);
    try {
        zlib.brotliDecompressSync(z.subarray(0, z.length - 2));
    } catch (e) {
        show('brotli cut', ...err(e));
    }
}
await new Promise((resolve) => {
    zlib.gunzip(bad, (e, r) => {
        show('async error', ...err(e), r);
        resolve();
    });
});
await new Promise((resolve) => {
    zlib.brotliDecompress(bad, (e) => {
        show('async brotli error', ...err(e));
        resolve();
    });
});

// maxOutputLength
const zeros = zlib.gzipSync(Buffer.alloc(100000));
try {
    zlib.gunzipSync(zeros, { maxOutputLength: 1000 });
} catch (e) {
    show('maxOutputLength sync', ...err(e));
}
await new Promise((resolve) => {
    zlib.gunzip(zeros, { maxOutputLength: 99999 }, (e) => {
        show('maxOutputLength async', ...err(e));
        resolve();
    });
});
show('maxOutputLength exact', zlib.gunzipSync(zeros, {
    maxOutputLength: 100000,
}).length);

// bad arguments
const badCalls = [
    () => zlib.gzipSync(123),
    () => zlib.gzipSync(null),
    () => zlib.gzip('x'),
    () => zlib.gzip(123, () => {}),
    () => zlib.gzipSync('x', { level: 10 }),
    () => zlib.gzipSync('x', { level: '1' }),
    () => zlib.gzipSync('x', { level: Infinity }),
    () => zlib.gzipSync('x', { windowBits: 8 }),
    () => zlib.deflateSync('x', { windowBits: 16 }),
    () => zlib.deflateSync('x', { memLevel: 0 }),
    () => zlib.deflateSync('x', { strategy: 5 }),
    () => zlib.deflateSync('x', { chunkSize: 63 }),
    () => zlib.deflateSync('x', { finishFlush: 6 }),
    () => zlib.deflateSync('x', { flush: -1 }),
    () => zlib.deflateSync('x', { maxOutputLength: 0 }),
    () => zlib.deflateSync('x', { dictionary: 'words' }),
    () => zlib.brotliCompressSync('x', { params: { 99: 1 } }),
    () => zlib.brotliCompressSync('x', { params: { a: 1 } }),
    () => zlib.brotliCompressSync('x', { params: { 1: '5' } }),
    () => zlib.brotliCompressSync('x', { finishFlush: 4 }),
    () => zlib.brotliDecompressSync('x', { params: {
        [constants.BROTLI_PARAM_QUALITY]: 5 } }),
    () => zlib.createGzip({ level: 42 }),
    () => zlib.crc32(42),
    () => zlib.crc32('x', 'y'),
];
for (const f of badCalls) {
    try {
        f();
        show('no error');
    } catch (e) {
        show(...err(e));
    }
}
show('NaN level is the default', zlib.inflateSync(zlib.deflateSync('n', {
    level: NaN })).toString());

// crc32
show('crc32', zlib.crc32('hello'), zlib.crc32(''),
     zlib.crc32('world', zlib.crc32('hello ')) === zlib.crc32('hello world'),
     zlib.crc32(Buffer.from('hello')), zlib.crc32(new Uint8Array(0), 7));

// streams
function collect(parts) {
    return new Writable({
        write(chunk, enc, cb) {
            parts.push(chunk);
            cb();
        },
    });
}
const pipe = promisify(pipeline);
const streamPairs = [
    ['createGzip', 'createGunzip'], ['createDeflate', 'createInflate'],
    ['createDeflateRaw', 'createInflateRaw'], ['createGzip', 'createUnzip'],
    ['createBrotliCompress', 'createBrotliDecompress'],
];
for (const [c, d] of streamPairs) {
    const mid = [];
    const out = [];
    const enc = zlib[c]({ chunkSize: 128 });
    await pipe(Readable.from([text.slice(0, 10), text.slice(10)]), enc,
               collect(mid));
    const dec = zlib[d]();
    await pipe(Readable.from(mid), dec, collect(out));
    show('stream', c, d, enc.bytesWritten === text.length,
         mid.every((b) => b.length <= 128),
         Buffer.concat(out).toString() === text,
         enc.destroyed, enc._closed,
         dec.bytesWritten === Buffer.concat(mid).length);
}
show('classes', zlib.createGzip() instanceof zlib.Gzip,
     new zlib.Unzip() instanceof Readable,
     typeof zlib.createBrotliCompress().params);

// flush(): what was written comes out, then the stream goes on
{
    const d = zlib.createDeflate();
    const parts = [];
    d.on('data', (c) => parts.push(c));
    d.write('first ');
    await new Promise((resolve) => d.flush(resolve));
    const flushed = Buffer.concat(parts);
    show('flush', zlib.inflateSync(flushed, {
        finishFlush: constants.Z_SYNC_FLUSH }).toString());
    await new Promise((resolve) => d.params(0, constants.Z_RLE, resolve));
    show('params', d._level, d._strategy);
    d.end('second');
    await new Promise((resolve) => d.on('end', resolve));
    show('after params', zlib.inflateSync(Buffer.concat(parts)).toString());
    try {
        d.params(11, 0);
    } catch (e) {
        show('params range', ...err(e));
    }
}
{
    const b = zlib.createBrotliCompress();
    const parts = [];
    b.on('data', (c) => parts.push(c));
    b.write('brotli flushed');
    await new Promise((resolve) => b.flush(resolve));
    show('brotli flush', zlib.brotliDecompressSync(Buffer.concat(parts), {
        finishFlush: constants.BROTLI_OPERATION_FLUSH }).toString());
    b.destroy();
}

// reset(): the next output is a new stream
{
    const d = zlib.createGzip();
    let parts = [];
    d.on('data', (c) => parts.push(c));
    d.write('dropped');
    await new Promise((resolve) => d.flush(resolve));
    parts = [];
    d.reset();
    d.end('kept');
    await new Promise((resolve) => d.on('end', resolve));
    show('reset', zlib.gunzipSync(Buffer.concat(parts)).toString());
}

// stream errors: 'error' with Node's code, the stream destroyed
for (const [make, input] of [
    [() => zlib.createGunzip(), bad],
    [() => zlib.createInflate(), zlib.deflateSync(text).subarray(0, 30)],
    [() => zlib.createBrotliDecompress(), bad],
]) {
    const s = make();
    s.resume();
    const e = await new Promise((resolve) => {
        s.on('error', resolve);
        s.end(input);
    });
    show('stream error', ...err(e), s.destroyed, s._closed);
}
try {
    await pipe(Readable.from([bad]), zlib.createGunzip(), collect([]));
} catch (e) {
    show('pipeline error', ...err(e));
}

// close() while a job runs; writes after it
{
    const g = zlib.createGzip();
    g.write(Buffer.alloc(1 << 20, 'a'));
    await new Promise((resolve) => g.close(resolve));
    show('closed', g.destroyed, g._closed);
    g.on('error', (e) => show('write after close', e.code));
    g.write('more');
    await new Promise((resolve) => setTimeout(resolve, 10));
}

show('done');
