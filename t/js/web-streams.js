// Web Streams from the vendored polyfill, plus TextEncoderStream and
// TextDecoderStream.
const enc = new TextEncoder();

const rs = new ReadableStream({
    start(c) {
        c.enqueue('a');
        c.enqueue('b');
        c.close();
    },
});
const reader = rs.getReader();
console.log(rs.locked, JSON.stringify(await reader.read()),
            JSON.stringify(await reader.read()),
            JSON.stringify(await reader.read()));
reader.releaseLock();

const written = [];
const ws = new WritableStream({
    write(chunk) {
        written.push(chunk);
    },
    close() {
        written.push('closed');
    },
}, new CountQueuingStrategy({ highWaterMark: 2 }));
const upper = new TransformStream({
    transform(chunk, c) {
        c.enqueue(chunk.toUpperCase());
    },
});
const src = new ReadableStream({
    pull(c) {
        c.enqueue(`x${written.length}`);
        if (written.length >= 0) {
            c.close();
        }
    },
});
await src.pipeThrough(upper).pipeTo(ws);
console.log(written.join(' '));

const [t1, t2] = new ReadableStream({
    start(c) {
        c.enqueue(1);
        c.enqueue(2);
        c.close();
    },
}).tee();
const all = [];
for await (const v of t1) {
    all.push(v);
}
for await (const v of t2) {
    all.push(v);
}
console.log(all.join(','));

const bytes = new ReadableStream({
    type: 'bytes',
    start(c) {
        c.enqueue(new Uint8Array([1, 2, 3, 4]));
        c.close();
    },
});
const byob = bytes.getReader({ mode: 'byob' });
const r1 = await byob.read(new Uint8Array(3));
console.log(Array.from(r1.value), r1.done);

const q = new ByteLengthQueuingStrategy({ highWaterMark: 16 });
console.log(q.highWaterMark, q.size(new Uint8Array(5)));

const ac = new AbortController();
const slow = new ReadableStream({ pull() {} });
const p = slow.pipeTo(new WritableStream(), { signal: ac.signal });
ac.abort();
try {
    await p;
} catch (e) {
    console.log('pipeTo aborted:', e instanceof DOMException, e.name);
}

const dec = new TextDecoderStream();
const w = dec.writable.getWriter();
const euro = enc.encode('\u20ac!');
w.write(euro.subarray(0, 1));
w.write(euro.subarray(1, 3));
w.write(euro.subarray(3));
w.close();
let text = '';
for await (const s of dec.readable) {
    text += s;
}
console.log(JSON.stringify(text), dec.encoding);

const es = new TextEncoderStream();
const ew = es.writable.getWriter();
ew.write('h\ud83d');
ew.write('\ude00');
ew.close();
const out = [];
for await (const b of es.readable) {
    out.push(...b);
}
console.log(out.join(','));

try {
    new ReadableStream({ type: 'nope' });
} catch (e) {
    console.log(e.name, e.message);
}
