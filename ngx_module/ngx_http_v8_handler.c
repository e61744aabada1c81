
/*
 * Copyright (C) nv8 contributors
 *
 * The content phase and the request's lifetime.  JS knows a request only
 * by an id: a slot number plus the slot's generation.  The slot is released
 * by a cleanup of the request's pool, so an id that outlives its request
 * finds nothing, and JS can never reach freed memory.
 */


#include "ngx_http_v8_module.h"



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
static void ngx_http_v8_closed(ngx_event_t *ev);


/* requests gone whose JS objects have yet to hear of it */
typedef struct {
    double                    id;
    nv8_promise_t            *read;         /* a body read to reject */
    ngx_uint_t                event;        /* NGX_HTTP_V8_EV_*, or 0 */
} ngx_http_v8_gone_t;


static ngx_http_v8_slot_t  *ngx_http_v8_slots;
static uint32_t             ngx_http_v8_nslots;
static uint32_t             ngx_http_v8_free = (uint32_t) -1;

static ngx_http_v8_gone_t  *ngx_http_v8_gone;
static ngx_uint_t           ngx_http_v8_ngone;
static ngx_uint_t           ngx_http_v8_gone_size;
static ngx_event_t          ngx_http_v8_gone_event;


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
    nv8_arg_t                args[4];
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
        args[3].type = NV8_ARG_NUMBER;
        args[3].number = (double) h->kind;

        if (nv8_hook_call(ngx_v8_runtime.rt, NV8_HOOK_HTTP_REGISTER, 0,
                          args, 4, &index, &err)
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


/* the request's context, made at the first handler that runs for it */

ngx_http_v8_ctx_t *
ngx_http_v8_ctx_get(ngx_http_request_t *r)
{
    ngx_http_v8_ctx_t       *ctx;
    ngx_pool_cleanup_t      *cln;
    ngx_http_v8_loc_conf_t  *lcf;

    ctx = ngx_http_get_module_ctx(r, ngx_http_v8_module);
    if (ctx) {
        return ctx;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_v8_ctx_t));
    if (ctx == NULL) {
        return NULL;
    }

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NULL;
    }

    ctx->request = r;
    ctx->rc = NGX_OK;

    ctx->id = ngx_http_v8_slot_alloc(ctx);
    if (ctx->id == 0) {
        ngx_log_error(NGX_LOG_CRIT, r->connection->log, 0,
                      "v8 too many requests in flight");
        return NULL;
    }

    cln->handler = ngx_http_v8_cleanup;
    cln->data = ctx;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_v8_module);

    /* with several handlers, JS keeps the same req and res for all of
     * them, and must hear when the request ends to let them go */
    if ((lcf->handler != NULL) + (lcf->rewrite != NULL)
        + (lcf->access != NULL) + (lcf->header_filter != NULL)
        + (lcf->body_filter != NULL) + (lcf->log != NULL) > 1)
    {
        ctx->multi = 1;
        ctx->watch |= NGX_HTTP_V8_WATCH_CLOSE;
    }

    ngx_http_set_ctx(r, ctx, ngx_http_v8_module);

    return ctx;
}


/*
 * Calls handler "h" of the request for "what" (NGX_HTTP_V8_RUN_*), with
 * "extra" arguments after the common ones.  Returns NGX_ERROR if it threw
 * (logged), else what dispatch returned (NGX_HTTP_V8_JS_*).
 */

ngx_int_t
ngx_http_v8_call(ngx_http_request_t *r, ngx_http_v8_ctx_t *ctx,
    ngx_http_v8_handler_t *h, ngx_uint_t what, nv8_arg_t *extra,
    ngx_uint_t nextra)
{
    double      result;
    nv8_int_t   rc;
    nv8_arg_t   args[10];
    ngx_uint_t  i, v;

    if (ngx_v8_runtime.rt == NULL || h->index < 0) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "v8 handler \"%V\" is not loaded, see the worker's "
                      "start-up messages", &h->path);
        return NGX_ERROR;
    }

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
    args[1].number = (double) h->index;
    args[2].type = NV8_ARG_STRING;
    args[2].str.data = (char *) r->method_name.data;
    args[2].str.len = r->method_name.len;
    args[3].type = NV8_ARG_STRING;
    args[3].str.data = (char *) r->unparsed_uri.data;
    args[3].str.len = r->unparsed_uri.len;
    args[4].type = NV8_ARG_STRING;
    args[4].str.data = (char *) ngx_http_v8_versions[v].data;
    args[4].str.len = ngx_http_v8_versions[v].len;
    args[5].type = NV8_ARG_NUMBER;
    args[5].number = ngx_http_v8_has_body(r);
    args[6].type = NV8_ARG_NUMBER;
    args[6].number = (double) what;
    args[7].type = NV8_ARG_NUMBER;
    args[7].number = ctx->multi;

    for (i = 0; i < nextra && i < 2; i++) {
        args[8 + i] = extra[i];
    }

    rc = nv8_hook_call(ngx_v8_runtime.rt, NV8_HOOK_HTTP_DISPATCH, ctx->id,
                       args, 8 + i, &result, NULL);

    /* the handler may have started timers or thread-pool work */
    ngx_v8_loop_arm();

    if (rc != NV8_OK) {
        return NGX_ERROR;
    }

    return (ngx_int_t) result;
}


