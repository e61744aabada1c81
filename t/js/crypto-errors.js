// Web Crypto error cases: spec DOMException names and TypeErrors.

const { subtle } = crypto;
const te = new TextEncoder();

async function expect(label, f) {
    try {
        await f();
        console.log(label, 'no error');
    } catch (e) {
        console.log(label, e.constructor.name, e.name,
                    e instanceof DOMException ? e.code : '-');
    }
}

await expect('unknown digest', () => subtle.digest('MD5', te.encode('x')));
await expect('digest no data', () => subtle.digest('SHA-256', 'abc'));
await expect('no name', () => subtle.digest({}, new Uint8Array(1)));

const hk = await subtle.importKey('raw', new Uint8Array(32),
                                  { name: 'HMAC', hash: 'SHA-256' }, false,
                                  ['verify']);
await expect('wrong usage', () => subtle.sign('HMAC', hk, new Uint8Array(1)));
await expect('not extractable', () => subtle.exportKey('raw', hk));
await expect('wrong algorithm',
             () => subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) },
                                  hk, new Uint8Array(1)));
await expect('bad usage name', () => subtle.importKey(
    'raw', new Uint8Array(16), 'AES-GCM', false, ['fly']));
await expect('usage not allowed', () => subtle.importKey(
    'raw', new Uint8Array(16), 'AES-GCM', false, ['sign']));
await expect('empty usages', () => subtle.importKey(
    'raw', new Uint8Array(16), 'AES-GCM', false, []));
await expect('AES key length', () => subtle.importKey(
    'raw', new Uint8Array(15), 'AES-GCM', false, ['encrypt']));
await expect('AES generate length', () => subtle.generateKey(
    { name: 'AES-CBC', length: 100 }, false, ['encrypt']));
await expect('empty HMAC key', () => subtle.importKey(
    'raw', new Uint8Array(0), { name: 'HMAC', hash: 'SHA-1' }, false,
    ['sign']));
await expect('PBKDF2 extractable', () => subtle.importKey(
    'raw', te.encode('pw'), 'PBKDF2', true, ['deriveBits']));
await expect('unsupported', () => subtle.generateKey(
    { name: 'RSA-OAEP' }, false, ['encrypt']));
await expect('jwk kty', () => subtle.importKey(
    'jwk', { kty: 'RSA', k: 'AAAA' }, 'AES-GCM', false, ['encrypt']));
await expect('jwk alg', () => subtle.importKey(
    'jwk', { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA', alg: 'A256GCM' },
    'AES-GCM', false, ['encrypt']));
await expect('jwk ext', () => subtle.importKey(
    'jwk', { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA', ext: false },
    'AES-GCM', true, ['encrypt']));
await expect('bad spki', () => subtle.importKey(
    'spki', new Uint8Array([0x30, 0x03, 1, 2, 3]),
    { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']));

const ak = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, false,
                                    ['encrypt', 'decrypt']);
const iv = new Uint8Array(12);
const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, ak,
                                               te.encode('payload')));
ct[ct.length - 1] ^= 1;
await expect('tampered tag', () => subtle.decrypt({ name: 'AES-GCM', iv }, ak,
                                                  ct));
ct[ct.length - 1] ^= 1;
ct[0] ^= 1;
await expect('tampered data', () => subtle.decrypt({ name: 'AES-GCM', iv },
                                                   ak, ct));
await expect('short data', () => subtle.decrypt({ name: 'AES-GCM', iv }, ak,
                                                new Uint8Array(4)));
await expect('tag length', () => subtle.encrypt(
    { name: 'AES-GCM', iv, tagLength: 100 }, ak, new Uint8Array(1)));
await expect('empty iv', () => subtle.encrypt(
    { name: 'AES-GCM', iv: new Uint8Array(0) }, ak, new Uint8Array(1)));

const ck = await subtle.importKey('raw', new Uint8Array(16), 'AES-CBC', false,
                                  ['encrypt', 'decrypt']);
await expect('CBC iv', () => subtle.encrypt(
    { name: 'AES-CBC', iv: new Uint8Array(8) }, ck, new Uint8Array(1)));
await expect('CBC bad padding', () => subtle.decrypt(
    { name: 'AES-CBC', iv: new Uint8Array(16) }, ck, new Uint8Array(16)));
await expect('CBC not block', () => subtle.decrypt(
    { name: 'AES-CBC', iv: new Uint8Array(16) }, ck, new Uint8Array(5)));

const pk = await subtle.importKey('raw', te.encode('pw'), 'PBKDF2', false,
                                  ['deriveBits']);
const pb = { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(8),
             iterations: 1 };
await expect('length not 8n', () => subtle.deriveBits(pb, pk, 7));
await expect('length null', () => subtle.deriveBits(pb, pk, null));
await expect('iterations 0', () => subtle.deriveBits(
    { ...pb, iterations: 0 }, pk, 256));
await expect('deriveKey usage', () => subtle.deriveKey(
    pb, pk, { name: 'AES-GCM', length: 128 }, false, ['encrypt']));

await expect('new CryptoKey', () => new CryptoKey());
await expect('new SubtleCrypto', () => new SubtleCrypto());

// getRandomValues bounds and types
await expect('over 65536', () => crypto.getRandomValues(
    new Uint8Array(65537)));
await expect('Float32Array', () => crypto.getRandomValues(
    new Float32Array(4)));
await expect('Float64Array', () => crypto.getRandomValues(
    new Float64Array(4)));
await expect('DataView', () => crypto.getRandomValues(
    new DataView(new ArrayBuffer(4))));
await expect('plain array', () => crypto.getRandomValues([1, 2]));
await expect('BigInt64Array', () => crypto.getRandomValues(
    new BigInt64Array(8192)));
await expect('Uint8Array(0)', () => crypto.getRandomValues(
    new Uint8Array(0)));
