
/*
 * Copyright (C) nv8 contributors
 *
 * crypto: OpenSSL 3 one-shot operations for lib/internal/crypto.
 *
 * Every operation takes all of its input at once: lib/ keeps key material
 * and streamed data in JS ArrayBuffers, so no native state outlives a
 * call (no handle to free, nothing tied to a request pool).  An operation
 * whose magic has NV8_CRYPTO_ASYNC set copies its arguments into a
 * request, runs on libuv's thread pool and settles a promise; otherwise
 * it runs at once and returns the bytes.  work functions touch only the
 * request, and OpenSSL's error queue is per thread.
 *
 * Failures are data for lib/: an Error whose code is
 * ERR_CRYPTO_INVALID_DIGEST (unknown algorithm), ERR_CRYPTO_INVALID_KEYLEN
 * / ERR_CRYPTO_INVALID_IV (bad sizes) or ERR_CRYPTO_OPERATION_FAILED (what
 * OpenSSL refused, such as a wrong GCM tag); WebCrypto turns them into
 * DOMExceptions.
 */


#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "nv8_internal.h"


#define NV8_CRYPTO_ASYNC     1

#define NV8_CRYPTO_DIGEST    (0 << 1)
#define NV8_CRYPTO_HMAC      (1 << 1)
#define NV8_CRYPTO_PBKDF2    (2 << 1)
#define NV8_CRYPTO_HKDF      (3 << 1)
#define NV8_CRYPTO_SCRYPT    (4 << 1)
#define NV8_CRYPTO_CIPHER    (5 << 1)
#define NV8_CRYPTO_SIGN      (6 << 1)
#define NV8_CRYPTO_VERIFY    (7 << 1)
#define NV8_CRYPTO_KEYGEN    (8 << 1)
#define NV8_CRYPTO_PUBKEY    (9 << 1)
#define NV8_CRYPTO_OPS       10

#define NV8_CRYPTO_MAX_IN    5
#define NV8_CRYPTO_MAX_NUM   5
#define NV8_CRYPTO_MAX_OUT   (1024 * 1024 * 1024)


typedef struct {
    uv_work_t                 work;
    nv8_runtime_t            *rt;
    nv8_promise_t            *promise;
    nv8_int_t                 op;
    char                      alg[64];
    unsigned char            *in[NV8_CRYPTO_MAX_IN];
    size_t                    inlen[NV8_CRYPTO_MAX_IN];
    double                    num[NV8_CRYPTO_MAX_NUM];
    unsigned char            *out;
    size_t                    outlen;
    const char               *code;         /* NULL: success */
    char                      err[160];
} nv8_crypto_req_t;


/* the arguments of an operation: (alg, bytes..., numbers...) */
typedef struct {
    unsigned                  nin;
    unsigned                  nnum;
    void                    (*run)(nv8_crypto_req_t *req);
} nv8_crypto_op_t;


static nv8_int_t nv8_crypto_call(nv8_call_t *call);
static nv8_int_t nv8_crypto_random_fill(nv8_call_t *call);
static nv8_int_t nv8_crypto_timing_safe_equal(nv8_call_t *call);
static void nv8_crypto_work(uv_work_t *work);
static void nv8_crypto_done(uv_work_t *work, int status);
static void nv8_crypto_free(nv8_crypto_req_t *req);
static void nv8_crypto_fail(nv8_crypto_req_t *req, const char *code,
    const char *what);
static int nv8_crypto_alloc(nv8_crypto_req_t *req, size_t len);
static void nv8_crypto_digest(nv8_crypto_req_t *req);
static void nv8_crypto_hmac(nv8_crypto_req_t *req);
static void nv8_crypto_pbkdf2(nv8_crypto_req_t *req);
static void nv8_crypto_hkdf(nv8_crypto_req_t *req);
static void nv8_crypto_scrypt(nv8_crypto_req_t *req);
static void nv8_crypto_cipher(nv8_crypto_req_t *req);
static void nv8_crypto_sign(nv8_crypto_req_t *req);
static void nv8_crypto_keygen(nv8_crypto_req_t *req);
static void nv8_crypto_pubkey(nv8_crypto_req_t *req);


