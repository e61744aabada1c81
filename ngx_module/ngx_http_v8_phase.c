
/*
 * Copyright (C) nv8 contributors
 *
 * JS in nginx's rewrite, access and log phases, js_variable and
 * js_init_worker_handler.
 *
 * A rewrite or access handler that returns (or whose promise resolves)
 * without ending the response lets nginx go on to the next phase handler.
 * One that waits holds the request (NGX_DONE) until JS calls next(): then
 * a posted event runs nginx's phase engine again, which calls the same
 * phase handler, which answers with what JS decided.  Ending the response
 * from a phase finalizes the request as a content handler's would.
 */


#include "ngx_http_v8_module.h"


static ngx_int_t ngx_http_v8_phase(ngx_http_request_t *r,
    ngx_http_v8_handler_t *h, ngx_uint_t what);
static ngx_int_t ngx_http_v8_phase_done(ngx_http_request_t *r,
    ngx_http_v8_ctx_t *ctx);
static ngx_int_t ngx_http_v8_phase_declined(ngx_http_request_t *r);
static void ngx_http_v8_resume(ngx_event_t *ev);


ngx_int_t
ngx_http_v8_rewrite_handler(ngx_http_request_t *r)
{
    ngx_http_v8_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_v8_module);

    if (lcf->rewrite == NULL) {
        return NGX_DECLINED;
    }

    return ngx_http_v8_phase(r, lcf->rewrite, NGX_HTTP_V8_RUN_REWRITE);
}


ngx_int_t
ngx_http_v8_access_handler(ngx_http_request_t *r)
{
    ngx_http_v8_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_v8_module);

    if (lcf->access == NULL) {
        return NGX_DECLINED;
    }

    return ngx_http_v8_phase(r, lcf->access, NGX_HTTP_V8_RUN_ACCESS);
}


static ngx_int_t
ngx_http_v8_phase(ngx_http_request_t *r, ngx_http_v8_handler_t *h,
    ngx_uint_t what)
{
    ngx_int_t           rc;
    ngx_http_v8_ctx_t  *ctx;

    if (r != r->main && what == NGX_HTTP_V8_RUN_ACCESS) {
        /* as nginx's access modules: subrequests are not checked again */
        return NGX_DECLINED;
    }

    ctx = ngx_http_v8_ctx_get(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ctx->resumed && ctx->phase == h) {
        /* the phase engine is back after the handler finished */
        ctx->resumed = 0;
        ctx->phase = NULL;
        return ngx_http_v8_phase_declined(r);
    }

    if (ctx->done) {
        /* the response was ended by an earlier handler */
        return ctx->rc;
    }

    if (what == NGX_HTTP_V8_RUN_REWRITE && !ctx->multi) {
        /*
         * alone in its location, but a new req.url finds another whose
         * handlers must get the same req and res: JS keeps them, and
         * hears when the request ends
         */
        ctx->multi = 1;
        ctx->watch |= NGX_HTTP_V8_WATCH_CLOSE;
    }

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "http v8 phase %ui handler \"%V\"", what, &h->path);

    ctx->next = 0;
    ctx->phase = h;

    rc = ngx_http_v8_call(r, ctx, h, what, NULL, 0);

    if (rc == NGX_ERROR) {
        ngx_http_v8_finish(ctx, ctx->header_sent
                                ? NGX_ERROR : NGX_HTTP_INTERNAL_SERVER_ERROR);
    }

    if (ctx->done) {
        ctx->phase = NULL;
        ctx->finalized = 1;
        ngx_http_finalize_request(r, ctx->rc);
        return NGX_DONE;
    }

    if (rc == NGX_HTTP_V8_JS_NEXT || ctx->next) {
        ctx->next = 0;
        ctx->phase = NULL;
        return ngx_http_v8_phase_done(r, ctx);
    }

    /* it goes on: next() or the response's end comes later */

    ngx_http_v8_pend(r, ctx);

    /*
     * pend() takes a reference as a content handler needs (the content
     * phase drops one when its handler returns NGX_DONE).  The phase
     * engine drops none for a rewrite or access handler: the request's own
     * reference already keeps it, and with one more, a response ended
     * from JS, or a client abort, would never free it.
     */
    r->main->count--;

    return NGX_DONE;
}


/* the handler is done without a response: a redirect, or on to the next */

static ngx_int_t
ngx_http_v8_phase_done(ngx_http_request_t *r, ngx_http_v8_ctx_t *ctx)
{
    ngx_str_t  uri, args;

    if (ctx->redirect.len == 0) {
        return ngx_http_v8_phase_declined(r);
    }

    uri = ctx->redirect;
    ngx_str_null(&ctx->redirect);

    if (uri.data[0] == '@') {
        (void) ngx_http_named_location(r, &uri);

    } else {
        ngx_http_split_args(r, &uri, &args);
        (void) ngx_http_internal_redirect(r, &uri, &args);
    }

    /* both took a reference and ran the phases of the new location */
    ngx_http_finalize_request(r, NGX_DONE);

    return NGX_DONE;
}


