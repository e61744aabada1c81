
/*
 * Copyright (C) nv8 contributors
 *
 * js_header_filter_handler and js_body_filter_handler: JS sees the final
 * status and headers of any response (proxied, static, generated) and
 * rewrites its body chunk by chunk as it streams.  Both are synchronous.
 * The "http_filter" binding reads and changes r->headers_out and takes a
 * body filter's output.
 */


#include "ngx_http_v8_module.h"


static ngx_int_t ngx_http_v8_header_filter(ngx_http_request_t *r);
static ngx_int_t ngx_http_v8_body_filter(ngx_http_request_t *r,
    ngx_chain_t *in);
static ngx_int_t ngx_http_v8_filter_chunk(ngx_http_request_t *r,
    ngx_http_v8_ctx_t *ctx, ngx_http_v8_handler_t *h, ngx_buf_t *b,
    ngx_chain_t ***llp);
static ngx_int_t ngx_http_v8_filter_file(ngx_http_request_t *r,
    ngx_http_v8_ctx_t *ctx, ngx_http_v8_handler_t *h, ngx_buf_t *b,
    ngx_chain_t ***llp);

static nv8_int_t ngx_http_v8_out_status(nv8_call_t *call);
static nv8_int_t ngx_http_v8_out_headers(nv8_call_t *call);
static nv8_int_t ngx_http_v8_out_set(nv8_call_t *call);
static nv8_int_t ngx_http_v8_filter_result(nv8_call_t *call);


static ngx_http_output_header_filter_pt  ngx_http_next_header_filter;
static ngx_http_output_body_filter_pt    ngx_http_next_body_filter;

/* the tag of a body filter's own buffers */
static ngx_uint_t  ngx_http_v8_filter_tag;

/* how much of a file buffer JS gets at a time */
#define NGX_HTTP_V8_FILTER_PIECE  32768


static const nv8_method_t  ngx_http_v8_filter_methods[] = {

    { "status",       ngx_http_v8_out_status,     0 },
    { "headers",      ngx_http_v8_out_headers,    0 },
    { "setHeader",    ngx_http_v8_out_set,        0 },
    { "result",       ngx_http_v8_filter_result,  0 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  ngx_http_v8_filter_binding = {
    "http_filter",
    ngx_http_v8_filter_methods
};


ngx_int_t
ngx_http_v8_filter_init(ngx_conf_t *cf)
{
    ngx_http_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = ngx_http_v8_header_filter;

    ngx_http_next_body_filter = ngx_http_top_body_filter;
    ngx_http_top_body_filter = ngx_http_v8_body_filter;

    return NGX_OK;
}


static ngx_int_t
ngx_http_v8_header_filter(ngx_http_request_t *r)
{
    ngx_int_t                rc;
    ngx_http_v8_ctx_t       *ctx;
    ngx_http_v8_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_v8_module);

    if ((lcf->header_filter == NULL && lcf->body_filter == NULL)
        || ngx_v8_runtime.rt == NULL)
    {
        return ngx_http_next_header_filter(r);
    }

    ctx = ngx_http_v8_ctx_get(r);
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    if (ctx->filter_header) {
        /* once: an error page sent after a failing filter passes as is */
        return ngx_http_next_header_filter(r);
    }

    ctx->filter_header = 1;

    if (lcf->header_filter) {
        ctx->filtering = 1;

        rc = ngx_http_v8_call(r, ctx, lcf->header_filter,
                              NGX_HTTP_V8_RUN_HEADER_FILTER, NULL, 0);

        ctx->filtering = 0;

        if (rc == NGX_ERROR) {
            return ngx_http_filter_finalize_request(r, &ngx_http_v8_module,
                                          NGX_HTTP_INTERNAL_SERVER_ERROR);
        }
    }

    if (lcf->body_filter && !r->header_only) {
        /* the body changes: its length and ranges of it are unknown */
        ctx->filter_body = 1;

        /*
         * called for each chunk: every call gets the same req and res
         * (state per request lives on them), so JS keeps them, and hears
         * when the request ends, even with no other handler
         */
        ctx->multi = 1;
        ctx->watch |= NGX_HTTP_V8_WATCH_CLOSE;
        r->filter_need_in_memory = 1;

        if (r == r->main) {
            ngx_http_clear_content_length(r);
            ngx_http_clear_accept_ranges(r);
            ngx_http_weak_etag(r);
        }
    }

    return ngx_http_next_header_filter(r);
}


static ngx_int_t
ngx_http_v8_body_filter(ngx_http_request_t *r, ngx_chain_t *in)
{
    void                    *cap;
    ngx_int_t                rc;
    ngx_chain_t             *cl, *out, **ll;
    ngx_http_v8_ctx_t       *ctx;
    ngx_http_v8_loc_conf_t  *lcf;

    if (in == NULL) {
        return ngx_http_next_body_filter(r, in);
    }

    cap = ngx_http_v8_capture_of(r);
    ctx = ngx_http_get_module_ctx(r, ngx_http_v8_module);

    if (ctx == NULL || !ctx->filter_body) {
        if (cap) {
            /* a subrequest of JS: its output goes to JS, not the client */
            return ngx_http_v8_capture(r, cap, in);
        }

        return ngx_http_next_body_filter(r, in);
    }

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_v8_module);

    out = NULL;
    ll = &out;

    for (cl = in; cl; cl = cl->next) {
        if (ngx_http_v8_filter_chunk(r, ctx, lcf->body_filter, cl->buf, &ll)
            != NGX_OK)
        {
            return NGX_ERROR;
        }
    }

    *ll = NULL;

    if (cap) {
        rc = ngx_http_v8_capture(r, cap, out);

        ngx_chain_update_chains(r->pool, &ctx->ffree, &ctx->fbusy, &out,
                                (ngx_buf_tag_t) &ngx_http_v8_filter_tag);
        return rc;
    }

    if (out == NULL && !r->connection->buffered && !r->postponed) {
        return NGX_OK;
    }

    rc = ngx_http_next_body_filter(r, out);

    ngx_chain_update_chains(r->pool, &ctx->ffree, &ctx->fbusy, &out,
                            (ngx_buf_tag_t) &ngx_http_v8_filter_tag);

    return rc;
}


