// multipart/form-data: encoding, parsing, and malformed bodies.
const enc = new TextEncoder();

function mp(boundary, text) {
    return new Response(text, {
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
}

async function show(fn) {
    try {
        const fd = await fn();
        const out = [];
        for (const [k, v] of fd) {
            out.push(typeof v === 'string'
                ? `${JSON.stringify(k)}=${JSON.stringify(v)}`
                : `${JSON.stringify(k)}=File(${JSON.stringify(v.name)}, ` +
                  `${v.type}, ${JSON.stringify(await v.text())})`);
        }
        console.log('ok', out.join(' '));
    } catch (e) {
        console.log('threw', e.name, e.message);
    }
}

// round trip, with bytes that look like a boundary inside a file
const form = new FormData();
form.append('quote"name', 'v');
form.append('cr\rlf\n', 'a\rb\nc\r\nd');
form.append('bin', new File([enc.encode('--\r\n--x\r\n\r\n')], 'b.bin'));
form.append('empty', new File([], ''));
form.append('nofile', '');
const res = new Response(form);
const boundary = res.headers.get('content-type').split('boundary=')[1];
const wire = await res.clone().text();
console.log(wire.split(boundary).join('BOUNDARY').replace(/\r/g, '\\r'));
console.log(/^----formdata-nv8-[0-9]{24}$/.test(boundary));
await show(() => res.formData());
await show(() => new Response(new FormData()).formData());

// what other encoders send
await show(() => mp('b', '--b\r\nContent-Disposition: form-data; ' +
    'name=plain\r\n\r\nx\r\n--b  \r\nContent-Disposition: form-data; ' +
    'name="f"; filename="a.txt"\r\nContent-Type: image/png\r\n\r\n' +
    'png\r\n--b--').formData());
await show(() => mp('"quoted b"', '--quoted b\r\nContent-Disposition: ' +
    'form-data; name="a"\r\n\r\n1\r\n--quoted b--\r\n').formData());
await show(() => mp('b', '\r\n--b\r\nContent-Disposition: form-data; ' +
    'name="u"\r\n\r\n\u00e9\r\n--b--').formData());

// malformed
await show(() => mp('b', '--b\r\nContent-Disposition: form-data\r\n\r\n' +
    'x\r\n--b--').formData());
await show(() => mp('b', '--b\r\nContent-Type: text/plain\r\n\r\n' +
    'x\r\n--b--').formData());
await show(() => mp('b', '--b\r\nContent-Disposition: form-data; ' +
    'name="a"\r\n\r\nnever ends').formData());
await show(() => mp('b', '--b\r\nContent-Disposition: form-data; ' +
    'name="a"').formData());
await show(() => mp('b', '--bx\r\n').formData());
await show(() => new Response('x', {
    headers: { 'content-type': 'multipart/form-data' },
}).formData());
