
/*
 * Copyright (C) nv8 contributors
 *
 * The content phase and the request's lifetime.  JS knows a request only
 * by an id: a slot number plus the slot's generation.  The slot is released
 * by a cleanup of the request's pool, so an id that outlives its request
 * finds nothing, and JS can never reach freed memory.
 */


#include "ngx_http_v8_module.h"

#include <math.h>


#define NGX_HTTP_V8_SLOT_BITS  20
#define NGX_HTTP_V8_SLOT_MAX   (1 << NGX_HTTP_V8_SLOT_BITS)


typedef struct {
    ngx_http_v8_ctx_t        *ctx;
    uint32_t                  gen;
    uint32_t                  next;         /* free list */
} ngx_http_v8_slot_t;


static double ngx_http_v8_slot_alloc(ngx_http_v8_ctx_t *ctx);
static void ngx_http_v8_cleanup(void *data);
static void ngx_http_v8_timeout(ngx_event_t *ev);
static void ngx_http_v8_finalizer(ngx_event_t *ev);


static ngx_http_v8_slot_t  *ngx_http_v8_slots;
static uint32_t             ngx_http_v8_nslots;
static uint32_t             ngx_http_v8_free = (uint32_t) -1;


static ngx_str_t  ngx_http_v8_versions[] = {
    ngx_string("0.9"),
    ngx_string("1.0"),
    ngx_string("1.1"),
    ngx_string("2.0"),
    ngx_string("3.0")
};


ngx_int_t
ngx_http_v8_handlers_load(ngx_cycle_t *cycle, ngx_http_v8_main_conf_t *mcf)
{
    char                    *err, *path;
    double                   index;
    ngx_uint_t               i;
    nv8_arg_t                args[3];
    ngx_http_v8_handler_t  **hp, *h;

    hp = mcf->handlers.elts;

    for (i = 0; i < mcf->handlers.nelts; i++) {
        h = hp[i];
        err = NULL;

        path = ngx_pnalloc(cycle->pool, h->path.len + 1);
        if (path == NULL) {
            return NGX_ERROR;
        }

        ngx_cpystrn((u_char *) path, h->path.data, h->path.len + 1);

        /* modules are cached: each is evaluated once per worker */
        if (nv8_module_load(ngx_v8_runtime.rt, path, &err) != NV8_OK) {
            ngx_log_error(NGX_LOG_ERR, cycle->log, 0,
                          "v8 failed to load \"%V\": %s", &h->path,
                          err ? err : "unknown error");
            free(err);
            continue;
        }

        args[0].type = NV8_ARG_MODULE;
        args[0].str.data = path;
        args[0].str.len = h->path.len;
        args[1].type = NV8_ARG_STRING;
        args[1].str.data = (char *) h->name.data;
        args[1].str.len = h->name.len;
        args[2].type = NV8_ARG_STRING;
        args[2].str.data = path;
        args[2].str.len = h->path.len;

        if (nv8_hook_call(ngx_v8_runtime.rt, NV8_HOOK_HTTP_REGISTER, 0,
                          args, 3, &index, &err)
            != NV8_OK)
        {
            ngx_log_error(NGX_LOG_ERR, cycle->log, 0,
                          "v8 failed to load \"%V\": %s", &h->path,
                          err ? err : "unknown error");
            free(err);
            continue;
        }

        h->index = (ngx_int_t) index;
    }

    return NGX_OK;
}


