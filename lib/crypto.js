// Copyright (C) nv8 contributors
//
// node:crypto (and bare 'crypto' for require and import): hashes, HMAC,
// random numbers, PBKDF2, scrypt, HKDF and AES ciphers on OpenSSL, plus
// webcrypto (the global crypto).  See docs/api/crypto.md.

import * as node from 'internal/crypto/node';

export {
    Cipheriv, Decipheriv, Hash, Hmac, createCipheriv, createDecipheriv,
    createHash, createHmac, getCiphers, getHashes, getRandomValues, hkdf,
    hkdfSync, pbkdf2, pbkdf2Sync, randomBytes, randomFillSync, randomInt,
    randomUUID, scrypt, scryptSync, subtle, timingSafeEqual, webcrypto,
} from 'internal/crypto/node';

export default { ...node };
