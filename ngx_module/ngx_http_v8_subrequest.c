
/*
 * Copyright (C) nv8 contributors
 *
 * req.subrequest(uri, { method, headers, body }): a background subrequest
 * to any location, so JS reaches upstreams configured in nginx.  Its
 * output is captured by this module's body filter before the postpone
 * filter, into memory that grows as needed (no fixed cap), and handed to
 * JS when the subrequest is finalized, as
 *
 *     status (uint32 LE), header bytes (uint32 LE),
 *     "name\0value\0" for each header, then the body.
 */


#include "ngx_http_v8_module.h"


typedef struct {
    nv8_promise_t            *promise;
    u_char                   *data;         /* malloc()ed body */
    size_t                    len;
    size_t                    size;
    ngx_uint_t                status;       /* from an error status */
    u_char                   *result;       /* malloc()ed, for JS */
    size_t                    result_len;
    ngx_event_t               event;        /* posted: settle outside */
    unsigned                  done:1;
    unsigned                  failed:1;
} ngx_http_v8_capture_t;


static nv8_int_t ngx_http_v8_subrequest(nv8_call_t *call);
static ngx_int_t ngx_http_v8_sr_headers(ngx_http_request_t *r,
    ngx_http_request_t *sr, nv8_str_t *items, size_t n);
static ngx_int_t ngx_http_v8_sr_done(ngx_http_request_t *r, void *data,
    ngx_int_t rc);
static void ngx_http_v8_sr_cleanup(void *data);
static void ngx_http_v8_sr_run(ngx_event_t *ev);
static void ngx_http_v8_sr_settle(ngx_event_t *ev);