ngx_int_t
ngx_http_v8_content_handler(ngx_http_request_t *r)
{
    ngx_int_t                rc;
    nv8_arg_t                args[5];
    ngx_uint_t               v;
    ngx_http_v8_ctx_t       *ctx;
    ngx_pool_cleanup_t      *cln;
    ngx_http_v8_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_v8_module);

    if (ngx_v8_runtime.rt == NULL || lcf->handler->index < 0) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "v8 handler \"%V\" is not loaded, see the worker's "
                      "start-up messages", &lcf->handler->path);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "http v8 content handler \"%V\"", &lcf->handler->path);

    /* request bodies reach JS with the HTTP API; until then, drop them */
    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_v8_ctx_t));
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->request = r;
    ctx->rc = NGX_OK;

    ctx->id = ngx_http_v8_slot_alloc(ctx);
    if (ctx->id == 0) {
        ngx_log_error(NGX_LOG_CRIT, r->connection->log, 0,
                      "v8 too many requests in flight");
        return NGX_HTTP_SERVICE_UNAVAILABLE;
    }

    cln->handler = ngx_http_v8_cleanup;
    cln->data = ctx;

    ngx_http_set_ctx(r, ctx, ngx_http_v8_module);

    switch (r->http_version) {
    case NGX_HTTP_VERSION_9:
        v = 0;
        break;
    case NGX_HTTP_VERSION_10:
        v = 1;
        break;
    case NGX_HTTP_VERSION_20:
        v = 3;
        break;
    case 3000:
        v = 4;
        break;
    default:
        v = 2;
    }

    args[0].type = NV8_ARG_NUMBER;
    args[0].number = ctx->id;
    args[1].type = NV8_ARG_NUMBER;
    args[1].number = (double) lcf->handler->index;
    args[2].type = NV8_ARG_STRING;
    args[2].str.data = (char *) r->method_name.data;
    args[2].str.len = r->method_name.len;
    args[3].type = NV8_ARG_STRING;
    args[3].str.data = (char *) r->unparsed_uri.data;
    args[3].str.len = r->unparsed_uri.len;
    args[4].type = NV8_ARG_STRING;
    args[4].str.data = (char *) ngx_http_v8_versions[v].data;
    args[4].str.len = ngx_http_v8_versions[v].len;

    rc = nv8_hook_call(ngx_v8_runtime.rt, NV8_HOOK_HTTP_DISPATCH, ctx->id,
                       args, 5, NULL, NULL);

    /* the handler may have started timers or thread-pool work */
    ngx_v8_loop_arm();

    if (ctx->done) {
        ctx->finalized = 1;
        return ctx->rc;
    }

    if (rc != NV8_OK) {
        ctx->done = 1;
        ctx->finalized = 1;
        return ctx->header_sent ? NGX_ERROR
                                : NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* the response is completed later, from the loop */

    ctx->pending = 1;
    r->main->count++;

    /* notice a client that goes away while JS works */
    r->read_event_handler = ngx_http_test_reading;
    r->write_event_handler = ngx_http_request_empty_handler;

    ctx->timer.handler = ngx_http_v8_timeout;
    ctx->timer.data = ctx;
    ctx->timer.log = r->connection->log;
    ngx_add_timer(&ctx->timer, lcf->timeout);

    return NGX_DONE;
}


/*
 * Called by the binding when the response is complete or has failed.  It
 * may run inside JS, so a pending request is finalized from a posted event
 * rather than here.
 */
void
ngx_http_v8_finish(ngx_http_v8_ctx_t *ctx, ngx_int_t rc)
{
    if (ctx->done) {
        return;
    }

    ctx->done = 1;
    ctx->rc = rc;

    if (!ctx->pending) {
        /* the content handler returns ctx->rc */
        return;
    }

    if (ctx->timer.timer_set) {
        ngx_del_timer(&ctx->timer);
    }

    ctx->finalizer.handler = ngx_http_v8_finalizer;
    ctx->finalizer.data = ctx;
    ctx->finalizer.log = ctx->request->connection->log;

    ngx_post_event(&ctx->finalizer, &ngx_posted_events);
}


static void
ngx_http_v8_finalizer(ngx_event_t *ev)
{
    ngx_connection_t    *c;
    ngx_http_request_t  *r;
    ngx_http_v8_ctx_t   *ctx;

    ctx = ev->data;
    r = ctx->request;
    c = r->connection;

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, c->log, 0,
                   "http v8 finalize %i", ctx->rc);

    ctx->finalized = 1;

    /* releases the reference taken when the handler went pending */
    ngx_http_finalize_request(r, ctx->rc);
    ngx_http_run_posted_requests(c);
}


