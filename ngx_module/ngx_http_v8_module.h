
/*
 * Copyright (C) nv8 contributors
 */


#ifndef _NGX_HTTP_V8_MODULE_H_INCLUDED_
#define _NGX_HTTP_V8_MODULE_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <nv8.h>


typedef struct {
    ngx_str_t                 path;         /* full path of the module */
    ngx_str_t                 name;         /* export; empty: default */
    ngx_uint_t                kind;         /* NGX_HTTP_V8_CONTENT... */
    ngx_int_t                 index;        /* in JS, -1: not loaded */
} ngx_http_v8_handler_t;

/* handler kinds: a content handler may also be a { fetch } object */
#define NGX_HTTP_V8_CONTENT       0
#define NGX_HTTP_V8_PHASE         1

/* what a handler is called for (the "phase" argument of dispatch) */
#define NGX_HTTP_V8_RUN_CONTENT        0
#define NGX_HTTP_V8_RUN_REWRITE        1
#define NGX_HTTP_V8_RUN_ACCESS         2
#define NGX_HTTP_V8_RUN_LOG            3
#define NGX_HTTP_V8_RUN_HEADER_FILTER  4
#define NGX_HTTP_V8_RUN_BODY_FILTER    5
#define NGX_HTTP_V8_RUN_VARIABLE       6
#define NGX_HTTP_V8_RUN_INIT_WORKER    7

/* what dispatch returns */
#define NGX_HTTP_V8_JS_PENDING    0         /* the handler goes on later */
#define NGX_HTTP_V8_JS_ENDED      1         /* it ended the response */
#define NGX_HTTP_V8_JS_NEXT       2         /* it returned: next phase */


typedef struct {
    ngx_array_t               handlers;     /* ngx_http_v8_handler_t * */
    ngx_array_t               checked;      /* ngx_str_t: scripts checked */
    ngx_uint_t                threads;
    ngx_str_t                 flags;
    ngx_http_v8_handler_t    *init_worker;
    ngx_msec_t                cpu_limit;    /* js_cpu_limit */
    size_t                    heap_limit;   /* js_heap_limit */
    size_t                    buffers_limit;    /* js_buffers_limit */
    ngx_array_t              *fs_roots;     /* ngx_str_t, js_fs_root */
    ngx_flag_t                fs_off;       /* js_fs_root off */
    ngx_array_t              *module_paths; /* ngx_str_t, js_module_path */
} ngx_http_v8_main_conf_t;


typedef struct {
    ngx_http_v8_handler_t    *handler;
    ngx_msec_t                timeout;
    ngx_flag_t                buffering;    /* js_request_buffering */
    ngx_http_v8_handler_t    *rewrite;
    ngx_http_v8_handler_t    *access;
    ngx_http_v8_handler_t    *header_filter;
    ngx_http_v8_handler_t    *body_filter;
    ngx_http_v8_handler_t    *log;
} ngx_http_v8_loc_conf_t;


/* response buffers: larger than a pool's small blocks, see get_buf() */
#define NGX_HTTP_V8_BUF_SIZE     16384


/* what JS asked to be told about (ngx_http_v8_event()) */
#define NGX_HTTP_V8_WATCH_CLOSE  1
#define NGX_HTTP_V8_WATCH_DRAIN  2

/* events for the HTTP_EVENT hook */
#define NGX_HTTP_V8_EV_DRAIN     1
#define NGX_HTTP_V8_EV_CLOSE     2          /* the request is gone */
#define NGX_HTTP_V8_EV_ABORT     3          /* ... before the response ended */


/* per request, from r->pool; JS refers to it by id only */
typedef struct {
    ngx_http_request_t       *request;
    double                    id;
    ngx_event_t               timer;        /* js_handler_timeout */
    ngx_event_t               finalizer;    /* posted: finalize outside JS */
    ngx_event_t               resumer;      /* posted: run phases again */
    ngx_event_t               sr_runner;    /* posted: run subrequests */
    ngx_int_t                 rc;           /* to finalize with */

    ngx_chain_t              *free;         /* response buffers for reuse */
    ngx_chain_t              *busy;         /* ... not yet sent */

    nv8_promise_t            *read;         /* a body read JS waits for */
    void                     *file_read;    /* ngx_http_v8_file_read_t */
    off_t                     file_offset;  /* next byte of a spooled body */

    unsigned                  pending:1;    /* handler returned NGX_DONE */
    unsigned                  header_sent:1;
    unsigned                  done:1;       /* response complete or failed */
    unsigned                  finalized:1;
    unsigned                  watch:2;      /* NGX_HTTP_V8_WATCH_* */
    unsigned                  body:3;       /* NGX_HTTP_V8_BODY_* */
    unsigned                  in_read:1;
    unsigned                  multi:1;      /* more than a content handler */
    unsigned                  next:1;       /* a phase handler is done */
    unsigned                  resumed:1;    /* ... and phases run again */
    unsigned                  logging:1;    /* in the log phase */

    ngx_http_v8_handler_t    *phase;        /* the phase handler waited on */
    ngx_str_t                 redirect;     /* req.redirect() target */
    ngx_str_t                 result;       /* a js_variable's value */
    ngx_chain_t              *filtered;     /* a body filter's output */
    ngx_chain_t              *ffree;        /* ... buffers for reuse */
    ngx_chain_t              *fbusy;
    unsigned                  filter_set:1; /* JS gave its output */
    unsigned                  filter_body:1;    /* js_body_filter_handler */
    unsigned                  filter_header:1;  /* header filter ran */
    unsigned                  filter_last:1;    /* the last chunk seen */
    unsigned                  filtering:1;  /* in a filter's JS */
} ngx_http_v8_ctx_t;


