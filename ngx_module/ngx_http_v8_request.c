
/*
 * Copyright (C) nv8 contributors
 *
 * The "http" binding: what lib/internal/http.js calls to read a request and
 * write its response.  Every method takes the request id first and looks it
 * up; an id whose request has finished is refused (writes report false, so
 * late writes after a client abort are harmless; reads throw).
 */


#include "ngx_http_v8_module.h"


static nv8_int_t ngx_http_v8_headers(nv8_call_t *call);
static nv8_int_t ngx_http_v8_head(nv8_call_t *call);
static nv8_int_t ngx_http_v8_write(nv8_call_t *call);
static nv8_int_t ngx_http_v8_respond(nv8_call_t *call);
static nv8_int_t ngx_http_v8_fail(nv8_call_t *call);
static nv8_int_t ngx_http_v8_read(nv8_call_t *call);
static nv8_int_t ngx_http_v8_watch(nv8_call_t *call);
static nv8_int_t ngx_http_v8_peer(nv8_call_t *call);
static nv8_int_t ngx_http_v8_origin(nv8_call_t *call);
static nv8_int_t ngx_http_v8_get(nv8_call_t *call, int writing,
    ngx_http_v8_ctx_t **ctxp);
static nv8_int_t ngx_http_v8_set_headers(nv8_call_t *call,
    ngx_http_v8_ctx_t *ctx, size_t status_arg, size_t message_arg,
    off_t *length);
static nv8_int_t ngx_http_v8_send(nv8_call_t *call, ngx_http_v8_ctx_t *ctx,
    size_t arg, ngx_uint_t last);


