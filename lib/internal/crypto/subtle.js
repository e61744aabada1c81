// Copyright (C) nv8 contributors
//
// Web Crypto: the global crypto (Crypto), crypto.subtle (SubtleCrypto).
// Every SubtleCrypto method copies its inputs and returns a promise; the
// work (digests, HMAC, AES, PBKDF2, HKDF, signatures, key generation) runs
// on libuv's thread pool through the crypto binding's *Async methods, so
// the worker thread never waits for OpenSSL.  Spec errors are DOMExceptions
// named as in the spec: NotSupportedError, SyntaxError, InvalidAccessError,
// DataError, OperationError, QuotaExceededError, TypeMismatchError.

import {
    base64url, binding, copyOf, domError, fromBase64url,
} from 'internal/crypto/util';
import { CryptoKey, createKey, keySlots } from 'internal/crypto/keys';
import { DOMException } from 'internal/web/domexception';

const HASHES = {
    __proto__: null,
    'SHA-1': { md: 'sha1', bits: 160, block: 512, jwk: '1' },
    'SHA-256': { md: 'sha256', bits: 256, block: 512, jwk: '256' },
    'SHA-384': { md: 'sha384', bits: 384, block: 1024, jwk: '384' },
    'SHA-512': { md: 'sha512', bits: 512, block: 1024, jwk: '512' },
};

const CURVES = {
    __proto__: null,
    'P-256': { oid: '2a8648ce3d030107', bytes: 32 },
    'P-384': { oid: '2b81040022', bytes: 48 },
    'P-521': { oid: '2b81040023', bytes: 66 },
};

const OID_RSA = '2a864886f70d010101';
const OID_EC = '2a8648ce3d0201';
const OID_ED25519 = '2b6570';

const AES = ['AES-GCM', 'AES-CBC', 'AES-CTR'];
const RSA = ['RSASSA-PKCS1-v1_5', 'RSA-PSS'];
const NAMES = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'HMAC', ...AES,
               'PBKDF2', 'HKDF', 'ECDSA', ...RSA, 'Ed25519'];

const USAGES = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey',
                'deriveBits', 'wrapKey', 'unwrapKey'];

/*
 * The usages each kind of key may have: [secret] or [public, private].
 */
const KEY_USAGES = {
    __proto__: null,
    HMAC: [['sign', 'verify']],
    'AES-GCM': [['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']],
    'AES-CBC': [['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']],
    'AES-CTR': [['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']],
    PBKDF2: [['deriveKey', 'deriveBits']],
    HKDF: [['deriveKey', 'deriveBits']],
    ECDSA: [['verify'], ['sign']],
    'RSASSA-PKCS1-v1_5': [['verify'], ['sign']],
    'RSA-PSS': [['verify'], ['sign']],
    Ed25519: [['verify'], ['sign']],
};

function notSupported(what) {
    return domError('NotSupportedError', `${what} is not supported`);
}

/*
 * WebCrypto's "normalize an algorithm": a string or a dictionary with a
 * name, matched case-insensitively against the registered names.
 */
function normalize(alg, allowed) {
    if (typeof alg === 'string') {
        alg = { name: alg };
    }
    if (typeof alg !== 'object' || alg === null) {
        throw new TypeError('Algorithm must be a string or an object');
    }
    if (alg.name === undefined) {
        throw new TypeError('Algorithm: name is required');
    }
    const want = String(alg.name).toUpperCase();
    const name = NAMES.find((n) => n.toUpperCase() === want);
    if (name === undefined || !allowed.includes(name)) {
        throw notSupported(`Algorithm ${alg.name}`);
    }
    return { ...alg, name };
}

function hashOf(hash) {
    const h = normalize(hash ?? (() => {
        throw new TypeError('Algorithm: hash is required');
    })(), Object.keys(HASHES));
    return h.name;
}

function checkUsages(usages, allowed) {
    if (!Array.isArray(usages) &&
        (usages === null || typeof usages !== 'object' ||
         typeof usages[Symbol.iterator] !== 'function')) {
        throw new TypeError('keyUsages must be a sequence');
    }
    const out = [];
    for (const u of usages) {
        const s = String(u);
        if (!USAGES.includes(s)) {
            throw new TypeError(`Invalid key usage: ${s}`);
        }
        if (!allowed.includes(s)) {
            throw domError('SyntaxError', `Unsupported key usage: ${s}`);
        }
        if (!out.includes(s)) {
            out.push(s);
        }
    }
    return out;
}

function requireUsages(usages) {
    if (usages.length === 0) {
        throw domError('SyntaxError', 'Usages cannot be empty');
    }
    return usages;
}

