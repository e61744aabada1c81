
/*
 * Copyright (C) nv8 contributors
 *
 * The worker's runtime and the bridge from libuv's loop into nginx's: the
 * loop's backend fd is a read event on a connection of its own, and the
 * loop's next timeout is one nginx timer.  Both run the loop once without
 * blocking and re-arm.  Protocol independent.
 */


#include "ngx_http_v8_module.h"


static void ngx_v8_log(void *data, nv8_int_t level, double context,
    const char *msg, size_t len);
static void ngx_v8_terminated(void *data, double context, const char *why,
    size_t len);
static void ngx_v8_loop_handler(ngx_event_t *ev);


ngx_v8_runtime_t  ngx_v8_runtime;


ngx_int_t
ngx_v8_runtime_init(ngx_cycle_t *cycle, ngx_str_t *flags, ngx_uint_t threads,
    const nv8_binding_t **bindings, nv8_runtime_conf_t *limits)
{
    int                  fd;
    char                *err, *v8_flags;
    ngx_connection_t    *c;
    nv8_runtime_conf_t   conf;

    ngx_memzero(&ngx_v8_runtime, sizeof(ngx_v8_runtime_t));
    ngx_v8_runtime.log = cycle->log;

    v8_flags = NULL;

    if (flags->len) {
        v8_flags = ngx_pnalloc(cycle->pool, flags->len + 1);
        if (v8_flags == NULL) {
            return NGX_ERROR;
        }

        ngx_cpystrn((u_char *) v8_flags, flags->data, flags->len + 1);
    }

    if (nv8_process_init(v8_flags, threads) != NV8_OK) {
        ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                      "v8 platform initialization failed");
        return NGX_ERROR;
    }

    ngx_memzero(&conf, sizeof(nv8_runtime_conf_t));
    conf.host.data = &ngx_v8_runtime;
    conf.host.log = ngx_v8_log;
    conf.host.terminated = ngx_v8_terminated;
    conf.bindings = bindings;
    conf.embedded = 1;
    conf.cpu_limit_ms = limits->cpu_limit_ms;
    conf.heap_max = limits->heap_max;
    conf.buffers_max = limits->buffers_max;
    conf.fs_roots = limits->fs_roots;
    conf.module_paths = limits->module_paths;

    err = NULL;

    ngx_v8_runtime.rt = nv8_runtime_create(&conf, &err);
    if (ngx_v8_runtime.rt == NULL) {
        ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                      "v8 runtime creation failed: %s",
                      err ? err : "unknown error");
        free(err);
        return NGX_ERROR;
    }

#if (NGX_DEBUG)
    {
    unsigned  used, refused;

    nv8_runtime_code_cache_stats(ngx_v8_runtime.rt, &used, &refused);

    ngx_log_debug2(NGX_LOG_DEBUG_CORE, cycle->log, 0,
                   "v8 code cache: %ud builtins compiled from it, "
                   "%ud refused", used, refused);
    }
#endif

    fd = nv8_loop_fd(ngx_v8_runtime.rt);

    c = ngx_get_connection(fd, cycle->log);
    if (c == NULL) {
        goto failed;
    }

    c->data = &ngx_v8_runtime;
    c->read->handler = ngx_v8_loop_handler;
    c->read->log = cycle->log;
    c->write->log = cycle->log;

    /* level-triggered: whatever libuv leaves unread wakes us again */
    if (ngx_add_event(c->read, NGX_READ_EVENT, 0) != NGX_OK) {
        c->fd = (ngx_socket_t) -1;
        ngx_free_connection(c);
        goto failed;
    }

    ngx_v8_runtime.conn = c;

    ngx_v8_runtime.event.handler = ngx_v8_loop_handler;
    ngx_v8_runtime.event.data = &ngx_v8_runtime;
    ngx_v8_runtime.event.log = cycle->log;
    /* the loop's timers never hold up a graceful shutdown */
    ngx_v8_runtime.event.cancelable = 1;

    return NGX_OK;

failed:

    ngx_log_error(NGX_LOG_ALERT, cycle->log, 0,
                  "v8 cannot watch the event loop fd %d", fd);

    (void) nv8_runtime_destroy(ngx_v8_runtime.rt);
    ngx_v8_runtime.rt = NULL;

    return NGX_ERROR;
}


