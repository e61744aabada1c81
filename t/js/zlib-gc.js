// The codec behind a zlib stream is freed by the garbage collector when
// JS drops the stream without closing it (the native memory is reported
// to V8, and given back when the finalizer runs), and streams left open
// when the runtime goes are freed then (ASan's leak check sees it).
// zlib-gc.env gives --expose-gc, and a small quarantine for ASan builds,
// whose default one (256 MB of freed memory held back) would look like
// a leak here.

import zlib from 'node:zlib';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
// deflate streams hold about 256 KB of native state each: ten rounds of
// 200 dropped streams would take 500 MB if the collector did not free
// them; the memory the first round took is reused by the next ones
async function round() {
    for (let i = 0; i < 200; i++) {
        zlib.createDeflate().write(Buffer.alloc(65536, i));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
    return process.memoryUsage.rss();
}
const first = await round();
let last = first;
for (let i = 0; i < 9; i++) {
    last = await round();
}
show('dropped streams', last - first < 64 * 1024 * 1024);

// closed ones give back the codec at once, the object later
{
    const streams = [];
    for (let i = 0; i < 50; i++) {
        streams.push(zlib.createGzip());
    }
    for (const s of streams) {
        s.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    show('closed', streams.every((s) => s._closed && s.destroyed));
}

// left open at exit: a stream mid-write, one idle, a Brotli encoder
const open = [zlib.createGzip(), zlib.createBrotliCompress(),
              zlib.createInflate()];
open[0].write(Buffer.alloc(1 << 20, 'x'));
show('exit with open streams');