/* the key for an operation: right algorithm, usage allowed */
function useKey(key, name, usage) {
    const s = keySlots(key);
    if (s === undefined) {
        throw new TypeError('key must be a CryptoKey');
    }
    if (s.algorithm.name !== name) {
        throw domError('InvalidAccessError',
                       `The key is not a ${name} key`);
    }
    if (!s.usages.includes(usage)) {
        throw domError('InvalidAccessError',
                       `The key does not allow "${usage}"`);
    }
    return s;
}

/* binding failures become OperationError; our own TypeErrors stay */
async function op(promise) {
    try {
        return await promise;
    } catch (e) {
        if (e instanceof TypeError || e instanceof DOMException) {
            throw e;
        }
        throw domError('OperationError', e?.message ?? String(e));
    }
}

function bufferOf(u8) {
    return u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength
        ? u8.buffer : u8.slice().buffer;
}

function randomBytes(n) {
    const u8 = new Uint8Array(n);
    binding.randomFill(u8);
    return u8;
}

/* DER, just enough to tell what an SPKI or PKCS#8 key is */

function derRead(u8, pos) {
    if (pos + 2 > u8.length) {
        throw domError('DataError', 'Invalid key data');
    }
    const tag = u8[pos];
    let len = u8[pos + 1];
    let start = pos + 2;
    if (len & 0x80) {
        const n = len & 0x7f;
        if (n === 0 || n > 4 || start + n > u8.length) {
            throw domError('DataError', 'Invalid key data');
        }
        len = 0;
        for (let i = 0; i < n; i++) {
            len = len * 256 + u8[start + i];
        }
        start += n;
    }
    if (start + len > u8.length) {
        throw domError('DataError', 'Invalid key data');
    }
    return { tag, start, end: start + len };
}

function derChildren(u8, node) {
    const out = [];
    for (let p = node.start; p < node.end;) {
        const c = derRead(u8, p);
        out.push(c);
        p = c.end;
    }
    return out;
}

function hex(u8, node) {
    let s = '';
    for (let i = node.start; i < node.end; i++) {
        s += (u8[i] >> 4).toString(16) + (u8[i] & 15).toString(16);
    }
    return s;
}

/* the unsigned big-endian value of a DER INTEGER, without leading 0s */
function derInteger(u8, node) {
    let i = node.start;
    while (i < node.end - 1 && u8[i] === 0) {
        i++;
    }
    return u8.slice(i, node.end);
}

/*
 * { kind: 'rsa'|'ec'|'ed25519', curve, modulusLength, publicExponent }
 * from SPKI (private false) or PKCS#8 (private true) DER.
 */
function derKeyInfo(u8, isPrivate) {
    const top = derRead(u8, 0);
    if (top.tag !== 0x30 || top.end !== u8.length) {
        throw domError('DataError', 'Invalid key data');
    }
    const parts = derChildren(u8, top);
    const algId = parts[isPrivate ? 1 : 0];
    const body = parts[isPrivate ? 2 : 1];
    if (algId?.tag !== 0x30 || body === undefined ||
        body.tag !== (isPrivate ? 0x04 : 0x03)) {
        throw domError('DataError', 'Invalid key data');
    }
    const [oid, params] = derChildren(u8, algId);
    const id = hex(u8, oid);
    if (id === OID_ED25519) {
        return { kind: 'ed25519' };
    }
    if (id === OID_EC) {
        const curveOid = params && hex(u8, params);
        const curve = Object.keys(CURVES)
            .find((c) => CURVES[c].oid === curveOid);
        if (curve === undefined) {
            throw domError('NotSupportedError', 'Unsupported EC curve');
        }
        return { kind: 'ec', curve };
    }
    if (id === OID_RSA) {
        /* RSAPublicKey in a BIT STRING (skip the unused-bits byte), or
         * RSAPrivateKey in an OCTET STRING */
        const inner = derRead(u8, body.start + (isPrivate ? 0 : 1));
        const ints = derChildren(u8, inner);
        const n = derInteger(u8, ints[isPrivate ? 1 : 0]);
        const e = derInteger(u8, ints[isPrivate ? 2 : 1]);
        let bits = n.length * 8;
        for (let b = n[0]; b < 0x80 && bits > 0; b <<= 1) {
            bits--;
        }
        return { kind: 'rsa', modulusLength: bits, publicExponent: e };
    }
    throw domError('NotSupportedError', 'Unsupported key type');
}

/* DER writing, for keys imported from JWK */

function derLength(n) {
    if (n < 0x80) {
        return [n];
    }
    const out = [];
    for (; n > 0; n = Math.floor(n / 256)) {
        out.unshift(n & 255);
    }
    return [0x80 | out.length, ...out];
}

function der(tag, ...parts) {
    let n = 0;
    for (const p of parts) {
        n += p.length;
    }
    const head = [tag, ...derLength(n)];
    const u8 = new Uint8Array(head.length + n);
    u8.set(head);
    n = head.length;
    for (const p of parts) {
        u8.set(p, n);
        n += p.length;
    }
    return u8;
}

