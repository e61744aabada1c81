
/*
 * Copyright (C) nv8 contributors
 *
 * The CPU watchdog: one thread per runtime that stops a run of JS which
 * has been going on longer than the limit.  A "run" is everything from an
 * outermost entry into JS to its return: a hook call, a timer, a settled
 * promise, with the microtasks that follow.  The loop thread only stores
 * the start time and a flag on entry and clears the flag on return (no
 * system call, no lock); the watchdog wakes a few times per limit and
 * looks.  It measures wall time, which for JS that does not return is the
 * time the worker's thread spent running it.
 *
 * The watchdog only asks, with V8's interrupt; the decision is made on
 * the loop thread, in the interrupt, which sees the run that is really
 * going on: a request that arrives after the long run ended, or during
 * the next one, terminates nothing.  The shim cancels a termination when
 * the terminated run returns, before any other JS runs.
 */


#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "nv8_internal.h"


struct nv8_watchdog_s {
    nv8_runtime_t            *rt;
    pthread_t                 thread;
    pthread_mutex_t           mutex;
    pthread_cond_t            cond;
    uint64_t                  limit_ns;
    uint64_t                  tick_ns;
    _Atomic uint64_t          start_ns;
    _Atomic int               armed;
    _Atomic int               requested;    /* an interrupt is pending */
    int                       stop;         /* under mutex */
};


static void *nv8_watchdog_run(void *data);


static uint64_t
nv8_now_ns(void)
{
    struct timespec  ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);

    return (uint64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}


nv8_watchdog_t *
nv8__watchdog_start(nv8_runtime_t *rt, uint64_t limit_ms)
{
    int              rc;
    sigset_t         all, old;
    nv8_watchdog_t  *wd;

    wd = calloc(1, sizeof(nv8_watchdog_t));
    if (wd == NULL) {
        return NULL;
    }

    wd->rt = rt;
    wd->limit_ns = limit_ms * 1000000;

    /* a few looks per limit: a run stops within 1.25 x the limit */
    wd->tick_ns = wd->limit_ns / 4;

    if (wd->tick_ns < 1000000) {
        wd->tick_ns = 1000000;
    }

    if (wd->tick_ns > 250000000) {
        wd->tick_ns = 250000000;
    }

    atomic_init(&wd->start_ns, 0);
    atomic_init(&wd->armed, 0);
    atomic_init(&wd->requested, 0);

    pthread_mutex_init(&wd->mutex, NULL);
    pthread_cond_init(&wd->cond, NULL);

    /* the host's signals stay with the host's thread */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);

    rc = pthread_create(&wd->thread, NULL, nv8_watchdog_run, wd);

    pthread_sigmask(SIG_SETMASK, &old, NULL);

    if (rc != 0) {
        pthread_mutex_destroy(&wd->mutex);
        pthread_cond_destroy(&wd->cond);
        free(wd);
        return NULL;
    }

    return wd;
}


void
nv8__watchdog_stop(nv8_watchdog_t *wd)
{
    pthread_mutex_lock(&wd->mutex);
    wd->stop = 1;
    pthread_cond_signal(&wd->cond);
    pthread_mutex_unlock(&wd->mutex);

    pthread_join(wd->thread, NULL);

    pthread_mutex_destroy(&wd->mutex);
    pthread_cond_destroy(&wd->cond);
    free(wd);
}


void
nv8__watchdog_enter(nv8_watchdog_t *wd)
{
    atomic_store_explicit(&wd->start_ns, nv8_now_ns(), memory_order_relaxed);
    atomic_store_explicit(&wd->armed, 1, memory_order_release);
}


void
nv8__watchdog_leave(nv8_watchdog_t *wd)
{
    atomic_store_explicit(&wd->armed, 0, memory_order_release);
}


/*
 * In V8's interrupt, on the loop thread: is the run going on now over the
 * limit?  If so, it is to be terminated.
 */

int
nv8__watchdog_confirm(nv8_watchdog_t *wd)
{
    uint64_t  start;

    atomic_store(&wd->requested, 0);

    if (!atomic_load_explicit(&wd->armed, memory_order_acquire)) {
        return 0;
    }

    start = atomic_load_explicit(&wd->start_ns, memory_order_relaxed);

    if (nv8_now_ns() - start <= wd->limit_ns) {
        return 0;
    }

    return 1;
}


static void *
nv8_watchdog_run(void *data)
{
    nv8_watchdog_t *wd = data;

    uint64_t         now, start, deadline;
    struct timespec  ts;

    pthread_mutex_lock(&wd->mutex);

    while (!wd->stop) {
        clock_gettime(CLOCK_REALTIME, &ts);

        deadline = (uint64_t) ts.tv_sec * 1000000000 + ts.tv_nsec
                   + wd->tick_ns;
        ts.tv_sec = deadline / 1000000000;
        ts.tv_nsec = deadline % 1000000000;

        (void) pthread_cond_timedwait(&wd->cond, &wd->mutex, &ts);

        if (wd->stop) {
            break;
        }

        if (!atomic_load_explicit(&wd->armed, memory_order_acquire)
            || atomic_load(&wd->requested))
        {
            continue;
        }

        start = atomic_load_explicit(&wd->start_ns, memory_order_relaxed);
        now = nv8_now_ns();

        if (now > start && now - start > wd->limit_ns) {
            atomic_store(&wd->requested, 1);
            nv8__v8_interrupt(wd->rt);
        }
    }

    pthread_mutex_unlock(&wd->mutex);

    return NULL;
}
