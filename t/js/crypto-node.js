// node:crypto: known answers (RFC 4231, RFC 6070, RFC 7914, RFC 5869,
// the GCM spec), callbacks on the thread pool, ciphers and errors.

import crypto from 'node:crypto';
import { createHash, webcrypto, subtle } from 'crypto';

const req = (await import('node:module')).createRequire(import.meta.url);
const hex = (b) => Array.from(new Uint8Array(b.buffer ?? b, b.byteOffset,
                                             b.byteLength),
                              (x) => x.toString(16).padStart(2, '0')).join('');

console.log(req('crypto') === crypto, req('node:crypto').createHash ===
            createHash, webcrypto === globalThis.crypto,
            subtle === globalThis.crypto.subtle);

console.log(createHash('sha256').update('a').update('bc').digest('hex'));
console.log(createHash('sha1').update('abc').digest('base64'));
console.log(createHash('md5').update('').digest('hex'));
console.log(createHash('sha512').update(new Uint8Array([97, 98, 99]))
    .digest('base64url'));
console.log(JSON.stringify(createHash('sha384').update('6162', 'hex')
    .update('Yw==', 'base64').digest('latin1').length));
const d = createHash('sha256').update('abc').digest();
console.log(d instanceof Uint8Array, d.length);
const h = createHash('sha256').update('ab');
const h2 = h.copy();
console.log(h.update('c').digest('hex') ===
            createHash('sha256').update('abc').digest('hex'),
            h2.digest('hex') === createHash('sha256').update('ab')
                .digest('hex'));
try {
    h.digest();
} catch (e) {
    console.log(e.code);
}
try {
    createHash('nope');
} catch (e) {
    console.log(e.code, e.message);
}

console.log(crypto.createHmac('sha256', new Uint8Array(20).fill(0x0b))
    .update('Hi There').digest('hex'));
console.log(crypto.createHmac('sha256', 'Jefe')
    .update('what do ya want for nothing?').digest('hex'));

console.log(hex(crypto.pbkdf2Sync('password', 'salt', 2, 20, 'sha1')));
await new Promise((resolve) => crypto.pbkdf2('password', 'salt', 4096, 20,
                                             'sha1', (err, key) => {
    console.log('pbkdf2 async', err, hex(key));
    resolve();
}));
console.log(hex(crypto.scryptSync('password', 'NaCl', 64,
                                  { N: 1024, r: 8, p: 16 })));
await new Promise((resolve) => crypto.scrypt('', '', 16, { N: 16, r: 1, p: 1 },
                                             (err, key) => {
    console.log('scrypt async', err, hex(key));
    resolve();
}));
try {
    crypto.scryptSync('a', 'b', 16, { N: 3 });
} catch (e) {
    console.log(e.code);
}
const ikm = new Uint8Array(22).fill(0x0b);
const salt = Uint8Array.from({ length: 13 }, (_, i) => i);
const info = Uint8Array.from({ length: 10 }, (_, i) => 0xf0 + i);
console.log(hex(new Uint8Array(crypto.hkdfSync('sha256', ikm, salt, info,
                                               42))));

// random helpers
const rb = crypto.randomBytes(16);
console.log(rb instanceof Uint8Array, rb.length);
await new Promise((resolve) => crypto.randomBytes(8, (err, buf) => {
    console.log('randomBytes async', err, buf.length);
    resolve();
}));
let inRange = true;
for (let i = 0; i < 1000; i++) {
    const n = crypto.randomInt(-5, 5);
    inRange &&= Number.isInteger(n) && n >= -5 && n < 5;
}
console.log('randomInt', inRange, crypto.randomInt(1) === 0);
console.log(crypto.randomUUID().length, crypto.randomFillSync(
    new Uint8Array(4)).length);
console.log(crypto.timingSafeEqual(new Uint8Array([1, 2]),
                                   new Uint8Array([1, 2])),
            crypto.timingSafeEqual(new Uint8Array([1, 2]),
                                   new Uint8Array([1, 3])));
try {
    crypto.timingSafeEqual(new Uint8Array(1), new Uint8Array(2));
} catch (e) {
    console.log(e.code);
}

// AES-GCM: the GCM spec's test case 3, then setAAD and a tampered tag
const unhex = (s) => new Uint8Array(s.match(/../g).map((x) => parseInt(x, 16)));
const key = unhex('feffe9928665731c6d6a8f9467308308');
const iv = unhex('cafebabefacedbaddecaf888');
const pt = unhex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d' +
                 '8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657' +
                 'ba637b391aafd255');
const c = crypto.createCipheriv('aes-128-gcm', key, iv);
const ct = c.update(pt, undefined, 'hex') + c.final('hex');
console.log(ct.slice(0, 32), hex(c.getAuthTag()));
const dc = crypto.createDecipheriv('aes-128-gcm', key, iv);
dc.setAuthTag(c.getAuthTag());
console.log(dc.update(ct, 'hex', 'hex') + dc.final('hex') === hex(pt));

const k256 = crypto.randomBytes(32);
const iv12 = crypto.randomBytes(12);
const enc = crypto.createCipheriv('aes-256-gcm', k256, iv12);
enc.setAAD(new TextEncoder().encode('hdr'));
const sealed = enc.update('hello', 'utf8', 'base64') + enc.final('base64');
const tag = enc.getAuthTag();
const dec = crypto.createDecipheriv('aes-256-gcm', k256, iv12);
dec.setAAD(new TextEncoder().encode('hdr'));
dec.setAuthTag(tag);
console.log(dec.update(sealed, 'base64', 'utf8') + dec.final('utf8'));
const bad = crypto.createDecipheriv('aes-256-gcm', k256, iv12);
bad.setAuthTag(tag);
bad.update(sealed, 'base64');
try {
    bad.final();
} catch (e) {
    console.log(e.code, e.message);
}

// AES-CBC (SP 800-38A F.2.1) without padding, and CTR round trip
const kA = unhex('2b7e151628aed2a6abf7158809cf4f3c');
const cbc = crypto.createCipheriv('aes-128-cbc', kA,
                                  unhex('000102030405060708090a0b0c0d0e0f'));
cbc.setAutoPadding(false);
cbc.update(unhex('6bc1bee22e409f96e93d7e117393172a'));
console.log(hex(cbc.final()));
const ctrIv = crypto.randomBytes(16);
const ctrC = crypto.createCipheriv('aes-192-ctr', crypto.randomBytes(24),
                                   ctrIv);
console.log(ctrC.update('abc').length, ctrC.final().length);
for (const [name, k, v] of [['aes-128-gcm', 15, 12], ['aes-128-cbc', 16, 8],
                            ['des-ede3', 24, 8]]) {
    try {
        crypto.createCipheriv(name, new Uint8Array(k), new Uint8Array(v));
    } catch (e) {
        console.log(name, e.code);
    }
}
console.log(crypto.getHashes().includes('sha256'),
            crypto.getCiphers().includes('aes-256-gcm'));

// a Buffer, when one is installed, shares the Uint8Array's memory
globalThis.Buffer = class Buffer extends Uint8Array {
    static from(ab, off, len) {
        return new Buffer(ab, off, len);
    }
};
console.log(crypto.randomBytes(4).constructor.name,
            createHash('sha1').digest().constructor.name);