function derInt(bytes) {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) {
        i++;
    }
    const v = bytes.subarray(i);
    return v[0] & 0x80 ? der(0x02, new Uint8Array([0]), v) : der(0x02, v);
}

function derOid(h) {
    return der(0x06, new Uint8Array(h.match(/../g)
        .map((x) => parseInt(x, 16))));
}

const DER_NULL = new Uint8Array([0x05, 0x00]);

function jwkBytes(jwk, member, size) {
    const b = fromBase64url(jwk[member]);
    if (b === null || b.length === 0 ||
        (size !== undefined && b.length !== size)) {
        throw domError('DataError', `Invalid JWK member "${member}"`);
    }
    return b;
}

/* SPKI or PKCS#8 DER from an EC, RSA or OKP JWK */
function jwkToDer(jwk, alg, isPrivate) {
    if (alg.name === 'ECDSA') {
        const c = CURVES[jwk.crv];
        if (jwk.kty !== 'EC' || c === undefined) {
            throw domError('DataError', 'JWK kty must be "EC" with a crv');
        }
        const point = der(0x03, new Uint8Array([0, 4]),
                          jwkBytes(jwk, 'x', c.bytes),
                          jwkBytes(jwk, 'y', c.bytes));
        const algId = der(0x30, derOid(OID_EC), derOid(c.oid));
        if (!isPrivate) {
            return der(0x30, algId, point);
        }
        const ecKey = der(0x30, der(0x02, new Uint8Array([1])),
                          der(0x04, jwkBytes(jwk, 'd', c.bytes)),
                          der(0xa1, point));
        return der(0x30, der(0x02, new Uint8Array([0])), algId,
                   der(0x04, ecKey));
    }
    if (alg.name === 'Ed25519') {
        if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') {
            throw domError('DataError', 'JWK must be an OKP Ed25519 key');
        }
        const algId = der(0x30, derOid(OID_ED25519));
        const x = jwkBytes(jwk, 'x', 32);
        if (!isPrivate) {
            return der(0x30, algId, der(0x03, new Uint8Array([0]), x));
        }
        return der(0x30, der(0x02, new Uint8Array([0])), algId,
                   der(0x04, der(0x04, jwkBytes(jwk, 'd', 32))));
    }
    if (jwk.kty !== 'RSA') {
        throw domError('DataError', 'JWK kty must be "RSA"');
    }
    const algId = der(0x30, derOid(OID_RSA), DER_NULL);
    const n = derInt(jwkBytes(jwk, 'n'));
    const e = derInt(jwkBytes(jwk, 'e'));
    if (!isPrivate) {
        return der(0x30, algId, der(0x03, new Uint8Array([0]),
                                    der(0x30, n, e)));
    }
    if (jwk.oth !== undefined) {
        throw notSupported('JWK "oth" (multi-prime RSA)');
    }
    const rest = ['d', 'p', 'q', 'dp', 'dq', 'qi']
        .map((m) => derInt(jwkBytes(jwk, m)));
    const rsaKey = der(0x30, der(0x02, new Uint8Array([0])), n, e, ...rest);
    return der(0x30, der(0x02, new Uint8Array([0])), algId,
               der(0x04, rsaKey));
}

function jwkAsymAlg(keyAlg) {
    switch (keyAlg.name) {
    case 'ECDSA':
        return `ES${keyAlg.namedCurve === 'P-521' ? 512
                                                  : keyAlg.namedCurve
                                                        .slice(2)}`;
    case 'Ed25519':
        return 'EdDSA';
    case 'RSA-PSS':
        return `PS${HASHES[keyAlg.hash.name].jwk}`;
    default:
        return `RS${HASHES[keyAlg.hash.name].jwk}`;
    }
}

/* a JWK from a key's DER */
function derToJwk(s) {
    const u8 = s.material;
    const isPrivate = s.type === 'private';
    const spki = isPrivate ? binding.publicKey('', u8) : u8;
    const parts = derChildren(spki, derRead(spki, 0));
    const bits = spki.subarray(parts[1].start + 1, parts[1].end);
    const jwk = {};
    const name = s.algorithm.name;
    if (name === 'ECDSA') {
        const n = CURVES[s.algorithm.namedCurve].bytes;
        Object.assign(jwk, { kty: 'EC', crv: s.algorithm.namedCurve,
                             x: base64url(bits.subarray(1, 1 + n)),
                             y: base64url(bits.subarray(1 + n)) });
        if (isPrivate) {
            const body = derChildren(u8, derRead(u8, 0))[2];
            const ecKey = derChildren(u8, derRead(u8, body.start));
            jwk.d = base64url(u8.subarray(ecKey[1].start, ecKey[1].end));
        }
    } else if (name === 'Ed25519') {
        Object.assign(jwk, { kty: 'OKP', crv: 'Ed25519',
                             x: base64url(bits) });
        if (isPrivate) {
            const body = derChildren(u8, derRead(u8, 0))[2];
            const d = derRead(u8, body.start);
            jwk.d = base64url(u8.subarray(d.start, d.end));
        }
    } else {
        jwk.kty = 'RSA';
        const src = isPrivate ? u8 : bits;
        let ints;
        if (isPrivate) {
            const body = derChildren(u8, derRead(u8, 0))[2];
            ints = derChildren(u8, derRead(u8, body.start)).slice(1);
        } else {
            ints = derChildren(bits, derRead(bits, 0));
        }
        ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'].slice(0, ints.length)
            .forEach((m, i) => {
                jwk[m] = base64url(derInteger(src, ints[i]));
            });
    }
    jwk.alg = jwkAsymAlg(s.algorithm);
    jwk.key_ops = s.usages.slice();
    jwk.ext = true;
    return jwk;
}

