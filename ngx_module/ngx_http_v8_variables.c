
/*
 * Copyright (C) nv8 contributors
 *
 * The "http_phase" binding: what handlers of the rewrite and access phases
 * change for nginx (the URI, request headers, variables), internal
 * redirects, and the answers of waiting phase handlers and js_variable.
 */


#include "ngx_http_v8_module.h"


static nv8_int_t ngx_http_v8_set_url(nv8_call_t *call);
static nv8_int_t ngx_http_v8_set_header_in(nv8_call_t *call);
static nv8_int_t ngx_http_v8_get_var(nv8_call_t *call);
static nv8_int_t ngx_http_v8_set_var(nv8_call_t *call);
static nv8_int_t ngx_http_v8_redirect(nv8_call_t *call);
static nv8_int_t ngx_http_v8_next(nv8_call_t *call);
static nv8_int_t ngx_http_v8_result(nv8_call_t *call);
static void ngx_http_v8_header_in_remove(ngx_http_request_t *r,
    ngx_str_t *name);
static ngx_http_variable_t *ngx_http_v8_var_find(ngx_http_request_t *r,
    ngx_str_t *name, ngx_uint_t *key, ngx_uint_t *prefix);


static const nv8_method_t  ngx_http_v8_phase_methods[] = {

    { "setUrl",       ngx_http_v8_set_url,        0 },
    { "setHeader",    ngx_http_v8_set_header_in,  0 },
    { "getVar",       ngx_http_v8_get_var,        0 },
    { "setVar",       ngx_http_v8_set_var,        0 },
    { "redirect",     ngx_http_v8_redirect,       0 },
    { "next",         ngx_http_v8_next,           0 },
    { "result",       ngx_http_v8_result,         0 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  ngx_http_v8_phase_binding = {
    "http_phase",
    ngx_http_v8_phase_methods
};


static ngx_int_t
ngx_http_v8_copy(ngx_pool_t *pool, ngx_str_t *dst, nv8_str_t *src)
{
    dst->data = ngx_pnalloc(pool, src->len + 1);
    if (dst->data == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(dst->data, src->data, src->len);
    dst->data[src->len] = '\0';
    dst->len = src->len;

    return NGX_OK;
}


/*
 * req.url = '/path?query': what nginx (and proxy_pass) sees next.  In
 * the rewrite phase nginx then finds the location again, as after
 * "rewrite ... last".
 */

static nv8_int_t
ngx_http_v8_set_url(nv8_call_t *call)
{
    u_char              *p, *dst, *q;
    size_t               i;
    nv8_str_t            url;
    ngx_str_t            full, uri, args;
    ngx_uint_t           flags;
    ngx_http_request_t  *r;
    ngx_http_v8_ctx_t   *ctx;

    if (ngx_http_v8_arg_ctx(call, &ctx) != NV8_OK
        || nv8_arg_string(call, 1, &url) != NV8_OK)
    {
        return NV8_ERROR;
    }

    r = ctx->request;

    if (url.len == 0 || url.data[0] != '/') {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_URL",
                         "req.url must start with \"/\"");
    }

    for (i = 0; i < url.len; i++) {
        if ((u_char) url.data[i] <= 0x20 || url.data[i] == 0x7f) {
            return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_URL",
                             "req.url must not contain spaces or control "
                             "characters");
        }
    }

    if (ngx_http_v8_copy(r->pool, &full, &url) != NGX_OK) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    q = ngx_strlchr(full.data, full.data + full.len, '?');

    uri.len = q ? (size_t) (q - full.data) : full.len;

    if (q) {
        args.data = q + 1;
        args.len = full.data + full.len - args.data;

    } else {
        ngx_str_null(&args);
    }

    /* r->uri is decoded, as nginx keeps it */
    dst = ngx_pnalloc(r->pool, uri.len + 1);
    if (dst == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    p = dst;
    q = full.data;
    ngx_unescape_uri(&p, &q, uri.len, NGX_UNESCAPE_URI);

    uri.data = dst;
    uri.len = p - dst;

    flags = NGX_HTTP_LOG_UNSAFE;

    if (ngx_http_parse_unsafe_uri(r, &uri, &args, &flags) != NGX_OK
        || ngx_strlchr(uri.data, uri.data + uri.len, '\0') != NULL)
    {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_URL",
                         "unsafe req.url \"%*s\"", url.len, url.data);
    }

    r->uri = uri;
    r->args = args;
    r->unparsed_uri = full;
    r->valid_unparsed_uri = 1;

    ngx_http_set_exten(r);

    if (!ctx->logging) {
        /* find the location again, as "rewrite ... last" */
        r->uri_changed = 1;
    }

    return NV8_OK;
}


/*
 * Sets (value a string) or removes (value null) a request header for the
 * phases and modules that follow (proxy_pass, $http_...).  The header
 * list is changed in place and nginx's pointers to known headers are
 * kept right.
 */

static nv8_int_t
ngx_http_v8_set_header_in(nv8_call_t *call)
{
    nv8_str_t                   name, value;
    ngx_str_t                   key;
    ngx_table_elt_t            *h;
    ngx_http_header_t          *hh;
    ngx_http_request_t         *r;
    ngx_http_v8_ctx_t          *ctx;
    ngx_http_core_main_conf_t  *cmcf;

    if (ngx_http_v8_arg_ctx(call, &ctx) != NV8_OK
        || nv8_arg_string(call, 1, &name) != NV8_OK)
    {
        return NV8_ERROR;
    }

    r = ctx->request;

    value.len = 0;
    value.data = NULL;

    if (!nv8_arg_is_nullish(call, 2)
        && nv8_arg_string(call, 2, &value) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (!ngx_http_v8_valid_name(&name)) {
        goto invalid;
    }

    if (!ngx_http_v8_valid_value(&value)) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_CHAR",
                         "Invalid character in header content [\"%*s\"]",
                         name.len, name.data);
    }

    if (ngx_http_v8_copy(r->pool, &key, &name) != NGX_OK) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    ngx_http_v8_header_in_remove(r, &key);

    if (value.data == NULL) {
        return NV8_OK;
    }

    h = ngx_list_push(&r->headers_in.headers);
    if (h == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    h->key = key;
    h->lowcase_key = ngx_pnalloc(r->pool, key.len);

    if (h->lowcase_key == NULL
        || ngx_http_v8_copy(r->pool, &h->value, &value) != NGX_OK)
    {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    h->hash = ngx_hash_strlow(h->lowcase_key, key.data, key.len);

    /* let nginx note a header it knows (Host, User-Agent, Cookie...) */
    cmcf = ngx_http_get_module_main_conf(r, ngx_http_core_module);

    hh = ngx_hash_find(&cmcf->headers_in_hash, h->hash, h->lowcase_key,
                       h->key.len);

    if (hh && hh->handler(r, h, hh->offset) != NGX_OK) {
        /* the handler finalized nothing yet for a parsed request, but it
         * refused the value (an invalid Host, say) */
        ngx_http_v8_header_in_remove(r, &key);
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_CHAR",
                         "nginx refused the value of request header "
                         "\"%*s\"", name.len, name.data);
    }

    return NV8_OK;

invalid:

    return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_HTTP_TOKEN",
                     "Header name must be a valid HTTP token [\"%*s\"]",
                     name.len, name.data);
}


