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

// JWK export and import of every key type; a private JWK whose public
// members belong to another key is refused
for (const [genAlg, signAlg] of cases) {
    const kp = await subtle.generateKey(genAlg, true, ['sign', 'verify']);
    const jpub = await subtle.exportKey('jwk', kp.publicKey);
    const jpriv = await subtle.exportKey('jwk', kp.privateKey);
    const pub = await subtle.importKey('jwk', jpub, genAlg, true, ['verify']);
    const priv = await subtle.importKey('jwk', jpriv, genAlg, false,
                                        ['sign']);
    const sig = await subtle.sign(signAlg, priv, data);
    const same = async (fmt, a, b) =>
        new Uint8Array(await subtle.exportKey(fmt, a)).join() ===
        new Uint8Array(await subtle.exportKey(fmt, b)).join();
    const other = await subtle.exportKey('jwk', (await subtle.generateKey(
        genAlg, true, ['sign', 'verify'])).publicKey);
    let refused;
    try {
        await subtle.importKey('jwk', { ...jpriv, x: other.x, n: other.n },
                               genAlg, false, ['sign']);
        refused = 'accepted';
    } catch (e) {
        refused = e.name;
    }
    let wrongOps;
    try {
        await subtle.importKey('jwk', { ...jpub, key_ops: ['sign'] }, genAlg,
                               false, ['verify']);
        wrongOps = 'accepted';
    } catch (e) {
        wrongOps = e.name;
    }
    console.log('jwk', genAlg.name, jpub.kty, jpub.crv ?? '', jpub.alg,
                Object.keys(jpriv).filter((k) => !(k in jpub)).join('+'),
                jpriv.key_ops, await subtle.verify(signAlg, pub, sig, data),
                await subtle.verify(signAlg, kp.publicKey, sig, data),
                await same('spki', pub, kp.publicKey), refused, wrongOps);
}

// Ed25519 is deterministic: RFC 8037 A.1 key, A.4 signature
const rfcKey = { kty: 'OKP', crv: 'Ed25519',
                 d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
                 x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const edPriv = await subtle.importKey('jwk', rfcKey, 'Ed25519', false,
                                      ['sign']);
const jws = new TextEncoder().encode(
    'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc');
const edSig = new Uint8Array(await subtle.sign('Ed25519', edPriv, jws));
let b64 = btoa(String.fromCharCode(...edSig));
b64 = b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
console.log('RFC 8037', b64 === 'hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIb' +
                               'QR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg'
                               ? 'ok' : b64);