static const nv8_crypto_op_t  nv8_crypto_ops[NV8_CRYPTO_OPS] = {
    { 1, 0, nv8_crypto_digest },    /* (md, data) */
    { 2, 0, nv8_crypto_hmac },      /* (md, key, data) */
    { 2, 2, nv8_crypto_pbkdf2 },    /* (md, pass, salt, iter, len) */
    { 3, 1, nv8_crypto_hkdf },      /* (md, ikm, salt, info, len) */
    { 2, 5, nv8_crypto_scrypt },    /* ('', pass, salt, N, r, p, maxmem,
                                       len) */
    { 5, 3, nv8_crypto_cipher },    /* (name, key, iv, aad, data, tag,
                                       encrypt, taglen, nopad) */
    { 2, 4, nv8_crypto_sign },      /* (md, pkcs8, data, pss, saltlen,
                                       p1363, 0) */
    { 3, 4, nv8_crypto_sign },      /* (md, spki, data, sig, pss,
                                       saltlen, p1363, 0) */
    { 0, 2, nv8_crypto_keygen },    /* (type, bits, e): pkcs8 || spki */
    { 1, 0, nv8_crypto_pubkey },    /* ('', pkcs8): spki */
};


static const nv8_method_t  nv8_crypto_methods[] = {

    { "digest",          nv8_crypto_call,   NV8_CRYPTO_DIGEST },
    { "digestAsync",     nv8_crypto_call,   NV8_CRYPTO_DIGEST
                                            | NV8_CRYPTO_ASYNC },
    { "hmac",            nv8_crypto_call,   NV8_CRYPTO_HMAC },
    { "hmacAsync",       nv8_crypto_call,   NV8_CRYPTO_HMAC
                                            | NV8_CRYPTO_ASYNC },
    { "pbkdf2",          nv8_crypto_call,   NV8_CRYPTO_PBKDF2 },
    { "pbkdf2Async",     nv8_crypto_call,   NV8_CRYPTO_PBKDF2
                                            | NV8_CRYPTO_ASYNC },
    { "hkdf",            nv8_crypto_call,   NV8_CRYPTO_HKDF },
    { "hkdfAsync",       nv8_crypto_call,   NV8_CRYPTO_HKDF
                                            | NV8_CRYPTO_ASYNC },
    { "scrypt",          nv8_crypto_call,   NV8_CRYPTO_SCRYPT },
    { "scryptAsync",     nv8_crypto_call,   NV8_CRYPTO_SCRYPT
                                            | NV8_CRYPTO_ASYNC },
    { "cipher",          nv8_crypto_call,   NV8_CRYPTO_CIPHER },
    { "cipherAsync",     nv8_crypto_call,   NV8_CRYPTO_CIPHER
                                            | NV8_CRYPTO_ASYNC },
    { "signAsync",       nv8_crypto_call,   NV8_CRYPTO_SIGN
                                            | NV8_CRYPTO_ASYNC },
    { "verifyAsync",     nv8_crypto_call,   NV8_CRYPTO_VERIFY
                                            | NV8_CRYPTO_ASYNC },
    { "generateKeyPairAsync",
                         nv8_crypto_call,   NV8_CRYPTO_KEYGEN
                                            | NV8_CRYPTO_ASYNC },
    { "publicKey",       nv8_crypto_call,   NV8_CRYPTO_PUBKEY },
    { "randomFill",      nv8_crypto_random_fill,        0 },
    { "timingSafeEqual", nv8_crypto_timing_safe_equal,  0 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  nv8_crypto_binding = {
    "crypto",
    nv8_crypto_methods
};


static nv8_int_t
nv8_crypto_call(nv8_call_t *call)
{
    int                     rc;
    size_t                  i, n;
    nv8_str_t               alg;
    nv8_int_t               magic;
    nv8_runtime_t          *rt;
    nv8_crypto_req_t       *req;
    const nv8_crypto_op_t  *op;

    rt = nv8_call_runtime(call);
    magic = nv8_call_magic(call);
    op = &nv8_crypto_ops[magic >> 1];

    if (nv8_arg_string(call, 0, &alg) != NV8_OK) {
        return NV8_ERROR;
    }

    req = calloc(1, sizeof(nv8_crypto_req_t));
    if (req == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    req->rt = rt;
    req->op = magic & ~NV8_CRYPTO_ASYNC;
    req->work.data = req;

    if (alg.len >= sizeof(req->alg)) {
        nv8_crypto_free(req);
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_CRYPTO_INVALID_DIGEST",
                         "Invalid digest: %s", alg.data);
    }

    memcpy(req->alg, alg.data, alg.len + 1);

    /* copies even for a synchronous call: one code path, and JS cannot
     * change the input while OpenSSL reads it */
    for (i = 0; i < op->nin; i++) {
        if (nv8_arg_bytes_size(call, 1 + i, &n) != NV8_OK) {
            nv8_crypto_free(req);
            return NV8_ERROR;
        }

        req->in[i] = malloc(n + 1);
        if (req->in[i] == NULL) {
            nv8_crypto_free(req);
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        if (nv8_arg_bytes_copy(call, 1 + i, req->in[i], n) != NV8_OK) {
            nv8_crypto_free(req);
            return NV8_ERROR;
        }

        req->inlen[i] = n;
    }

    for (i = 0; i < op->nnum; i++) {
        if (nv8_arg_number(call, 1 + op->nin + i, &req->num[i]) != NV8_OK) {
            nv8_crypto_free(req);
            return NV8_ERROR;
        }
    }

    if (!(magic & NV8_CRYPTO_ASYNC)) {
        op->run(req);

        if (req->code != NULL) {
            nv8_throw(call, NV8_ERROR_PLAIN, req->code, "%s", req->err);
            nv8_crypto_free(req);
            return NV8_ERROR;
        }

        nv8_return_bytes(call, req->out, req->outlen);
        nv8_crypto_free(req);

        return NV8_OK;
    }

    req->promise = nv8_promise_create(call);
    if (req->promise == NULL) {
        nv8_crypto_free(req);
        return NV8_ERROR;
    }

    rc = uv_queue_work(&rt->loop, &req->work, nv8_crypto_work,
                       nv8_crypto_done);
    if (rc != 0) {
        nv8_promise_reject_errno(req->promise, rc, "uv_queue_work");
        nv8_crypto_free(req);
        return NV8_OK;
    }

    rt->work++;

    return NV8_OK;
}


/* runs on the thread pool */
static void
nv8_crypto_work(uv_work_t *work)
{
    nv8_crypto_req_t  *req;

    req = work->data;

    nv8_crypto_ops[req->op >> 1].run(req);
}


static void
nv8_crypto_done(uv_work_t *work, int status)
{
    nv8_crypto_req_t  *req;

    req = work->data;

    req->rt->work--;

    if (req->rt->destroying) {
        nv8_promise_drop(req->promise);

    } else if (status != 0) {
        nv8_promise_reject_errno(req->promise, status, "uv_queue_work");

    } else if (req->code != NULL) {
        nv8_promise_reject_error(req->promise, req->code, req->err);

    } else {
        /* the ArrayBuffer takes over req->out */
        nv8_promise_resolve_bytes(req->promise,
                                  req->out ? req->out : malloc(1),
                                  req->outlen);
        req->out = NULL;
    }

    nv8_crypto_free(req);
}


static void
nv8_crypto_free(nv8_crypto_req_t *req)
{
    size_t  i;

    for (i = 0; i < NV8_CRYPTO_MAX_IN; i++) {
        if (req->in[i] != NULL) {
            OPENSSL_cleanse(req->in[i], req->inlen[i]);
            free(req->in[i]);
        }
    }

    free(req->out);
    free(req);
}


static void
nv8_crypto_fail(nv8_crypto_req_t *req, const char *code, const char *what)
{
    unsigned long  e;

    req->code = code;

    e = ERR_peek_last_error();

    if (e != 0 && strcmp(code, "ERR_CRYPTO_OPERATION_FAILED") == 0) {
        snprintf(req->err, sizeof(req->err), "%s: %s", what,
                 ERR_reason_error_string(e) ? ERR_reason_error_string(e)
                                            : "failed");
    } else {
        snprintf(req->err, sizeof(req->err), "%s", what);
    }

    ERR_clear_error();
}


static int
nv8_crypto_alloc(nv8_crypto_req_t *req, size_t len)
{
    req->out = malloc(len + 1);
    if (req->out == NULL) {
        nv8_crypto_fail(req, "ERR_OUT_OF_MEMORY", "out of memory");
        return -1;
    }

    req->outlen = len;

    return 0;
}


static const EVP_MD *
nv8_crypto_md(nv8_crypto_req_t *req)
{
    const EVP_MD  *md;

    md = EVP_get_digestbyname(req->alg);
    if (md == NULL) {
        snprintf(req->err, sizeof(req->err), "Invalid digest: %s", req->alg);
        req->code = "ERR_CRYPTO_INVALID_DIGEST";
    }

    return md;
}


static void
nv8_crypto_digest(nv8_crypto_req_t *req)
{
    unsigned       len;
    const EVP_MD  *md;

    md = nv8_crypto_md(req);
    if (md == NULL || nv8_crypto_alloc(req, EVP_MAX_MD_SIZE) != 0) {
        return;
    }

    if (!EVP_Digest(req->in[0], req->inlen[0], req->out, &len, md, NULL)) {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "digest");
        return;
    }

    req->outlen = len;
}


static void
nv8_crypto_hmac(nv8_crypto_req_t *req)
{
    unsigned       len;
    const EVP_MD  *md;

    md = nv8_crypto_md(req);
    if (md == NULL || nv8_crypto_alloc(req, EVP_MAX_MD_SIZE) != 0) {
        return;
    }

    if (HMAC(md, req->in[0], (int) req->inlen[0], req->in[1], req->inlen[1],
             req->out, &len) == NULL)
    {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "hmac");
        return;
    }

    req->outlen = len;
}


/* a byte count from JS: an integer in [min, max] */
static int
nv8_crypto_size(nv8_crypto_req_t *req, double v, double min, double max,
    const char *code, const char *what)
{
    if (!(v >= min && v <= max) || v != (double) (int64_t) v) {
        req->code = code;
        snprintf(req->err, sizeof(req->err), "%s", what);
        return -1;
    }

    return 0;
}


static void
nv8_crypto_pbkdf2(nv8_crypto_req_t *req)
{
    const EVP_MD  *md;

    md = nv8_crypto_md(req);
    if (md == NULL
        || nv8_crypto_size(req, req->num[0], 1, INT32_MAX,
                           "ERR_OUT_OF_RANGE", "Invalid iterations") != 0
        || nv8_crypto_size(req, req->num[1], 0, NV8_CRYPTO_MAX_OUT,
                           "ERR_CRYPTO_INVALID_KEYLEN", "Invalid keylen")
           != 0
        || nv8_crypto_alloc(req, (size_t) req->num[1]) != 0)
    {
        return;
    }

    if (!PKCS5_PBKDF2_HMAC((const char *) req->in[0], (int) req->inlen[0],
                           req->in[1], (int) req->inlen[1],
                           (int) req->num[0], md, (int) req->num[1],
                           req->out))
    {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "pbkdf2");
    }
}