static ngx_uint_t
ngx_http_v8_is_array_header(ngx_uint_t offset)
{
#if (NGX_HTTP_X_FORWARDED_FOR)
    if (offset == offsetof(ngx_http_headers_in_t, x_forwarded_for)) {
        return 1;
    }
#endif

    return offset == offsetof(ngx_http_headers_in_t, cookies);
}


/* drops every entry named "name" and fixes nginx's pointers into the list */

static void
ngx_http_v8_header_in_remove(ngx_http_request_t *r, ngx_str_t *name)
{
    ngx_uint_t          i, j, k;
    ngx_array_t        *a;
    ngx_list_part_t    *part;
    ngx_table_elt_t    *h, **ph, **pa;
    ngx_http_header_t  *hh;

    for (part = &r->headers_in.headers.part; part; part = part->next) {
        h = part->elts;
        i = 0;

        while (i < part->nelts) {
            if (h[i].key.len != name->len
                || ngx_strncasecmp(h[i].key.data, name->data, name->len) != 0)
            {
                i++;
                continue;
            }

            /* known headers point into the list: follow the move */
            for (hh = ngx_http_headers_in; hh->name.len; hh++) {

                if (ngx_http_v8_is_array_header(hh->offset)) {
                    a = (ngx_array_t *) ((char *) &r->headers_in
                                         + hh->offset);
                    pa = a->elts;

                    for (j = 0, k = 0; j < a->nelts; j++) {
                        if (pa[j] == &h[i]) {
                            continue;
                        }

                        if (pa[j] > &h[i] && pa[j] < &h[part->nelts]) {
                            pa[j]--;
                        }

                        pa[k++] = pa[j];
                    }

                    a->nelts = k;
                    continue;
                }

                ph = (ngx_table_elt_t **) ((char *) &r->headers_in
                                           + hh->offset);

                if (*ph == &h[i]) {
                    *ph = NULL;

                } else if (*ph > &h[i] && *ph < &h[part->nelts]) {
                    (*ph)--;
                }
            }

            ngx_memmove(&h[i], &h[i + 1],
                        (part->nelts - i - 1) * sizeof(ngx_table_elt_t));
            part->nelts--;
        }
    }
}


