// Web Crypto signatures: ECDSA P-256/P-384, RSASSA-PKCS1-v1_5, RSA-PSS and
// Ed25519 round trips, spki/pkcs8 export and import, tampering.

const { subtle } = crypto;
const data = new TextEncoder().encode('signed message');
const rsaParams = { modulusLength: 2048,
                    publicExponent: new Uint8Array([1, 0, 1]),
                    hash: 'SHA-256' };

const cases = [
    [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA',
                                               hash: 'SHA-256' }],
    [{ name: 'ECDSA', namedCurve: 'P-384' }, { name: 'ECDSA',
                                               hash: 'SHA-384' }],
    [{ name: 'RSASSA-PKCS1-v1_5', ...rsaParams }, 'RSASSA-PKCS1-v1_5'],
    [{ name: 'RSA-PSS', ...rsaParams }, { name: 'RSA-PSS', saltLength: 32 }],
    [{ name: 'Ed25519' }, 'Ed25519'],
];

for (const [genAlg, signAlg] of cases) {
    const { publicKey, privateKey } = await subtle.generateKey(
        genAlg, true, ['sign', 'verify']);
    const sig = await subtle.sign(signAlg, privateKey, data);
    const spki = await subtle.exportKey('spki', publicKey);
    const pkcs8 = await subtle.exportKey('pkcs8', privateKey);
    const pub2 = await subtle.importKey('spki', spki, genAlg, false,
                                        ['verify']);
    const priv2 = await subtle.importKey('pkcs8', pkcs8, genAlg, false,
                                         ['sign']);
    const sig2 = await subtle.sign(signAlg, priv2, data);
    const bad = new Uint8Array(sig.slice(0));
    bad[bad.length >> 1] ^= 1;
    console.log(genAlg.name, genAlg.namedCurve ?? '', sig.byteLength,
                publicKey.type, privateKey.type, publicKey.extractable,
                publicKey.usages, privateKey.usages,
                await subtle.verify(signAlg, publicKey, sig, data),
                await subtle.verify(signAlg, pub2, sig2, data),
                await subtle.verify(signAlg, pub2, bad, data),
                await subtle.verify(signAlg, publicKey, sig,
                                    data.subarray(1)));
    try {
        await subtle.exportKey('spki', privateKey);
    } catch (e) {
        console.log('  ', e.name);
    }
}

// ECDSA with a key on another curve, RSA key for ECDSA
const p256 = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' },
                                      true, ['sign', 'verify']);
const spki = await subtle.exportKey('spki', p256.publicKey);
for (const alg of [{ name: 'ECDSA', namedCurve: 'P-384' },
                   { name: 'RSA-PSS', hash: 'SHA-256' },
                   { name: 'ECDSA', namedCurve: 'P-999' }]) {
    try {
        await subtle.importKey('spki', spki, alg, true, ['verify']);
    } catch (e) {
        console.log(alg.name, alg.namedCurve ?? '', e.name);
    }
}
try {
    await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true,
                             ['verify']);
} catch (e) {
    console.log('no private usage', e.name);
}