static void
nv8_crypto_hkdf(nv8_crypto_req_t *req)
{
    size_t        n;
    EVP_KDF      *kdf;
    OSSL_PARAM    params[5], *p;
    EVP_KDF_CTX  *ctx;

    if (nv8_crypto_md(req) == NULL
        || nv8_crypto_size(req, req->num[0], 0, 255 * 64,
                           "ERR_CRYPTO_INVALID_KEYLEN", "Invalid keylen")
           != 0
        || nv8_crypto_alloc(req, (size_t) req->num[0]) != 0)
    {
        return;
    }

    if (req->outlen == 0) {
        return;
    }

    kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    if (kdf == NULL) {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "hkdf");
        return;
    }

    ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);

    if (ctx == NULL) {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "hkdf");
        return;
    }

    p = params;
    *p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                            req->alg, 0);
    *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                             req->in[0], req->inlen[0]);

    /* an empty salt is HashLen zeros (RFC 5869 2.2), as OpenSSL's
     * default when no salt is set */
    if (req->inlen[1] != 0) {
        *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                                 req->in[1], req->inlen[1]);
    }

    if (req->inlen[2] != 0) {
        *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                                 req->in[2], req->inlen[2]);
    }

    *p = OSSL_PARAM_construct_end();

    n = req->outlen;

    if (EVP_KDF_derive(ctx, req->out, n, params) <= 0) {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "hkdf");
    }

    EVP_KDF_CTX_free(ctx);
}


