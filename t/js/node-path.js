// node:path (POSIX), node:querystring, node:string_decoder
import path from 'node:path';
import { join } from 'path';
import posix from 'node:path/posix';
import qs from 'node:querystring';
import { StringDecoder } from 'string_decoder';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));

show(path.sep, path.delimiter, join === path.join, posix === path,
     path.posix === path);
show(path.join('/a/b', '../c', './d', 'e.js'), path.join(''),
     path.join('a', '', 'b/'));
show(path.normalize('/a//b/../c/.'), path.normalize(''),
     path.normalize('./x/../../y'));
show(path.resolve('/a/b', 'c'), path.resolve('/a', '/b', '../c'));
show(path.relative('/data/orandea/test/aaa', '/data/orandea/impl/bbb'),
     path.relative('/a', '/a'));
show(path.dirname('/a/b/c.txt'), path.dirname('a'), path.dirname('/'));
show(path.basename('/a/b/c.txt'), path.basename('/a/b/c.txt', '.txt'),
     path.basename('/a/b/'));
show(path.extname('index.html'), path.extname('index.coffee.md'),
     path.extname('index.'), path.extname('.index'), path.extname('index'));
show(path.isAbsolute('/x'), path.isAbsolute('x'));
show(path.parse('/home/user/dir/file.txt'));
show(path.format({ dir: '/home/user/dir', base: 'file.txt' }),
     path.format({ root: '/', name: 'file', ext: '.txt' }));
try {
    path.join(1);
} catch (e) {
    show(e.name, e.code);
}

show(qs.parse('a=1&b=2&a=3&c=&d&e=x%20y+z'));
show(qs.parse('a:1;b:2', ';', ':'), qs.parse('a=1&a=2&a=3', null, null,
                                               { maxKeys: 2 }));
show(qs.stringify({ a: [1, 2], b: 'x y', c: '\u00e9&=', d: true, e: null }));
show(qs.stringify({ a: 1, b: 2 }, ';', ':'), qs.escape('a b&c'),
     qs.unescape('a%20b%26c'), qs.decode === qs.parse,
     qs.encode === qs.stringify);

const d = new StringDecoder('utf8');
show(d.write(Buffer.from([0xe2])), d.write(Buffer.from([0x82, 0xac, 0x61])),
     d.end(Buffer.from([0xc3])));
const h = new StringDecoder('hex');
show(h.write(Buffer.from('ab')), h.end());
const b64 = new StringDecoder('base64');
show(b64.write(Buffer.from('a')), b64.write(Buffer.from('bcd')), b64.end());
const u16 = new StringDecoder('utf16le');
show(u16.write(Buffer.from([0x61])), u16.write(Buffer.from([0x00, 0x62])),
     u16.end(Buffer.from([0x00])));
show(new StringDecoder().encoding, new StringDecoder('latin1').write(
    Buffer.from([0xe9])));
// an unknown encoding: Node's TypeError and code, also through setEncoding
for (const bad of ['/hex', 'utf9', '']) {
    try {
        show(new StringDecoder(bad).encoding);
    } catch (e) {
        show(e instanceof TypeError, e.code, e.message);
    }
}
const { Readable } = await import('node:stream');
try {
    new Readable({ read() {} }).setEncoding('he\u00a1x');
} catch (e) {
    show('setEncoding', e instanceof TypeError, e.code, e.message);
}
show(new StringDecoder('UTF-16LE').encoding, new StringDecoder(null).encoding);