static ngx_http_variable_t *
ngx_http_v8_var_find(ngx_http_request_t *r, ngx_str_t *name,
    ngx_uint_t *key, ngx_uint_t *prefix)
{
    ngx_uint_t                  i;
    ngx_http_variable_t        *v;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_get_module_main_conf(r, ngx_http_core_module);

    *key = ngx_hash_strlow(name->data, name->data, name->len);
    *prefix = 0;

    v = ngx_hash_find(&cmcf->variables_hash, *key, name->data, name->len);
    if (v) {
        return v;
    }

    v = cmcf->prefix_variables.elts;

    for (i = 0; i < cmcf->prefix_variables.nelts; i++) {
        if (name->len >= v[i].name.len
            && ngx_strncmp(name->data, v[i].name.data, v[i].name.len) == 0)
        {
            *prefix = 1;
            return &v[i];
        }
    }

    return NULL;
}


/* req.variables.NAME: a string, or undefined if nginx has no value */

static nv8_int_t
ngx_http_v8_get_var(nv8_call_t *call)
{
    nv8_str_t                   s;
    ngx_str_t                   name;
    ngx_uint_t                  key, prefix;
    ngx_http_v8_ctx_t          *ctx;
    ngx_http_variable_value_t  *vv;

    if (ngx_http_v8_arg_ctx(call, &ctx) != NV8_OK
        || nv8_arg_string(call, 1, &s) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (ngx_http_v8_copy(ctx->request->pool, &name, &s) != NGX_OK) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    if (ngx_http_v8_var_find(ctx->request, &name, &key, &prefix) == NULL) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_UNKNOWN_VARIABLE",
                         "unknown nginx variable \"$%*s\"", s.len, s.data);
    }

    vv = ngx_http_get_variable(ctx->request, &name, key);

    if (vv == NULL || vv->not_found || !vv->valid) {
        return NV8_OK;
    }

    nv8_return_string(call, (char *) vv->data, vv->len);

    return NV8_OK;
}


/* req.variables.NAME = value: for variables nginx lets change ("set") */