static void
nv8_crypto_scrypt(nv8_crypto_req_t *req)
{
    if (nv8_crypto_size(req, req->num[4], 0, NV8_CRYPTO_MAX_OUT,
                        "ERR_CRYPTO_INVALID_KEYLEN", "Invalid keylen") != 0
        || nv8_crypto_alloc(req, (size_t) req->num[4]) != 0)
    {
        return;
    }

    if (!EVP_PBE_scrypt((const char *) req->in[0], req->inlen[0],
                        req->in[1], req->inlen[1], (uint64_t) req->num[0],
                        (uint64_t) req->num[1], (uint64_t) req->num[2],
                        (uint64_t) req->num[3], req->out, req->outlen))
    {
        nv8_crypto_fail(req, "ERR_CRYPTO_INVALID_SCRYPT_PARAMS",
                        "Invalid scrypt params");
    }
}


static void
nv8_crypto_cipher(nv8_crypto_req_t *req)
{
    int               enc, aead, len, taglen;
    size_t            total;
    EVP_CIPHER       *cipher;
    EVP_CIPHER_CTX   *ctx;

    enc = req->num[0] != 0;
    taglen = (int) req->num[1];

    cipher = EVP_CIPHER_fetch(NULL, req->alg, NULL);
    if (cipher == NULL) {
        ERR_clear_error();
        req->code = "ERR_CRYPTO_UNKNOWN_CIPHER";
        snprintf(req->err, sizeof(req->err), "Unknown cipher: %s",
                 req->alg);
        return;
    }

    ctx = NULL;
    aead = EVP_CIPHER_get_mode(cipher) == EVP_CIPH_GCM_MODE;

    if ((int) req->inlen[0] != EVP_CIPHER_get_key_length(cipher)) {
        req->code = "ERR_CRYPTO_INVALID_KEYLEN";
        snprintf(req->err, sizeof(req->err), "Invalid key length");
        goto done;
    }

    if (aead ? req->inlen[1] == 0 || req->inlen[1] > 1024
             : (int) req->inlen[1] != EVP_CIPHER_get_iv_length(cipher))
    {
        req->code = "ERR_CRYPTO_INVALID_IV";
        snprintf(req->err, sizeof(req->err), "Invalid initialization vector");
        goto done;
    }

    if (aead && (taglen < 4 || taglen > 16
                 || (!enc && req->inlen[4] != (size_t) taglen)))
    {
        req->code = "ERR_CRYPTO_INVALID_AUTH_TAG";
        snprintf(req->err, sizeof(req->err), "Invalid authentication tag");
        goto done;
    }

    if (nv8_crypto_alloc(req, req->inlen[3] + 32 + (enc ? taglen : 0))
        != 0)
    {
        goto done;
    }

    ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL
        || !EVP_CipherInit_ex(ctx, cipher, NULL, NULL, NULL, enc)
        || (aead && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN,
                                         (int) req->inlen[1], NULL))
        || !EVP_CipherInit_ex(ctx, NULL, NULL, req->in[0], req->in[1], enc)
        || !EVP_CIPHER_CTX_set_padding(ctx, req->num[2] == 0))
    {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "cipher init");
        goto done;
    }

    if (aead && req->inlen[2] != 0
        && !EVP_CipherUpdate(ctx, NULL, &len, req->in[2],
                             (int) req->inlen[2]))
    {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "cipher aad");
        goto done;
    }

    if (!EVP_CipherUpdate(ctx, req->out, &len, req->in[3],
                          (int) req->inlen[3]))
    {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "cipher");
        goto done;
    }

    total = len;

    if (aead && !enc
        && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, taglen,
                                req->in[4]))
    {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "cipher tag");
        goto done;
    }

    if (!EVP_CipherFinal_ex(ctx, req->out + total, &len)) {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED",
                        aead ? "Unsupported state or unable to authenticate"
                               " data"
                             : "bad decrypt");
        goto done;
    }

    total += len;

    if (aead && enc) {
        if (!EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, taglen,
                                 req->out + total))
        {
            nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "cipher tag");
            goto done;
        }

        total += taglen;
    }

    req->outlen = total;

