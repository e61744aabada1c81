
/*
 * Copyright (C) nv8 contributors
 *
 * zlib: deflate and inflate (zlib) and Brotli streams, for node:zlib and
 * the web's CompressionStream (lib/internal/zlib.js).
 *
 * A stream's codec state lives in an nv8_zlib_t that a native object
 * (nv8_return_object()) owns; it is freed exactly once, by the object's
 * finalizer when the object is collected or the runtime destroyed, or by
 * a job's completion when the finalizer ran while the job was on the
 * pool.  close() ends the codec early (at the job's completion if one is
 * running).  While a job runs, the pool thread alone touches the codec
 * and the stream's pending input: every method refuses a busy stream.
 *
 * write() (streams) runs one step on the pool: it consumes the pending
 * input until the output chunk is full, and reports through status()
 * whether to call again.  process() (async, on the pool) and
 * processSync() (on the calling thread, blocking) take a whole input and
 * return all of the output, up to a limit.  Errors carry Node's code
 * ("Z_DATA_ERROR", ...) and message; lib/ adds the errno and the class.
 */


#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <brotli/decode.h>
#include <brotli/encode.h>

#include "nv8_internal.h"


/* Node's mode numbers (zlib.constants) */
#define NV8_ZLIB_DEFLATE         1
#define NV8_ZLIB_INFLATE         2
#define NV8_ZLIB_GZIP            3
#define NV8_ZLIB_GUNZIP          4
#define NV8_ZLIB_DEFLATERAW      5
#define NV8_ZLIB_INFLATERAW      6
#define NV8_ZLIB_UNZIP           7
#define NV8_ZLIB_BROTLI_DECODE   8
#define NV8_ZLIB_BROTLI_ENCODE   9

/* create() flags */
#define NV8_ZLIB_REJECT_TRAILING 1     /* data after the end is an error */

/* method magic */
#define NV8_ZLIB_ASYNC           1

#define NV8_ZLIB_MAX_PARAMS      16
#define NV8_ZLIB_MIN_CHUNK       64

/* what one codec call left to do */
#define NV8_ZLIB_AGAIN           0     /* call again (output was full) */
#define NV8_ZLIB_DONE            1     /* input consumed, output flushed */
#define NV8_ZLIB_END             2     /* the end of the stream */
#define NV8_ZLIB_FAILED          3


/*
 * No bit-fields: the pool thread writes "ended" while the loop thread may
 * set "closed" or "collected", so each flag is its own memory location.
 */
typedef struct {
    int                       mode;
    unsigned char             busy;         /* a job is on the pool */
    unsigned char             closed;       /* close() was called */
    unsigned char             collected;    /* the JS object is gone */
    unsigned char             codec;        /* the codec is initialised */
    unsigned char             ended;        /* the stream's end was seen */
    unsigned char             reject_trailing;
    int                       gzip_id;      /* UNZIP: magic bytes seen */
    int                       opts[4];      /* level, windowBits, memLevel,
                                               strategy */
    int                       params[NV8_ZLIB_MAX_PARAMS * 2];
    size_t                    nparams;      /* Brotli (key, value) pairs */
    z_stream                  strm;
    BrotliEncoderState       *enc;
    BrotliDecoderState       *dec;
    unsigned char            *dict;
    size_t                    dict_len;
    unsigned char            *in;           /* write()'s pending input,
                                               a copy */
    size_t                    in_len;
    size_t                    in_pos;
    double                    status;       /* of the last write() */
} nv8_zlib_t;


/* one run of the codec: a pool job, or a synchronous call's */
typedef struct {
    nv8_runtime_t            *rt;
    nv8_zlib_t               *z;
    nv8_promise_t            *promise;
    int                       flush;
    unsigned                  grow:1;       /* all output, not one chunk */
    unsigned                  more:1;       /* the chunk was filled */
    unsigned                  end:1;
    unsigned char            *out;
    size_t                    out_len;
    size_t                    out_size;
    size_t                    out_max;
    const char               *code;         /* NULL: success */
    char                      msg[96];
} nv8_zlib_job_t;


static nv8_int_t nv8_zlib_create(nv8_call_t *call);
static nv8_int_t nv8_zlib_write(nv8_call_t *call);
static nv8_int_t nv8_zlib_process(nv8_call_t *call);
static nv8_int_t nv8_zlib_status(nv8_call_t *call);
static nv8_int_t nv8_zlib_reset(nv8_call_t *call);
static nv8_int_t nv8_zlib_params(nv8_call_t *call);
static nv8_int_t nv8_zlib_close(nv8_call_t *call);
static nv8_int_t nv8_zlib_crc32(nv8_call_t *call);
static nv8_int_t nv8_zlib_version(nv8_call_t *call);
static nv8_int_t nv8_zlib_get(nv8_call_t *call, nv8_zlib_t **zp);
static nv8_int_t nv8_zlib_throw(nv8_call_t *call, nv8_zlib_job_t *job);
static nv8_int_t nv8_zlib_submit(nv8_call_t *call, nv8_zlib_job_t *job);
static int nv8_zlib_init(nv8_zlib_t *z, nv8_zlib_job_t *job);
static void nv8_zlib_end(nv8_zlib_t *z);
static void nv8_zlib_fin(void *data);
static void nv8_zlib_run(nv8_zlib_job_t *job);
static int nv8_zlib_step(nv8_zlib_job_t *job);
static int nv8_zlib_step_deflate(nv8_zlib_job_t *job);
static int nv8_zlib_step_inflate(nv8_zlib_job_t *job);
static int nv8_zlib_step_brotli_encode(nv8_zlib_job_t *job);
static int nv8_zlib_step_brotli_decode(nv8_zlib_job_t *job);
static int nv8_zlib_fail(nv8_zlib_job_t *job, const char *code,
    const char *msg);
