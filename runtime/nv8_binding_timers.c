
/*
 * Copyright (C) nv8 contributors
 *
 * Timers and immediates.  lib/internal/timers.js keeps every JS timer in
 * one heap and arms the single uv timer here for the earliest of them, as
 * Node does; setImmediate() callbacks run from a uv check handle.
 */


#include <math.h>

#include "nv8_internal.h"


static nv8_int_t nv8_timers_schedule(nv8_call_t *call);
static nv8_int_t nv8_timers_now(nv8_call_t *call);
static nv8_int_t nv8_timers_ref(nv8_call_t *call);
static nv8_int_t nv8_timers_immediate(nv8_call_t *call);
static void nv8_timers_fire(uv_timer_t *timer);
static void nv8_timers_check(uv_check_t *check);
static void nv8_timers_idle(uv_idle_t *idle);


static const nv8_method_t  nv8_timers_methods[] = {

    { "schedule",    nv8_timers_schedule,    0 },
    { "now",         nv8_timers_now,         0 },
    { "ref",         nv8_timers_ref,         0 },
    { "immediate",   nv8_timers_immediate,   0 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  nv8_timers_binding = {
    "timers",
    nv8_timers_methods
};


nv8_int_t
nv8__loop_init(nv8_runtime_t *rt)
{
    if (uv_loop_init(&rt->loop) != 0) {
        return NV8_ERROR;
    }

    rt->loop.data = rt;

    uv_timer_init(&rt->loop, &rt->timer);
    uv_check_init(&rt->loop, &rt->check);
    uv_idle_init(&rt->loop, &rt->idle);

    /* immediates keep the loop alive through the idle handle only */
    uv_unref((uv_handle_t *) &rt->check);

    return NV8_OK;
}


static void
nv8_walk_close(uv_handle_t *handle, void *arg)
{
    if (!uv_is_closing(handle)) {
        uv_close(handle, NULL);
    }
}


void
nv8__loop_close(nv8_runtime_t *rt)
{
    uv_walk(&rt->loop, nv8_walk_close, NULL);
}


/*
 * schedule(when): arm the uv timer for the loop time "when" (ms, the clock
 * of now()); schedule(-1) stops it.  The time is absolute: a delay worked
 * out in JS from a "now" taken before a long callback would be late by
 * as long as that callback ran.
 */

static nv8_int_t
nv8_timers_schedule(nv8_call_t *call)
{
    double          when, now;
    nv8_runtime_t  *rt;

    rt = nv8_call_runtime(call);

    if (nv8_arg_number(call, 0, &when) != NV8_OK) {
        return NV8_ERROR;
    }

    if (when < 0) {
        uv_timer_stop(&rt->timer);
        return NV8_OK;
    }

    /* the loop time is stale when JS runs from the host's events */
    uv_update_time(&rt->loop);
    now = (double) uv_now(&rt->loop);

    uv_timer_start(&rt->timer, nv8_timers_fire,
                   when > now ? (uint64_t) (when - now) : 0, 0);

    return NV8_OK;
}


static nv8_int_t
nv8_timers_now(nv8_call_t *call)
{
    nv8_runtime_t  *rt;

    rt = nv8_call_runtime(call);

    uv_update_time(&rt->loop);
    nv8_return_number(call, (double) uv_now(&rt->loop));

    return NV8_OK;
}


static nv8_int_t
nv8_timers_ref(nv8_call_t *call)
{
    double          on;
    nv8_runtime_t  *rt;

    rt = nv8_call_runtime(call);

    if (nv8_arg_number(call, 0, &on) != NV8_OK) {
        return NV8_ERROR;
    }

    if (on) {
        uv_ref((uv_handle_t *) &rt->timer);

    } else {
        uv_unref((uv_handle_t *) &rt->timer);
    }

    return NV8_OK;
}


static nv8_int_t
nv8_timers_immediate(nv8_call_t *call)
{
    double          on;
    nv8_runtime_t  *rt;

    rt = nv8_call_runtime(call);

    if (nv8_arg_number(call, 0, &on) != NV8_OK) {
        return NV8_ERROR;
    }

    if (rt->destroying) {
        return NV8_OK;
    }

    if (on) {
        uv_check_start(&rt->check, nv8_timers_check);
        uv_idle_start(&rt->idle, nv8_timers_idle);

    } else {
        uv_check_stop(&rt->check);
        uv_idle_stop(&rt->idle);
    }

    return NV8_OK;
}


static void
nv8_timers_fire(uv_timer_t *timer)
{
    int             n;
    nv8_arg_t       arg;
    nv8_runtime_t  *rt;

    rt = timer->loop->data;

    if (rt->destroying) {
        return;
    }

    arg.type = NV8_ARG_NUMBER;
    arg.number = (double) uv_now(&rt->loop);

    /*
     * The hook re-arms the timer itself through schedule().  A callback a
     * limit terminated ends the hook early, the rest of the due timers
     * and the re-arming with it: call again, for the others.
     */
    for (n = 0; n < 16; n++) {
        if (nv8_hook_call(rt, NV8_HOOK_TIMERS, 0, &arg, 1, NULL, NULL)
            == NV8_OK)
        {
            break;
        }

        /* the stopped callback ran up to the limit: time moved on */
        uv_update_time(&rt->loop);
        arg.number = (double) uv_now(&rt->loop);
    }
}


static void
nv8_timers_check(uv_check_t *check)
{
    int             n;
    nv8_runtime_t  *rt;

    rt = check->loop->data;

    if (rt->destroying) {
        return;
    }

    for (n = 0; n < 16; n++) {
        if (nv8_hook_call(rt, NV8_HOOK_IMMEDIATES, 0, NULL, 0, NULL, NULL)
            == NV8_OK)
        {
            break;
        }
    }
}


static void
nv8_timers_idle(uv_idle_t *idle)
{
    /* nothing: an active idle handle only makes the poll not block */
}