/* the asymmetric algorithms' KeyAlgorithm, checked against the DER */
function asymAlgorithm(alg, info) {
    switch (alg.name) {
    case 'ECDSA':
        if (info.kind !== 'ec') {
            throw domError('DataError', 'Not an EC key');
        }
        if (CURVES[alg.namedCurve] === undefined) {
            throw notSupported(`Curve ${alg.namedCurve}`);
        }
        if (alg.namedCurve !== info.curve) {
            throw domError('DataError', 'The key is on another curve');
        }
        return { name: alg.name, namedCurve: info.curve };
    case 'Ed25519':
        if (info.kind !== 'ed25519') {
            throw domError('DataError', 'Not an Ed25519 key');
        }
        return { name: alg.name };
    default:
        if (info.kind !== 'rsa') {
            throw domError('DataError', 'Not an RSA key');
        }
        return {
            name: alg.name, modulusLength: info.modulusLength,
            publicExponent: info.publicExponent,
            hash: { name: hashOf(alg.hash) },
        };
    }
}

/* secret key import (raw bytes) for HMAC, AES-*, PBKDF2, HKDF */
function importSecret(bytes, alg, extractable, usages) {
    switch (alg.name) {
    case 'HMAC': {
        const hash = hashOf(alg.hash);
        let length = bytes.length * 8;
        if (length === 0) {
            throw domError('DataError', 'HMAC key cannot be empty');
        }
        if (alg.length !== undefined) {
            const want = Number(alg.length);
            if (want > length || want <= length - 8) {
                throw domError('DataError', 'Invalid HMAC key length');
            }
            length = want;
        }
        return createKey('secret', extractable,
                         { name: 'HMAC', length, hash: { name: hash } },
                         requireUsages(usages), bytes);
    }
    case 'PBKDF2':
    case 'HKDF':
        if (extractable) {
            throw domError('SyntaxError',
                           `${alg.name} keys cannot be extractable`);
        }
        return createKey('secret', false, { name: alg.name },
                         requireUsages(usages), bytes);
    default:
        if (![16, 24, 32].includes(bytes.length)) {
            throw domError('DataError',
                           'AES key data must be 128, 192 or 256 bits');
        }
        return createKey('secret', extractable,
                         { name: alg.name, length: bytes.length * 8 },
                         requireUsages(usages), bytes);
    }
}

function jwkAlg(alg) {
    if (alg.name === 'HMAC') {
        return `HS${HASHES[alg.hash.name].jwk}`;
    }
    return `A${alg.length}${alg.name.slice(4)}`;
}

