
/*
 * Copyright (C) nv8 contributors
 *
 * os: facts about the host and the worker process, for node:os and
 * node:process.  Every call is a quick libuv query on the loop thread.
 * Failures throw with the libuv error name as the code.
 */


#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nv8_internal.h"


extern char **environ;


static nv8_int_t nv8_os_string(nv8_call_t *call);
static nv8_int_t nv8_os_number(nv8_call_t *call);
static nv8_int_t nv8_os_uname(nv8_call_t *call);
static nv8_int_t nv8_os_loadavg(nv8_call_t *call);
static nv8_int_t nv8_os_cpus(nv8_call_t *call);
static nv8_int_t nv8_os_environ(nv8_call_t *call);
static nv8_int_t nv8_os_hrtime(nv8_call_t *call);
static nv8_int_t nv8_os_fail(nv8_call_t *call, int rc, const char *fn);


#define NV8_OS_HOSTNAME   0
#define NV8_OS_HOMEDIR    1
#define NV8_OS_TMPDIR     2
#define NV8_OS_CWD        3

#define NV8_OS_TOTALMEM   0
#define NV8_OS_FREEMEM    1
#define NV8_OS_UPTIME     2
#define NV8_OS_RSS        3
#define NV8_OS_PID        4
#define NV8_OS_PPID       5
#define NV8_OS_NOW        6
#define NV8_OS_REALTIME   7
#define NV8_OS_PARALLEL   8


static const nv8_method_t  nv8_os_methods[] = {

    { "hostname",   nv8_os_string,    NV8_OS_HOSTNAME },
    { "homedir",    nv8_os_string,    NV8_OS_HOMEDIR },
    { "tmpdir",     nv8_os_string,    NV8_OS_TMPDIR },
    { "cwd",        nv8_os_string,    NV8_OS_CWD },
    { "totalmem",   nv8_os_number,    NV8_OS_TOTALMEM },
    { "freemem",    nv8_os_number,    NV8_OS_FREEMEM },
    { "uptime",     nv8_os_number,    NV8_OS_UPTIME },
    { "rss",        nv8_os_number,    NV8_OS_RSS },
    { "pid",        nv8_os_number,    NV8_OS_PID },
    { "ppid",       nv8_os_number,    NV8_OS_PPID },
    { "uname",      nv8_os_uname,     0 },
    { "loadavg",    nv8_os_loadavg,   0 },
    { "cpus",       nv8_os_cpus,      0 },
    { "environ",    nv8_os_environ,   0 },
    { "hrtime",     nv8_os_hrtime,    0 },
    { "now",        nv8_os_number,    NV8_OS_NOW },
    { "realtime",   nv8_os_number,    NV8_OS_REALTIME },
    { "parallelism", nv8_os_number,   NV8_OS_PARALLEL },

    { NULL, NULL, 0 }
};


const nv8_binding_t  nv8_os_binding = {
    "os",
    nv8_os_methods
};


static nv8_int_t
nv8_os_string(nv8_call_t *call)
{
    int     rc;
    char    buf[4096];
    size_t  len;

    len = sizeof(buf);

    switch (nv8_call_magic(call)) {

    case NV8_OS_HOSTNAME:
        rc = uv_os_gethostname(buf, &len);
        break;

    case NV8_OS_HOMEDIR:
        rc = uv_os_homedir(buf, &len);
        break;

    case NV8_OS_TMPDIR:
        rc = uv_os_tmpdir(buf, &len);
        break;

    default: /* NV8_OS_CWD */
        rc = uv_cwd(buf, &len);
        break;
    }

    if (rc != 0) {
        return nv8_os_fail(call, rc, "uv_os_*");
    }

    nv8_return_utf8(call, buf, len);

    return NV8_OK;
}


