// Response and the Body mixin.
async function show(fn) {
    try {
        const v = await fn();
        console.log('ok', typeof v === 'string' ? JSON.stringify(v) : v);
    } catch (e) {
        console.log('threw', e.name, e.message);
    }
}
const ct = (r) => r.headers.get('content-type');

const r = new Response('h\u00e9llo', { status: 201, statusText: 'Made',
                                        headers: [['X-A', '1']] });
console.log(r.status, r.statusText, r.ok, r.type, JSON.stringify(r.url),
            r.redirected, ct(r), r.headers.get('x-a'), r.bodyUsed,
            String(r));
console.log(await r.text(), r.bodyUsed);
await show(() => r.text());
await show(() => r.arrayBuffer());
await show(() => r.clone());
console.log(r.body instanceof ReadableStream, r.body.locked);

const empty = new Response();
console.log(empty.status, empty.body, ct(empty), JSON.stringify(
    await empty.text()), empty.bodyUsed);
console.log(new Response(null, { status: 204 }).status);

// default content types and bodies
const params = new URLSearchParams({ a: '1', b: 'x y' });
for (const [name, init] of [
    ['string', 'text'],
    ['ArrayBuffer', new Uint8Array([104, 105]).buffer],
    ['Uint8Array', new Uint8Array([104, 105])],
    ['DataView', new DataView(new Uint8Array([104, 105]).buffer)],
    ['Blob', new Blob(['blob'], { type: 'image/png' })],
    ['untyped Blob', new Blob(['blob'])],
    ['URLSearchParams', params],
    ['number', 42],
    ['stream', new ReadableStream({
        start(c) {
            c.enqueue(new TextEncoder().encode('streamed'));
            c.close();
        },
    })],
]) {
    const res = new Response(init);
    console.log(name, ct(res), JSON.stringify(await res.text()));
}
const explicit = new Response('x', { headers: { 'Content-Type': 'a/b' } });
console.log(ct(explicit), JSON.stringify([...explicit.headers]));

// every reader
const bytes = await new Response('abc').bytes();
const ab = await new Response('abc').arrayBuffer();
const blob = await new Response('abc', {
    headers: { 'content-type': 'Text/X' },
}).blob();
console.log(bytes instanceof Uint8Array, Array.from(bytes),
            ab instanceof ArrayBuffer, ab.byteLength, blob.type,
            await blob.text());
console.log(JSON.stringify(await new Response('{"a":[1,2]}').json()));
await show(() => new Response('{bad').json());

// the source bytes are copied in and the readers hand out copies
const src = new Uint8Array([1, 2, 3]);
const fromBytes = new Response(src);
src[0] = 9;
const twin = fromBytes.clone();
const got = await fromBytes.bytes();
got[1] = 9;
console.log(Array.from(got), Array.from(await twin.bytes()));

// clone tees a stream
const streamed = new Response(new ReadableStream({
    start(c) {
        c.enqueue(new TextEncoder().encode('tee'));
        c.close();
    },
}));
const copy = streamed.clone();
console.log(await streamed.text(), await copy.text(), copy.bodyUsed);

// reading through the stream marks the body used
const viaStream = new Response('xyz');
const reader = viaStream.body.getReader();
const chunk = await reader.read();
console.log(Array.from(chunk.value), viaStream.bodyUsed);
reader.releaseLock();
await show(() => viaStream.text());
const locked = new Response('xyz');
locked.body.getReader();
console.log(locked.bodyUsed);
await show(() => locked.text());

// formData()
const form = new FormData();
form.append('field', 'line1\nline2');
form.append('up', new File(['file body'], 'a "b".txt', { type: 'text/x' }));
const multi = new Response(form);
console.log(ct(multi).replace(/boundary=.*/, 'boundary=...'));
const parsed = await multi.formData();
for (const [k, v] of parsed) {
    console.log(k, typeof v === 'string' ? JSON.stringify(v)
                                         : `${v.name} ${v.type} ` +
                                           JSON.stringify(await v.text()));
}
const wire = 'preamble\r\n--XyZ\r\n' +
    'Content-Disposition: form-data; name="a"\r\n\r\n' +
    'one\r\n--XyZ\r\n' +
    'content-disposition: form-data; name="f"; filename="x.bin"\r\n\r\n' +
    '\r\n--XyZ--\r\nepilogue';
const fromWire = await new Response(wire, {
    headers: { 'content-type': 'multipart/form-data; boundary="XyZ"' },
}).formData();
console.log(JSON.stringify(fromWire.get('a')), fromWire.get('f').name,
            fromWire.get('f').type, fromWire.get('f').size);
await show(() => new Response('junk', {
    headers: { 'content-type': 'multipart/form-data; boundary=q' },
}).formData());
const urlenc = await new Response(params).formData();
console.log(JSON.stringify([...urlenc]));
await show(() => new Response('x').formData());

// statics
const j = Response.json({ ok: true }, { status: 202, headers: { a: 'b' } });
console.log(j.status, ct(j), j.headers.get('a'), await j.text());
await show(() => Response.json(undefined));
const redir = Response.redirect('https://example.com/a b', 301);
console.log(redir.status, redir.headers.get('location'), redir.body);
await show(() => redir.headers.set('x', 'y'));
await show(() => Response.redirect('https://example.com/', 200));
await show(() => Response.redirect('/relative'));
const err = Response.error();
console.log(err.type, err.status, JSON.stringify(err.statusText), err.ok,
            err.body);
await show(() => err.headers.append('a', 'b'));

// bad input
await show(() => new Response('x', { status: 199 }));
await show(() => new Response('x', { status: 600 }));
await show(() => new Response('x', { status: 204 }));
await show(() => new Response(null, { statusText: 'bad\nreason' }));
await show(() => new Response(null, { statusText: '\u0100' }));
await show(() => new Response(null, 'init'));
await show(() => new Response(null, { headers: { 'a b': 'c' } }));
const used = new ReadableStream();
used.getReader();
await show(() => new Response(used));
await show(() => Object.getOwnPropertyDescriptor(Response.prototype,
                                                 'status').get.call({}));