#define NGX_HTTP_V8_BODY_NONE       0       /* not asked for */
#define NGX_HTTP_V8_BODY_BUFFERING  1       /* nginx reads it all first */
#define NGX_HTTP_V8_BODY_READING    2       /* unbuffered, in progress */
#define NGX_HTTP_V8_BODY_COMPLETE   3       /* all arrived */
#define NGX_HTTP_V8_BODY_DONE       4       /* all handed to JS */
#define NGX_HTTP_V8_BODY_ERROR      5


/* the worker's runtime (ngx_v8_runtime.c), protocol independent */
typedef struct {
    nv8_runtime_t            *rt;
    ngx_connection_t         *conn;         /* the loop's backend fd */
    ngx_event_t               event;        /* loop timeout, or posted */
    ngx_log_t                *log;
    ngx_log_t              *(*context_log)(double id);
    void                    (*terminated)(double id);
} ngx_v8_runtime_t;


extern ngx_module_t       ngx_http_v8_module;
extern ngx_v8_runtime_t   ngx_v8_runtime;
extern const nv8_binding_t  ngx_http_v8_binding;
extern const nv8_binding_t  ngx_http_v8_phase_binding;
extern const nv8_binding_t  ngx_http_v8_filter_binding;
extern const nv8_binding_t  ngx_http_v8_sr_binding;


ngx_int_t ngx_v8_runtime_init(ngx_cycle_t *cycle, ngx_str_t *flags,
    ngx_uint_t threads, const nv8_binding_t **bindings,
    nv8_runtime_conf_t *limits);
void ngx_v8_runtime_exit(ngx_cycle_t *cycle);
void ngx_v8_loop_arm(void);

ngx_int_t ngx_v8_check_script(ngx_conf_t *cf, ngx_str_t *path,
    ngx_str_t *flags, ngx_array_t *module_paths);

ngx_int_t ngx_http_v8_content_handler(ngx_http_request_t *r);
ngx_http_v8_ctx_t *ngx_http_v8_ctx_get(ngx_http_request_t *r);
ngx_int_t ngx_http_v8_call(ngx_http_request_t *r, ngx_http_v8_ctx_t *ctx,
    ngx_http_v8_handler_t *h, ngx_uint_t what, nv8_arg_t *extra,
    ngx_uint_t nextra);
void ngx_http_v8_pend(ngx_http_request_t *r, ngx_http_v8_ctx_t *ctx);
void ngx_http_v8_phase_next(ngx_http_v8_ctx_t *ctx);
ngx_int_t ngx_http_v8_rewrite_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_v8_access_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_v8_log_handler(ngx_http_request_t *r);
ngx_int_t ngx_http_v8_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
ngx_int_t ngx_http_v8_filter_init(ngx_conf_t *cf);
void *ngx_http_v8_capture_of(ngx_http_request_t *r);
ngx_int_t ngx_http_v8_capture(ngx_http_request_t *sr, void *cap,
    ngx_chain_t *in);
void ngx_http_v8_init_worker(ngx_cycle_t *cycle,
    ngx_http_v8_main_conf_t *mcf);
ngx_http_v8_ctx_t *ngx_http_v8_ctx_lookup(double id);
ngx_log_t *ngx_http_v8_context_log(double id);
void ngx_http_v8_terminated(double id);
void ngx_http_v8_finish(ngx_http_v8_ctx_t *ctx, ngx_int_t rc);
void ngx_http_v8_writer(ngx_http_request_t *r);
ngx_chain_t *ngx_http_v8_get_buf(ngx_pool_t *pool, ngx_chain_t **free,
    ngx_buf_tag_t tag, size_t size);
ngx_int_t ngx_http_v8_valid_name(nv8_str_t *s);
ngx_int_t ngx_http_v8_valid_value(nv8_str_t *s);
nv8_int_t ngx_http_v8_arg_ctx(nv8_call_t *call, ngx_http_v8_ctx_t **ctxp);
void ngx_http_v8_idle(ngx_http_request_t *r);

ngx_uint_t ngx_http_v8_has_body(ngx_http_request_t *r);
void ngx_http_v8_event(ngx_http_v8_ctx_t *ctx, ngx_uint_t event);
nv8_int_t ngx_http_v8_body_read(nv8_call_t *call, ngx_http_v8_ctx_t *ctx);
void ngx_http_v8_body_abort(ngx_http_v8_ctx_t *ctx, nv8_promise_t **pp);
void ngx_http_v8_body_discard(ngx_http_v8_ctx_t *ctx);
ngx_int_t ngx_http_v8_handlers_load(ngx_cycle_t *cycle,
    ngx_http_v8_main_conf_t *mcf);


#endif /* _NGX_HTTP_V8_MODULE_H_INCLUDED_ */
