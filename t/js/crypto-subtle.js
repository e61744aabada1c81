// Web Crypto known-answer vectors (FIPS 180, RFC 4231, RFC 6070,
// RFC 5869, the GCM spec, SP 800-38A) and round trips.

const { subtle } = crypto;
const te = new TextEncoder();
const hex = (b) => Array.from(new Uint8Array(b),
                              (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s) => new Uint8Array(s.match(/../g).map((x) => parseInt(x, 16)));
const check = (name, got, want) =>
    console.log(name, hex(got) === want ? 'ok' : `MISMATCH ${hex(got)}`);

console.log(typeof crypto, Object.prototype.toString.call(crypto),
            crypto instanceof Crypto, subtle instanceof SubtleCrypto);

// digests of "abc"
const abc = te.encode('abc');
check('SHA-1', await subtle.digest('SHA-1', abc),
      'a9993e364706816aba3e25717850c26c9cd0d89d');
check('SHA-256', await subtle.digest({ name: 'sha-256' }, abc),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
check('SHA-384', await subtle.digest('SHA-384', abc),
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed' +
      '8086072ba1e7cc2358baeca134c825a7');
check('SHA-512', await subtle.digest('SHA-512', abc.buffer),
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a' +
      '2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f');
console.log((await subtle.digest('SHA-256', new Uint8Array(0))) instanceof
            ArrayBuffer);

// HMAC, RFC 4231 cases 1 and 2
const hmacAlg = { name: 'HMAC', hash: 'SHA-256' };
const k1 = await subtle.importKey('raw', new Uint8Array(20).fill(0x0b),
                                  hmacAlg, true, ['sign', 'verify']);
const mac1 = await subtle.sign('HMAC', k1, te.encode('Hi There'));
check('HMAC case 1', mac1,
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
const k2 = await subtle.importKey('raw', te.encode('Jefe'), hmacAlg, false,
                                  ['sign', 'verify']);
check('HMAC case 2',
      await subtle.sign('HMAC', k2, te.encode('what do ya want for nothing?')),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
console.log('verify', await subtle.verify('HMAC', k1, mac1,
                                          te.encode('Hi There')),
            await subtle.verify('HMAC', k1, mac1, te.encode('Hi there')),
            await subtle.verify('HMAC', k1, mac1.slice(1),
                                te.encode('Hi There')));
console.log(k1.type, k1.extractable, JSON.stringify(k1.algorithm),
            k1.usages, Object.prototype.toString.call(k1),
            k1 instanceof CryptoKey, k1.algorithm === k1.algorithm);

// JWK export/import of HMAC and AES
const jwk = await subtle.exportKey('jwk', k1);
console.log(JSON.stringify(jwk));
const k1b = await subtle.importKey('jwk', jwk, hmacAlg, false, ['sign']);
check('HMAC via JWK', await subtle.sign('HMAC', k1b, te.encode('Hi There')),
      hex(mac1));
const gk = await subtle.generateKey(hmacAlg, true, ['sign']);
console.log('HMAC generated', gk.algorithm.length,
            (await subtle.exportKey('raw', gk)).byteLength);

// PBKDF2, RFC 6070
const pw = await subtle.importKey('raw', te.encode('password'), 'PBKDF2',
                                  false, ['deriveBits', 'deriveKey']);
for (const [c, want] of [[1, '0c60c80f961f0e71f3a9b524af6012062fe037a6'],
                         [2, 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957'],
                         [4096, '4b007901b765489abead49d926f721d065a429c1']]) {
    check(`PBKDF2 c=${c}`, await subtle.deriveBits(
        { name: 'PBKDF2', hash: 'SHA-1', salt: te.encode('salt'),
          iterations: c }, pw, 160), want);
}

// HKDF, RFC 5869 case 1
const ikm = await subtle.importKey('raw', new Uint8Array(22).fill(0x0b),
                                   'HKDF', false, ['deriveBits']);
check('HKDF case 1', await subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: unhex('000102030405060708090a0b0c'),
      info: unhex('f0f1f2f3f4f5f6f7f8f9') }, ikm, 42 * 8),
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf' +
      '34007208d5b887185865');

// deriveKey into AES-GCM
const dk = await subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: te.encode('salt'),
      iterations: 10 }, pw, { name: 'AES-GCM', length: 128 }, true,
    ['encrypt', 'decrypt']);
console.log('derived', JSON.stringify(dk.algorithm), dk.usages,
            (await subtle.exportKey('raw', dk)).byteLength);

// AES-GCM, GCM spec test cases 2 and 3
const z16 = await subtle.importKey('raw', new Uint8Array(16), 'AES-GCM',
                                   false, ['encrypt', 'decrypt']);
check('AES-GCM case 2', await subtle.encrypt(
    { name: 'AES-GCM', iv: new Uint8Array(12) }, z16, new Uint8Array(16)),
      '0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf');
const g3 = await subtle.importKey('raw',
    unhex('feffe9928665731c6d6a8f9467308308'), 'AES-GCM', false,
    ['encrypt', 'decrypt']);
const p3 = unhex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d' +
                 '8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657' +
                 'ba637b391aafd255');