static const nv8_method_t  ngx_http_v8_sr_methods[] = {

    { "start",        ngx_http_v8_subrequest,     0 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  ngx_http_v8_sr_binding = {
    "http_subrequest",
    ngx_http_v8_sr_methods
};


static ngx_str_t  ngx_http_v8_methods[] = {
    ngx_string("GET"), ngx_string("HEAD"), ngx_string("POST"),
    ngx_string("PUT"), ngx_string("DELETE"), ngx_string("OPTIONS"),
    ngx_string("PATCH"), ngx_null_string
};

static ngx_uint_t  ngx_http_v8_method_ids[] = {
    NGX_HTTP_GET, NGX_HTTP_HEAD, NGX_HTTP_POST, NGX_HTTP_PUT,
    NGX_HTTP_DELETE, NGX_HTTP_OPTIONS, NGX_HTTP_PATCH
};


/* start(id, uri, method, headers, body): a promise of the encoded result */

static nv8_int_t
ngx_http_v8_subrequest(nv8_call_t *call)
{
    size_t                     i, n, size;
    double                     id;
    nv8_str_t                  uri, method, *items;
    ngx_str_t                  u, args;
    ngx_buf_t                 *b;
    ngx_uint_t                 m;
    ngx_chain_t               *cl;
    nv8_promise_t             *promise;
    ngx_pool_cleanup_t        *cln;
    ngx_http_request_t        *r, *sr;
    ngx_http_v8_ctx_t         *ctx;
    ngx_http_v8_capture_t     *cap;
    ngx_http_request_body_t   *rb;
    ngx_http_post_subrequest_t  *ps;

    if (nv8_arg_number(call, 0, &id) != NV8_OK) {
        return NV8_ERROR;
    }

    ctx = ngx_http_v8_ctx_lookup(id);

    if (ctx == NULL || ctx->finalized) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_REQUEST_FINALIZED",
                         "request already finalized");
    }

    if (ctx->filtering || ctx->logging) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_PHASE",
                         "req.subrequest() cannot be used in a %s",
                         ctx->logging ? "log handler" : "filter");
    }

    if (nv8_arg_string(call, 1, &uri) != NV8_OK
        || nv8_arg_string(call, 2, &method) != NV8_OK
        || nv8_arg_string_array(call, 3, &items, &n) != NV8_OK)
    {
        return NV8_ERROR;
    }

    size = 0;

    if (!nv8_arg_is_nullish(call, 4)
        && nv8_arg_bytes_size(call, 4, &size) != NV8_OK)
    {
        return NV8_ERROR;
    }

    r = ctx->request;

    if (uri.len == 0 || uri.data[0] != '/') {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_URL",
                         "req.subrequest() needs a URI starting with \"/\"");
    }

    for (i = 0; i < uri.len; i++) {
        if ((u_char) uri.data[i] <= 0x20 || uri.data[i] == 0x7f) {
            return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_URL",
                             "req.subrequest() URI must not contain spaces "
                             "or control characters");
        }
    }

    for (m = 0; ngx_http_v8_methods[m].len; m++) {
        if (ngx_http_v8_methods[m].len == method.len
            && ngx_strncmp(ngx_http_v8_methods[m].data, method.data,
                           method.len) == 0)
        {
            break;
        }
    }

    if (ngx_http_v8_methods[m].len == 0) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_VALUE",
                         "req.subrequest() method must be one of GET, "
                         "HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
    }

    u.data = ngx_pnalloc(r->pool, uri.len);
    if (u.data == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    ngx_memcpy(u.data, uri.data, uri.len);
    u.len = uri.len;

    ngx_http_split_args(r, &u, &args);

    cap = ngx_pcalloc(r->pool, sizeof(ngx_http_v8_capture_t));
    ps = ngx_palloc(r->pool, sizeof(ngx_http_post_subrequest_t));
    cln = ngx_pool_cleanup_add(r->pool, 0);

    if (cap == NULL || ps == NULL || cln == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    ps->handler = ngx_http_v8_sr_done;
    ps->data = cap;

    if (ngx_http_subrequest(r, &u, &args, &sr, ps,
                            NGX_HTTP_SUBREQUEST_BACKGROUND)
        != NGX_OK)
    {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_SUBREQUEST",
                         "nginx could not start a subrequest to \"%*s\" "
                         "(too many subrequests?)", uri.len, uri.data);
    }

    cln->handler = ngx_http_v8_sr_cleanup;
    cln->data = cap;

    /* file data (static files, spooled upstream responses) in memory */
    sr->filter_need_in_memory = 1;

    sr->method = ngx_http_v8_method_ids[m];
    sr->method_name = ngx_http_v8_methods[m];
    sr->header_only = (sr->method == NGX_HTTP_HEAD);

    /* its own body, not the parent's */
    rb = ngx_pcalloc(r->pool, sizeof(ngx_http_request_body_t));
    if (rb == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    sr->request_body = rb;
    sr->headers_in.content_length_n = nv8_arg_is_nullish(call, 4) ? -1
                                                                   : 0;

    if (size) {
        b = ngx_create_temp_buf(r->pool, size);
        cl = ngx_alloc_chain_link(r->pool);

        if (b == NULL || cl == NULL) {
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        if (nv8_arg_bytes_copy(call, 4, b->last, size) != NV8_OK) {
            return NV8_ERROR;
        }

        b->last += size;
        b->last_buf = 1;
        cl->buf = b;
        cl->next = NULL;
        rb->bufs = cl;
        rb->buf = b;
        sr->headers_in.content_length_n = size;
    }

    if (ngx_http_v8_sr_headers(r, sr, items, n) != NGX_OK) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_CHAR",
                         "invalid subrequest header");
    }

    promise = nv8_promise_create(call);
    if (promise == NULL) {
        return NV8_ERROR;
    }

    cap->promise = promise;

    /* posted requests run at the end of a connection's event; JS may run
     * from the loop's event instead, so make sure they run */
    if (!ctx->sr_runner.posted) {
        ctx->sr_runner.handler = ngx_http_v8_sr_run;
        ctx->sr_runner.data = ctx;
        ctx->sr_runner.log = r->connection->log;
        ngx_post_event(&ctx->sr_runner, &ngx_posted_events);
    }

    return NV8_OK;
}


/*
 * The subrequest's headers: the parent's (a copy of the list, so the
 * parent's is untouched) minus those of the parent's body, then JS's,
 * replacing headers of the same name.
 */