static const nv8_method_t  ngx_http_v8_methods[] = {

    { "headers",   ngx_http_v8_headers,   0 },
    { "head",      ngx_http_v8_head,      0 },
    { "write",     ngx_http_v8_write,     0 },
    { "respond",   ngx_http_v8_respond,   0 },
    { "fail",      ngx_http_v8_fail,      0 },
    { "read",      ngx_http_v8_read,      0 },
    { "watch",     ngx_http_v8_watch,     0 },
    { "peer",      ngx_http_v8_peer,      0 },
    { "origin",    ngx_http_v8_origin,    0 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  ngx_http_v8_binding = {
    "http",
    ngx_http_v8_methods
};


/*
 * NV8_OK with *ctxp set: a live request.  NV8_OK with *ctxp NULL: a write to
 * a finished request, answered false (the client went away or the response
 * timed out).  NV8_ERROR: an exception is pending.
 */
static nv8_int_t
ngx_http_v8_get(nv8_call_t *call, int writing, ngx_http_v8_ctx_t **ctxp)
{
    double              id;
    ngx_http_v8_ctx_t  *ctx;

    *ctxp = NULL;

    if (nv8_arg_number(call, 0, &id) != NV8_OK) {
        return NV8_ERROR;
    }

    ctx = ngx_http_v8_ctx_lookup(id);

    if (ctx == NULL || (writing && ctx->done)) {
        if (writing) {
            nv8_return_bool(call, 0);
            return NV8_OK;
        }

        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_REQUEST_FINALIZED",
                         "request already finalized");
    }

    *ctxp = ctx;

    return NV8_OK;
}


static nv8_int_t
ngx_http_v8_headers(nv8_call_t *call)
{
    size_t               n;
    ngx_uint_t           i;
    nv8_str_t           *items;
    ngx_list_part_t     *part;
    ngx_table_elt_t     *h;
    ngx_http_request_t  *r;
    ngx_http_v8_ctx_t   *ctx;

    if (ngx_http_v8_get(call, 0, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    r = ctx->request;
    n = 0;

    for (part = &r->headers_in.headers.part; part; part = part->next) {
        n += part->nelts;
    }

    items = ngx_palloc(r->pool, 2 * n * sizeof(nv8_str_t) + 1);
    if (items == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    n = 0;

    for (part = &r->headers_in.headers.part; part; part = part->next) {
        h = part->elts;

        for (i = 0; i < part->nelts; i++) {
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
 * head(id, status, headers, message[, flush]): sends the response head;
 * with "flush" (flushHeaders()) it goes out now rather than with the body
 */
static nv8_int_t
ngx_http_v8_head(nv8_call_t *call)
{
    double              flush;
    ngx_int_t           rc;
    ngx_http_v8_ctx_t  *ctx;

    if (ngx_http_v8_get(call, 1, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    if (ctx == NULL) {
        return NV8_OK;
    }

    if (ngx_http_v8_set_headers(call, ctx, 1, 3, NULL) != NV8_OK) {
        return NV8_ERROR;
    }

    rc = ngx_http_send_header(ctx->request);

    if (rc == NGX_ERROR || rc > NGX_OK) {
        ngx_http_v8_finish(ctx, NGX_ERROR);
        nv8_return_bool(call, 0);
        return NV8_OK;
    }

    flush = 0;

    if (!nv8_arg_is_nullish(call, 4)
        && nv8_arg_number(call, 4, &flush) != NV8_OK)
    {
        return NV8_ERROR;
    }

    /* the write filter holds a short head back (postpone_output) */
    if (flush != 0 && !ctx->request->header_only) {
        rc = ngx_http_send_special(ctx->request, NGX_HTTP_FLUSH);

        if (rc == NGX_ERROR) {
            ngx_http_v8_finish(ctx, NGX_ERROR);
            nv8_return_bool(call, 0);
            return NV8_OK;
        }
    }

    nv8_return_bool(call, 1);

    return NV8_OK;
}


static nv8_int_t
ngx_http_v8_write(nv8_call_t *call)
{
    double              last;
    ngx_http_v8_ctx_t  *ctx;

    if (ngx_http_v8_get(call, 1, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    if (ctx == NULL) {
        return NV8_OK;
    }

    if (nv8_arg_number(call, 2, &last) != NV8_OK) {
        return NV8_ERROR;
    }

    if (!ctx->header_sent) {
        return nv8_throw(call, NV8_ERROR_PLAIN, NULL,
                         "write() before the response head");
    }

    return ngx_http_v8_send(call, ctx, 1, last != 0);
}


static nv8_int_t
ngx_http_v8_respond(nv8_call_t *call)
{
    off_t               length;
    size_t              size;
    ngx_int_t           rc;
    ngx_http_request_t  *r;
    ngx_http_v8_ctx_t  *ctx;

    if (ngx_http_v8_get(call, 1, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    if (ctx == NULL) {
        return NV8_OK;
    }

    r = ctx->request;

    if (nv8_arg_bytes_size(call, 3, &size) != NV8_OK) {
        return NV8_ERROR;
    }

    length = -1;

    if (ngx_http_v8_set_headers(call, ctx, 1, 4, &length) != NV8_OK) {
        return NV8_ERROR;
    }

    if (size == 0 && r->headers_out.status >= NGX_HTTP_BAD_REQUEST) {
        /* no body of its own: nginx's error page or error_page applies,
         * with the headers JS set, as after "return 404" */
        ctx->header_sent = 0;
        r->headers_out.status_line.len = 0;
        r->headers_out.content_length_n = -1;
        ngx_http_v8_finish(ctx, r->headers_out.status);
        nv8_return_bool(call, 1);
        return NV8_OK;
    }

    /* the whole body is known: frame it with Content-Length */
    if (length == -1) {
        r->headers_out.content_length_n = size;
    }

    if (r->headers_out.status == NGX_HTTP_NO_CONTENT
        || r->headers_out.status == NGX_HTTP_NOT_MODIFIED
        || r->headers_out.status < NGX_HTTP_OK)
    {
        r->header_only = 1;
        r->headers_out.content_length_n = -1;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        ngx_http_v8_finish(ctx, rc > NGX_OK ? NGX_ERROR : rc);
        nv8_return_bool(call, rc == NGX_OK);
        return NV8_OK;
    }

    return ngx_http_v8_send(call, ctx, 3, 1);
}


static nv8_int_t
ngx_http_v8_fail(nv8_call_t *call)
{
    nv8_str_t           msg;
    ngx_http_v8_ctx_t  *ctx;

    if (ngx_http_v8_get(call, 1, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    if (ctx == NULL) {
        return NV8_OK;
    }

    if (nv8_arg_string(call, 1, &msg) != NV8_OK) {
        return NV8_ERROR;
    }

    ngx_log_error(NGX_LOG_ERR, ctx->request->connection->log, 0,
                  "js exception: %*s", msg.len, msg.data);

    ngx_http_v8_finish(ctx, ctx->header_sent
                            ? NGX_ERROR : NGX_HTTP_INTERNAL_SERVER_ERROR);

    return NV8_OK;
}


/* status from argument "status_arg", headers from the next one */
static nv8_int_t
ngx_http_v8_set_headers(nv8_call_t *call, ngx_http_v8_ctx_t *ctx,
    size_t status_arg, size_t message_arg, off_t *length)
{
    nv8_str_t            message;
    u_char              *p;
    double               status;
    size_t               n, i;
    off_t                len;
    nv8_str_t           *items, *name, *value;
    ngx_table_elt_t     *h;
    ngx_http_request_t  *r;

    r = ctx->request;

    if (ctx->header_sent) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_HTTP_HEADERS_SENT",
                         "Cannot write headers after they are sent to the "
                         "client");
    }

    if (nv8_arg_number(call, status_arg, &status) != NV8_OK
        || nv8_arg_string_array(call, status_arg + 1, &items, &n) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (!(status >= 100 && status <= 999) || status != (ngx_uint_t) status) {
        return nv8_throw(call, NV8_ERROR_RANGE,
                         "ERR_HTTP_INVALID_STATUS_CODE",
                         "Invalid status code: %g", status);
    }

    /* validate all first: a rejected header changes nothing */
    for (i = 0; i + 1 < n; i += 2) {
        if (!ngx_http_v8_valid_name(&items[i])) {
            return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_HTTP_TOKEN",
                             "Header name must be a valid HTTP token");
        }

        if (!ngx_http_v8_valid_value(&items[i + 1])) {
            return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_CHAR",
                             "Invalid character in header content");
        }
    }

    message.len = 0;

    if (!nv8_arg_is_nullish(call, message_arg)) {
        if (nv8_arg_string(call, message_arg, &message) != NV8_OK) {
            return NV8_ERROR;
        }

        if (!ngx_http_v8_valid_value(&message)) {
            return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_CHAR",
                             "Invalid character in statusMessage");
        }
    }

    r->headers_out.status = (ngx_uint_t) status;

    if (message.len) {
        /* HTTP/1.x sends it; HTTP/2 has no reason phrase */
        p = ngx_pnalloc(r->pool, NGX_INT_T_LEN + 1 + message.len);
        if (p == NULL) {
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        r->headers_out.status_line.data = p;
        p = ngx_sprintf(p, "%03ui %*s", (ngx_uint_t) status,
                        message.len, message.data);
        r->headers_out.status_line.len = p - r->headers_out.status_line.data;
    }

    for (i = 0; i + 1 < n; i += 2) {
        name = &items[i];
        value = &items[i + 1];

#define ngx_http_v8_is(s)                                                     \
        (name->len == sizeof(s) - 1                                           \
         && ngx_strncasecmp((u_char *) name->data, (u_char *) s,              \
                            sizeof(s) - 1) == 0)

        /* nginx frames the connection itself */
        if (ngx_http_v8_is("connection") || ngx_http_v8_is("keep-alive")
            || ngx_http_v8_is("transfer-encoding"))
        {
            continue;
        }

        if (ngx_http_v8_is("content-length")) {
            len = ngx_atoof((u_char *) value->data, value->len);
            if (len == NGX_ERROR) {
                return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_CHAR",
                                 "Invalid Content-Length value");
            }

            r->headers_out.content_length_n = len;

            if (length) {
                *length = len;
            }

            continue;
        }

        p = ngx_pnalloc(r->pool, name->len + value->len + 2);
        if (p == NULL) {
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        if (ngx_http_v8_is("content-type")) {
            ngx_memcpy(p, value->data, value->len);
            r->headers_out.content_type.data = p;
            r->headers_out.content_type.len = value->len;
            r->headers_out.content_type_len = value->len;
            r->headers_out.content_type_lowcase = NULL;
            continue;
        }

        h = ngx_list_push(&r->headers_out.headers);
        if (h == NULL) {
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        h->hash = 1;
        h->key.data = p;
        h->key.len = name->len;
        ngx_memcpy(p, name->data, name->len);
        p[name->len] = '\0';

        h->value.data = p + name->len + 1;
        h->value.len = value->len;
        ngx_memcpy(h->value.data, value->data, value->len);
        h->value.data[value->len] = '\0';

        h->lowcase_key = ngx_pnalloc(r->pool, name->len);
        if (h->lowcase_key == NULL) {
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        ngx_strlow(h->lowcase_key, h->key.data, h->key.len);

        /* replace nginx's own */
        if (ngx_http_v8_is("server")) {
            r->headers_out.server = h;

        } else if (ngx_http_v8_is("date")) {
            r->headers_out.date = h;

        } else if (ngx_http_v8_is("location")) {
            r->headers_out.location = h;
        }

#undef ngx_http_v8_is
    }

    ctx->header_sent = 1;

    return NV8_OK;
}


static nv8_int_t
ngx_http_v8_send(nv8_call_t *call, ngx_http_v8_ctx_t *ctx, size_t arg,
    ngx_uint_t last)
{
    size_t                     size;
    ngx_int_t                  rc;
    ngx_buf_t                 *b;
    ngx_chain_t               *cl;
    ngx_event_t               *wev;
    ngx_http_request_t        *r;
    ngx_http_core_loc_conf_t  *clcf;

    r = ctx->request;

    if (nv8_arg_bytes_size(call, arg, &size) != NV8_OK) {
        return NV8_ERROR;
    }

    if (r->header_only) {
        if (last) {
            ngx_http_v8_finish(ctx, NGX_OK);
        }

        nv8_return_bool(call, 1);
        return NV8_OK;
    }

    if (size == 0 && !last) {
        nv8_return_bool(call, ctx->busy == NULL);
        return NV8_OK;
    }

    if (size) {
        cl = ngx_http_v8_get_buf(r->pool, &ctx->free,
                                 (ngx_buf_tag_t) &ngx_http_v8_module, size);
        if (cl == NULL) {
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        b = cl->buf;

        if (nv8_arg_bytes_copy(call, arg, b->last, size) != NV8_OK) {
            cl->next = ctx->free;
            ctx->free = cl;
            return NV8_ERROR;
        }

        b->last += size;

    } else {
        b = ngx_calloc_buf(r->pool);
        cl = ngx_alloc_chain_link(r->pool);

        if (b == NULL || cl == NULL) {
            return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
        }

        cl->buf = b;
    }

    cl->next = NULL;

    if (last) {
        b->last_buf = (r == r->main) ? 1 : 0;
        b->last_in_chain = 1;

    } else {
        b->flush = 1;
    }

    rc = ngx_http_output_filter(r, cl);

    ngx_chain_update_chains(r->pool, &ctx->free, &ctx->busy, &cl,
                            (ngx_buf_tag_t) &ngx_http_v8_module);

    if (rc == NGX_ERROR) {
        ngx_http_v8_finish(ctx, NGX_ERROR);
        nv8_return_bool(call, 0);
        return NV8_OK;
    }

    if (last) {
        /* nginx's own writer sends the rest */
        ngx_http_v8_finish(ctx, rc);
        nv8_return_bool(call, 1);
        return NV8_OK;
    }

    if (ctx->busy == NULL) {
        nv8_return_bool(call, 1);
        return NV8_OK;
    }

    /* nginx still holds some of it: JS waits for "drain" if it cares */

    if (r->write_event_handler != ngx_http_v8_writer) {
        r->write_event_handler = ngx_http_v8_writer;

        wev = r->connection->write;
        clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

        if (!wev->delayed && !wev->timer_set) {
            ngx_add_timer(wev, clcf->send_timeout);
        }

        if (ngx_handle_write_event(wev, clcf->send_lowat) != NGX_OK) {
            ngx_http_v8_finish(ctx, NGX_ERROR);
            nv8_return_bool(call, 0);
            return NV8_OK;
        }
    }

    ctx->watch |= NGX_HTTP_V8_WATCH_DRAIN;

    nv8_return_bool(call, 0);

    return NV8_OK;
}


/*
 * A response buffer of at least "size" bytes, reused once nginx has sent
 * it.  They are larger than the pool's small blocks, so one that is too
 * small for a request is given back to the pool rather than kept.
 */

ngx_chain_t *
ngx_http_v8_get_buf(ngx_pool_t *pool, ngx_chain_t **free, ngx_buf_tag_t tag,
    size_t size)
{
    ngx_buf_t    *b;
    ngx_chain_t  *cl, **ll;

    ll = free;

    for (cl = *free; cl; cl = *ll) {
        b = cl->buf;

        if ((size_t) (b->end - b->start) >= size) {
            *ll = cl->next;
            b->pos = b->start;
            b->last = b->start;
            b->flush = 0;
            b->last_buf = 0;
            b->last_in_chain = 0;
            return cl;
        }

        *ll = cl->next;
        ngx_pfree(pool, b->start);
    }

    cl = ngx_alloc_chain_link(pool);
    if (cl == NULL) {
        return NULL;
    }

    b = ngx_create_temp_buf(pool, ngx_max(size, NGX_HTTP_V8_BUF_SIZE));
    if (b == NULL) {
        return NULL;
    }

    b->tag = tag;
    cl->buf = b;

    return cl;
}


static nv8_int_t
ngx_http_v8_read(nv8_call_t *call)
{
    ngx_http_v8_ctx_t  *ctx;

    if (ngx_http_v8_get(call, 0, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    return ngx_http_v8_body_read(call, ctx);
}


/* JS wants to hear of the request's end (close or abort) */

static nv8_int_t
ngx_http_v8_watch(nv8_call_t *call)
{
    ngx_http_v8_ctx_t  *ctx;

    if (ngx_http_v8_get(call, 1, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    if (ctx) {
        ctx->watch |= NGX_HTTP_V8_WATCH_CLOSE;
    }

    nv8_return_bool(call, ctx != NULL);

    return NV8_OK;
}


/* [address, port] of the client */

static nv8_int_t
ngx_http_v8_peer(nv8_call_t *call)
{
    u_char              *p;
    nv8_str_t            items[2];
    ngx_connection_t    *c;
    ngx_http_v8_ctx_t   *ctx;
    u_char               port[NGX_INT_T_LEN];

    if (ngx_http_v8_get(call, 0, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    c = ctx->request->connection;

    items[0].data = (char *) c->addr_text.data;
    items[0].len = c->addr_text.len;

    p = ngx_sprintf(port, "%ui", (ngx_uint_t) ngx_inet_get_port(c->sockaddr));

    items[1].data = (char *) port;
    items[1].len = p - port;

    nv8_return_string_array(call, items, 2);

    return NV8_OK;
}


/*
 * [scheme, host, server] for absolute URLs: the Host header as received
 * (with its port), and the server's name for when the Host header is
 * absent or is no URL host (nginx lets "a|b" through, WHATWG URL does not)
 */

static nv8_int_t
ngx_http_v8_origin(nv8_call_t *call)
{
    nv8_str_t                  items[3];
    ngx_http_request_t        *r;
    ngx_http_v8_ctx_t         *ctx;
    ngx_http_core_srv_conf_t  *cscf;

    if (ngx_http_v8_get(call, 0, &ctx) != NV8_OK) {
        return NV8_ERROR;
    }

    r = ctx->request;

#if (NGX_HTTP_SSL)
    if (r->connection->ssl) {
        items[0].data = "https";
        items[0].len = 5;

    } else
#endif
    {
        items[0].data = "http";
        items[0].len = 4;
    }

    cscf = ngx_http_get_module_srv_conf(r, ngx_http_core_module);
    items[2].data = (char *) cscf->server_name.data;
    items[2].len = cscf->server_name.len;

    if (items[2].len == 0) {
        items[2].data = "localhost";
        items[2].len = 9;
    }

    if (r->headers_in.host) {
        /* validated by nginx into headers_in.server, which drops the port */
        items[1].data = (char *) r->headers_in.host->value.data;
        items[1].len = r->headers_in.host->value.len;

    } else if (r->headers_in.server.len) {
        items[1].data = (char *) r->headers_in.server.data;
        items[1].len = r->headers_in.server.len;

    } else {
        items[1] = items[2];
    }

    nv8_return_string_array(call, items, 3);

    return NV8_OK;
}


/* a header name: an HTTP token */

ngx_int_t
ngx_http_v8_valid_name(nv8_str_t *s)
{
    u_char  c;
    size_t  i;

    static const char  *tchar = "!#$%&'*+-.^_`|~";

    if (s->len == 0) {
        return 0;
    }

    for (i = 0; i < s->len; i++) {
        c = (u_char) s->data[i];

        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z') || (c && ngx_strchr(tchar, c))))
        {
            return 0;
        }
    }

    return 1;
}


/* a header value (or reason phrase): nothing that could end the line */

ngx_int_t
ngx_http_v8_valid_value(nv8_str_t *s)
{
    size_t  i;

    for (i = 0; i < s->len; i++) {
        if (s->data[i] == '\r' || s->data[i] == '\n' || s->data[i] == '\0') {
            return 0;
        }
    }

    return 1;
}
