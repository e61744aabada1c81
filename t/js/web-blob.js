// Blob, File and FormData.
function show(fn) {
    try {
        console.log('ok', fn());
    } catch (e) {
        console.log('threw', e.name, e.message);
    }
}

const b = new Blob(['ab', new Uint8Array([99, 100]), new Blob(['e'])],
                   { type: 'Text/Plain' });
console.log(b.size, b.type, String(b), b instanceof Blob);
console.log(await b.text(), Array.from(await b.bytes()),
            (await b.arrayBuffer()).byteLength);
const s = b.slice(1, -1, 'X/Y');
console.log(s.size, s.type, await s.text(), await b.slice(-2).text(),
            await b.slice(3, 1).text() === '');
let streamed = '';
for await (const chunk of b.stream()) {
    streamed += new TextDecoder().decode(chunk);
}
console.log(streamed);
console.log(new Blob([], { type: '\u00e9' }).type === '',
            new Blob().size);
console.log(await new Blob(['a\r\nb\rc'], { endings: 'native' }).text() ===
            'a\nb\nc');
show(() => new Blob('abc'));
show(() => new Blob([], { endings: 'weird' }));
const mutable = new Uint8Array([1, 2]);
const copy = new Blob([mutable]);
mutable[0] = 9;
console.log(Array.from(await copy.bytes()));

const f = new File(['hi'], 'a.txt', { type: 'text/plain',
                                      lastModified: 1234 });
console.log(f instanceof Blob, f.name, f.size, f.type, f.lastModified,
            String(f), typeof new File([], 'x').lastModified);
show(() => new File(['x']));

const fd = new FormData();
fd.append('k', 'v1');
fd.append('k', 'v2');
fd.append('blob', new Blob(['zz'], { type: 'a/b' }));
fd.append('file', f);
fd.append('renamed', f, 'b.txt');
fd.set('single', 'one');
console.log(fd.get('k'), fd.getAll('k').join(','), fd.has('k'),
            fd.has('nope'), fd.get('nope'));
console.log(fd.get('blob') instanceof File, fd.get('blob').name,
            fd.get('blob').type, fd.get('file') === f,
            fd.get('renamed').name);
fd.set('k', 'v3');
console.log(JSON.stringify([...fd.keys()]), fd.getAll('k').join(','));
fd.delete('k');
console.log(JSON.stringify([...fd.keys()]));
const each = [];
fd.forEach((v, k) => each.push(k));
console.log(each.join(','), String(fd));
show(() => fd.append('x'));
show(() => fd.append('x', 'y', 'z'));
show(() => new FormData({}));
const lone = new FormData();
lone.append('\ud800', 'a\udc00');
console.log([...lone][0].map((x) => x.charCodeAt(x.length - 1)).join(','));