/* one buffer through JS: what it returns replaces the buffer's bytes */

static ngx_int_t
ngx_http_v8_filter_chunk(ngx_http_request_t *r, ngx_http_v8_ctx_t *ctx,
    ngx_http_v8_handler_t *h, ngx_buf_t *b, ngx_chain_t ***llp)
{
    size_t        size;
    ngx_int_t     rc;
    nv8_arg_t     args[2];
    ngx_uint_t    last;
    ngx_chain_t  *cl, *res;

    last = b->last_buf || (r != r->main && b->last_in_chain);

    if (ctx->filter_last || (ngx_buf_special(b) && !last)) {
        /* flushes and syncs pass; nothing follows the last chunk */
        if (ctx->filter_last && !ngx_buf_special(b)) {
            b->pos = b->last;

            if (b->in_file) {
                b->file_pos = b->file_last;
            }

            return NGX_OK;
        }

        cl = ngx_alloc_chain_link(r->pool);
        if (cl == NULL) {
            return NGX_ERROR;
        }

        cl->buf = b;
        **llp = cl;
        *llp = &cl->next;

        return NGX_OK;
    }

    if (b->in_file && !ngx_buf_in_memory(b)) {
        return ngx_http_v8_filter_file(r, ctx, h, b, llp);
    }

    size = ngx_buf_in_memory(b) ? (size_t) (b->last - b->pos) : 0;

    args[0].type = NV8_ARG_BYTES;
    args[0].str.data = (char *) b->pos;
    args[0].str.len = size;
    args[1].type = NV8_ARG_NUMBER;
    args[1].number = last;

    ctx->filtered = NULL;
    ctx->filter_set = 0;
    ctx->filtering = 1;

    rc = ngx_http_v8_call(r, ctx, h, NGX_HTTP_V8_RUN_BODY_FILTER, args, 2);

    ctx->filtering = 0;

    if (rc == NGX_ERROR) {
        /* the headers are out: all that is left is to close */
        return NGX_ERROR;
    }

    if (last) {
        ctx->filter_last = 1;
    }

    if (!ctx->filter_set) {
        /* undefined: the chunk goes on as it was */
        cl = ngx_alloc_chain_link(r->pool);
        if (cl == NULL) {
            return NGX_ERROR;
        }

        cl->buf = b;
        **llp = cl;
        *llp = &cl->next;

        return NGX_OK;
    }

    /* JS has the bytes now */
    b->pos = b->last;

    if (b->in_file) {
        b->file_pos = b->file_last;
    }

    res = ctx->filtered;
    ctx->filtered = NULL;

    if (res == NULL && (last || b->flush)) {
        res = ngx_alloc_chain_link(r->pool);
        if (res == NULL) {
            return NGX_ERROR;
        }

        res->buf = ngx_calloc_buf(r->pool);
        if (res->buf == NULL) {
            return NGX_ERROR;
        }

        res->next = NULL;
    }

    if (res == NULL) {
        return NGX_OK;
    }

    res->buf->last_buf = b->last_buf;
    res->buf->last_in_chain = b->last_in_chain;
    res->buf->flush = b->flush;

    **llp = res;
    *llp = &res->next;

    return NGX_OK;
}