function importJwk(jwk, alg, extractable, usages) {
    if (typeof jwk !== 'object' || jwk === null || ArrayBuffer.isView(jwk) ||
        jwk instanceof ArrayBuffer) {
        throw new TypeError('keyData must be a JsonWebKey');
    }
    if (alg.name === 'PBKDF2' || alg.name === 'HKDF') {
        throw notSupported(`jwk import of ${alg.name}`);
    }
    if (jwk.ext === false && extractable) {
        throw domError('DataError', 'JWK is not extractable');
    }
    if (jwk.key_ops !== undefined &&
        (!Array.isArray(jwk.key_ops) ||
         !usages.every((u) => jwk.key_ops.includes(u)))) {
        throw domError('DataError', 'JWK key_ops do not allow usages');
    }
    if (KEY_USAGES[alg.name].length === 2) {
        const isPrivate = jwk.d !== undefined;
        if (usages.length !== 0 && jwk.use !== undefined &&
            jwk.use !== 'sig') {
            throw domError('DataError', 'JWK use must be "sig"');
        }
        checkUsages(usages, KEY_USAGES[alg.name][isPrivate ? 1 : 0]);
        if (isPrivate) {
            requireUsages(usages);
        }
        const bytes = jwkToDer(jwk, alg, isPrivate);
        const keyAlg = asymAlgorithm(
            alg.name === 'ECDSA' ? { ...alg, namedCurve: alg.namedCurve }
                                 : alg,
            derKeyInfo(bytes, isPrivate));
        if (jwk.alg !== undefined && alg.name !== 'ECDSA' &&
            jwk.alg !== jwkAsymAlg(keyAlg) &&
            !(alg.name === 'Ed25519' && jwk.alg === 'Ed25519')) {
            throw domError('DataError',
                           `JWK alg must be ${jwkAsymAlg(keyAlg)}`);
        }
        const key = createKey(isPrivate ? 'private' : 'public', extractable,
                              keyAlg, usages, bytes);
        if (isPrivate) {
            /* the JWK's public part must be the private key's */
            let spki;
            try {
                spki = binding.publicKey('', bytes);
            } catch {
                throw domError('DataError', 'Invalid JWK private key');
            }
            const pub = derToJwk({ type: 'public', algorithm: keyAlg,
                                   usages: [], material: spki });
            for (const m of ['x', 'y', 'n', 'e']) {
                if (pub[m] !== undefined && pub[m] !== jwk[m]) {
                    throw domError('DataError',
                                   `JWK "${m}" does not match "d"`);
                }
            }
        }
        return key;
    }
    if (jwk.kty !== 'oct') {
        throw domError('DataError', 'JWK kty must be "oct"');
    }
    const bytes = fromBase64url(jwk.k);
    if (bytes === null) {
        throw domError('DataError', 'JWK k is not base64url');
    }
    if (usages.length !== 0 && jwk.use !== undefined &&
        jwk.use !== (alg.name === 'HMAC' ? 'sig' : 'enc')) {
        throw domError('DataError', 'JWK use does not match');
    }
    const key = importSecret(bytes, alg, extractable, usages);
    const want = jwkAlg(keySlots(key).algorithm);
    if (jwk.alg !== undefined && jwk.alg !== want) {
        throw domError('DataError', `JWK alg must be ${want}`);
    }
    return key;
}

/** WebCrypto SubtleCrypto. */
export class SubtleCrypto {
    constructor() {
        throw new TypeError('Illegal constructor');
    }

    /**
     * @param {string|object} algorithm SHA-1, SHA-256, SHA-384, SHA-512
     * @param {BufferSource} data
     * @returns {Promise<ArrayBuffer>}
     */
    async digest(algorithm, data) {
        const alg = normalize(algorithm, Object.keys(HASHES));
        const bytes = copyOf(data, 'data');
        return bufferOf(await op(binding.digestAsync(HASHES[alg.name].md,
                                                     bytes)));
    }

    /**
     * HMAC, AES-GCM/CBC/CTR keys, or ECDSA, RSASSA-PKCS1-v1_5, RSA-PSS,
     * Ed25519 key pairs.
     * @returns {Promise<CryptoKey|{publicKey: CryptoKey,
     *     privateKey: CryptoKey}>}
     */
    async generateKey(algorithm, extractable, keyUsages) {
        const alg = normalize(algorithm, ['HMAC', ...AES, 'ECDSA', ...RSA,
                                          'Ed25519']);
        const allowed = KEY_USAGES[alg.name];
        const usages = checkUsages(keyUsages, allowed.flat());
        if (alg.name === 'HMAC') {
            const hash = hashOf(alg.hash);
            const length = alg.length === undefined ? HASHES[hash].block
                                                    : Number(alg.length);
            if (!(length > 0)) {
                throw domError('OperationError', 'Invalid HMAC key length');
            }
            const bytes = randomBytes(Math.ceil(length / 8));
            if (length % 8) {
                bytes[bytes.length - 1] &= 0xff << (8 - length % 8);
            }
            return createKey('secret', extractable,
                             { name: 'HMAC', length, hash: { name: hash } },
                             requireUsages(usages), bytes);
        }
        if (AES.includes(alg.name)) {
            const length = Number(alg.length);
            if (![128, 192, 256].includes(length)) {
                throw domError('OperationError',
                               'AES key length must be 128, 192 or 256');
            }
            return createKey('secret', extractable,
                             { name: alg.name, length },
                             requireUsages(usages), randomBytes(length / 8));
        }
        let type;
        let keyAlg;
        let bits = 0;
        let e = 0;
        if (alg.name === 'ECDSA') {
            if (CURVES[alg.namedCurve] === undefined) {
                throw notSupported(`Curve ${alg.namedCurve}`);
            }
            type = `ec:${alg.namedCurve}`;
            keyAlg = { name: alg.name, namedCurve: alg.namedCurve };
        } else if (alg.name === 'Ed25519') {
            type = 'ed25519';
            keyAlg = { name: alg.name };
        } else {
            bits = Number(alg.modulusLength);
            const pe = copyOf(alg.publicExponent, 'publicExponent');
            for (const b of pe) {
                e = e * 256 + b;
            }
            if (!(bits >= 1024 && bits <= 16384 && bits % 8 === 0) ||
                (e !== 3 && e !== 65537)) {
                throw domError('OperationError', 'Invalid RSA parameters');
            }
            type = 'rsa';
            keyAlg = {
                name: alg.name, modulusLength: bits, publicExponent: pe,
                hash: { name: hashOf(alg.hash) },
            };
        }
        const privUsages = usages.filter((u) => allowed[1].includes(u));
        if (privUsages.length === 0) {
            throw domError('SyntaxError', 'Usages cannot be empty');
        }
        const der = await op(binding.generateKeyPairAsync(type, bits, e));
        const n = ((der[0] << 24) | (der[1] << 16) | (der[2] << 8) |
                   der[3]) >>> 0;
        const pkcs8 = der.slice(4, 4 + n);
        const spki = der.slice(4 + n);
        return {
            publicKey: createKey('public', true, keyAlg,
                                 usages.filter((u) => allowed[0]
                                     .includes(u)), spki),
            privateKey: createKey('private', extractable, keyAlg, privUsages,
                                  pkcs8),
        };
    }

