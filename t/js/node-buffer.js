// node:buffer: the Buffer class (also a global), encodings, reads/writes
import { Buffer as B, kMaxLength, constants, isUtf8 } from 'node:buffer';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));

show(B === Buffer, typeof kMaxLength, constants.MAX_LENGTH === kMaxLength);
const b = Buffer.from('h\u00e9llo \u20ac');
show(b.length, Buffer.byteLength('h\u00e9llo \u20ac'), b instanceof Uint8Array,
     Buffer.isBuffer(b), Buffer.isBuffer(new Uint8Array(1)));
for (const enc of ['utf8', 'hex', 'base64', 'base64url', 'latin1', 'ascii',
                   'utf16le', 'binary', 'ucs2']) {
    const s = b.toString(enc);
    show(enc, s, Buffer.from(s, enc).equals(b), Buffer.isEncoding(enc));
}
show(Buffer.isEncoding('nope'), Buffer.from('_-8', 'base64url'));
show(Buffer.alloc(4, 'ab').toString(), Buffer.alloc(3).toJSON(),
     Buffer.allocUnsafe(5).length);
const c = Buffer.concat([Buffer.from('ab'), new Uint8Array([99]),
                         Buffer.from('de')]);
show(c.toString(), Buffer.concat([Buffer.from('abc')], 2).toString());
show(c.slice(1, 3).toString(), c.subarray(-2).toString(),
     c.indexOf('cd'), c.indexOf(0x65), c.includes('x'), c.lastIndexOf('d'));
const s = c.slice(0, 2);
s[0] = 0x41;
show(c.toString(), 'slice shares memory');
show(Buffer.compare(Buffer.from('a'), Buffer.from('b')),
     Buffer.from('b').compare(Buffer.from('a')),
     [Buffer.from('b'), Buffer.from('a')].sort(Buffer.compare)
         .map(String));
const w = Buffer.alloc(8);
show(w.write('hi', 1), w.write('zz', 6, 'latin1'), w);
const n = Buffer.alloc(16);
n.writeUInt16BE(0x1234, 0);
n.writeInt16LE(-2, 2);
n.writeUInt32LE(0xdeadbeef, 4);
n.writeDoubleBE(1.5, 8);
show(n.toString('hex'), n.readUInt16BE(0), n.readInt16LE(2),
     n.readUInt32LE(4).toString(16), n.readDoubleBE(8), n.readUInt8(0),
     n.readInt32BE(4));
const f = Buffer.alloc(4);
f.writeFloatLE(0.25);
show(f.readFloatLE(0), f.toString('hex'));
const big = Buffer.alloc(8);
big.writeBigInt64LE(-5n);
show(String(big.readBigInt64LE(0)), String(big.readBigUInt64BE(0)));
try {
    n.readUInt32LE(14);
} catch (e) {
    show(e.name, e.code);
}
const ab = new ArrayBuffer(8);
const view = Buffer.from(ab, 2, 4);
view[0] = 7;
show(new Uint8Array(ab)[2], view.length, view.byteOffset);
show(Buffer.from([256, -1, 1.7]), Buffer.from(Buffer.from('xy')).toString());
show(JSON.stringify(Buffer.from('hi')), Buffer.from('hi').equals(
    new Uint8Array([104, 105])));
show(isUtf8(Buffer.from('ok \u00e9')), isUtf8(Buffer.from([0xc3])),
     isUtf8(Buffer.from([0xed, 0xa0, 0x80])));
console.log(Buffer.from('hi'), [Buffer.from('x')]);
show(Buffer.from('abc').fill('z', 1).toString(), Buffer.from('ab').reverse()
     .toString(), Buffer.from('a').readUInt8());
try {
    Buffer.from({});
} catch (e) {
    show(e.name);
}

// UTF-8 and Latin-1 are decoded as Node decodes them: each maximal bad
// sequence is one U+FFFD; start and end are clamped the same way
for (const c of [[0xe2, 0x82], [0xff, 0x41], [0xf0, 0x9f, 0x98, 0x80],
                 [0xed, 0xa0, 0x80, 0x41], [0xc0, 0xaf], [0x80, 0x80, 0x41]]) {
    const x = Buffer.from(c);
    show(x.toString(), x.toString('latin1'), x.toString('utf8', 1),
         x.toString('UTF8', -1, 99));
}
const txt = Buffer.from('h\u00e9llo w\u00f6rld');
show(txt.toString('utf8', 1, 5), txt.toString(undefined, 2),
     txt.toString('binary', 0, 3), txt.toString('utf8', 5, 2),
     txt.toString('utf8', 99), txt.toString('utf8', '1', '3'),
     txt.toString('utf8', NaN, 3), txt.toString('utf8', 1.7, 3.2),
     txt.subarray(2).toString('latin1'));
try {
    txt.toString('bogus');
} catch (e) {
    show(e.name, e.message);
}
