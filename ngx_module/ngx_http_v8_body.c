
/*
 * Copyright (C) nv8 contributors
 *
 * Request bodies, pulled by JS one read() at a time.
 *
 * By default nginx reads unbuffered (as proxy_request_buffering off): it
 * reads at most one client_body_buffer_size ahead of JS and then stops
 * reading the socket until JS has taken the data, so a slow handler
 * pushes back on the client and a large body never sits in memory.  With
 * "js_request_buffering on" nginx reads the whole body first, spooling it
 * to a temporary file past client_body_buffer_size as usual, and reads of
 * the file part run on the thread pool.
 *
 * The body is not read at all until JS asks for it; a handler that never
 * does has the body discarded when its response is done, which keeps the
 * connection alive.
 */


#include "ngx_http_v8_module.h"

#include <unistd.h>


#define NGX_HTTP_V8_FILE_CHUNK  65536


/* a read of the spooled body on the thread pool; malloc()ed */
typedef struct {
    double                    id;           /* the request's */
    ngx_fd_t                  fd;           /* a dup(), closed when done */
    off_t                     offset;
    size_t                    size;
    u_char                   *data;
    ssize_t                   n;
    ngx_err_t                 err;
} ngx_http_v8_file_read_t;


static void ngx_http_v8_body_post(ngx_http_request_t *r);
static void ngx_http_v8_body_handler(ngx_http_request_t *r);
static void ngx_http_v8_body_deliver(ngx_http_v8_ctx_t *ctx);
static void ngx_http_v8_body_error(ngx_http_v8_ctx_t *ctx, ngx_int_t rc);
static ngx_int_t ngx_http_v8_body_file(ngx_http_v8_ctx_t *ctx,
    ngx_buf_t *b);
static void ngx_http_v8_file_work(void *data);
static void ngx_http_v8_file_done(void *data, int status);


ngx_uint_t
ngx_http_v8_has_body(ngx_http_request_t *r)
{
    if (r->headers_in.content_length_n > 0 || r->headers_in.chunked) {
        return 1;
    }

#if (NGX_HTTP_V2)
    if (r->stream && !r->stream->in_closed) {
        return 1;
    }
#endif

    return 0;
}


/* the binding's read(): a promise of the next chunk, empty at the end */

nv8_int_t
ngx_http_v8_body_read(nv8_call_t *call, ngx_http_v8_ctx_t *ctx)
{
    ngx_int_t                rc;
    nv8_promise_t           *p;
    ngx_http_request_t      *r;
    ngx_http_v8_loc_conf_t  *lcf;

    r = ctx->request;

    if (ctx->read) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_BODY_BUSY",
                         "the request body is already being read");
    }

    if (ctx->body == NGX_HTTP_V8_BODY_ERROR) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_BODY",
                         "the request body failed earlier");
    }

    p = nv8_promise_create(call);
    if (p == NULL) {
        return NV8_ERROR;
    }

    ctx->read = p;

    switch (ctx->body) {

    case NGX_HTTP_V8_BODY_NONE:

        if (r != r->main || !ngx_http_v8_has_body(r)) {
            ctx->body = NGX_HTTP_V8_BODY_DONE;
            break;
        }

        lcf = ngx_http_get_module_loc_conf(r, ngx_http_v8_module);

        r->request_body_no_buffering = !lcf->buffering;
        ctx->body = NGX_HTTP_V8_BODY_BUFFERING;
        ctx->in_read = 1;

        rc = ngx_http_read_client_request_body(r, ngx_http_v8_body_post);

        ctx->in_read = 0;

        if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
            ngx_http_v8_body_error(ctx, rc);
            return NV8_OK;
        }

        /* the reference it took: the pending handler holds the request */
        r->main->count--;

        if (ctx->body == NGX_HTTP_V8_BODY_READING) {
            r->read_event_handler = ngx_http_v8_body_handler;
        }

        break;

    case NGX_HTTP_V8_BODY_READING:

        /* the buffer JS emptied may be refilled now */
        rc = ngx_http_read_unbuffered_request_body(r);

        if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
            ngx_http_v8_body_error(ctx, rc);
            return NV8_OK;
        }

        if (rc == NGX_OK) {
            ctx->body = NGX_HTTP_V8_BODY_COMPLETE;
            r->read_event_handler = ngx_http_test_reading;
        }

        break;

    default:
        break;
    }

    ngx_http_v8_body_deliver(ctx);

    return NV8_OK;
}


static void
ngx_http_v8_body_post(ngx_http_request_t *r)
{
    ngx_http_v8_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_v8_module);

    if (ctx == NULL || ctx->body != NGX_HTTP_V8_BODY_BUFFERING) {
        return;
    }

    if (r->request_body_no_buffering && r->reading_body) {
        ctx->body = NGX_HTTP_V8_BODY_READING;
        return;
    }

    /* the whole body is read */

    ctx->body = NGX_HTTP_V8_BODY_COMPLETE;
    r->read_event_handler = ngx_http_test_reading;

    if (!ctx->in_read) {
        ngx_http_v8_body_deliver(ctx);
        ngx_v8_loop_arm();
    }
}