/*
 * A buffer only in a file (a static file, a response proxy_pass spooled to
 * a temporary file): this filter runs before the copy filter, which would
 * read it into memory, so it reads the file itself, a piece at a time, and
 * JS gets each piece as a chunk.  A piece JS passes unchanged goes on as a
 * buffer of the same file range; the read buffer is reused.
 */

static ngx_int_t
ngx_http_v8_filter_file(ngx_http_request_t *r, ngx_http_v8_ctx_t *ctx,
    ngx_http_v8_handler_t *h, ngx_buf_t *b, ngx_chain_t ***llp)
{
    off_t         size;
    u_char       *p;
    ssize_t       n;
    ngx_int_t     rc;
    ngx_buf_t     t, *fb;
    ngx_chain_t  **ll;

    p = ngx_alloc(NGX_HTTP_V8_FILTER_PIECE, r->connection->log);
    if (p == NULL) {
        return NGX_ERROR;
    }

    rc = NGX_OK;

    /* at least once: an empty range may still carry last_buf */

    do {
        size = ngx_min(b->file_last - b->file_pos, NGX_HTTP_V8_FILTER_PIECE);

        n = ngx_read_file(b->file, p, (size_t) size, b->file_pos);

        if (n != (ssize_t) size) {
            if (n != NGX_ERROR) {
                ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                              ngx_read_file_n " read only %z of %O from "
                              "\"%V\"", n, size, &b->file->name);
            }

            rc = NGX_ERROR;
            break;
        }

        ngx_memzero(&t, sizeof(ngx_buf_t));
        t.pos = p;
        t.last = p + size;
        t.temporary = 1;

        if (b->file_pos + size == b->file_last) {
            t.last_buf = b->last_buf;
            t.last_in_chain = b->last_in_chain;
            t.flush = b->flush;
        }

        ll = *llp;

        if (ngx_http_v8_filter_chunk(r, ctx, h, &t, llp) != NGX_OK) {
            rc = NGX_ERROR;
            break;
        }

        if (*llp != ll && (*ll)->buf == &t) {
            /* passed unchanged: the file range goes on, not "p" */
            fb = ngx_calloc_buf(r->pool);
            if (fb == NULL) {
                rc = NGX_ERROR;
                break;
            }

            fb->in_file = 1;
            fb->file = b->file;
            fb->file_pos = b->file_pos;
            fb->file_last = b->file_pos + size;
            fb->last_buf = t.last_buf;
            fb->last_in_chain = t.last_in_chain;
            fb->flush = t.flush;

            (*ll)->buf = fb;
        }

        b->file_pos += size;

    } while (b->file_pos < b->file_last);

    ngx_free(p);

    if (rc == NGX_OK) {
        b->pos = b->last;
    }

    return rc;
}


/* the bindings: usable only while the request's filter JS runs */

/* status(id[, code]): the response status, set if "code" is given */

