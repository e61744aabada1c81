
/*
 * Copyright (C) nv8 contributors
 *
 * A runtime: one libuv loop, one isolate and its context.  The loop's
 * handles that belong to the runtime itself (timers, immediates) live here.
 */


#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nv8_internal.h"
#include "nv8_bindings.h"


#define NV8_BINDING_ENTRY(name)  &nv8_##name##_binding,


static char **nv8_strv_dup(const char **v);
static void nv8_strv_free(char **v);


static const nv8_binding_t  *nv8_runtime_bindings[] = {
    NV8_BINDINGS(NV8_BINDING_ENTRY)
    NULL
};


nv8_runtime_t *
nv8_runtime_create(const nv8_runtime_conf_t *conf, char **err)
{
    char           *e;
    nv8_runtime_t  *rt;

    rt = calloc(1, sizeof(nv8_runtime_t));
    if (rt == NULL) {
        if (err) {
            *err = nv8__strdup_printf("out of memory");
        }
        return NULL;
    }

    rt->host = conf->host;
    rt->cpu_limit_ms = conf->cpu_limit_ms;
    rt->heap_max = conf->heap_max;
    rt->buffers_max = conf->buffers_max;
    rt->host_bindings = conf->bindings;

    rt->module_paths = nv8_strv_dup(conf->module_paths);
    if (rt->module_paths == NULL) {
        if (err) {
            *err = nv8__strdup_printf("out of memory");
        }
        free(rt);
        return NULL;
    }

    if (nv8__loop_init(rt) != NV8_OK) {
        if (err) {
            *err = nv8__strdup_printf("uv_loop_init() failed");
        }
        nv8_strv_free(rt->module_paths);
        free(rt);
        return NULL;
    }

    if (conf->embedded && uv_async_init(&rt->loop, &rt->alive, NULL) != 0) {
        if (err) {
            *err = nv8__strdup_printf("uv_async_init() failed");
        }
        (void) nv8_runtime_destroy(rt);
        return NULL;
    }

    if (nv8__fs_roots_open(rt, conf->fs_roots, &e) != NV8_OK) {
        if (err) {
            *err = e;
        } else {
            free(e);
        }
        (void) nv8_runtime_destroy(rt);
        return NULL;
    }

    if (nv8__v8_create(rt, err) != NV8_OK) {
        (void) nv8_runtime_destroy(rt);
        return NULL;
    }

    if (rt->cpu_limit_ms) {
        rt->watchdog = nv8__watchdog_start(rt, rt->cpu_limit_ms);

        if (rt->watchdog == NULL) {
            if (err) {
                *err = nv8__strdup_printf("cannot start the CPU watchdog");
            }
            (void) nv8_runtime_destroy(rt);
            return NULL;
        }
    }

    return rt;
}


nv8_int_t
nv8_runtime_destroy(nv8_runtime_t *rt)
{
    int        n;
    nv8_int_t  rc;

    rc = NV8_OK;
    rt->destroying = 1;

    nv8__loop_close(rt);

    /*
     * Work already running on the pool cannot be cancelled: wait for it a
     * little (its completions only free memory now), then give up on
     * closing the loop rather than hang the process.
     */

    for (n = 0; n < 200 && rt->work > 0; n++) {
        uv_run(&rt->loop, UV_RUN_NOWAIT);
        if (rt->work > 0) {
            usleep(10000);
        }
    }

    uv_run(&rt->loop, UV_RUN_NOWAIT);

    if (rt->work == 0) {
        /* descriptors JS left open; pool work may still use them else */
        nv8__fs_cleanup(rt);
    }

    if (rt->watchdog) {
        nv8__watchdog_stop(rt->watchdog);
        rt->watchdog = NULL;
    }

    nv8__v8_destroy(rt);
    nv8__fs_roots_close(rt);

    if (rt->work > 0 || uv_loop_close(&rt->loop) != 0) {
        nv8__log(rt, NV8_LOG_WARN, 0,
                 "v8 runtime destroyed with %zu thread pool jobs or loop "
                 "handles still active", rt->work);
        rc = NV8_ERROR;
        /* the loop and the runtime are leaked on purpose */
        return rc;
    }

    nv8_strv_free(rt->module_paths);
    free(rt);

    return rc;
}


static char **
nv8_strv_dup(const char **v)
{
    char    **p;
    size_t    i, n;

    n = 0;

    while (v != NULL && v[n] != NULL) {
        n++;
    }

    p = calloc(n + 1, sizeof(char *));
    if (p == NULL) {
        return NULL;
    }

    for (i = 0; i < n; i++) {
        p[i] = strdup(v[i]);
        if (p[i] == NULL) {
            nv8_strv_free(p);
            return NULL;
        }
    }

    return p;
}


static void
nv8_strv_free(char **v)
{
    size_t  i;

    for (i = 0; v[i] != NULL; i++) {
        free(v[i]);
    }

    free(v);
}


