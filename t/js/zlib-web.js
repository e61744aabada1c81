// CompressionStream and DecompressionStream (the Compression Streams
// standard): formats, chunk types, interop with node:zlib, errors
// (unknown format, bad chunks, corrupt, truncated and trailing data),
// cancel and abort, back-pressure and a Response body through pipeThrough.

import zlib from 'node:zlib';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
const enc = new TextEncoder();
const dec = new TextDecoder();

async function readAll(readable) {
    const parts = [];
    for await (const c of readable) {
        if (!(c instanceof Uint8Array)) {
            throw new Error('not a Uint8Array');
        }
        parts.push(c);
    }
    return Buffer.concat(parts);
}

// writes every chunk, closes, reads it all; rejects with the first error
async function through(ts, chunks) {
    const w = ts.writable.getWriter();
    const out = readAll(ts.readable);
    const writes = chunks.map((c) => w.write(c));
    writes.push(w.close());
    const [r] = await Promise.all([out, ...writes]);
    return r;
}

const text = 'compression streams, '.repeat(500);
const bytes = enc.encode(text);
const nodeDecode = {
    'gzip': zlib.gunzipSync, 'deflate': zlib.inflateSync,
    'deflate-raw': zlib.inflateRawSync,
};
const nodeEncode = {
    'gzip': zlib.gzipSync, 'deflate': zlib.deflateSync,
    'deflate-raw': zlib.deflateRawSync,
};

show(typeof CompressionStream, typeof DecompressionStream,
     Object.prototype.toString.call(new CompressionStream('gzip')),
     String(Object.getOwnPropertyDescriptor(globalThis, 'CompressionStream')
         .enumerable));
const cs = new CompressionStream('deflate');
show(cs.readable instanceof ReadableStream,
     cs.writable instanceof WritableStream,
     Object.keys(CompressionStream.prototype));

for (const format of ['gzip', 'deflate', 'deflate-raw']) {
    // chunk kinds: Uint8Array, ArrayBuffer, DataView, another typed array
    const c = await through(new CompressionStream(format), [
        bytes.subarray(0, 10), bytes.buffer.slice(10, 100),
        new DataView(bytes.buffer, 100, 100), new Uint16Array(0),
        bytes.subarray(200),
    ]);
    const d = await through(new DecompressionStream(format),
                            [c.subarray(0, 3), c.subarray(3)]);
    const fromNode = await through(new DecompressionStream(format),
                                   [nodeEncode[format](text)]);
    show(format, nodeDecode[format](c).toString() === text,
         dec.decode(d) === text, dec.decode(fromNode) === text);
}

// empty input makes a valid empty stream
for (const format of ['gzip', 'deflate', 'deflate-raw']) {
    const c = await through(new CompressionStream(format), []);
    show('empty', format, nodeDecode[format](c).length,
         (await through(new DecompressionStream(format), [c])).length);
}

// formats and arguments
for (const f of ['br', 'GZIP', 'deflate ', '', null, undefined, {}]) {
    try {
        new CompressionStream(f);
        show('no error', f);
    } catch (e) {
        show('format', String(f), e.constructor.name, e.message);
    }
}
for (const C of [CompressionStream, DecompressionStream]) {
    try {
        new C();
    } catch (e) {
        show('no format', e.constructor.name, e.message);
    }
    try {
        C('gzip');
    } catch (e) {
        show('without new', e.constructor.name);
    }
}
show('format toString', new DecompressionStream({
    toString: () => 'gzip' }) instanceof DecompressionStream);
try {
    Object.getOwnPropertyDescriptor(CompressionStream.prototype, 'readable')
        .get.call({});
} catch (e) {
    show('brand check', e.constructor.name, e.message);
}

// errors are TypeErrors; the readable side errors too
async function failure(ts, chunks) {
    try {
        await through(ts, chunks);
        return 'no error';
    } catch (e) {
        return [e.constructor.name, e.message, e.code];
    }
}
const gz = zlib.gzipSync('payload');
show('string chunk', await failure(new CompressionStream('gzip'),
                                   ['a string']));
show('number chunk', await failure(new DecompressionStream('gzip'), [42]));
show('corrupt', await failure(new DecompressionStream('gzip'),
                              [enc.encode('not gzip data')]));
show('corrupt deflate', await failure(new DecompressionStream('deflate'),
                                      [gz]));
show('truncated', await failure(new DecompressionStream('gzip'),
                                [gz.subarray(0, gz.length - 4)]));
show('truncated raw', await failure(new DecompressionStream('deflate-raw'),
                                    [zlib.deflateRawSync(text)
                                        .subarray(0, 50)]));
show('trailing', await failure(new DecompressionStream('gzip'),
                               [gz, enc.encode('x')]));
show('trailing same chunk', await failure(
    new DecompressionStream('deflate'),
    [Buffer.concat([zlib.deflateSync('a'), Buffer.from([0])])]));
show('second member', await failure(new DecompressionStream('gzip'),
                                    [Buffer.concat([gz, gz])]));
show('empty input', await failure(new DecompressionStream('gzip'), []));

// cancel and abort close the codec; a job in flight is left to finish
{
    const ds = new DecompressionStream('gzip');
    const w = ds.writable.getWriter();
    const r = ds.readable.getReader();
    w.write(zlib.gzipSync(Buffer.alloc(1 << 20))).catch(() => {});
    const first = await r.read();
    await r.cancel('enough');
    show('cancel', first.value.length > 0,
         await w.closed.then(() => 'closed', (e) => `errored: ${e}`));
}
{
    const ts = new CompressionStream('gzip');
    const w = ts.writable.getWriter();
    const r = ts.readable.getReader();
    w.write(bytes).catch(() => {});
    await w.abort(new Error('stop'));
    show('abort', await r.read().then(() => 'read', (e) => e.message));
}

// back-pressure: 32 KB that inflates to 32 MB stays bounded while the
// reader waits (one 16 KB chunk queued, one in the making), and the write
// completes only once the output has been read
{
    const bomb = zlib.gzipSync(Buffer.alloc(32 << 20));
    const ds = new DecompressionStream('gzip');
    const w = ds.writable.getWriter();
    const r = ds.readable.getReader();
    let total = 0;
    let writeDone = -1;
    w.write(bomb).then(() => {
        writeDone = total;
    });
    w.close();
    total += (await r.read()).value.length;
    const before = process.memoryUsage().external;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const grew = process.memoryUsage().external - before;
    for (;;) {
        const { done, value } = await r.read();
        if (done) {
            break;
        }
        total += value.length;
    }
    show('bomb', bomb.length < 65536, total, grew < (1 << 20),
         writeDone >= total - 2 * 16384);
}

// a Response body through pipeThrough, both ways
{
    const body = new Response(new Blob([text]).stream()
        .pipeThrough(new CompressionStream('gzip')));
    const z = Buffer.from(await body.clone().arrayBuffer());
    const back = await new Response(body.body
        .pipeThrough(new DecompressionStream('gzip'))).text();
    show('response', zlib.gunzipSync(z).toString() === text, back === text);
}