ngx_int_t
ngx_http_v8_content_handler(ngx_http_request_t *r)
{
    ngx_int_t                rc;
    ngx_http_v8_ctx_t       *ctx;
    ngx_http_v8_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_v8_module);

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "http v8 content handler \"%V\"", &lcf->handler->path);

    ctx = ngx_http_v8_ctx_get(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_v8_call(r, ctx, lcf->handler, NGX_HTTP_V8_RUN_CONTENT,
                          NULL, 0);

    if (rc == NGX_ERROR) {
        ngx_http_v8_finish(ctx, ctx->header_sent
                                ? NGX_ERROR : NGX_HTTP_INTERNAL_SERVER_ERROR);
    }

    if (ctx->done) {
        ctx->finalized = 1;
        return ctx->rc;
    }

    /* the response is completed later, from the loop */

    ngx_http_v8_pend(r, ctx);

    return NGX_DONE;
}


/*
 * The handler goes on after returning to nginx: hold the request, watch
 * the client, arm js_handler_timeout.
 */

void
ngx_http_v8_pend(ngx_http_request_t *r, ngx_http_v8_ctx_t *ctx)
{
    ngx_http_v8_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_v8_module);

    ctx->pending = 1;
    r->main->count++;

    /* notice a client that goes away while JS works */
    if (ctx->body != NGX_HTTP_V8_BODY_READING
        && ctx->body != NGX_HTTP_V8_BODY_BUFFERING)
    {
        r->read_event_handler = ngx_http_test_reading;
    }

    if (ctx->busy == NULL) {
        r->write_event_handler = ngx_http_request_empty_handler;
    }

    ctx->timer.handler = ngx_http_v8_timeout;
    ctx->timer.data = ctx;
    ctx->timer.log = r->connection->log;
    ngx_add_timer(&ctx->timer, lcf->timeout);
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

    if (rc == NGX_ERROR && ctx->request->connection->error) {
        /*
         * a write failed because the client is gone (an HTTP/2 stream's
         * connection closing fails its pending writes): an abort, for JS
         */
        rc = NGX_HTTP_CLIENT_CLOSED_REQUEST;
    }

    ctx->done = 1;
    ctx->rc = rc;

    if (rc == NGX_OK || rc == NGX_AGAIN
        || (rc >= NGX_HTTP_SPECIAL_RESPONSE && !ctx->header_sent))
    {
        ngx_http_v8_body_discard(ctx);
    }

    if (ctx->body == NGX_HTTP_V8_BODY_BUFFERING
        || ctx->body == NGX_HTTP_V8_BODY_READING)
    {
        /* the rest of the body is still on the connection */
        ctx->request->keepalive = 0;
        ctx->request->lingering_close = 1;
    }

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
                  "v8 handler \"%V\" timed out after %Mms without %s",
                  ctx->phase ? &ctx->phase->path : &lcf->handler->path,
                  lcf->timeout,
                  ctx->phase ? "finishing" : "ending the response");

    ngx_http_v8_finish(ctx, ctx->header_sent ? NGX_ERROR
                                             : NGX_HTTP_INTERNAL_SERVER_ERROR);
}


