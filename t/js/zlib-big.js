// 10 MB through node:zlib streams with back-pressure (a slow reader keeps
// the codec's output bounded), a small input that inflates to a lot read
// slowly, and the worker's loop running while the thread pool compresses
// (timers fire during zlib.gzip(), never during zlib.gzipSync()).

import zlib from 'node:zlib';
import { Readable, Writable, pipeline } from 'node:stream';
import { promisify } from 'node:util';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
const pipe = promisify(pipeline);

// 10 MB of words from an LCG: compressible, not trivially
const SIZE = 10 * 1024 * 1024;
const words = ['alpha ', 'beta ', 'gamma ', 'delta\n', 'epsilon ', 'zeta ',
               'eta ', 'theta ', 'iota ', 'kappa ', 'lambda ', 'mu '];
const input = Buffer.alloc(SIZE);
{
    let x = 1;
    let off = 0;
    while (off < SIZE) {
        x = (x * 1103515245 + 12345) % 2147483648;
        off += input.write(words[(x >> 16) % words.length], off);
    }
}
const crc = zlib.crc32(input);

function source(buf, size) {
    let off = 0;
    return new Readable({
        read() {
            this.push(off < buf.length ? buf.subarray(off, off += size)
                                       : null);
        },
    });
}

// a sink that takes a while per chunk and watches the stream before it
function slowSink(watched, state) {
    return new Writable({
        highWaterMark: 16384,
        write(chunk, enc, cb) {
            state.crc = zlib.crc32(chunk, state.crc);
            state.length += chunk.length;
            state.maxBuffered = Math.max(state.maxBuffered,
                                         watched.readableLength);
            if (++state.chunks % 64 === 0) {
                setTimeout(cb, 1);
            } else {
                setImmediate(cb);
            }
        },
    });
}

for (const [c, d] of [['createGzip', 'createGunzip'],
                      ['createBrotliCompress', 'createBrotliDecompress']]) {
    const enc = zlib[c](c === 'createBrotliCompress'
        ? { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } : {});
    const dec = zlib[d]();
    const state = { crc: 0, length: 0, maxBuffered: 0, chunks: 0 };
    await pipe(source(input, 65536), enc, dec, slowSink(dec, state));
    show(c, d, state.length === SIZE, state.crc === crc,
         enc.bytesWritten === SIZE, state.maxBuffered <= 2 * 16384,
         enc.destroyed && dec.destroyed);
}

// 16 KB of compressed zeros inflate to 16 MB; a paused reader holds it back
{
    const bomb = zlib.gzipSync(Buffer.alloc(16 << 20));
    const g = zlib.createGunzip();
    g.end(bomb);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const held = g.readableLength;
    let total = 0;
    for await (const chunk of g) {
        total += chunk.length;
    }
    show('bomb', bomb.length < 32768, held <= 2 * 16384, total);
}

// the loop runs while the pool compresses 10 MB in one job
{
    let ticks = 0;
    const t = setInterval(() => ticks++, 1);
    const z = await promisify(zlib.gzip)(input);
    const during = ticks;
    ticks = 0;
    const z2 = zlib.gzipSync(input);
    const duringSync = ticks;
    clearInterval(t);
    const back = await promisify(zlib.gunzip)(z);
    show('pool', during > 0, duringSync, z.equals(z2),
         zlib.crc32(back) === crc);
}