static nv8_int_t
nv8_os_number(nv8_call_t *call)
{
    int              rc;
    size_t           rss;
    double           n;
    struct timespec  ts;

    switch (nv8_call_magic(call)) {

    case NV8_OS_TOTALMEM:
        n = (double) uv_get_total_memory();
        break;

    case NV8_OS_FREEMEM:
        n = (double) uv_get_free_memory();
        break;

    case NV8_OS_UPTIME:
        rc = uv_uptime(&n);
        if (rc != 0) {
            return nv8_os_fail(call, rc, "uv_uptime");
        }
        break;

    case NV8_OS_RSS:
        rc = uv_resident_set_memory(&rss);
        if (rc != 0) {
            return nv8_os_fail(call, rc, "uv_resident_set_memory");
        }
        n = (double) rss;
        break;

    case NV8_OS_PID:
        n = (double) uv_os_getpid();
        break;

    case NV8_OS_PPID:
        n = (double) uv_os_getppid();
        break;

    /* performance.now(): milliseconds of the monotonic clock */
    case NV8_OS_NOW:
        n = (double) uv_hrtime() / 1e6;
        break;

    /* performance.timeOrigin: milliseconds since the epoch, sub-ms */
    case NV8_OS_REALTIME:
        if (clock_gettime(CLOCK_REALTIME, &ts) == -1) {
            return nv8_os_fail(call, uv_translate_sys_error(errno),
                               "clock_gettime");
        }
        n = (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
        break;

    default: /* NV8_OS_PARALLEL: CPUs this thread may run on */
        n = (double) uv_available_parallelism();
        break;
    }

    nv8_return_number(call, n);

    return NV8_OK;
}


/* [sysname, release, version, machine] */

static nv8_int_t
nv8_os_uname(nv8_call_t *call)
{
    int             rc;
    nv8_str_t       items[4];
    uv_utsname_t    u;

    rc = uv_os_uname(&u);
    if (rc != 0) {
        return nv8_os_fail(call, rc, "uv_os_uname");
    }

    items[0].data = u.sysname;
    items[0].len = strlen(u.sysname);
    items[1].data = u.release;
    items[1].len = strlen(u.release);
    items[2].data = u.version;
    items[2].len = strlen(u.version);
    items[3].data = u.machine;
    items[3].len = strlen(u.machine);

    nv8_return_string_array(call, items, 4);

    return NV8_OK;
}


/* numbers travel as decimal strings: the API returns string arrays */

static nv8_int_t
nv8_os_loadavg(nv8_call_t *call)
{
    int        i;
    char       buf[3][32];
    double     avg[3];
    nv8_str_t  items[3];

    uv_loadavg(avg);

    for (i = 0; i < 3; i++) {
        items[i].data = buf[i];
        items[i].len = snprintf(buf[i], sizeof(buf[i]), "%.17g", avg[i]);
    }

    nv8_return_string_array(call, items, 3);

    return NV8_OK;
}


/* 7 items per CPU: model, speed, user, nice, sys, idle, irq */

static nv8_int_t
nv8_os_cpus(nv8_call_t *call)
{
    int             rc, n, i, k;
    char           *nums;
    nv8_str_t      *items;
    uv_cpu_info_t  *cpus;
    uint64_t        v[6];

    rc = uv_cpu_info(&cpus, &n);
    if (rc != 0) {
        return nv8_os_fail(call, rc, "uv_cpu_info");
    }

    items = calloc(n * 7 + 1, sizeof(nv8_str_t) + 6 * 24);
    if (items == NULL) {
        uv_free_cpu_info(cpus, n);
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    nums = (char *) &items[n * 7 + 1];

    for (i = 0; i < n; i++) {
        items[i * 7].data = cpus[i].model;
        items[i * 7].len = strlen(cpus[i].model);

        v[0] = (uint64_t) cpus[i].speed;
        v[1] = cpus[i].cpu_times.user;
        v[2] = cpus[i].cpu_times.nice;
        v[3] = cpus[i].cpu_times.sys;
        v[4] = cpus[i].cpu_times.idle;
        v[5] = cpus[i].cpu_times.irq;

        for (k = 0; k < 6; k++) {
            items[i * 7 + 1 + k].data = nums;
            items[i * 7 + 1 + k].len = snprintf(nums, 24, "%llu",
                                                (unsigned long long) v[k]);
            nums += 24;
        }
    }

    nv8_return_string_array(call, items, n * 7);

    free(items);
    uv_free_cpu_info(cpus, n);

    return NV8_OK;
}


/* "NAME=value" strings; nginx workers see only what "env" passes */

static nv8_int_t
nv8_os_environ(nv8_call_t *call)
{
    size_t      n, i;
    nv8_str_t  *items;

    for (n = 0; environ != NULL && environ[n] != NULL; n++) {
        /* void */
    }

    items = calloc(n + 1, sizeof(nv8_str_t));
    if (items == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    for (i = 0; i < n; i++) {
        items[i].data = environ[i];
        items[i].len = strlen(environ[i]);
    }

    nv8_return_string_array(call, items, n);

    free(items);

    return NV8_OK;
}


/* nanoseconds as a decimal string: BigInt() keeps all the digits */

static nv8_int_t
nv8_os_hrtime(nv8_call_t *call)
{
    int   len;
    char  buf[24];

    len = snprintf(buf, sizeof(buf), "%llu",
                   (unsigned long long) uv_hrtime());

    nv8_return_string(call, buf, len);

    return NV8_OK;
}


static nv8_int_t
nv8_os_fail(nv8_call_t *call, int rc, const char *fn)
{
    return nv8_throw(call, NV8_ERROR_PLAIN, uv_err_name(rc), "%s() failed: %s",
                     fn, uv_strerror(rc));
}