/* more of an unbuffered body arrived, or the client went away */

static void
ngx_http_v8_body_handler(ngx_http_request_t *r)
{
    ngx_int_t           rc;
    ngx_http_v8_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_v8_module);

    if (ctx == NULL || ctx->body != NGX_HTTP_V8_BODY_READING) {
        ngx_http_test_reading(r);
        return;
    }

    rc = ngx_http_read_unbuffered_request_body(r);

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        ngx_http_v8_body_error(ctx, rc);
        ngx_v8_loop_arm();
        return;
    }

    if (rc == NGX_OK) {
        ctx->body = NGX_HTTP_V8_BODY_COMPLETE;
        r->read_event_handler = ngx_http_test_reading;
    }

    if (ctx->read) {
        ngx_http_v8_body_deliver(ctx);
        ngx_v8_loop_arm();
        return;
    }

    /* JS is not reading: nginx stopped too, but a client abort counts */
    ngx_http_test_reading(r);
}


/*
 * Settles the pending read with what nginx holds, if anything: memory
 * buffers are copied out (JS never sees nginx's memory) and marked
 * consumed, so nginx can reuse them.  Settling runs JS, so it comes last.
 */

static void
ngx_http_v8_body_deliver(ngx_http_v8_ctx_t *ctx)
{
    u_char                   *data, *d;
    size_t                    size;
    ngx_buf_t                *b;
    ngx_chain_t              *cl, *ln;
    nv8_promise_t            *p;
    ngx_http_request_t       *r;
    ngx_http_request_body_t  *rb;

    r = ctx->request;
    rb = r->request_body;
    p = ctx->read;

    if (p == NULL || ctx->file_read
        || ctx->body == NGX_HTTP_V8_BODY_BUFFERING)
    {
        return;
    }

    size = 0;

    if (rb) {
        for (cl = rb->bufs; cl; cl = cl->next) {
            b = cl->buf;

            if (b->in_file && ctx->file_offset < b->file_last - b->file_pos) {
                if (size == 0) {
                    /* a spooled body: read on the thread pool */
                    if (ngx_http_v8_body_file(ctx, b) != NGX_OK) {
                        ngx_http_v8_body_error(ctx,
                                               NGX_HTTP_INTERNAL_SERVER_ERROR);
                    }

                    return;
                }

                break;
            }

            if (!b->in_file) {
                size += b->last - b->pos;
            }
        }
    }

    if (size == 0) {
        if (ctx->body == NGX_HTTP_V8_BODY_READING
            || ctx->body == NGX_HTTP_V8_BODY_BUFFERING)
        {
            /* nothing yet: the read stays pending */
            return;
        }

        ctx->body = NGX_HTTP_V8_BODY_DONE;
        ctx->read = NULL;

        data = malloc(1);
        if (data == NULL) {
            nv8_promise_reject_error(p, "ERR_NV8_NOMEM", "out of memory");
            return;
        }

        nv8_promise_resolve_bytes(p, data, 0);
        return;
    }

    data = malloc(size);
    if (data == NULL) {
        ctx->read = NULL;
        nv8_promise_reject_error(p, "ERR_NV8_NOMEM", "out of memory");
        return;
    }

    d = data;

    for (cl = rb->bufs; cl; /* void */) {
        b = cl->buf;

        if (b->in_file) {
            if (ctx->file_offset < b->file_last - b->file_pos) {
                break;
            }

            cl = cl->next;
            continue;
        }

        if (b->last != b->pos) {
            /* a last_buf or flush link may have no memory at all */
            d = ngx_cpymem(d, b->pos, b->last - b->pos);
            b->pos = b->last;
        }

        ln = cl;
        cl = cl->next;

        if (r->request_body_no_buffering) {
            /* links of an unbuffered body are ours to drop */
            ngx_free_chain(r->pool, ln);
        }
    }

    if (r->request_body_no_buffering) {
        rb->bufs = cl;
    }

    ctx->read = NULL;

    nv8_promise_resolve_bytes(p, data, size);
}