static int nv8_zlib_zerror(nv8_zlib_job_t *job, int err, const char *msg);
static int nv8_zlib_trailing(nv8_zlib_job_t *job);
static const char *nv8_zlib_brotli_code(BrotliDecoderErrorCode e);
static void nv8_zlib_work(void *data);
static void nv8_zlib_done(void *data, int status);
static void nv8_zlib_job_free(nv8_zlib_job_t *job);


static const nv8_class_t  nv8_zlib_class = {
    "zlib",
    nv8_zlib_fin
};


static const nv8_method_t  nv8_zlib_methods[] = {

    { "create",       nv8_zlib_create,    0 },
    { "write",        nv8_zlib_write,     0 },
    { "process",      nv8_zlib_process,   NV8_ZLIB_ASYNC },
    { "processSync",  nv8_zlib_process,   0 },
    { "status",       nv8_zlib_status,    0 },
    { "reset",        nv8_zlib_reset,     0 },
    { "params",       nv8_zlib_params,    0 },
    { "close",        nv8_zlib_close,     0 },
    { "crc32",        nv8_zlib_crc32,     0 },
    { "version",      nv8_zlib_version,   0 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  nv8_zlib_binding = {
    "zlib",
    nv8_zlib_methods
};


/*
 * create(mode, flags, options, dictionary): options is an Int32Array,
 * [level, windowBits, memLevel, strategy] for zlib's modes, (key, value)
 * pairs of parameters for Brotli's.
 */
static nv8_int_t
nv8_zlib_create(nv8_call_t *call)
{
    size_t           n, external;
    double           mode, flags;
    nv8_zlib_t      *z;
    unsigned char   *p;
    nv8_zlib_job_t   job;

    if (nv8_arg_number(call, 0, &mode) != NV8_OK
        || nv8_arg_number(call, 1, &flags) != NV8_OK
        || nv8_arg_bytes_data(call, 2, &p, &n) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (mode < NV8_ZLIB_DEFLATE || mode > NV8_ZLIB_BROTLI_ENCODE
        || n % sizeof(int) != 0 || n > sizeof(((nv8_zlib_t *) 0)->params))
    {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_VALUE",
                         "bad zlib mode or options");
    }

    z = calloc(1, sizeof(nv8_zlib_t));
    if (z == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    z->mode = (int) mode;
    z->reject_trailing = ((int) flags & NV8_ZLIB_REJECT_TRAILING) != 0;

    if (z->mode >= NV8_ZLIB_BROTLI_DECODE) {
        memcpy(z->params, p, n);
        z->nparams = n / sizeof(int) / 2;

    } else {
        if (n != sizeof(z->opts)) {
            free(z);
            return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_VALUE",
                             "bad zlib options");
        }

        memcpy(z->opts, p, n);
    }

    if (!nv8_arg_is_nullish(call, 3)) {
        if (nv8_arg_bytes_data(call, 3, &p, &n) != NV8_OK) {
            free(z);
            return NV8_ERROR;
        }

        z->dict = malloc(n + 1);
        if (z->dict == NULL) {
            free(z);
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        memcpy(z->dict, p, n);
        z->dict_len = n;
    }

    memset(&job, 0, sizeof(job));
    job.z = z;

    if (nv8_zlib_init(z, &job) != 0) {
        nv8_zlib_end(z);
        free(z);
        return nv8_zlib_throw(call, &job);
    }

    /* a hint for V8's GC: zlib's documented memory use, Brotli's rough */
    switch (z->mode) {
    case NV8_ZLIB_DEFLATE:
    case NV8_ZLIB_GZIP:
    case NV8_ZLIB_DEFLATERAW:
        external = ((size_t) 1 << (z->opts[1] + 2))
                   + ((size_t) 1 << (z->opts[2] + 9));
        break;
    case NV8_ZLIB_BROTLI_ENCODE:
        external = 4 * 1024 * 1024;
        break;
    case NV8_ZLIB_BROTLI_DECODE:
        external = 256 * 1024;
        break;
    default:
        external = 32768 + 7168;
    }

    if (nv8_return_object(call, &nv8_zlib_class, z, external) != NV8_OK) {
        nv8_zlib_end(z);
        free(z);
        return NV8_ERROR;
    }

    return NV8_OK;
}


/* initialises the codec; on failure fills job's error */
static int
nv8_zlib_init(nv8_zlib_t *z, nv8_zlib_job_t *job)
{
    int     rc, level, wbits, mem, strategy;
    size_t  i;

    z->ended = 0;
    z->gzip_id = 0;

    if (z->mode == NV8_ZLIB_BROTLI_ENCODE) {
        z->enc = BrotliEncoderCreateInstance(NULL, NULL, NULL);
        if (z->enc == NULL) {
            return nv8_zlib_fail(job, "ERR_ZLIB_INITIALIZATION_FAILED",
                                 "Initialization failed");
        }

        z->codec = 1;

        for (i = 0; i < z->nparams; i++) {
            if (!BrotliEncoderSetParameter(z->enc, z->params[2 * i],
                                           (uint32_t) z->params[2 * i + 1]))
            {
                return nv8_zlib_fail(job, "ERR_ZLIB_INITIALIZATION_FAILED",
                                 "Initialization failed");
            }
        }

        return 0;
    }

    if (z->mode == NV8_ZLIB_BROTLI_DECODE) {
        z->dec = BrotliDecoderCreateInstance(NULL, NULL, NULL);
        if (z->dec == NULL) {
            return nv8_zlib_fail(job, "ERR_ZLIB_INITIALIZATION_FAILED",
                                 "Initialization failed");
        }

        z->codec = 1;

        for (i = 0; i < z->nparams; i++) {
            if (!BrotliDecoderSetParameter(z->dec, z->params[2 * i],
                                           (uint32_t) z->params[2 * i + 1]))
            {
                return nv8_zlib_fail(job, "ERR_ZLIB_INITIALIZATION_FAILED",
                                 "Initialization failed");
            }
        }

        return 0;
    }

    level = z->opts[0];
    wbits = z->opts[1];
    mem = z->opts[2];
    strategy = z->opts[3];

    switch (z->mode) {
    case NV8_ZLIB_GZIP:
    case NV8_ZLIB_GUNZIP:
        wbits += 16;
        break;
    case NV8_ZLIB_UNZIP:
        wbits += 32;
        break;
    case NV8_ZLIB_DEFLATERAW:
        /* zlib refuses 8 for raw deflate; 9 makes the same stream */
        wbits = (wbits == 8) ? -9 : -wbits;
        break;
    case NV8_ZLIB_INFLATERAW:
        wbits = -wbits;
        break;
    }

    memset(&z->strm, 0, sizeof(z_stream));

    switch (z->mode) {
    case NV8_ZLIB_DEFLATE:
    case NV8_ZLIB_GZIP:
    case NV8_ZLIB_DEFLATERAW:
        rc = deflateInit2(&z->strm, level, Z_DEFLATED, wbits, mem, strategy);
        break;
    default:
        rc = inflateInit2(&z->strm, wbits);
    }

    if (rc != Z_OK) {
        return nv8_zlib_zerror(job, rc, "Init error");
    }

    z->codec = 1;

    if (z->dict == NULL) {
        return 0;
    }

    /* inflate takes the dictionary when the stream asks for it (step) */
    switch (z->mode) {
    case NV8_ZLIB_DEFLATE:
    case NV8_ZLIB_DEFLATERAW:
        rc = deflateSetDictionary(&z->strm, z->dict, (uInt) z->dict_len);
        break;
    case NV8_ZLIB_INFLATERAW:
        rc = inflateSetDictionary(&z->strm, z->dict, (uInt) z->dict_len);
        break;
    default:
        rc = Z_OK;
    }

    if (rc != Z_OK) {
        return nv8_zlib_zerror(job, rc, "Failed to set dictionary");
    }

    return 0;
}


/* ends the codec and drops the pending input; the dictionary stays */
static void
nv8_zlib_end(nv8_zlib_t *z)
{
    if (z->codec) {
        z->codec = 0;

        switch (z->mode) {
        case NV8_ZLIB_DEFLATE:
        case NV8_ZLIB_GZIP:
        case NV8_ZLIB_DEFLATERAW:
            (void) deflateEnd(&z->strm);
            break;
        case NV8_ZLIB_BROTLI_ENCODE:
            BrotliEncoderDestroyInstance(z->enc);
            z->enc = NULL;
            break;
        case NV8_ZLIB_BROTLI_DECODE:
            BrotliDecoderDestroyInstance(z->dec);
            z->dec = NULL;
            break;
        default:
            (void) inflateEnd(&z->strm);
        }
    }

    free(z->in);
    z->in = NULL;
    z->in_len = 0;
    z->in_pos = 0;
}


/* the native object's finalizer: inside V8's GC, so C only */
static void
nv8_zlib_fin(void *data)
{
    nv8_zlib_t  *z = data;

    if (z->busy) {
        /* the job's completion frees it */
        z->collected = 1;
        return;
    }

    nv8_zlib_end(z);
    free(z->dict);
    free(z);
}


static nv8_int_t
nv8_zlib_get(nv8_call_t *call, nv8_zlib_t **zp)
{
    nv8_zlib_t  *z;

    if (nv8_arg_object(call, 0, &nv8_zlib_class, (void **) zp) != NV8_OK) {
        return NV8_ERROR;
    }

    z = *zp;

    if (z->busy) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_ZLIB_BUSY",
                         "a write is already in progress");
    }

    if (z->closed) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_ZLIB_BINDING_CLOSED",
                         "zlib binding closed");
    }

    return NV8_OK;
}