    /**
     * raw and jwk (HMAC, AES; raw for PBKDF2, HKDF), spki, pkcs8 and jwk
     * (ECDSA, RSASSA-PKCS1-v1_5, RSA-PSS, Ed25519).
     * @returns {Promise<CryptoKey>}
     */
    async importKey(format, keyData, algorithm, extractable, keyUsages) {
        const alg = normalize(algorithm, ['HMAC', ...AES, 'PBKDF2', 'HKDF',
                                          'ECDSA', ...RSA, 'Ed25519']);
        const allowed = KEY_USAGES[alg.name];
        format = String(format);
        if (format === 'jwk') {
            const usages = checkUsages(keyUsages, allowed.flat());
            return importJwk(keyData, alg, extractable, usages);
        }
        if (!['raw', 'spki', 'pkcs8'].includes(format)) {
            throw new TypeError(`Invalid key format: ${format}`);
        }
        const bytes = copyOf(keyData, 'keyData');
        if (allowed.length === 1) {
            if (format !== 'raw') {
                throw notSupported(`${format} import of ${alg.name}`);
            }
            return importSecret(bytes, alg, extractable,
                                checkUsages(keyUsages, allowed[0]));
        }
        if (format === 'raw') {
            throw notSupported(`raw import of ${alg.name}`);
        }
        const isPrivate = format === 'pkcs8';
        const usages = checkUsages(keyUsages, allowed[isPrivate ? 1 : 0]);
        if (isPrivate) {
            requireUsages(usages);
        }
        const keyAlg = asymAlgorithm(alg, derKeyInfo(bytes, isPrivate));
        return createKey(isPrivate ? 'private' : 'public', extractable,
                         keyAlg, usages, bytes);
    }

    /**
     * @returns {Promise<ArrayBuffer|object>}
     */
    async exportKey(format, key) {
        const s = keySlots(key);
        if (s === undefined) {
            throw new TypeError('key must be a CryptoKey');
        }
        format = String(format);
        if (!s.extractable) {
            throw domError('InvalidAccessError', 'The key is not extractable');
        }
        const name = s.algorithm.name;
        if (s.type === 'secret') {
            if (name === 'PBKDF2' || name === 'HKDF') {
                throw notSupported(`Export of ${name} keys`);
            }
            if (format === 'raw') {
                return s.material.slice().buffer;
            }
            if (format === 'jwk') {
                return {
                    kty: 'oct', k: base64url(s.material),
                    alg: jwkAlg(s.algorithm), key_ops: s.usages.slice(),
                    ext: true,
                };
            }
            throw notSupported(`${format} export of ${name}`);
        }
        if (format === 'jwk') {
            return derToJwk(s);
        }
        if (format === (s.type === 'private' ? 'pkcs8' : 'spki')) {
            return s.material.slice().buffer;
        }
        if (format === 'spki' || format === 'pkcs8') {
            throw domError('InvalidAccessError',
                           `A ${s.type} key cannot be exported as ${format}`);
        }
        throw notSupported(`${format} export of ${name}`);
    }

    /**
     * HMAC, ECDSA, RSASSA-PKCS1-v1_5, RSA-PSS, Ed25519.
     * @returns {Promise<ArrayBuffer>}
     */
    async sign(algorithm, key, data) {
        const alg = normalize(algorithm, ['HMAC', 'ECDSA', ...RSA,
                                          'Ed25519']);
        const s = useKey(key, alg.name, 'sign');
        const bytes = copyOf(data, 'data');
        if (alg.name === 'HMAC') {
            return bufferOf(await op(binding.hmacAsync(
                HASHES[s.algorithm.hash.name].md, s.material, bytes)));
        }
        const [md, pss, salt] = signParams(alg, s);
        return bufferOf(await op(binding.signAsync(md, s.material, bytes,
                                                   pss, salt, 1, 0)));
    }