static void
ngx_http_v8_body_error(ngx_http_v8_ctx_t *ctx, ngx_int_t rc)
{
    const char     *code, *msg;
    nv8_promise_t  *p;

    ctx->body = NGX_HTTP_V8_BODY_ERROR;

    switch (rc) {

    case NGX_HTTP_REQUEST_ENTITY_TOO_LARGE:
        code = "ERR_NV8_BODY_TOO_LARGE";
        msg = "request body larger than client_max_body_size";
        break;

    case NGX_HTTP_REQUEST_TIME_OUT:
        code = "ETIMEDOUT";
        msg = "client_body_timeout expired while reading the request body";
        break;

    case NGX_HTTP_BAD_REQUEST:
        if (ctx->request->connection->error) {
            code = "ECONNRESET";
            msg = "aborted";

            /* the client went away: an abort, not a failed response */
            rc = NGX_HTTP_CLIENT_CLOSED_REQUEST;

        } else {
            code = "ERR_NV8_BODY_INVALID";
            msg = "invalid request body";
        }

        break;

    default:
        code = "ERR_NV8_BODY";
        msg = "reading the request body failed";
    }

    /* nginx answers (413, 408...) or closes; later writes are ignored */
    ngx_http_v8_finish(ctx, ctx->header_sent
                            && rc != NGX_HTTP_CLIENT_CLOSED_REQUEST
                            ? NGX_ERROR : rc);

    p = ctx->read;
    ctx->read = NULL;

    if (p) {
        nv8_promise_reject_error(p, code, msg);
    }
}


/* releases what a request leaves: a read JS waits for is rejected later */

void
ngx_http_v8_body_abort(ngx_http_v8_ctx_t *ctx, nv8_promise_t **pp)
{
    *pp = ctx->read;
    ctx->read = NULL;

    /* an in-flight file read finds its request gone and cleans up */
    ctx->file_read = NULL;
}


/* the response is done and JS never read the body: keep-alive needs it */

void
ngx_http_v8_body_discard(ngx_http_v8_ctx_t *ctx)
{
    ngx_http_request_t  *r;

    if (ctx->body != NGX_HTTP_V8_BODY_NONE) {
        return;
    }

    r = ctx->request;
    ctx->body = NGX_HTTP_V8_BODY_DONE;

    if (ngx_http_discard_request_body(r) != NGX_OK) {
        r->keepalive = 0;
    }
}


static ngx_int_t
ngx_http_v8_body_file(ngx_http_v8_ctx_t *ctx, ngx_buf_t *b)
{
    off_t                     rest;
    ngx_http_v8_file_read_t  *fr;

    fr = malloc(sizeof(ngx_http_v8_file_read_t));
    if (fr == NULL) {
        return NGX_ERROR;
    }

    rest = b->file_last - b->file_pos - ctx->file_offset;

    fr->id = ctx->id;
    fr->offset = b->file_pos + ctx->file_offset;
    fr->size = (size_t) ngx_min(rest, NGX_HTTP_V8_FILE_CHUNK);
    fr->n = 0;
    fr->err = 0;

    fr->data = malloc(fr->size);
    if (fr->data == NULL) {
        free(fr);
        return NGX_ERROR;
    }

    /* the request may end first: the thread reads a descriptor of its own */
    fr->fd = dup(b->file->fd);
    if (fr->fd == NGX_INVALID_FILE) {
        ngx_log_error(NGX_LOG_ERR, ctx->request->connection->log, ngx_errno,
                      "v8 dup() of the request body file failed");
        free(fr->data);
        free(fr);
        return NGX_ERROR;
    }

    if (nv8_queue_work(ngx_v8_runtime.rt, ngx_http_v8_file_work,
                       ngx_http_v8_file_done, fr)
        != NV8_OK)
    {
        close(fr->fd);
        free(fr->data);
        free(fr);
        return NGX_ERROR;
    }

    ctx->file_read = fr;

    return NGX_OK;
}


/* on a pool thread: no nginx calls here */

static void
ngx_http_v8_file_work(void *data)
{
    ngx_http_v8_file_read_t  *fr = data;

    fr->n = pread(fr->fd, fr->data, fr->size, fr->offset);

    if (fr->n == -1) {
        fr->err = ngx_errno;
    }
}


static void
ngx_http_v8_file_done(void *data, int status)
{
    ngx_http_v8_file_read_t  *fr = data;

    nv8_promise_t      *p;
    ngx_http_v8_ctx_t  *ctx;

    close(fr->fd);

    ctx = ngx_http_v8_ctx_lookup(fr->id);

    if (ctx == NULL || ctx->file_read != fr || ctx->read == NULL) {
        /* the request is gone */
        free(fr->data);
        free(fr);
        return;
    }

    ctx->file_read = NULL;

    if (status != 0 || fr->n <= 0) {
        ngx_log_error(NGX_LOG_ERR, ctx->request->connection->log, fr->err,
                      "v8 reading the request body file failed");
        free(fr->data);
        free(fr);
        ngx_http_v8_body_error(ctx, NGX_HTTP_INTERNAL_SERVER_ERROR);
        return;
    }

    ctx->file_offset += fr->n;

    p = ctx->read;
    ctx->read = NULL;

    nv8_promise_resolve_bytes(p, fr->data, fr->n);
    free(fr);
}