static void
ngx_http_v8_timeout(ngx_event_t *ev)
{
    ngx_http_v8_ctx_t       *ctx;
    ngx_http_v8_loc_conf_t  *lcf;

    ctx = ev->data;
    lcf = ngx_http_get_module_loc_conf(ctx->request, ngx_http_v8_module);

    ngx_log_error(NGX_LOG_ERR, ev->log, 0,
                  "v8 handler \"%V\" timed out after %Mms without ending "
                  "the response", &lcf->handler->path, lcf->timeout);

    ngx_http_v8_finish(ctx, ctx->header_sent ? NGX_ERROR
                                             : NGX_HTTP_INTERNAL_SERVER_ERROR);
}


static void
ngx_http_v8_cleanup(void *data)
{
    ngx_http_v8_ctx_t  *ctx = data;

    uint32_t  slot;

    if (ctx->timer.timer_set) {
        ngx_del_timer(&ctx->timer);
    }

    if (ctx->finalizer.posted) {
        ngx_delete_posted_event(&ctx->finalizer);
    }

    slot = (uint32_t) fmod(ctx->id, NGX_HTTP_V8_SLOT_MAX);

    ngx_http_v8_slots[slot].ctx = NULL;
    ngx_http_v8_slots[slot].gen++;
    ngx_http_v8_slots[slot].next = ngx_http_v8_free;
    ngx_http_v8_free = slot;

    ctx->request = NULL;
}


/* ids are slot + generation * 2^20, generations start at 1: never 0 */
static double
ngx_http_v8_slot_alloc(ngx_http_v8_ctx_t *ctx)
{
    uint32_t             slot, n, i;
    ngx_http_v8_slot_t  *slots;

    if (ngx_http_v8_free == (uint32_t) -1) {
        n = ngx_http_v8_nslots ? ngx_http_v8_nslots * 2 : 256;

        if (n > NGX_HTTP_V8_SLOT_MAX) {
            return 0;
        }

        slots = realloc(ngx_http_v8_slots, n * sizeof(ngx_http_v8_slot_t));
        if (slots == NULL) {
            return 0;
        }

        for (i = ngx_http_v8_nslots; i < n; i++) {
            slots[i].ctx = NULL;
            slots[i].gen = 1;
            slots[i].next = (i + 1 < n) ? i + 1 : (uint32_t) -1;
        }

        ngx_http_v8_free = ngx_http_v8_nslots;
        ngx_http_v8_slots = slots;
        ngx_http_v8_nslots = n;
    }

    slot = ngx_http_v8_free;
    ngx_http_v8_free = ngx_http_v8_slots[slot].next;
    ngx_http_v8_slots[slot].ctx = ctx;

    return (double) ngx_http_v8_slots[slot].gen * NGX_HTTP_V8_SLOT_MAX
           + slot;
}


ngx_http_v8_ctx_t *
ngx_http_v8_ctx_lookup(double id)
{
    double    gen;
    uint32_t  slot;

    if (!(id >= NGX_HTTP_V8_SLOT_MAX)) {
        return NULL;
    }

    slot = (uint32_t) fmod(id, NGX_HTTP_V8_SLOT_MAX);
    gen = floor(id / NGX_HTTP_V8_SLOT_MAX);

    if (slot >= ngx_http_v8_nslots
        || (double) ngx_http_v8_slots[slot].gen != gen)
    {
        return NULL;
    }

    return ngx_http_v8_slots[slot].ctx;
}


ngx_log_t *
ngx_http_v8_context_log(double id)
{
    ngx_http_v8_ctx_t  *ctx;

    ctx = ngx_http_v8_ctx_lookup(id);

    return ctx ? ctx->request->connection->log : NULL;
}