static ngx_int_t
ngx_http_v8_sr_headers(ngx_http_request_t *r, ngx_http_request_t *sr,
    nv8_str_t *items, size_t n)
{
    u_char                     *p;
    size_t                      k;
    ngx_uint_t                  i, skip;
    ngx_list_part_t            *part;
    ngx_table_elt_t            *h, *nh;
    ngx_http_header_t          *hh;
    ngx_http_core_main_conf_t  *cmcf;

    if (ngx_list_init(&sr->headers_in.headers, r->pool, 8,
                      sizeof(ngx_table_elt_t))
        != NGX_OK)
    {
        return NGX_ERROR;
    }

    sr->headers_in.content_length = NULL;
    sr->headers_in.transfer_encoding = NULL;
    sr->headers_in.chunked = 0;

    for (k = 0; k + 1 < n; k += 2) {
        if (!ngx_http_v8_valid_name(&items[k])
            || !ngx_http_v8_valid_value(&items[k + 1]))
        {
            return NGX_ERROR;
        }
    }

    for (part = &r->headers_in.headers.part; part; part = part->next) {
        h = part->elts;

        for (i = 0; i < part->nelts; i++) {

            if ((h[i].key.len == sizeof("Content-Length") - 1
                 && ngx_strncasecmp(h[i].key.data, (u_char *) "Content-Length",
                                    h[i].key.len) == 0)
                || (h[i].key.len == sizeof("Transfer-Encoding") - 1
                    && ngx_strncasecmp(h[i].key.data,
                                       (u_char *) "Transfer-Encoding",
                                       h[i].key.len) == 0))
            {
                continue;
            }

            skip = 0;

            for (k = 0; k + 1 < n; k += 2) {
                if (items[k].len == h[i].key.len
                    && ngx_strncasecmp((u_char *) items[k].data,
                                       h[i].key.data, h[i].key.len) == 0)
                {
                    skip = 1;
                    break;
                }
            }

            if (skip) {
                continue;
            }

            nh = ngx_list_push(&sr->headers_in.headers);
            if (nh == NULL) {
                return NGX_ERROR;
            }

            *nh = h[i];
        }
    }

    cmcf = ngx_http_get_module_main_conf(r, ngx_http_core_module);

    for (k = 0; k + 1 < n; k += 2) {
        nh = ngx_list_push(&sr->headers_in.headers);
        p = ngx_pnalloc(r->pool, 2 * items[k].len + items[k + 1].len + 2);

        if (nh == NULL || p == NULL) {
            return NGX_ERROR;
        }

        nh->key.data = p;
        nh->key.len = items[k].len;
        p = ngx_cpymem(p, items[k].data, items[k].len);
        *p++ = '\0';

        nh->value.data = p;
        nh->value.len = items[k + 1].len;
        p = ngx_cpymem(p, items[k + 1].data, items[k + 1].len);
        *p++ = '\0';

        nh->lowcase_key = p;
        nh->hash = ngx_hash_strlow(nh->lowcase_key, nh->key.data,
                                   nh->key.len);

        hh = ngx_hash_find(&cmcf->headers_in_hash, nh->hash,
                           nh->lowcase_key, nh->key.len);

        if (hh && hh->handler(sr, nh, hh->offset) != NGX_OK) {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/*
 * The capture of a subrequest JS made, or NULL.  It is found through the
 * post_subrequest handler, which survives internal redirects (error_page,
 * try_files) that clear the subrequest's module contexts.
 */

void *
ngx_http_v8_capture_of(ngx_http_request_t *r)
{
    if (r == r->main || r->post_subrequest == NULL
        || r->post_subrequest->handler != ngx_http_v8_sr_done)
    {
        return NULL;
    }

    return r->post_subrequest->data;
}


/* the body filter's part: a captured subrequest's output stays here */

ngx_int_t
ngx_http_v8_capture(ngx_http_request_t *sr, void *data, ngx_chain_t *in)
{
    ngx_http_v8_capture_t *cap = data;

    u_char                 *d;
    size_t                  size, want;
    ngx_buf_t              *b;
    ngx_chain_t            *cl;

    for (cl = in; cl; cl = cl->next) {
        b = cl->buf;

        size = ngx_buf_in_memory(b) ? (size_t) (b->last - b->pos) : 0;

        if (size && !cap->done) {
            if (cap->len + size > cap->size) {
                want = ngx_max(cap->size * 2, cap->len + size);
                want = ngx_max(want, 4096);

                d = realloc(cap->data, want);
                if (d == NULL) {
                    ngx_log_error(NGX_LOG_ERR, sr->connection->log, 0,
                                  "v8 out of memory for a subrequest's "
                                  "output");
                    return NGX_ERROR;
                }

                cap->data = d;
                cap->size = want;
            }

            ngx_memcpy(cap->data + cap->len, b->pos, size);
            cap->len += size;
        }

        b->pos = b->last;

        if (b->in_file) {
            b->file_pos = b->file_last;
        }
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_v8_sr_done(ngx_http_request_t *sr, void *data, ngx_int_t rc)
{
    ngx_http_v8_capture_t *cap = data;

    u_char           *out, *p;
    size_t            hlen, total;
    ngx_uint_t        i, status;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, sr->connection->log, 0,
                   "http v8 subrequest done rc:%i", rc);

    if (cap->done || cap->promise == NULL) {
        return rc;
    }

    if (rc >= NGX_HTTP_SPECIAL_RESPONSE) {
        /* nginx makes the error page next, and comes back */
        cap->status = rc;
        return rc;
    }

    if (rc == NGX_AGAIN) {
        return rc;
    }

    cap->done = 1;

    /* JS hears of it from a posted event, not from inside nginx's
     * finalization of the subrequest */
    cap->event.handler = ngx_http_v8_sr_settle;
    cap->event.data = cap;
    cap->event.log = sr->connection->log;
    ngx_post_event(&cap->event, &ngx_posted_events);

    if (rc == NGX_ERROR && cap->status == 0 && sr->headers_out.status == 0) {
        cap->failed = 1;
        return rc;
    }

    status = sr->headers_out.status ? sr->headers_out.status : cap->status;

    if (sr->err_status) {
        status = sr->err_status;
    }

    if (status == 0) {
        status = rc == NGX_ERROR ? NGX_HTTP_BAD_GATEWAY : NGX_HTTP_OK;
    }

    hlen = 0;

    if (sr->headers_out.content_type.len) {
        hlen += sizeof("content-type") + sr->headers_out.content_type.len + 1;
    }

    for (part = &sr->headers_out.headers.part; part; part = part->next) {
        h = part->elts;

        for (i = 0; i < part->nelts; i++) {
            if (h[i].hash) {
                hlen += h[i].key.len + h[i].value.len + 2;
            }
        }
    }

    total = 8 + hlen + cap->len;

    out = malloc(total);
    if (out == NULL) {
        cap->failed = 1;
        return rc;
    }

    p = out;
    *p++ = (u_char) (status & 0xff);
    *p++ = (u_char) ((status >> 8) & 0xff);
    *p++ = 0;
    *p++ = 0;
    *p++ = (u_char) (hlen & 0xff);
    *p++ = (u_char) ((hlen >> 8) & 0xff);
    *p++ = (u_char) ((hlen >> 16) & 0xff);
    *p++ = (u_char) ((hlen >> 24) & 0xff);

    if (sr->headers_out.content_type.len) {
        p = ngx_cpymem(p, "content-type", sizeof("content-type"));
        p = ngx_cpymem(p, sr->headers_out.content_type.data,
                       sr->headers_out.content_type.len);
        *p++ = '\0';
    }

    for (part = &sr->headers_out.headers.part; part; part = part->next) {
        h = part->elts;

        for (i = 0; i < part->nelts; i++) {
            if (h[i].hash) {
                p = ngx_cpymem(p, h[i].key.data, h[i].key.len);
                *p++ = '\0';
                p = ngx_cpymem(p, h[i].value.data, h[i].value.len);
                *p++ = '\0';
            }
        }
    }

    if (cap->len) {
        ngx_memcpy(p, cap->data, cap->len);
    }

    free(cap->data);
    cap->data = NULL;

    cap->result = out;
    cap->result_len = total;

    return rc;
}


static void
ngx_http_v8_sr_settle(ngx_event_t *ev)
{
    ngx_http_v8_capture_t *cap = ev->data;

    nv8_promise_t  *promise;

    promise = cap->promise;
    cap->promise = NULL;

    if (promise == NULL) {
        return;
    }

    if (cap->failed || cap->result == NULL) {
        nv8_promise_reject_error(promise, "ERR_NV8_SUBREQUEST",
                                 "the subrequest failed");

    } else {
        /* the ArrayBuffer takes the memory */
        nv8_promise_resolve_bytes(promise, cap->result, cap->result_len);
        cap->result = NULL;
    }

    ngx_v8_loop_arm();
}


/* the main request ends: a subrequest still running is let go */

static void
ngx_http_v8_sr_cleanup(void *data)
{
    ngx_http_v8_capture_t *cap = data;

    if (cap->event.posted) {
        ngx_delete_posted_event(&cap->event);
    }

    free(cap->data);
    cap->data = NULL;
    free(cap->result);
    cap->result = NULL;

    if (cap->promise) {
        nv8_promise_drop(cap->promise);
        cap->promise = NULL;
    }
}


static void
ngx_http_v8_sr_run(ngx_event_t *ev)
{
    ngx_http_v8_ctx_t  *ctx = ev->data;

    ngx_http_run_posted_requests(ctx->request->connection);
}