const iv3 = unhex('cafebabefacedbaddecaf888');
const c3 = await subtle.encrypt({ name: 'AES-GCM', iv: iv3 }, g3, p3);
check('AES-GCM case 3', c3,
      '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e' +
      '21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985' +
      '4d5c2af327cd64a62cf35abd2ba6fab4');
check('AES-GCM case 3 decrypt',
      await subtle.decrypt({ name: 'AES-GCM', iv: iv3 }, g3, c3), hex(p3));

// AES-GCM round trip with AAD and a 96-bit tag
const gk2 = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true,
                                     ['encrypt', 'decrypt']);
const gp = { name: 'AES-GCM', iv: crypto.getRandomValues(new Uint8Array(12)),
             additionalData: te.encode('header'), tagLength: 96 };
const gc = await subtle.encrypt(gp, gk2, te.encode('secret message'));
console.log('AES-GCM round trip', gc.byteLength, new TextDecoder().decode(
    await subtle.decrypt(gp, gk2, gc)));

// AES-CBC and AES-CTR, SP 800-38A F.2.1 and F.5.1 (first block)
const kA = unhex('2b7e151628aed2a6abf7158809cf4f3c');
const pA = unhex('6bc1bee22e409f96e93d7e117393172a');
const cbc = await subtle.importKey('raw', kA, 'AES-CBC', true,
                                   ['encrypt', 'decrypt']);
const cbcIv = unhex('000102030405060708090a0b0c0d0e0f');
const cc = await subtle.encrypt({ name: 'AES-CBC', iv: cbcIv }, cbc, pA);
check('AES-CBC', cc.slice(0, 16), '7649abac8119b246cee98e9b12e9197d');
console.log('AES-CBC padded', cc.byteLength);
check('AES-CBC decrypt',
      await subtle.decrypt({ name: 'AES-CBC', iv: cbcIv }, cbc, cc), hex(pA));
const ctrKey = await subtle.importKey('raw', kA, 'AES-CTR', false,
                                      ['encrypt', 'decrypt']);
const ctr0 = unhex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
check('AES-CTR', await subtle.encrypt(
    { name: 'AES-CTR', counter: ctr0, length: 64 }, ctrKey, pA),
      '874d6191b620e3261bef6864990db6ce');
// a counter of 8 bits wraps to ...fe00 after the first block
const two = new Uint8Array(32).fill(7);
const wrapped = await subtle.encrypt(
    { name: 'AES-CTR', counter: ctr0, length: 8 }, ctrKey, two);
const second = await subtle.encrypt(
    { name: 'AES-CTR', counter: unhex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfe00'),
      length: 8 }, ctrKey, two.subarray(16));
console.log('AES-CTR wrap', hex(wrapped).slice(32) === hex(second));

// AES JWK round trip
const aesJwk = await subtle.exportKey('jwk', cbc);
console.log(JSON.stringify(aesJwk));
const cbc2 = await subtle.importKey('jwk', aesJwk, 'AES-CBC', false,
                                    ['decrypt']);
check('AES-CBC via JWK',
      await subtle.decrypt({ name: 'AES-CBC', iv: cbcIv }, cbc2, cc), hex(pA));

// getRandomValues and randomUUID
const r = new Uint32Array(4);
console.log(crypto.getRandomValues(r) === r, r.some((x) => x !== 0));
console.log(crypto.getRandomValues(new Uint8Array(65536)).length);
const uuid = new RegExp('^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-' +
                        '[89ab][0-9a-f]{3}-[0-9a-f]{12}$');
console.log(uuid.test(crypto.randomUUID()),
            crypto.randomUUID() !== crypto.randomUUID());
