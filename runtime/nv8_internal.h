
/*
 * Copyright (C) nv8 contributors
 *
 * Shared by the runtime's own files only; never included by ngx_module/.
 */


#ifndef _NV8_INTERNAL_H_INCLUDED_
#define _NV8_INTERNAL_H_INCLUDED_


#include <uv.h>

#include "nv8.h"


#ifdef __cplusplus
extern "C" {
#endif


typedef struct nv8_watchdog_s  nv8_watchdog_t;
typedef struct nv8_fs_root_s   nv8_fs_root_t;


struct nv8_runtime_s {
    uv_loop_t                 loop;
    uv_timer_t                timer;        /* the earliest JS timer */
    uv_check_t                check;        /* runs setImmediate() queue */
    uv_idle_t                 idle;         /* no blocking poll while
                                               immediates are queued */
    uv_async_t                alive;        /* embedded: keeps the loop
                                               alive, so that
                                               uv_backend_timeout() tells
                                               the next timer, not 0 */
    nv8_host_t                host;
    const nv8_binding_t     **host_bindings;
    char                    **module_paths; /* malloc()ed, NULL-ended */
    void                     *v8;           /* nv8::Runtime, the shim's */
    size_t                    uncaught;
    size_t                    work;         /* uv_work_t in flight */
    nv8_watchdog_t           *watchdog;     /* js_cpu_limit, or NULL */
    nv8_fs_root_t            *fs_roots;     /* where files may be opened */
    size_t                    fs_nroots;    /* 0: anywhere */
    void                     *fs;           /* the fs binding's state:
                                               descriptors JS opened */
    uint64_t                  cpu_limit_ms;
    size_t                    heap_max;
    size_t                    buffers_max;
    unsigned                  stopped:1;
    unsigned                  destroying:1;
};


typedef struct {
    const char               *id;
    const unsigned char      *source;
    size_t                    len;
} nv8_builtin_t;


/* generated from lib/ by build-aux/nv8_js2c.c, sorted by id */
extern const nv8_builtin_t    nv8_builtins[];
extern const size_t           nv8_builtins_n;


/*
 * V8's code cache of the builtins, made at build time by running the
 * built nv8 over build-aux/code-cache.mjs (NV8_CODE_CACHE_OUT) and linked
 * into the nginx module; ended by a NULL key.  nv8_modules.c holds an
 * empty, weak one for the programs built without it (nv8 itself, the
 * sanitizer and fuzzing builds).  V8 refuses a cache made by another V8
 * or with other flags; the source is then compiled as without one.
 */

typedef struct {
    const char               *key;
    const unsigned char      *data;
    size_t                    len;
} nv8_code_cache_t;

extern const nv8_code_cache_t  nv8_code_cache[];


/*
 * The CPU watchdog (nv8_watchdog.c): a thread that stops a run of JS
 * longer than the limit.  enter/leave bracket every outermost run; they
 * cost two atomic stores unless the watchdog fired.
 */
nv8_watchdog_t *nv8__watchdog_start(nv8_runtime_t *rt, uint64_t limit_ms);
void nv8__watchdog_stop(nv8_watchdog_t *wd);
void nv8__watchdog_enter(nv8_watchdog_t *wd);
void nv8__watchdog_leave(nv8_watchdog_t *wd);
/* in V8's interrupt: 1 if the current run is over the limit */
int nv8__watchdog_confirm(nv8_watchdog_t *wd);

/*
 * File roots (nv8_fs_roots.c), safe on pool threads.  nv8__fs_open() and
 * nv8__fs_open_parent() return an fd (O_CLOEXEC) the caller closes, or
 * -errno.
 */
nv8_int_t nv8__fs_roots_open(nv8_runtime_t *rt, const char **roots,
    char **err);
void nv8__fs_roots_close(nv8_runtime_t *rt);
int nv8__fs_open(nv8_runtime_t *rt, const char *path, int flags, int mode);
/* the directory holding the last component, which goes to "name"
 * (NAME_MAX + 1 bytes) */
int nv8__fs_open_parent(nv8_runtime_t *rt, const char *path, char *name);
/* depth of directory "fd" beneath the root of "path"; -1: unknown */
int nv8__fs_depth(nv8_runtime_t *rt, const char *path, int fd);

/* the fs binding's descriptors, closed when the runtime goes
 * (nv8_binding_fs.c) */
void nv8__fs_cleanup(nv8_runtime_t *rt);

/* the shim: nv8_v8.cc */
nv8_int_t nv8__v8_create(nv8_runtime_t *rt, char **err);
/* from the watchdog thread: V8's interrupt, which asks
 * nv8__watchdog_confirm() and terminates the run if it says so */
void nv8__v8_interrupt(nv8_runtime_t *rt);
void nv8__v8_destroy(nv8_runtime_t *rt);
nv8_int_t nv8__v8_write_code_cache(nv8_runtime_t *rt, const char *path);
void nv8__v8_code_cache_stats(nv8_runtime_t *rt, unsigned *used,
    unsigned *refused);
double nv8__v8_context(nv8_runtime_t *rt);

/* nv8_runtime.c */
void nv8__log(nv8_runtime_t *rt, nv8_int_t level, double context,
    const char *fmt, ...);
const nv8_binding_t *nv8__binding_find(nv8_runtime_t *rt, const char *name);
nv8_int_t nv8__loop_init(nv8_runtime_t *rt);
void nv8__loop_close(nv8_runtime_t *rt);

/*
 * nv8_modules.c: resolution of builtins.  Keys are absolute file paths or
 * "node:<builtin id>".  nv8__module_resolve() returns NV8_DECLINED for a
 * specifier that is not a builtin's, imported from a user module: those
 * are resolved by lib/internal/modules (the MODULE_RESOLVE hook).  Results
 * are malloc()ed.
 */
nv8_int_t nv8__module_resolve(const char *referrer, const char *specifier,
    char **key, char **err);
nv8_int_t nv8__module_source(const char *key, const char **src, size_t *len,
    int *builtin, char **err);
const nv8_builtin_t *nv8__builtin_find(const char *id);
/* reads a whole file into malloc()ed memory; returns 0 or an errno */
int nv8__file_read(const char *path, char **data, size_t *len);
char *nv8__strdup_printf(const char *fmt, ...);


#ifdef __cplusplus
}
#endif

#endif /* _NV8_INTERNAL_H_INCLUDED_ */