static void
ngx_http_v8_cleanup(void *data)
{
    ngx_http_v8_ctx_t  *ctx = data;

    uint32_t             slot;
    ngx_uint_t           n;
    nv8_promise_t       *read;
    ngx_http_v8_gone_t  *gone;

    if (ctx->timer.timer_set) {
        ngx_del_timer(&ctx->timer);
    }

    ngx_http_v8_body_abort(ctx, &read);

    /*
     * JS hears of it from a posted event: a cleanup runs inside nginx's
     * request teardown, no place to run JS from.
     */

    if (read || (ctx->watch & NGX_HTTP_V8_WATCH_CLOSE)) {

        if (ngx_http_v8_ngone == ngx_http_v8_gone_size) {
            n = ngx_http_v8_gone_size ? ngx_http_v8_gone_size * 2 : 64;

            gone = realloc(ngx_http_v8_gone, n * sizeof(ngx_http_v8_gone_t));

            if (gone == NULL) {
                ngx_log_error(NGX_LOG_CRIT, ctx->request->connection->log, 0,
                              "v8 out of memory, a request's close event "
                              "is lost");
                if (read) {
                    nv8_promise_drop(read);
                }

                goto release;
            }

            ngx_http_v8_gone = gone;
            ngx_http_v8_gone_size = n;
        }

        gone = &ngx_http_v8_gone[ngx_http_v8_ngone++];
        gone->id = ctx->id;
        gone->read = read;
        gone->event = 0;

        if (ctx->watch & NGX_HTTP_V8_WATCH_CLOSE) {
            /* a body read that found the client gone also ends it */
            gone->event = ctx->done
                          && ctx->rc != NGX_HTTP_CLIENT_CLOSED_REQUEST
                          ? NGX_HTTP_V8_EV_CLOSE : NGX_HTTP_V8_EV_ABORT;
        }

        if (!ngx_http_v8_gone_event.posted) {
            ngx_http_v8_gone_event.handler = ngx_http_v8_closed;
            ngx_http_v8_gone_event.log = ngx_cycle->log;
            ngx_post_event(&ngx_http_v8_gone_event, &ngx_posted_events);
        }
    }

release:

    if (ctx->finalizer.posted) {
        ngx_delete_posted_event(&ctx->finalizer);
    }

    if (ctx->resumer.posted) {
        ngx_delete_posted_event(&ctx->resumer);
    }

    if (ctx->sr_runner.posted) {
        ngx_delete_posted_event(&ctx->sr_runner);
    }

    slot = (uint32_t) ((uint64_t) ctx->id & (NGX_HTTP_V8_SLOT_MAX - 1));

    ngx_http_v8_slots[slot].ctx = NULL;
    ngx_http_v8_slots[slot].gen++;
    ngx_http_v8_slots[slot].next = ngx_http_v8_free;
    ngx_http_v8_free = slot;

    ctx->request = NULL;
}


static void
ngx_http_v8_closed(ngx_event_t *ev)
{
    ngx_uint_t           i, n;
    nv8_arg_t            args[2];
    ngx_http_v8_gone_t  *gone;

    /* JS may end more requests while this runs: take the batch first */
    gone = ngx_http_v8_gone;
    n = ngx_http_v8_ngone;

    ngx_http_v8_gone = NULL;
    ngx_http_v8_ngone = 0;
    ngx_http_v8_gone_size = 0;

    for (i = 0; i < n; i++) {

        if (ngx_v8_runtime.rt == NULL) {
            if (gone[i].read) {
                nv8_promise_drop(gone[i].read);
            }

            continue;
        }

        if (gone[i].read) {
            nv8_promise_reject_error(gone[i].read, "ECONNRESET", "aborted");
        }

        if (gone[i].event) {
            args[0].type = NV8_ARG_NUMBER;
            args[0].number = gone[i].id;
            args[1].type = NV8_ARG_NUMBER;
            args[1].number = (double) gone[i].event;

            (void) nv8_hook_call(ngx_v8_runtime.rt, NV8_HOOK_HTTP_EVENT,
                                 gone[i].id, args, 2, NULL, NULL);
        }
    }

    free(gone);

    ngx_v8_loop_arm();
}


/* tells JS of a live request's event (drain) */

void
ngx_http_v8_event(ngx_http_v8_ctx_t *ctx, ngx_uint_t event)
{
    nv8_arg_t  args[2];

    args[0].type = NV8_ARG_NUMBER;
    args[0].number = ctx->id;
    args[1].type = NV8_ARG_NUMBER;
    args[1].number = (double) event;

    (void) nv8_hook_call(ngx_v8_runtime.rt, NV8_HOOK_HTTP_EVENT, ctx->id,
                         args, 2, NULL, NULL);

    ngx_v8_loop_arm();
}


/*
 * The write event while JS streams a response: nginx flushes what it
 * holds, and once all of JS's buffers are out, JS hears "drain".
 */