    /**
     * @returns {Promise<boolean>}
     */
    async verify(algorithm, key, signature, data) {
        const alg = normalize(algorithm, ['HMAC', 'ECDSA', ...RSA,
                                          'Ed25519']);
        const s = useKey(key, alg.name, 'verify');
        const sig = copyOf(signature, 'signature');
        const bytes = copyOf(data, 'data');
        if (alg.name === 'HMAC') {
            const mac = await op(binding.hmacAsync(
                HASHES[s.algorithm.hash.name].md, s.material, bytes));
            return mac.length === sig.length &&
                   binding.timingSafeEqual(mac, sig);
        }
        const [md, pss, salt] = signParams(alg, s);
        const ok = await op(binding.verifyAsync(md, s.material, bytes, sig,
                                                pss, salt, 1, 0));
        return ok[0] === 1;
    }

    /**
     * AES-GCM, AES-CBC, AES-CTR.
     * @returns {Promise<ArrayBuffer>}
     */
    async encrypt(algorithm, key, data) {
        return aes(algorithm, key, data, 1);
    }

    /**
     * @returns {Promise<ArrayBuffer>}
     */
    async decrypt(algorithm, key, data) {
        return aes(algorithm, key, data, 0);
    }

    /**
     * PBKDF2, HKDF.
     * @returns {Promise<ArrayBuffer>}
     */
    async deriveBits(algorithm, baseKey, length) {
        const alg = normalize(algorithm, ['PBKDF2', 'HKDF']);
        const s = useKey(baseKey, alg.name, 'deriveBits');
        return derive(alg, s, length);
    }

    /**
     * PBKDF2 or HKDF, into an HMAC or AES key.
     * @returns {Promise<CryptoKey>}
     */
    async deriveKey(algorithm, baseKey, derivedKeyType, extractable,
                    keyUsages) {
        const alg = normalize(algorithm, ['PBKDF2', 'HKDF']);
        const target = normalize(derivedKeyType, ['HMAC', ...AES]);
        const usages = checkUsages(keyUsages, KEY_USAGES[target.name][0]);
        let length;
        if (target.name === 'HMAC') {
            length = target.length === undefined
                ? HASHES[hashOf(target.hash)].block : Number(target.length);
        } else {
            length = Number(target.length);
            if (![128, 192, 256].includes(length)) {
                throw domError('OperationError',
                               'AES key length must be 128, 192 or 256');
            }
        }
        const s = useKey(baseKey, alg.name, 'deriveKey');
        const bits = await derive(alg, s, length);
        return importSecret(new Uint8Array(bits), target, extractable,
                            usages);
    }

    get [Symbol.toStringTag]() {
        return 'SubtleCrypto';
    }
}

/* [digest name, pss, salt length] for the binding's sign/verify */
function signParams(alg, s) {
    switch (alg.name) {
    case 'ECDSA':
        return [HASHES[hashOf(alg.hash)].md, 0, 0];
    case 'Ed25519':
        return ['', 0, 0];
    case 'RSA-PSS': {
        const salt = Number(alg.saltLength);
        if (!(salt >= 0) || !Number.isInteger(salt)) {
            throw new TypeError('RSA-PSS: saltLength is required');
        }
        return [HASHES[s.algorithm.hash.name].md, 1, salt];
    }
    default:
        return [HASHES[s.algorithm.hash.name].md, 0, 0];
    }
}

async function derive(alg, s, length) {
    if (length === null || length === undefined ||
        !Number.isInteger(Number(length)) || Number(length) % 8 !== 0) {
        throw domError('OperationError',
                       'length must be a multiple of 8');
    }
    const n = Number(length) / 8;
    const hash = HASHES[hashOf(alg.hash)].md;
    const salt = copyOf(alg.salt, 'salt');
    if (alg.name === 'PBKDF2') {
        const iterations = Number(alg.iterations);
        if (!(iterations > 0) || !Number.isInteger(iterations)) {
            throw domError('OperationError',
                           'iterations must be a positive integer');
        }
        return bufferOf(await op(binding.pbkdf2Async(hash, s.material, salt,
                                                     iterations, n)));
    }
    const info = copyOf(alg.info, 'info');
    return bufferOf(await op(binding.hkdfAsync(hash, s.material, salt, info,
                                               n)));
}

const GCM_TAGS = [32, 64, 96, 104, 112, 120, 128];