void
nv8_runtime_stop(nv8_runtime_t *rt)
{
    rt->stopped = 1;
    uv_stop(&rt->loop);
}


nv8_int_t
nv8_runtime_write_code_cache(nv8_runtime_t *rt, const char *path)
{
    return nv8__v8_write_code_cache(rt, path);
}


void
nv8_runtime_code_cache_stats(nv8_runtime_t *rt, unsigned *used,
    unsigned *refused)
{
    nv8__v8_code_cache_stats(rt, used, refused);
}


size_t
nv8_runtime_uncaught(nv8_runtime_t *rt)
{
    return rt->uncaught;
}


void *
nv8_runtime_host_data(nv8_runtime_t *rt)
{
    return rt->host.data;
}


const nv8_binding_t *
nv8__binding_find(nv8_runtime_t *rt, const char *name)
{
    const nv8_binding_t  **b;

    for (b = nv8_runtime_bindings; *b; b++) {
        if (strcmp((*b)->name, name) == 0) {
            return *b;
        }
    }

    if (rt->host_bindings == NULL) {
        return NULL;
    }

    for (b = rt->host_bindings; *b; b++) {
        if (strcmp((*b)->name, name) == 0) {
            return *b;
        }
    }

    return NULL;
}


void
nv8__log(nv8_runtime_t *rt, nv8_int_t level, double context,
    const char *fmt, ...)
{
    int      n;
    char     buf[4096], *p;
    va_list  args;

    if (rt->host.log == NULL) {
        return;
    }

    va_start(args, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);

    if (n < 0) {
        return;
    }

    if ((size_t) n < sizeof(buf)) {
        rt->host.log(rt->host.data, level, context, buf, n);
        return;
    }

    p = malloc(n + 1);
    if (p == NULL) {
        rt->host.log(rt->host.data, level, context, buf, sizeof(buf) - 1);
        return;
    }

    va_start(args, fmt);
    vsnprintf(p, n + 1, fmt, args);
    va_end(args);

    rt->host.log(rt->host.data, level, context, p, n);
    free(p);
}


char *
nv8__strdup_printf(const char *fmt, ...)
{
    int      n;
    char    *p;
    va_list  args;

    va_start(args, fmt);
    n = vsnprintf(NULL, 0, fmt, args);
    va_end(args);

    if (n < 0) {
        return NULL;
    }

    p = malloc(n + 1);
    if (p == NULL) {
        return NULL;
    }

    va_start(args, fmt);
    vsnprintf(p, n + 1, fmt, args);
    va_end(args);

    return p;
}


/* the loop */

int
nv8_loop_fd(nv8_runtime_t *rt)
{
    return uv_backend_fd(&rt->loop);
}


/*
 * uv_backend_timeout() counts from the loop time libuv cached at its last
 * run.  Asked between runs (after every request's JS, say) that time is
 * stale and the answer too long: a host that re-arms its timer with it on
 * each request pushes the due uv timer back for as long as requests keep
 * coming.  Count from now.
 */

int
nv8_loop_timeout(nv8_runtime_t *rt)
{
    uv_update_time(&rt->loop);

    return uv_backend_timeout(&rt->loop);
}


nv8_int_t
nv8_loop_run(nv8_runtime_t *rt)
{
    uv_run(&rt->loop, UV_RUN_NOWAIT);

    return NV8_OK;
}


nv8_int_t
nv8_loop_run_default(nv8_runtime_t *rt)
{
    while (!rt->stopped && uv_run(&rt->loop, UV_RUN_DEFAULT) != 0) {
        /* void */
    }

    return NV8_OK;
}


/* host work on the thread pool */

typedef struct {
    uv_work_t                 work;
    nv8_runtime_t            *rt;
    void                    (*run)(void *data);
    void                    (*done)(void *data, int status);
    void                     *data;
} nv8_host_work_t;


static void
nv8_host_work_run(uv_work_t *work)
{
    nv8_host_work_t  *w = work->data;

    w->run(w->data);
}


static void
nv8_host_work_done(uv_work_t *work, int status)
{
    nv8_host_work_t  *w = work->data;

    w->rt->work--;
    w->done(w->data, status);
    free(w);
}


nv8_int_t
nv8_queue_work(nv8_runtime_t *rt, void (*run)(void *data),
    void (*done)(void *data, int status), void *data)
{
    nv8_host_work_t  *w;

    w = malloc(sizeof(nv8_host_work_t));
    if (w == NULL) {
        return NV8_ERROR;
    }

    w->work.data = w;
    w->rt = rt;
    w->run = run;
    w->done = done;
    w->data = data;

    if (uv_queue_work(&rt->loop, &w->work, nv8_host_work_run,
                      nv8_host_work_done)
        != 0)
    {
        free(w);
        return NV8_ERROR;
    }

    rt->work++;

    return NV8_OK;
}