done:

    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(cipher);
}


/*
 * sign/verify with a DER key: PKCS#8 to sign, SubjectPublicKeyInfo to
 * verify.  RSA takes num[0] (0: PKCS#1 v1.5, 1: PSS) and num[1] (the PSS
 * salt length); ECDSA signatures are IEEE P1363 (r || s, as WebCrypto)
 * when num[2] is set, else DER (as node:crypto).  Ed25519 takes alg "".
 */
static void
nv8_crypto_sign(nv8_crypto_req_t *req)
{
    int                   verify, rc, id;
    size_t                len, half;
    EVP_PKEY             *pkey;
    EVP_MD_CTX           *mctx;
    EVP_PKEY_CTX         *pctx;
    const EVP_MD         *md;
    ECDSA_SIG            *esig;
    BIGNUM               *r, *s;
    unsigned char        *der, *sig;
    const BIGNUM         *cr, *cs;
    const unsigned char  *p;

    verify = (req->op == NV8_CRYPTO_VERIFY);
    rc = 0;
    md = NULL;
    mctx = NULL;
    esig = NULL;
    der = NULL;

    if (req->alg[0] != '\0') {
        md = nv8_crypto_md(req);
        if (md == NULL) {
            return;
        }
    }

    p = req->in[0];
    pkey = verify ? d2i_PUBKEY(NULL, &p, (long) req->inlen[0])
                  : d2i_AutoPrivateKey(NULL, &p, (long) req->inlen[0]);
    if (pkey == NULL) {
        nv8_crypto_fail(req, "ERR_CRYPTO_INVALID_KEY", "Invalid key data");
        return;
    }

    id = EVP_PKEY_get_base_id(pkey);
    half = (EVP_PKEY_get_bits(pkey) + 7) / 8;

    mctx = EVP_MD_CTX_new();
    if (mctx == NULL
        || (verify ? EVP_DigestVerifyInit(mctx, &pctx, md, NULL, pkey)
                   : EVP_DigestSignInit(mctx, &pctx, md, NULL, pkey)) != 1)
    {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "sign init");
        goto done;
    }

    if (id == EVP_PKEY_RSA && req->num[0] == 1
        && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, (int) req->num[1])
               != 1))
    {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "rsa-pss");
        goto done;
    }

    if (!verify) {
        if (EVP_DigestSign(mctx, NULL, &len, req->in[1], req->inlen[1]) != 1
            || nv8_crypto_alloc(req, len) != 0)
        {
            if (req->code == NULL) {
                nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "sign");
            }
            goto done;
        }

        if (EVP_DigestSign(mctx, req->out, &len, req->in[1], req->inlen[1])
            != 1)
        {
            nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "sign");
            goto done;
        }

        req->outlen = len;

        if (id == EVP_PKEY_EC && req->num[2] != 0) {
            p = req->out;
            esig = d2i_ECDSA_SIG(NULL, &p, (long) len);
            if (esig == NULL) {
                nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "sign");
                goto done;
            }

            ECDSA_SIG_get0(esig, &cr, &cs);

            if (BN_bn2binpad(cr, req->out, (int) half) < 0
                || BN_bn2binpad(cs, req->out + half, (int) half) < 0)
            {
                nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "sign");
                goto done;
            }

            req->outlen = 2 * half;
        }

        goto done;
    }

    sig = req->in[2];
    len = req->inlen[2];

    if (id == EVP_PKEY_EC && req->num[2] != 0) {
        if (len != 2 * half) {
            goto verified;                  /* a wrong size never verifies */
        }

        esig = ECDSA_SIG_new();
        r = BN_bin2bn(sig, (int) half, NULL);
        s = BN_bin2bn(sig + half, (int) half, NULL);

        if (esig == NULL || r == NULL || s == NULL
            || !ECDSA_SIG_set0(esig, r, s))
        {
            BN_free(r);
            BN_free(s);
            nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "verify");
            goto done;
        }

        rc = i2d_ECDSA_SIG(esig, &der);
        if (rc <= 0) {
            nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "verify");
            goto done;
        }

        sig = der;
        len = rc;
    }

    rc = EVP_DigestVerify(mctx, sig, len, req->in[1], req->inlen[1]);