async function aes(algorithm, key, data, encrypt) {
    const alg = normalize(algorithm, AES);
    const s = useKey(key, alg.name, encrypt ? 'encrypt' : 'decrypt');
    const bytes = copyOf(data, 'data');
    const none = new Uint8Array(0);
    const cipher = `aes-${s.algorithm.length}-${alg.name.slice(4)
        .toLowerCase()}`;
    switch (alg.name) {
    case 'AES-GCM': {
        const iv = copyOf(alg.iv, 'iv');
        const aad = alg.additionalData === undefined
            ? none : copyOf(alg.additionalData, 'additionalData');
        const tagBits = alg.tagLength === undefined ? 128
                                                    : Number(alg.tagLength);
        if (!GCM_TAGS.includes(tagBits)) {
            throw domError('OperationError', 'Invalid tagLength');
        }
        if (iv.length === 0) {
            throw domError('OperationError', 'iv cannot be empty');
        }
        const t = tagBits / 8;
        if (encrypt) {
            return bufferOf(await op(binding.cipherAsync(
                cipher, s.material, iv, aad, bytes, none, 1, t, 0)));
        }
        if (bytes.length < t) {
            throw domError('OperationError', 'data is shorter than the tag');
        }
        return bufferOf(await op(binding.cipherAsync(
            cipher, s.material, iv, aad, bytes.subarray(0, bytes.length - t),
            bytes.subarray(bytes.length - t), 0, t, 0)));
    }
    case 'AES-CBC': {
        const iv = copyOf(alg.iv, 'iv');
        if (iv.length !== 16) {
            throw domError('OperationError', 'iv must be 16 bytes');
        }
        return bufferOf(await op(binding.cipherAsync(
            cipher, s.material, iv, none, bytes, none, encrypt, 0, 0)));
    }
    default:
        return bufferOf(await ctr(cipher, s.material, alg, bytes));
    }
}

/*
 * AES-CTR increments only the rightmost "length" bits of the counter
 * block; OpenSSL increments all 128.  Where the counter would wrap, the
 * data is split and the second part starts from the wrapped counter.
 */
async function ctr(cipher, key, alg, bytes) {
    const counter = copyOf(alg.counter, 'counter');
    const length = Number(alg.length);
    if (counter.length !== 16) {
        throw domError('OperationError', 'counter must be 16 bytes');
    }
    if (!(length >= 1 && length <= 128) || !Number.isInteger(length)) {
        throw domError('OperationError', 'length must be 1 to 128');
    }
    const none = new Uint8Array(0);
    let big = 0n;
    for (const b of counter) {
        big = (big << 8n) | BigInt(b);
    }
    const mod = 1n << BigInt(length);
    const low = big % mod;
    const blocks = BigInt(Math.ceil(bytes.length / 16));
    if (blocks > mod) {
        throw domError('OperationError', 'data too long for the counter');
    }
    if (low + blocks <= mod) {
        return op(binding.cipherAsync(cipher, key, counter, none, bytes,
                                      none, 1, 0, 0));
    }
    const first = Number(mod - low) * 16;
    const wrapped = new Uint8Array(16);
    let v = big - low;
    for (let i = 15; i >= 0; i--) {
        wrapped[i] = Number(v & 255n);
        v >>= 8n;
    }
    const a = await op(binding.cipherAsync(cipher, key, counter, none,
                                           bytes.subarray(0, first), none,
                                           1, 0, 0));
    const b = await op(binding.cipherAsync(cipher, key, wrapped, none,
                                           bytes.subarray(first), none,
                                           1, 0, 0));
    const out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
}

const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array,
                        Uint16Array, Int32Array, Uint32Array, BigInt64Array,
                        BigUint64Array];

const subtle = Object.create(SubtleCrypto.prototype);

/** WebCrypto Crypto: the global crypto. */
export class Crypto {
    constructor() {
        throw new TypeError('Illegal constructor');
    }

    /** @returns {SubtleCrypto} */
    get subtle() {
        return subtle;
    }

    /**
     * Fills an integer typed array with random bytes, at most 65536.
     * @param {TypedArray} array
     * @returns {TypedArray} the same array
     */
    getRandomValues(array) {
        if (!ArrayBuffer.isView(array)) {
            throw new TypeError('The data argument must be an integer-type ' +
                                'TypedArray');
        }
        if (!INTEGER_ARRAYS.some((T) => array instanceof T)) {
            throw domError('TypeMismatchError', 'The data argument must be ' +
                           'an integer-type TypedArray');
        }
        if (array.byteLength > 65536) {
            throw domError('QuotaExceededError', 'The ArrayBufferView\'s ' +
                           `byte length (${array.byteLength}) exceeds the ` +
                           'number of bytes of entropy available via this ' +
                           'API (65536)');
        }
        binding.randomFill(array);
        return array;
    }

    /**
     * A random (version 4) UUID.
     * @returns {string}
     */
    randomUUID() {
        const b = randomBytes(16);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let s = '';
        for (let i = 0; i < 16; i++) {
            s += (b[i] >> 4).toString(16) + (b[i] & 15).toString(16);
            if (i === 3 || i === 5 || i === 7 || i === 9) {
                s += '-';
            }
        }
        return s;
    }

    get [Symbol.toStringTag]() {
        return 'Crypto';
    }
}

/** The global crypto object. */
export const crypto = Object.create(Crypto.prototype);

export { CryptoKey };