static nv8_int_t
ngx_http_v8_out_status(nv8_call_t *call)
{
    double              status;
    ngx_http_request_t  *r;
    ngx_http_v8_ctx_t  *ctx;

    if (ngx_http_v8_arg_ctx(call, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    r = ctx->request;

    if (!nv8_arg_is_nullish(call, 1)) {
        if (!ctx->filtering || ctx->filter_body) {
            return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_HTTP_HEADERS_SENT",
                             "the status can only change in a header "
                             "filter");
        }

        if (nv8_arg_number(call, 1, &status) != NV8_OK) {
            return NV8_ERROR;
        }

        if (!(status >= 100 && status <= 999)
            || status != (ngx_uint_t) status)
        {
            return nv8_throw(call, NV8_ERROR_RANGE,
                             "ERR_HTTP_INVALID_STATUS_CODE",
                             "Invalid status code: %g", status);
        }

        r->headers_out.status = (ngx_uint_t) status;
        r->headers_out.status_line.len = 0;
    }

    nv8_return_number(call, (double) r->headers_out.status);

    return NV8_OK;
}


/* headers(id): [name, value, ...] of the response, nginx's own included */

static nv8_int_t
ngx_http_v8_out_headers(nv8_call_t *call)
{
    u_char              *p, *lm;
    size_t               n;
    nv8_str_t           *items;
    ngx_uint_t           i;
    ngx_list_part_t     *part;
    ngx_table_elt_t     *h;
    ngx_http_request_t  *r;
    ngx_http_v8_ctx_t   *ctx;

    if (ngx_http_v8_arg_ctx(call, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    r = ctx->request;
    n = 6;

    for (part = &r->headers_out.headers.part; part; part = part->next) {
        n += 2 * part->nelts;
    }

    items = ngx_palloc(r->pool, n * sizeof(nv8_str_t));
    p = ngx_pnalloc(r->pool, NGX_OFF_T_LEN);
    lm = ngx_pnalloc(r->pool, sizeof("Mon, 28 Sep 1970 06:00:00 GMT") - 1);

    if (items == NULL || p == NULL || lm == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    n = 0;

    if (r->headers_out.last_modified == NULL
        && r->headers_out.last_modified_time != -1)
    {
        /* a static file's: nginx's header filter makes the header later */
        items[n].data = "Last-Modified";
        items[n++].len = sizeof("Last-Modified") - 1;
        items[n].data = (char *) lm;
        items[n++].len = ngx_http_time(lm, r->headers_out.last_modified_time)
                         - lm;
    }

    if (r->headers_out.content_type.len) {
        items[n].data = "Content-Type";
        items[n++].len = sizeof("Content-Type") - 1;
        items[n].data = (char *) r->headers_out.content_type.data;
        items[n++].len = r->headers_out.content_type.len;
    }

    if (r->headers_out.content_length == NULL
        && r->headers_out.content_length_n >= 0)
    {
        items[n].data = "Content-Length";
        items[n++].len = sizeof("Content-Length") - 1;
        items[n].data = (char *) p;
        items[n++].len = ngx_sprintf(p, "%O", r->headers_out.content_length_n)
                         - p;
    }

    for (part = &r->headers_out.headers.part; part; part = part->next) {
        h = part->elts;

        for (i = 0; i < part->nelts; i++) {
            if (h[i].hash == 0) {
                continue;
            }

            items[n].data = (char *) h[i].key.data;
            items[n++].len = h[i].key.len;
            items[n].data = (char *) h[i].value.data;
            items[n++].len = h[i].value.len;
        }
    }

    nv8_return_string_array(call, items, n);

    return NV8_OK;
}


/*
 * setHeader(id, name, values | null): replaces every value of a response
 * header (null removes it) before the header is sent.
 */

static nv8_int_t
ngx_http_v8_out_set(nv8_call_t *call)
{
    u_char              *p;
    size_t               n, k;
    off_t                len;
    nv8_str_t            name, *values;
    ngx_uint_t           j;
    ngx_list_part_t     *part;
    ngx_table_elt_t     *h;
    ngx_http_request_t  *r;
    ngx_http_v8_ctx_t   *ctx;

    if (ngx_http_v8_arg_ctx(call, &ctx) != NV8_OK
        || nv8_arg_string(call, 1, &name) != NV8_OK)
    {
        return NV8_ERROR;
    }

    r = ctx->request;

    if (!ctx->filtering || ctx->filter_body || r->header_sent) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_HTTP_HEADERS_SENT",
                         "Cannot set headers after they are sent to the "
                         "client");
    }

    values = NULL;
    n = 0;

    if (!nv8_arg_is_nullish(call, 2)
        && nv8_arg_string_array(call, 2, &values, &n) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (!ngx_http_v8_valid_name(&name)) {
        goto invalid;
    }

    for (k = 0; k < n; k++) {
        if (!ngx_http_v8_valid_value(&values[k])) {
            return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_CHAR",
                             "Invalid character in header content "
                             "[\"%*s\"]", name.len, name.data);
        }
    }

#define ngx_http_v8_is(s)                                                     \
    (name.len == sizeof(s) - 1                                                \
     && ngx_strncasecmp((u_char *) name.data, (u_char *) s,                   \
                        sizeof(s) - 1) == 0)

    if (ngx_http_v8_is("content-type")) {
        r->headers_out.content_type.len = 0;
        r->headers_out.content_type_len = 0;
        r->headers_out.content_type_lowcase = NULL;
        r->headers_out.charset.len = 0;

        if (n) {
            p = ngx_pnalloc(r->pool, values[n - 1].len);
            if (p == NULL) {
                return nv8_throw(call, NV8_ERROR_RANGE, NULL,
                                 "out of memory");
            }

            ngx_memcpy(p, values[n - 1].data, values[n - 1].len);
            r->headers_out.content_type.data = p;
            r->headers_out.content_type.len = values[n - 1].len;
            r->headers_out.content_type_len = values[n - 1].len;
        }

        return NV8_OK;
    }

    if (ngx_http_v8_is("content-length")) {
        ngx_http_clear_content_length(r);

        if (n) {
            len = ngx_atoof((u_char *) values[n - 1].data,
                            values[n - 1].len);
            if (len == NGX_ERROR) {
                return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_CHAR",
                                 "Invalid Content-Length value");
            }

            r->headers_out.content_length_n = len;
        }

        return NV8_OK;
    }

    /* drop the old values; nginx skips entries with hash 0 */
    for (part = &r->headers_out.headers.part; part; part = part->next) {
        h = part->elts;

        for (j = 0; j < part->nelts; j++) {
            if (h[j].hash != 0 && h[j].key.len == name.len
                && ngx_strncasecmp(h[j].key.data, (u_char *) name.data,
                                   name.len) == 0)
            {
                h[j].hash = 0;
            }
        }
    }

    if (ngx_http_v8_is("location")) {
        r->headers_out.location = NULL;

    } else if (ngx_http_v8_is("last-modified")) {
        r->headers_out.last_modified = NULL;
        r->headers_out.last_modified_time = -1;

    } else if (ngx_http_v8_is("etag")) {
        r->headers_out.etag = NULL;

    } else if (ngx_http_v8_is("server")) {
        r->headers_out.server = NULL;

    } else if (ngx_http_v8_is("date")) {
        r->headers_out.date = NULL;

    } else if (ngx_http_v8_is("accept-ranges")) {
        r->headers_out.accept_ranges = NULL;

    } else if (ngx_http_v8_is("expires")) {
        r->headers_out.expires = NULL;

    } else if (ngx_http_v8_is("cache-control")) {
        r->headers_out.cache_control.nelts = 0;

    } else if (ngx_http_v8_is("www-authenticate")) {
        r->headers_out.www_authenticate = NULL;
    }

    for (k = 0; k < n; k++) {
        h = ngx_list_push(&r->headers_out.headers);
        p = ngx_pnalloc(r->pool, 2 * name.len + values[k].len + 2);

        if (h == NULL || p == NULL) {
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        h->hash = 1;
        h->key.data = p;
        h->key.len = name.len;
        p = ngx_cpymem(p, name.data, name.len);
        *p++ = '\0';

        h->value.data = p;
        h->value.len = values[k].len;
        p = ngx_cpymem(p, values[k].data, values[k].len);
        *p++ = '\0';

        h->lowcase_key = p;
        ngx_strlow(h->lowcase_key, h->key.data, h->key.len);

        if (ngx_http_v8_is("location")) {
            r->headers_out.location = h;

        } else if (ngx_http_v8_is("server")) {
            r->headers_out.server = h;

        } else if (ngx_http_v8_is("date")) {
            r->headers_out.date = h;
        }
    }

#undef ngx_http_v8_is

    return NV8_OK;

invalid:

    return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_HTTP_TOKEN",
                     "Header name must be a valid HTTP token [\"%*s\"]",
                     name.len, name.data);
}


/* result(id, string | bytes | null): what a body filter sends instead */

static nv8_int_t
ngx_http_v8_filter_result(nv8_call_t *call)
{
    size_t               size;
    ngx_chain_t         *cl;
    ngx_http_v8_ctx_t   *ctx;

    if (ngx_http_v8_arg_ctx(call, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    if (!ctx->filtering || !ctx->filter_body) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_PHASE",
                         "not in a body filter");
    }

    ctx->filter_set = 1;
    ctx->filtered = NULL;

    if (nv8_arg_is_nullish(call, 1)) {
        return NV8_OK;
    }

    if (nv8_arg_bytes_size(call, 1, &size) != NV8_OK) {
        return NV8_ERROR;
    }

    if (size == 0) {
        return NV8_OK;
    }

    cl = ngx_http_v8_get_buf(ctx->request->pool, &ctx->ffree,
                             (ngx_buf_tag_t) &ngx_http_v8_filter_tag, size);
    if (cl == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    if (nv8_arg_bytes_copy(call, 1, cl->buf->last, size) != NV8_OK) {
        cl->next = ctx->ffree;
        ctx->ffree = cl;
        return NV8_ERROR;
    }

    cl->buf->last += size;
    cl->next = NULL;
    ctx->filtered = cl;

    return NV8_OK;
}