void
ngx_v8_runtime_exit(ngx_cycle_t *cycle)
{
    ngx_connection_t  *c;

    if (ngx_v8_runtime.rt == NULL) {
        return;
    }

    if (ngx_v8_runtime.event.timer_set) {
        ngx_del_timer(&ngx_v8_runtime.event);
    }

    if (ngx_v8_runtime.event.posted) {
        ngx_delete_posted_event(&ngx_v8_runtime.event);
    }

    c = ngx_v8_runtime.conn;

    if (c) {
        /* the fd is libuv's: it is closed with the loop */
        ngx_del_event(c->read, NGX_READ_EVENT, 0);
        c->fd = (ngx_socket_t) -1;
        ngx_free_connection(c);
        ngx_v8_runtime.conn = NULL;
    }

    if (nv8_runtime_destroy(ngx_v8_runtime.rt) != NV8_OK) {
        ngx_log_error(NGX_LOG_WARN, cycle->log, 0,
                      "v8 runtime was not destroyed cleanly");
    }

    ngx_v8_runtime.rt = NULL;

    nv8_process_exit();
}


void
ngx_v8_loop_arm(void)
{
    int           timeout;
    ngx_event_t  *ev;

    if (ngx_v8_runtime.rt == NULL) {
        return;
    }

    ev = &ngx_v8_runtime.event;
    timeout = nv8_loop_timeout(ngx_v8_runtime.rt);

    if (timeout == 0) {
        /* after the next poll of nginx's own events: no starvation */
        if (!ev->posted) {
            ngx_post_event(ev, &ngx_posted_next_events);
        }

        return;
    }

    if (timeout > 0) {

        /*
         * ngx_add_timer() keeps a set timer that is due up to 300 ms
         * (NGX_TIMER_LAZY_DELAY) away from the new time, later ones too:
         * right for nginx's I/O timeouts, not for setTimeout(fn, 1).  A
         * timer due later than the loop's next is set again; one due
         * earlier only runs the loop once for nothing.
         */

        if (ev->timer_set
            && (ngx_msec_int_t) (ev->timer.key
                                 - (ngx_current_msec + timeout)) > 0)
        {
            ngx_del_timer(ev);
        }

        ngx_add_timer(ev, (ngx_msec_t) timeout);
        return;
    }

    if (ev->timer_set) {
        ngx_del_timer(ev);
    }
}


static void
ngx_v8_loop_handler(ngx_event_t *ev)
{
    ngx_log_debug0(NGX_LOG_DEBUG_EVENT, ngx_v8_runtime.log, 0,
                   "v8 loop run");

    if (ngx_v8_runtime.rt == NULL) {
        return;
    }

    (void) nv8_loop_run(ngx_v8_runtime.rt);

    ngx_v8_loop_arm();
}


static void
ngx_v8_log(void *data, nv8_int_t level, double context, const char *msg,
    size_t len)
{
    ngx_log_t  *log;

    log = NULL;

    if (context != 0 && ngx_v8_runtime.context_log) {
        log = ngx_v8_runtime.context_log(context);
    }

    if (log == NULL) {
        log = ngx_v8_runtime.log;
    }

    if (level < NGX_LOG_EMERG || level > NGX_LOG_DEBUG) {
        level = NGX_LOG_ERR;
    }

    ngx_log_error((ngx_uint_t) level, log, 0, "%*s", len, msg);

    /*
     * an uncaught exception of a request's JS (a timer, a microtask, a
     * listener) fails that request as a throw from the handler does;
     * left alone, it would hang until js_handler_timeout
     */

    if (context != 0
        && level == NGX_LOG_ERR
        && len >= sizeof("js exception") - 1
        && ngx_strncmp(msg, "js exception", sizeof("js exception") - 1) == 0
        && ngx_v8_runtime.terminated)
    {
        ngx_v8_runtime.terminated(context);
    }
}


/* a limit stopped JS running for a request: log it, fail the request */

static void
ngx_v8_terminated(void *data, double context, const char *why, size_t len)
{
    ngx_v8_runtime_t *v8rt = data;

    ngx_v8_log(v8rt, NV8_LOG_ERR, context, why, len);

    if (context != 0 && v8rt->terminated) {
        v8rt->terminated(context);
    }
}