static nv8_int_t
ngx_http_v8_set_var(nv8_call_t *call)
{
    nv8_str_t                   s, value;
    ngx_str_t                   name, copy;
    ngx_uint_t                  key, prefix;
    ngx_http_variable_t        *v;
    ngx_http_request_t         *r;
    ngx_http_v8_ctx_t          *ctx;
    ngx_http_variable_value_t  *vv;

    if (ngx_http_v8_arg_ctx(call, &ctx) != NV8_OK
        || nv8_arg_string(call, 1, &s) != NV8_OK
        || nv8_arg_string(call, 2, &value) != NV8_OK)
    {
        return NV8_ERROR;
    }

    r = ctx->request;

    if (ngx_http_v8_copy(r->pool, &name, &s) != NGX_OK
        || ngx_http_v8_copy(r->pool, &copy, &value) != NGX_OK)
    {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    v = ngx_http_v8_var_find(r, &name, &key, &prefix);

    if (v == NULL) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_UNKNOWN_VARIABLE",
                         "unknown nginx variable \"$%*s\" (declare it "
                         "with \"set\" or \"map\" first)", s.len, s.data);
    }

    if (prefix || !(v->flags & NGX_HTTP_VAR_CHANGEABLE)
        || (v->set_handler == NULL && !(v->flags & NGX_HTTP_VAR_INDEXED)))
    {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_NV8_READONLY_VARIABLE",
                         "nginx variable \"$%*s\" is read-only",
                         s.len, s.data);
    }

    vv = ngx_pcalloc(r->pool, sizeof(ngx_http_variable_value_t));
    if (vv == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    vv->data = copy.data;
    vv->len = copy.len;
    vv->valid = 1;

    if (v->set_handler) {
        v->set_handler(r, vv, v->data);

    } else {
        r->variables[v->index] = *vv;
    }

    return NV8_OK;
}


/* req.redirect(uri or @name): an internal redirect once the handler ends */

static nv8_int_t
ngx_http_v8_redirect(nv8_call_t *call)
{
    size_t              i;
    nv8_str_t           uri;
    ngx_http_v8_ctx_t  *ctx;

    if (ngx_http_v8_arg_ctx(call, &ctx) != NV8_OK
        || nv8_arg_string(call, 1, &uri) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (ctx->phase == NULL) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_PHASE",
                         "req.redirect() works in rewrite and access "
                         "handlers only");
    }

    if (uri.len == 0 || (uri.data[0] != '/' && uri.data[0] != '@')) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_URL",
                         "req.redirect() needs a URI starting with \"/\" "
                         "or a named location \"@name\"");
    }

    for (i = 0; i < uri.len; i++) {
        if ((u_char) uri.data[i] <= 0x20 || uri.data[i] == 0x7f) {
            return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_URL",
                             "req.redirect() URI must not contain spaces "
                             "or control characters");
        }
    }

    if (ngx_http_v8_copy(ctx->request->pool, &ctx->redirect, &uri)
        != NGX_OK)
    {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    return NV8_OK;
}


static nv8_int_t
ngx_http_v8_next(nv8_call_t *call)
{
    double              id;
    ngx_http_v8_ctx_t  *ctx;

    if (nv8_arg_number(call, 0, &id) != NV8_OK) {
        return NV8_ERROR;
    }

    ctx = ngx_http_v8_ctx_lookup(id);

    if (ctx) {
        ngx_http_v8_phase_next(ctx);
    }

    return NV8_OK;
}


/* a js_variable's value */

static nv8_int_t
ngx_http_v8_result(nv8_call_t *call)
{
    nv8_str_t           s;
    ngx_http_v8_ctx_t  *ctx;

    if (ngx_http_v8_arg_ctx(call, &ctx) != NV8_OK
        || nv8_arg_string(call, 1, &s) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (ngx_http_v8_copy(ctx->request->pool, &ctx->result, &s) != NGX_OK) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    return NV8_OK;
}