verified:

    ERR_clear_error();

    if (nv8_crypto_alloc(req, 1) == 0) {
        req->out[0] = (id == EVP_PKEY_EC && req->num[2] != 0
                       && req->inlen[2] != 2 * half) ? 0 : (rc == 1);
    }

done:

    OPENSSL_free(der);
    ECDSA_SIG_free(esig);
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_free(pkey);
}


/*
 * A key pair as DER: [4-byte big-endian PKCS#8 length] PKCS#8 || SPKI.
 * alg: "rsa" (num[0] bits, num[1] public exponent), "ec:<group>" (an
 * OpenSSL group name, "P-256"), "ed25519".
 */
static void
nv8_crypto_keygen(nv8_crypto_req_t *req)
{
    int                   n1, n2;
    BIGNUM               *e;
    EVP_PKEY             *pkey;
    OSSL_PARAM            params[3];
    EVP_PKEY_CTX         *ctx;
    unsigned char        *p;
    PKCS8_PRIV_KEY_INFO  *p8;

    pkey = NULL;
    e = NULL;
    ctx = NULL;
    p8 = NULL;

    if (strcmp(req->alg, "rsa") == 0) {
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
        e = BN_new();

        if (ctx == NULL || e == NULL
            || !BN_set_word(e, (BN_ULONG) req->num[1])
            || EVP_PKEY_keygen_init(ctx) != 1
            || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int) req->num[0]) != 1
            || EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) != 1)
        {
            goto failed;
        }

    } else if (strncmp(req->alg, "ec:", 3) == 0) {
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        params[0] = OSSL_PARAM_construct_utf8_string(
                        OSSL_PKEY_PARAM_GROUP_NAME, req->alg + 3, 0);
        params[1] = OSSL_PARAM_construct_end();

        if (ctx == NULL
            || EVP_PKEY_keygen_init(ctx) != 1
            || EVP_PKEY_CTX_set_params(ctx, params) != 1)
        {
            goto failed;
        }

    } else if (strcmp(req->alg, "ed25519") == 0) {
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "ED25519", NULL);

        if (ctx == NULL || EVP_PKEY_keygen_init(ctx) != 1) {
            goto failed;
        }

    } else {
        req->code = "ERR_CRYPTO_INVALID_DIGEST";
        snprintf(req->err, sizeof(req->err), "Unknown key type");
        return;
    }

    if (EVP_PKEY_generate(ctx, &pkey) != 1) {
        goto failed;
    }

    p8 = EVP_PKEY2PKCS8(pkey);
    if (p8 == NULL) {
        goto failed;
    }

    n1 = i2d_PKCS8_PRIV_KEY_INFO(p8, NULL);
    n2 = i2d_PUBKEY(pkey, NULL);

    if (n1 <= 0 || n2 <= 0) {
        goto failed;
    }

    if (nv8_crypto_alloc(req, 4 + n1 + n2) != 0) {
        goto done;
    }

    req->out[0] = (unsigned char) (n1 >> 24);
    req->out[1] = (unsigned char) (n1 >> 16);
    req->out[2] = (unsigned char) (n1 >> 8);
    req->out[3] = (unsigned char) n1;

    p = req->out + 4;
    i2d_PKCS8_PRIV_KEY_INFO(p8, &p);
    i2d_PUBKEY(pkey, &p);

    goto done;

