// Streams compressed by Node.js 20's zlib (Chromium's zlib, Brotli 1.1;
// fixtures/zlib/vectors.json, made by fixtures/zlib/gen-vectors.cjs) decode
// with nv8's, in one shot, on the pool and through streams; nv8's own
// output of the same text at the same options decodes back.  The reverse
// direction (Node.js decoding nv8's output) is t/081-zlib.t's.

import zlib from 'node:zlib';
import { readFile } from 'node:fs/promises';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));

// the same text gen-vectors.cjs makes
function text(n) {
    const words = ['nginx', 'v8', 'zlib', 'stream', 'gzip', 'brotli',
                   'deflate', 'inflate', 'worker', 'loop', 'pool', 'chunk'];
    let x = 12345;
    let s = '';
    while (s.length < n) {
        x = (x * 1103515245 + 12345) % 2147483648;
        s += words[x % words.length] + ((x >> 8) % 9 === 0 ? '\n' : ' ');
    }
    return s.slice(0, n);
}

const small = 'hello, world\n';
const inputs = {
    small, small2: small + small, big: text(8192), empty: '',
};
const dict = Buffer.from('nginx v8 zlib stream gzip brotli');
const compressorOf = {
    gunzip: 'gzip', inflate: 'deflate', inflateRaw: 'deflateRaw',
    unzip: 'gzip', brotliDecompress: 'brotliCompress',
};
const streamOf = {
    gunzip: 'createGunzip', inflate: 'createInflate',
    inflateRaw: 'createInflateRaw', unzip: 'createUnzip',
    brotliDecompress: 'createBrotliDecompress',
};

const vectors = JSON.parse(await readFile(
    new URL('fixtures/zlib/vectors.json', import.meta.url).pathname, 'utf8'));

for (const v of vectors) {
    if (v.crc32) {
        show('crc32', [zlib.crc32(small), zlib.crc32(inputs.big),
                       zlib.crc32(inputs.big, 12345)]
            .every((c, i) => c === v.crc32[i]));
        continue;
    }
    const data = Buffer.from(v.data, 'base64');
    const want = inputs[v.input];
    const opts = { ...v.options };
    if (opts.dictionary) {
        opts.dictionary = dict;
    }
    const sync = zlib[`${v.format}Sync`](data, opts).toString();
    const pooled = await new Promise((resolve, reject) => {
        zlib[v.format](data, opts, (e, r) => (e ? reject(e)
                                                   : resolve(r.toString())));
    });
    // byte by byte through a stream, for every split a state can be in
    const s = zlib[streamOf[v.format]]({ ...opts, chunkSize: 64 });
    const parts = [];
    s.on('data', (c) => parts.push(c));
    for (let i = 0; i < data.length; i += 1 + (i % 7)) {
        s.write(data.subarray(i, i + 1 + (i % 7)));
    }
    s.end();
    await new Promise((resolve, reject) => {
        s.on('end', resolve);
        s.on('error', reject);
    });
    const streamed = Buffer.concat(parts).toString();
    // nv8 compresses the same text; it decodes back
    const c = compressorOf[v.format];
    const copts = { ...opts };
    delete copts.finishFlush;
    const mine = zlib[`${v.format}Sync`](zlib[`${c}Sync`](want, copts),
                                         opts).toString();
    show(v.name, sync === want, pooled === want, streamed === want,
         mine === want);
}