/*
 * write(handle, flush, input, chunkSize): the next output chunk on the
 * pool.  input (copied) becomes the pending input; null continues with
 * what is left of it.
 */
static nv8_int_t
nv8_zlib_write(nv8_call_t *call)
{
    size_t           n;
    double           flush, chunk;
    nv8_zlib_t      *z;
    unsigned char   *in;
    nv8_zlib_job_t  *job;

    if (nv8_zlib_get(call, &z) != NV8_OK
        || nv8_arg_number(call, 1, &flush) != NV8_OK
        || nv8_arg_number(call, 3, &chunk) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (!(chunk >= NV8_ZLIB_MIN_CHUNK && chunk <= 1024 * 1024 * 1024)) {
        return nv8_throw(call, NV8_ERROR_RANGE, "ERR_OUT_OF_RANGE",
                         "bad chunk size");
    }

    if (!nv8_arg_is_nullish(call, 2)) {
        if (nv8_arg_bytes_size(call, 2, &n) != NV8_OK) {
            return NV8_ERROR;
        }

        in = malloc(n + 1);
        if (in == NULL) {
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        if (nv8_arg_bytes_copy(call, 2, in, n) != NV8_OK) {
            free(in);
            return NV8_ERROR;
        }

        free(z->in);
        z->in = in;
        z->in_len = n;
        z->in_pos = 0;
    }

    job = calloc(1, sizeof(nv8_zlib_job_t));
    if (job == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    job->z = z;
    job->flush = (int) flush;
    job->out_size = (size_t) chunk;
    job->out_max = (size_t) chunk;

    job->out = malloc(job->out_size);
    if (job->out == NULL) {
        free(job);
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    return nv8_zlib_submit(call, job);
}


/*
 * process(handle, flush, input, maxOutputLength): all of input's output,
 * on the pool (a promise) or, as processSync, now.
 */
static nv8_int_t
nv8_zlib_process(nv8_call_t *call)
{
    size_t           n;
    double           flush, max;
    nv8_int_t        rc;
    nv8_zlib_t      *z;
    nv8_zlib_job_t  *job;

    if (nv8_zlib_get(call, &z) != NV8_OK
        || nv8_arg_number(call, 1, &flush) != NV8_OK
        || nv8_arg_bytes_size(call, 2, &n) != NV8_OK
        || nv8_arg_number(call, 3, &max) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (!(max >= 0 && max <= (double) SIZE_MAX / 2)) {
        return nv8_throw(call, NV8_ERROR_RANGE, "ERR_OUT_OF_RANGE",
                         "bad maxOutputLength");
    }

    job = calloc(1, sizeof(nv8_zlib_job_t));
    if (job == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    job->z = z;
    job->flush = (int) flush;
    job->grow = 1;
    job->out_max = (size_t) max;

    /* copied even when synchronous: one code path */
    free(z->in);
    z->in = malloc(n + 1);
    z->in_len = 0;
    z->in_pos = 0;

    if (z->in == NULL) {
        free(job);
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    if (nv8_arg_bytes_copy(call, 2, z->in, n) != NV8_OK) {
        free(job);
        return NV8_ERROR;
    }

    z->in_len = n;

    /* room for the input once over, at least 16 KB; it grows from there */
    job->out_size = n < 16384 ? 16384 : n;
    if (job->out_size > job->out_max + 1) {
        job->out_size = job->out_max + 1;
    }

    job->out = malloc(job->out_size);
    if (job->out == NULL) {
        free(job);
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    if (nv8_call_magic(call) & NV8_ZLIB_ASYNC) {
        return nv8_zlib_submit(call, job);
    }

    nv8_zlib_run(job);

    free(z->in);
    z->in = NULL;
    z->in_len = 0;
    z->in_pos = 0;

    if (job->code != NULL) {
        rc = nv8_zlib_throw(call, job);

    } else {
        nv8_return_bytes(call, job->out, job->out_len);
        rc = NV8_OK;
    }

    nv8_zlib_job_free(job);

    return rc;
}


static nv8_int_t
nv8_zlib_submit(nv8_call_t *call, nv8_zlib_job_t *job)
{
    nv8_runtime_t  *rt;

    rt = nv8_call_runtime(call);
    job->rt = rt;

    job->promise = nv8_promise_create(call);
    if (job->promise == NULL) {
        nv8_zlib_job_free(job);
        return NV8_ERROR;
    }

    if (nv8_queue_work(rt, nv8_zlib_work, nv8_zlib_done, job) != NV8_OK) {
        nv8_promise_reject_error(job->promise, "ERR_ZLIB_QUEUE",
                                 "cannot queue zlib work");
        nv8_zlib_job_free(job);
        return NV8_OK;
    }

    job->z->busy = 1;

    return NV8_OK;
}


/* runs on the thread pool: touches the job and its stream only */
static void
nv8_zlib_work(void *data)
{
    nv8_zlib_run(data);
}


static void
nv8_zlib_done(void *data, int status)
{
    nv8_zlib_job_t  *job = data;
    nv8_zlib_t      *z = job->z;
    nv8_promise_t   *p = job->promise;
    unsigned char   *out;
    size_t           len;

    z->busy = 0;

    if (z->collected) {
        /* nothing in JS can reach the stream any more */
        nv8_zlib_end(z);
        free(z->dict);
        free(z);
        job->z = NULL;
        z = NULL;

    } else if (z->closed) {
        nv8_zlib_end(z);

    } else if (job->code == NULL && status == 0) {
        z->status = (job->end ? 1 : 0) + (job->more ? 2 : 0)
                    + 4.0 * (double) (z->in_len - z->in_pos);

        if (z->in_pos == z->in_len && !job->grow) {
            free(z->in);
            z->in = NULL;
            z->in_len = 0;
            z->in_pos = 0;
        }
    }

    if (job->grow && z != NULL) {
        free(z->in);
        z->in = NULL;
        z->in_len = 0;
        z->in_pos = 0;
    }

    /*
     * Settling runs JS, which may close the stream, start the next job
     * or let the object be collected: the stream is not touched after.
     */

    if (job->rt->destroying) {
        nv8_promise_drop(p);

    } else if (status != 0) {
        nv8_promise_reject_error(p, "ERR_ZLIB_QUEUE", uv_strerror(status));

    } else if (z == NULL || z->closed) {
        nv8_promise_resolve_bytes(p, malloc(1), 0);

    } else if (job->code != NULL) {
        nv8_promise_reject_error(p, job->code, job->msg);

    } else {
        /* the ArrayBuffer takes over the output */
        out = job->out;
        len = job->out_len;
        job->out = NULL;

        nv8_promise_resolve_bytes(p, out, len);
    }

    nv8_zlib_job_free(job);
}


static void
nv8_zlib_job_free(nv8_zlib_job_t *job)
{
    free(job->out);
    free(job);
}


/* the codec's loop: until one chunk is full (write) or all is done */
static void
nv8_zlib_run(nv8_zlib_job_t *job)
{
    int             rc;
    size_t          size, in_pos, out_len;
    unsigned char  *p;

    for ( ;; ) {
        if (job->out_len == job->out_size) {
            if (!job->grow) {
                job->more = 1;
                return;
            }

            if (job->out_size > job->out_max) {
                snprintf(job->msg, sizeof(job->msg),
                         "Cannot create a Buffer larger than %zu bytes",
                         job->out_max);
                job->code = "ERR_BUFFER_TOO_LARGE";
                return;
            }

            size = job->out_size * 2;
            if (size > job->out_max + 1) {
                size = job->out_max + 1;
            }

            p = realloc(job->out, size);
            if (p == NULL) {
                (void) nv8_zlib_fail(job, "Z_MEM_ERROR", "out of memory");
                return;
            }

            job->out = p;
            job->out_size = size;
        }

        in_pos = job->z->in_pos;
        out_len = job->out_len;

        rc = nv8_zlib_step(job);

        switch (rc) {

        case NV8_ZLIB_AGAIN:
            if (job->out_len == job->out_size
                || job->z->in_pos != in_pos || job->out_len != out_len)
            {
                continue;
            }

            /* no progress with room left: nothing more to do */
            return;

        case NV8_ZLIB_END:
            job->end = 1;

            if (job->out_len > job->out_max) {
                continue;      /* reports the size */
            }

            return;

        case NV8_ZLIB_DONE:
            if (job->out_len > job->out_max) {
                continue;
            }

            return;

        default:
            return;
        }
    }
}


static int
nv8_zlib_step(nv8_zlib_job_t *job)
{
    nv8_zlib_t  *z = job->z;

    if (!z->codec) {
        return nv8_zlib_fail(job, "ERR_ZLIB_BINDING_CLOSED",
                             "zlib binding closed");
    }

    switch (z->mode) {
    case NV8_ZLIB_DEFLATE:
    case NV8_ZLIB_GZIP:
    case NV8_ZLIB_DEFLATERAW:
        return nv8_zlib_step_deflate(job);
    case NV8_ZLIB_BROTLI_ENCODE:
        return nv8_zlib_step_brotli_encode(job);
    case NV8_ZLIB_BROTLI_DECODE:
        return nv8_zlib_step_brotli_decode(job);
    default:
        return nv8_zlib_step_inflate(job);
    }
}


static int
nv8_zlib_step_deflate(nv8_zlib_job_t *job)
{
    int          rc;
    nv8_zlib_t  *z = job->z;

    z->strm.next_in = z->in + z->in_pos;
    z->strm.avail_in = (uInt) (z->in_len - z->in_pos);
    z->strm.next_out = job->out + job->out_len;
    z->strm.avail_out = (uInt) (job->out_size - job->out_len);

    rc = deflate(&z->strm, job->flush);

    z->in_pos = z->in_len - z->strm.avail_in;
    job->out_len = job->out_size - z->strm.avail_out;

    switch (rc) {
    case Z_STREAM_END:
        z->ended = 1;
        return NV8_ZLIB_END;
    case Z_OK:
    case Z_BUF_ERROR:
        return z->strm.avail_out == 0 ? NV8_ZLIB_AGAIN : NV8_ZLIB_DONE;
    default:
        return nv8_zlib_zerror(job, rc, "Zlib error");
    }
}


/* Node's inflate: dictionaries, gzip members, "unexpected end of file" */
static int
nv8_zlib_step_inflate(nv8_zlib_job_t *job)
{
    int             rc;
    size_t          left;
    nv8_zlib_t     *z = job->z;
    unsigned char  *next;

    left = z->in_len - z->in_pos;
    next = z->in + z->in_pos;

    if (z->ended && left > 0 && z->reject_trailing) {
        return nv8_zlib_trailing(job);
    }

    /* UNZIP becomes GUNZIP at gzip's magic bytes, for its members */
    while (z->mode == NV8_ZLIB_UNZIP && left > 0) {
        if (*next != (z->gzip_id == 0 ? 0x1f : 0x8b)) {
            z->mode = NV8_ZLIB_INFLATE;
            break;
        }

        next++;
        left--;

        if (++z->gzip_id == 2) {
            z->mode = NV8_ZLIB_GUNZIP;
        }
    }

    z->strm.next_in = z->in + z->in_pos;
    z->strm.avail_in = (uInt) (z->in_len - z->in_pos);
    z->strm.next_out = job->out + job->out_len;
    z->strm.avail_out = (uInt) (job->out_size - job->out_len);

    rc = inflate(&z->strm, job->flush);

    if (rc == Z_NEED_DICT && z->dict != NULL
        && z->mode != NV8_ZLIB_INFLATERAW)
    {
        rc = inflateSetDictionary(&z->strm, z->dict, (uInt) z->dict_len);

        if (rc == Z_OK) {
            rc = inflate(&z->strm, job->flush);

        } else if (rc == Z_DATA_ERROR) {
            /* tells a bad dictionary from bad input */
            rc = Z_NEED_DICT;
        }
    }

    /* another gzip member, or padding (zeros), or trailing garbage */
    while (rc == Z_STREAM_END && z->mode == NV8_ZLIB_GUNZIP
           && !z->reject_trailing && z->strm.avail_in > 0
           && z->strm.next_in[0] != 0x00)
    {
        (void) inflateReset(&z->strm);
        z->ended = 0;
        rc = inflate(&z->strm, job->flush);
    }

    z->in_pos = z->in_len - z->strm.avail_in;
    job->out_len = job->out_size - z->strm.avail_out;

    switch (rc) {

    case Z_STREAM_END:
        z->ended = 1;

        if (z->strm.avail_in > 0 && z->reject_trailing) {
            return nv8_zlib_trailing(job);
        }

        return NV8_ZLIB_END;

    case Z_OK:
    case Z_BUF_ERROR:
        if (z->strm.avail_out == 0) {
            return NV8_ZLIB_AGAIN;
        }

        if (job->flush == Z_FINISH) {
            return nv8_zlib_fail(job, "Z_BUF_ERROR", "unexpected end of file");
        }

        return NV8_ZLIB_DONE;

    case Z_NEED_DICT:
        return nv8_zlib_fail(job, "Z_NEED_DICT",
                             z->dict ? "Bad dictionary"
                                     : "Missing dictionary");

    default:
        return nv8_zlib_zerror(job, rc, "Zlib error");
    }
}


static int
nv8_zlib_step_brotli_encode(nv8_zlib_job_t *job)
{
    size_t                avail_in, avail_out;
    nv8_zlib_t           *z = job->z;
    unsigned char        *next_out;
    const unsigned char  *next_in;

    next_in = z->in + z->in_pos;
    avail_in = z->in_len - z->in_pos;
    next_out = job->out + job->out_len;
    avail_out = job->out_size - job->out_len;

    if (!BrotliEncoderCompressStream(z->enc,
                                     (BrotliEncoderOperation) job->flush,
                                     &avail_in, &next_in, &avail_out,
                                     &next_out, NULL))
    {
        return nv8_zlib_fail(job, "ERR_BROTLI_COMPRESSION_FAILED",
                             "Compression failed");
    }

    z->in_pos = z->in_len - avail_in;
    job->out_len = job->out_size - avail_out;

    if (avail_out == 0) {
        return NV8_ZLIB_AGAIN;
    }

    if (job->flush == BROTLI_OPERATION_FINISH) {
        if (BrotliEncoderIsFinished(z->enc)) {
            z->ended = 1;
            return NV8_ZLIB_END;
        }

        return NV8_ZLIB_AGAIN;
    }

    if (avail_in > 0 || BrotliEncoderHasMoreOutput(z->enc)) {
        return NV8_ZLIB_AGAIN;
    }

    return NV8_ZLIB_DONE;
}


static int
nv8_zlib_step_brotli_decode(nv8_zlib_job_t *job)
{
    size_t                   avail_in, avail_out;
    nv8_zlib_t              *z = job->z;
    unsigned char           *next_out;
    const unsigned char     *next_in;
    BrotliDecoderResult      rc;
    BrotliDecoderErrorCode   e;

    next_in = z->in + z->in_pos;
    avail_in = z->in_len - z->in_pos;

    if (z->ended) {
        if (avail_in > 0 && z->reject_trailing) {
            return nv8_zlib_trailing(job);
        }

        return NV8_ZLIB_END;
    }

    next_out = job->out + job->out_len;
    avail_out = job->out_size - job->out_len;

    rc = BrotliDecoderDecompressStream(z->dec, &avail_in, &next_in,
                                       &avail_out, &next_out, NULL);

    z->in_pos = z->in_len - avail_in;
    job->out_len = job->out_size - avail_out;

    switch (rc) {

    case BROTLI_DECODER_RESULT_SUCCESS:
        z->ended = 1;

        if (avail_in > 0 && z->reject_trailing) {
            return nv8_zlib_trailing(job);
        }

        return NV8_ZLIB_END;

    case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
        return NV8_ZLIB_AGAIN;

    case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
        if (job->flush == BROTLI_OPERATION_FINISH) {
            return nv8_zlib_fail(job, "Z_BUF_ERROR", "unexpected end of file");
        }

        return NV8_ZLIB_DONE;

    default:
        e = BrotliDecoderGetErrorCode(z->dec);

        return nv8_zlib_fail(job, nv8_zlib_brotli_code(e),
                             "Decompression failed");
    }
}


/* Node's codes: "ERR_" and the error's name without "BROTLI_DECODER" */
static const char *
nv8_zlib_brotli_code(BrotliDecoderErrorCode e)
{
    switch (e) {

#define NV8_ZLIB_BROTLI_CASE(PREFIX, NAME, CODE)                              \
    case BROTLI_DECODER ## PREFIX ## NAME:                                    \
        return "ERR_" #PREFIX #NAME;
#define NV8_ZLIB_BROTLI_SEP

    BROTLI_DECODER_ERROR_CODES_LIST(NV8_ZLIB_BROTLI_CASE, NV8_ZLIB_BROTLI_SEP)

#undef NV8_ZLIB_BROTLI_CASE
#undef NV8_ZLIB_BROTLI_SEP

    default:
        return "ERR_BROTLI_DECOMPRESSION_FAILED";
    }
}


/* lib/ gives the Error its errno from the code */
static int
nv8_zlib_fail(nv8_zlib_job_t *job, const char *code, const char *msg)
{
    job->code = code;
    snprintf(job->msg, sizeof(job->msg), "%s", msg);

    return NV8_ZLIB_FAILED;
}


/* the web's DecompressionStream: nothing may follow the end */
static int
nv8_zlib_trailing(nv8_zlib_job_t *job)
{
    return nv8_zlib_fail(job, "ERR_TRAILING_JUNK_AFTER_STREAM_END",
                         "Trailing junk found after the end of the "
                         "compressed stream");
}


/* zlib's own message if it has one, as Node reports it */
static int
nv8_zlib_zerror(nv8_zlib_job_t *job, int err, const char *msg)
{
    const char  *code;

    switch (err) {
    case Z_NEED_DICT:
        code = "Z_NEED_DICT";
        break;
    case Z_ERRNO:
        code = "Z_ERRNO";
        break;
    case Z_STREAM_ERROR:
        code = "Z_STREAM_ERROR";
        break;
    case Z_DATA_ERROR:
        code = "Z_DATA_ERROR";
        break;
    case Z_MEM_ERROR:
        code = "Z_MEM_ERROR";
        break;
    case Z_BUF_ERROR:
        code = "Z_BUF_ERROR";
        break;
    case Z_VERSION_ERROR:
        code = "Z_VERSION_ERROR";
        break;
    default:
        code = "Z_UNKNOWN_ERROR";
    }

    return nv8_zlib_fail(job, code,
                         job->z != NULL && job->z->strm.msg != NULL
                         ? job->z->strm.msg : msg);
}


static nv8_int_t
nv8_zlib_throw(nv8_call_t *call, nv8_zlib_job_t *job)
{
    return nv8_throw(call, NV8_ERROR_PLAIN, job->code, "%s", job->msg);
}


/* status(handle): of the last write(): ended + 2 * more + 4 * input left */
static nv8_int_t
nv8_zlib_status(nv8_call_t *call)
{
    nv8_zlib_t  *z;

    if (nv8_zlib_get(call, &z) != NV8_OK) {
        return NV8_ERROR;
    }

    nv8_return_number(call, z->status);

    return NV8_OK;
}


static nv8_int_t
nv8_zlib_reset(nv8_call_t *call)
{
    int              rc;
    nv8_zlib_t      *z;
    nv8_zlib_job_t   job;

    if (nv8_zlib_get(call, &z) != NV8_OK) {
        return NV8_ERROR;
    }

    memset(&job, 0, sizeof(job));
    job.z = z;

    z->ended = 0;
    z->gzip_id = 0;
    z->status = 0;

    free(z->in);
    z->in = NULL;
    z->in_len = 0;
    z->in_pos = 0;

    switch (z->mode) {
    case NV8_ZLIB_BROTLI_ENCODE:
    case NV8_ZLIB_BROTLI_DECODE:
        nv8_zlib_end(z);
        if (nv8_zlib_init(z, &job) != 0) {
            nv8_zlib_end(z);
            z->closed = 1;
            return nv8_zlib_throw(call, &job);
        }
        return NV8_OK;
    case NV8_ZLIB_DEFLATE:
    case NV8_ZLIB_GZIP:
    case NV8_ZLIB_DEFLATERAW:
        rc = deflateReset(&z->strm);
        break;
    default:
        rc = inflateReset(&z->strm);
    }

    if (rc == Z_OK && z->dict != NULL) {
        if (z->mode == NV8_ZLIB_DEFLATE || z->mode == NV8_ZLIB_DEFLATERAW) {
            rc = deflateSetDictionary(&z->strm, z->dict, (uInt) z->dict_len);

        } else if (z->mode == NV8_ZLIB_INFLATERAW) {
            rc = inflateSetDictionary(&z->strm, z->dict, (uInt) z->dict_len);
        }
    }

    if (rc != Z_OK) {
        (void) nv8_zlib_zerror(&job, rc, "Failed to reset stream");
        return nv8_zlib_throw(call, &job);
    }

    return NV8_OK;
}


/* params(handle, level, strategy): deflate only; lib/ flushes first */
static nv8_int_t
nv8_zlib_params(nv8_call_t *call)
{
    int              rc;
    double           level, strategy;
    nv8_zlib_t      *z;
    unsigned char    dummy[1];
    nv8_zlib_job_t   job;

    if (nv8_zlib_get(call, &z) != NV8_OK
        || nv8_arg_number(call, 1, &level) != NV8_OK
        || nv8_arg_number(call, 2, &strategy) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (z->mode != NV8_ZLIB_DEFLATE && z->mode != NV8_ZLIB_GZIP
        && z->mode != NV8_ZLIB_DEFLATERAW)
    {
        return NV8_OK;
    }

    /* deflate(Z_BLOCK) inside refuses a NULL buffer, even an empty one */
    z->strm.next_in = dummy;
    z->strm.avail_in = 0;
    z->strm.next_out = dummy;
    z->strm.avail_out = 0;

    rc = deflateParams(&z->strm, (int) level, (int) strategy);

    /* its "buffer error" would stay on the stream */
    z->strm.msg = NULL;

    if (rc != Z_OK && rc != Z_BUF_ERROR) {
        memset(&job, 0, sizeof(job));
        job.z = z;
        (void) nv8_zlib_zerror(&job, rc, "Failed to set parameters");
        return nv8_zlib_throw(call, &job);
    }

    z->opts[0] = (int) level;
    z->opts[3] = (int) strategy;

    return NV8_OK;
}


/* close(handle): ends the codec now, or when the running job completes */
static nv8_int_t
nv8_zlib_close(nv8_call_t *call)
{
    nv8_zlib_t  *z;

    if (nv8_arg_object(call, 0, &nv8_zlib_class, (void **) &z) != NV8_OK) {
        return NV8_ERROR;
    }

    if (z->closed) {
        return NV8_OK;
    }

    z->closed = 1;

    if (!z->busy) {
        nv8_zlib_end(z);
    }

    return NV8_OK;
}


/* crc32(bytes, value) */
static nv8_int_t
nv8_zlib_crc32(nv8_call_t *call)
{
    size_t          n, chunk;
    double          v;
    uLong           crc;
    unsigned char  *p;

    if (nv8_arg_bytes_data(call, 0, &p, &n) != NV8_OK
        || nv8_arg_number(call, 1, &v) != NV8_OK)
    {
        return NV8_ERROR;
    }

    crc = (uLong) v;

    while (n > 0) {
        chunk = n > 0x40000000 ? 0x40000000 : n;
        crc = crc32(crc, p, (uInt) chunk);
        p += chunk;
        n -= chunk;
    }

    nv8_return_number(call, (double) crc);

    return NV8_OK;
}


/* version(): [zlib's version, ZLIB_VERNUM, Brotli's version] */
static nv8_int_t
nv8_zlib_version(nv8_call_t *call)
{
    char       vernum[16], brotli[32];
    uint32_t   b;
    nv8_str_t  items[3];

    b = BrotliEncoderVersion();

    snprintf(vernum, sizeof(vernum), "%d", ZLIB_VERNUM);
    snprintf(brotli, sizeof(brotli), "%u.%u.%u", b >> 24, (b >> 12) & 0xfff,
             b & 0xfff);

    items[0].data = zlibVersion();
    items[0].len = strlen(items[0].data);
    items[1].data = vernum;
    items[1].len = strlen(vernum);
    items[2].data = brotli;
    items[2].len = strlen(brotli);

    nv8_return_string_array(call, items, 3);

    return NV8_OK;
}