failed:

    nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "key generation");

done:

    PKCS8_PRIV_KEY_INFO_free(p8);
    BN_free(e);
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(ctx);
}


/* the SubjectPublicKeyInfo of a consistent PKCS#8 private key (JWK) */
static void
nv8_crypto_pubkey(nv8_crypto_req_t *req)
{
    int                   n, rc;
    EVP_PKEY             *pkey;
    EVP_PKEY_CTX         *ctx;
    unsigned char        *p;
    const unsigned char  *in;

    in = req->in[0];

    pkey = d2i_AutoPrivateKey(NULL, &in, (long) req->inlen[0]);
    if (pkey == NULL) {
        nv8_crypto_fail(req, "ERR_CRYPTO_INVALID_KEY", "Invalid key data");
        return;
    }

    /* a key whose public part does not belong to its private part
     * (an RSA n, an EC point from another key) is refused; -2 means the
     * key type has nothing to check */
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    rc = ctx ? EVP_PKEY_pairwise_check(ctx) : 0;
    EVP_PKEY_CTX_free(ctx);

    if (rc != 1 && rc != -2) {
        nv8_crypto_fail(req, "ERR_CRYPTO_INVALID_KEY", "Invalid key data");
        EVP_PKEY_free(pkey);
        return;
    }

    ERR_clear_error();

    n = i2d_PUBKEY(pkey, NULL);

    if (n <= 0) {
        nv8_crypto_fail(req, "ERR_CRYPTO_OPERATION_FAILED", "public key");

    } else if (nv8_crypto_alloc(req, n) == 0) {
        p = req->out;
        i2d_PUBKEY(pkey, &p);
    }

    EVP_PKEY_free(pkey);
}


/* crypto.getRandomValues(): fills the view in place */
static nv8_int_t
nv8_crypto_random_fill(nv8_call_t *call)
{
    size_t          len;
    unsigned char  *data;

    if (nv8_arg_bytes_data(call, 0, &data, &len) != NV8_OK) {
        return NV8_ERROR;
    }

    if (len != 0 && RAND_bytes(data, (int) len) != 1) {
        ERR_clear_error();
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_CRYPTO_OPERATION_FAILED",
                         "RAND_bytes() failed");
    }

    return NV8_OK;
}


static nv8_int_t
nv8_crypto_timing_safe_equal(nv8_call_t *call)
{
    size_t          alen, blen;
    unsigned char  *a, *b;

    if (nv8_arg_bytes_data(call, 0, &a, &alen) != NV8_OK
        || nv8_arg_bytes_data(call, 1, &b, &blen) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (alen != blen) {
        return nv8_throw(call, NV8_ERROR_RANGE,
                         "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH",
                         "Input buffers must have the same byte length");
    }

    nv8_return_bool(call, CRYPTO_memcmp(a, b, alen) == 0);

    return NV8_OK;
}