void
ngx_http_v8_writer(ngx_http_request_t *r)
{
    ngx_int_t                  rc;
    ngx_chain_t               *out;
    ngx_event_t               *wev;
    ngx_connection_t          *c;
    ngx_http_v8_ctx_t         *ctx;
    ngx_http_core_loc_conf_t  *clcf;

    c = r->connection;
    wev = c->write;
    ctx = ngx_http_get_module_ctx(r, ngx_http_v8_module);

    if (ctx == NULL || ctx->done) {
        r->write_event_handler = ngx_http_request_empty_handler;
        return;
    }

    ngx_log_debug0(NGX_LOG_DEBUG_HTTP, c->log, 0, "http v8 writer");

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    if (wev->timedout) {
        ngx_log_error(NGX_LOG_INFO, c->log, NGX_ETIMEDOUT,
                      "client timed out");
        c->timedout = 1;
        ngx_http_v8_finish(ctx, NGX_HTTP_REQUEST_TIME_OUT);
        return;
    }

    if (wev->delayed || r->aio) {
        if (!wev->delayed) {
            ngx_add_timer(wev, clcf->send_timeout);
        }

        if (ngx_handle_write_event(wev, clcf->send_lowat) != NGX_OK) {
            ngx_http_v8_finish(ctx, NGX_ERROR);
        }

        return;
    }

    rc = ngx_http_output_filter(r, NULL);

    if (rc == NGX_ERROR) {
        ngx_http_v8_finish(ctx, NGX_ERROR);
        return;
    }

    out = NULL;
    ngx_chain_update_chains(r->pool, &ctx->free, &ctx->busy, &out,
                            (ngx_buf_tag_t) &ngx_http_v8_module);

    if (ctx->busy) {
        if (!wev->delayed) {
            ngx_add_timer(wev, clcf->send_timeout);
        }

        if (ngx_handle_write_event(wev, clcf->send_lowat) != NGX_OK) {
            ngx_http_v8_finish(ctx, NGX_ERROR);
        }

        return;
    }

    if (wev->timer_set) {
        ngx_del_timer(wev);
    }

    r->write_event_handler = ngx_http_request_empty_handler;

    if (ctx->watch & NGX_HTTP_V8_WATCH_DRAIN) {
        ctx->watch &= ~NGX_HTTP_V8_WATCH_DRAIN;
        ngx_http_v8_event(ctx, NGX_HTTP_V8_EV_DRAIN);
    }
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
    uint32_t  slot;
    uint64_t  v;

    /* integers from 2^20 up to 2^52: anything else is no id of ours */
    if (!(id >= NGX_HTTP_V8_SLOT_MAX && id < 4503599627370496.0)) {
        return NULL;
    }

    v = (uint64_t) id;

    if ((double) v != id) {
        return NULL;
    }

    slot = (uint32_t) (v & (NGX_HTTP_V8_SLOT_MAX - 1));

    if (slot >= ngx_http_v8_nslots
        || ngx_http_v8_slots[slot].gen != (v >> NGX_HTTP_V8_SLOT_BITS))
    {
        return NULL;
    }

    return ngx_http_v8_slots[slot].ctx;
}


/* JS of the request was stopped by a limit: it fails */

void
ngx_http_v8_terminated(double id)
{
    ngx_http_v8_ctx_t  *ctx;

    ctx = ngx_http_v8_ctx_lookup(id);

    if (ctx == NULL || ctx->done) {
        return;
    }

    ngx_http_v8_finish(ctx, ctx->header_sent
                            ? NGX_ERROR : NGX_HTTP_INTERNAL_SERVER_ERROR);
}


/* for bindings: the live request whose id is argument 0, or a throw */

nv8_int_t
ngx_http_v8_arg_ctx(nv8_call_t *call, ngx_http_v8_ctx_t **ctxp)
{
    double  id;

    if (nv8_arg_number(call, 0, &id) != NV8_OK) {
        return NV8_ERROR;
    }

    *ctxp = ngx_http_v8_ctx_lookup(id);

    if (*ctxp == NULL) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_REQUEST_FINALIZED",
                         "request already finalized");
    }

    return NV8_OK;
}


ngx_log_t *
ngx_http_v8_context_log(double id)
{
    ngx_http_v8_ctx_t  *ctx;

    ctx = ngx_http_v8_ctx_lookup(id);

    return ctx ? ctx->request->connection->log : NULL;
}