/*
 * On to the next phase handler.  A rewrite handler that changed req.url
 * ends the rewrite phase as "rewrite ... last" does: the rewrite module's
 * directives after it in the location ("return", "set", "if", which run
 * after JS) are skipped, and the location is found again for the new URI.
 * In the access phase no post-rewrite handler follows: nothing changes.
 */

static ngx_int_t
ngx_http_v8_phase_declined(ngx_http_request_t *r)
{
    ngx_uint_t                  i;
    ngx_http_phase_handler_t   *ph;
    ngx_http_core_main_conf_t  *cmcf;

    if (!r->uri_changed) {
        return NGX_DECLINED;
    }

    cmcf = ngx_http_get_module_main_conf(r, ngx_http_core_module);
    ph = cmcf->phase_engine.handlers;

    for (i = r->phase_handler; ph[i].checker; i++) {
        if (ph[i].checker == ngx_http_core_post_rewrite_phase) {
            /* the rewrite phase checker steps to it on NGX_DECLINED */
            r->phase_handler = i - 1;
            break;
        }
    }

    return NGX_DECLINED;
}


/* the binding's next(): a waiting phase handler has finished */

void
ngx_http_v8_phase_next(ngx_http_v8_ctx_t *ctx)
{
    if (ctx->done || ctx->phase == NULL) {
        return;
    }

    if (!ctx->pending) {
        /* still inside the phase handler's call: it returns the answer */
        ctx->next = 1;
        return;
    }

    if (ctx->timer.timer_set) {
        ngx_del_timer(&ctx->timer);
    }

    ctx->resumer.handler = ngx_http_v8_resume;
    ctx->resumer.data = ctx;
    ctx->resumer.log = ctx->request->connection->log;

    ngx_post_event(&ctx->resumer, &ngx_posted_events);
}


static void
ngx_http_v8_resume(ngx_event_t *ev)
{
    ngx_connection_t    *c;
    ngx_http_request_t  *r;
    ngx_http_v8_ctx_t   *ctx;

    ctx = ev->data;
    r = ctx->request;
    c = r->connection;

    ngx_log_debug0(NGX_LOG_DEBUG_HTTP, c->log, 0, "http v8 phase resumed");

    ctx->pending = 0;

    r->read_event_handler = ngx_http_block_reading;
    r->write_event_handler = ngx_http_core_run_phases;

    if (ctx->redirect.len) {
        ctx->phase = NULL;
        (void) ngx_http_v8_phase_done(r, ctx);

    } else {
        ctx->resumed = 1;
        ngx_http_core_run_phases(r);
    }

    ngx_http_run_posted_requests(c);
}


/* the log phase: synchronous, after the response */

ngx_int_t
ngx_http_v8_log_handler(ngx_http_request_t *r)
{
    ngx_http_v8_ctx_t       *ctx;
    ngx_http_v8_loc_conf_t  *lcf;

    lcf = ngx_http_get_module_loc_conf(r, ngx_http_v8_module);

    if (lcf->log == NULL || ngx_v8_runtime.rt == NULL) {
        return NGX_OK;
    }

    ctx = ngx_http_v8_ctx_get(r);
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    ctx->logging = 1;

    (void) ngx_http_v8_call(r, ctx, lcf->log, NGX_HTTP_V8_RUN_LOG, NULL, 0);

    ctx->logging = 0;

    return NGX_OK;
}


/* $name of js_variable: the handler's string, once per request */

ngx_int_t
ngx_http_v8_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v,
    uintptr_t data)
{
    ngx_http_v8_handler_t *h = (ngx_http_v8_handler_t *) data;

    ngx_int_t           rc;
    ngx_http_v8_ctx_t  *ctx;

    ctx = ngx_http_v8_ctx_get(r);
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    ngx_str_null(&ctx->result);

    rc = ngx_http_v8_call(r, ctx, h, NGX_HTTP_V8_RUN_VARIABLE, NULL, 0);

    if (rc == NGX_ERROR) {
        v->not_found = 1;
        return NGX_OK;
    }

    v->data = ctx->result.data;
    v->len = ctx->result.len;
    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;

    ngx_str_null(&ctx->result);

    return NGX_OK;
}


/* js_init_worker_handler: once the worker's handlers are loaded */

void
ngx_http_v8_init_worker(ngx_cycle_t *cycle, ngx_http_v8_main_conf_t *mcf)
{
    nv8_arg_t               args[8];
    ngx_http_v8_handler_t  *h;

    h = mcf->init_worker;

    if (h == NULL || ngx_v8_runtime.rt == NULL || h->index < 0) {
        return;
    }

    ngx_memzero(args, sizeof(args));

    args[1].number = (double) h->index;
    args[2].type = NV8_ARG_STRING;
    args[3].type = NV8_ARG_STRING;
    args[4].type = NV8_ARG_STRING;
    args[6].number = NGX_HTTP_V8_RUN_INIT_WORKER;

    /* errors are logged by the runtime; the worker serves regardless */
    (void) nv8_hook_call(ngx_v8_runtime.rt, NV8_HOOK_HTTP_DISPATCH, 0,
                         args, 8, NULL, NULL);
}
