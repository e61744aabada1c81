
/*
 * Copyright (C) nv8 contributors
 *
 * The runtime's only public header: a V8 isolate, its context and a libuv
 * loop, behind a small C API.  Nothing here names nginx, V8 or libuv types.
 *
 * Threads: every function must be called on the thread that created the
 * runtime, except where a comment says otherwise.
 */


#ifndef _NV8_H_INCLUDED_
#define _NV8_H_INCLUDED_


#include <stddef.h>
#include <stdint.h>


#ifdef __cplusplus
extern "C" {
#endif


typedef intptr_t  nv8_int_t;

#define NV8_OK          0
#define NV8_ERROR      -1
#define NV8_AGAIN      -2
#define NV8_DONE       -4
#define NV8_DECLINED   -5


/* log levels: the same numbers as nginx's NGX_LOG_* */
#define NV8_LOG_EMERG   1
#define NV8_LOG_ALERT   2
#define NV8_LOG_CRIT    3
#define NV8_LOG_ERR     4
#define NV8_LOG_WARN    5
#define NV8_LOG_NOTICE  6
#define NV8_LOG_INFO    7
#define NV8_LOG_DEBUG   8


typedef struct nv8_runtime_s  nv8_runtime_t;

/*
 * A native call from JS into a binding method.  It lives on the C stack of
 * the trampoline for the duration of the call only.
 */
typedef struct nv8_call_s     nv8_call_t;

/*
 * A pending promise created by a binding, settled later from the loop
 * thread.  Owned by the runtime until it is settled, then freed.
 */
typedef struct nv8_promise_s  nv8_promise_t;


typedef struct {
    const char               *data;
    size_t                    len;
} nv8_str_t;


/*
 * Host callbacks.  log() receives every message the runtime or JS wants to
 * log; "context" is the request id that was current for the code that
 * logged (see nv8_hook_call()), or 0 outside any request.  The message is
 * not NUL-terminated and is valid only during the call.
 */
typedef struct {
    void                     *data;
    void                    (*log)(void *data, nv8_int_t level,
                                   double context, const char *msg,
                                   size_t len);
    /*
     * A limit (CPU time, heap) stopped JS that ran for "context" outside
     * a hook call (a microtask, a promise continuation): the host logs
     * "why" and fails that request.  May be NULL.
     */
    void                    (*terminated)(void *data, double context,
                                          const char *why, size_t len);
} nv8_host_t;


/*
 * A binding: a named table of native methods, reachable only from the
 * embedded lib/internal JS (import.meta.binding(name)).  "magic" lets one C
 * function serve several names.  Methods return NV8_OK, or NV8_ERROR with a
 * JS exception pending (set with nv8_throw()).
 */
typedef nv8_int_t (*nv8_method_pt)(nv8_call_t *call);

typedef struct {
    const char               *name;
    nv8_method_pt             handler;
    nv8_int_t                 magic;
} nv8_method_t;

typedef struct {
    const char               *name;
    const nv8_method_t       *methods;      /* ends with a NULL name */
} nv8_binding_t;


/* JS functions that native code calls; registered by lib/ at start-up */
typedef enum {
    NV8_HOOK_TIMERS = 0,
    NV8_HOOK_IMMEDIATES,
    NV8_HOOK_HTTP_REGISTER,
    NV8_HOOK_HTTP_DISPATCH,
    NV8_HOOK_HTTP_EVENT,
    NV8_HOOK_MODULE_RESOLVE,               /* (specifier, referrer, type) */
    NV8_HOOK_MODULE_LOAD,                  /* (key) */
    NV8_HOOK_MODULE_EVALUATE,              /* (key), synthetic modules */
    NV8_HOOK_MAX
} nv8_hook_e;


/* an argument passed to a hook */
typedef enum {
    NV8_ARG_NUMBER = 0,
    NV8_ARG_STRING,
    NV8_ARG_MODULE,                         /* str: the module's path */
    NV8_ARG_BYTES                           /* str: copied to a Uint8Array */
} nv8_arg_type_e;

typedef struct {
    nv8_arg_type_e            type;
    double                    number;
    nv8_str_t                 str;          /* one-byte (Latin-1) text */
} nv8_arg_t;


typedef struct {
    nv8_host_t                host;
    const nv8_binding_t     **bindings;     /* host bindings, NULL-ended */
    const char              **module_paths; /* NULL-ended absolute
                                               directories searched for
                                               packages after the
                                               node_modules lookup; copied
                                               by nv8_runtime_create() */
    unsigned                  embedded:1;   /* driven by a host loop: the
                                               loop is kept alive */

    const char              **fs_roots;     /* NULL-ended directories JS
                                               file access stays beneath
                                               (node:fs); NULL: anywhere */

    /* limits, 0: none */
    uint64_t                  cpu_limit_ms; /* one run of JS, from an entry
                                               (a hook call, a timer, a
                                               settled promise and the
                                               microtasks after it) to its
                                               return: terminated past it */
    size_t                    heap_max;     /* V8 heap, bytes */
    size_t                    buffers_max;  /* ArrayBuffer memory, bytes */
} nv8_runtime_conf_t;


/*
 * Process-wide set-up: V8 flags, the platform and its threads.  Call once
 * per process, in the process that will run JS (never in nginx's master).
 * "threads" is the size of the libuv thread pool; it is fixed at the first
 * use of the pool.  Signals are blocked in every thread started here.
 */
nv8_int_t nv8_process_init(const char *v8_flags, unsigned threads);
void nv8_process_exit(void);

/*
 * Creates an isolate, its context and a loop, and runs the embedded
 * bootstrap.  On failure returns NULL and, if err is not NULL, a malloc()ed
 * message the caller frees.
 */
nv8_runtime_t *nv8_runtime_create(const nv8_runtime_conf_t *conf,
    char **err);

/* closes every loop handle, runs the loop until they are closed, disposes
 * of the isolate; returns NV8_ERROR if handles were left open */
nv8_int_t nv8_runtime_destroy(nv8_runtime_t *rt);

/* writes V8's code cache of the builtins compiled so far as a C source
 * (the build's step that makes runtime/nv8_code_cache.c) */
nv8_int_t nv8_runtime_write_code_cache(nv8_runtime_t *rt, const char *path);

/* how many builtins were compiled from the linked code cache, and how
 * many caches V8 refused (made by another V8 or with other flags) */
void nv8_runtime_code_cache_stats(nv8_runtime_t *rt, unsigned *used,
    unsigned *refused);


/*
 * Modules.  Paths are absolute file names of ES modules, CommonJS modules
 * or JSON files (the format follows Node's rules, see docs/api/modules.md).
 * nv8_module_check() compiles and links the module graph without running
 * it (a CommonJS entry is compiled; what it require()s is not, since that
 * is only known when it runs); nv8_module_load() also evaluates it
 * (running the loop until a top-level await settles).  Both read files
 * synchronously: they are meant for start-up.  On error both return
 * NV8_ERROR and a malloc()ed message naming file, line and import chain.
 */
nv8_int_t nv8_module_check(nv8_runtime_t *rt, const char *path, char **err);
nv8_int_t nv8_module_load(nv8_runtime_t *rt, const char *path, char **err);


/*
 * Calls a hook with number and string arguments, the module namespace of
 * "path" for NV8_ARG_MODULE (loaded before).  "context" becomes the request
 * id seen by console and by promise continuations started by the call.
 * The microtask queue is drained after the outermost call.  Returns
 * NV8_ERROR on an exception, which is logged (with *err set if not NULL),
 * else NV8_OK with the number the hook returned in *result (NaN if it was
 * not a number).
 */
nv8_int_t nv8_hook_call(nv8_runtime_t *rt, nv8_hook_e hook, double context,
    const nv8_arg_t *args, size_t nargs, double *result, char **err);


/*
 * The loop, for embedding into another event loop: watch nv8_loop_fd()
 * for reading, call nv8_loop_run() when it is readable or when
 * nv8_loop_timeout() milliseconds have passed (0: now; -1: no timeout).
 * nv8_loop_run() never blocks.  nv8_loop_run_default() runs until nothing
 * is left to do, or until nv8_runtime_stop() (for the standalone runner).
 */
int nv8_loop_fd(nv8_runtime_t *rt);
int nv8_loop_timeout(nv8_runtime_t *rt);
nv8_int_t nv8_loop_run(nv8_runtime_t *rt);
nv8_int_t nv8_loop_run_default(nv8_runtime_t *rt);
void nv8_runtime_stop(nv8_runtime_t *rt);

/* count of uncaught exceptions and unhandled rejections so far */
size_t nv8_runtime_uncaught(nv8_runtime_t *rt);
void *nv8_runtime_host_data(nv8_runtime_t *rt);


/*
 * Inside a binding method.  Arguments are read with the accessors below;
 * a missing argument is undefined.  Strings are copied out as UTF-8 into
 * memory owned by the call (valid until the method returns).
 */
nv8_runtime_t *nv8_call_runtime(nv8_call_t *call);
nv8_int_t nv8_call_magic(nv8_call_t *call);
size_t nv8_call_argc(nv8_call_t *call);
int nv8_arg_is_nullish(nv8_call_t *call, size_t i);
nv8_int_t nv8_arg_number(nv8_call_t *call, size_t i, double *n);
nv8_int_t nv8_arg_string(nv8_call_t *call, size_t i, nv8_str_t *s);

/*
 * A string or an ArrayBufferView argument as bytes (UTF-8 for strings):
 * nv8_arg_bytes_size() tells the size and nv8_arg_bytes_copy() copies it.
 */
nv8_int_t nv8_arg_bytes_size(nv8_call_t *call, size_t i, size_t *size);
nv8_int_t nv8_arg_bytes_copy(nv8_call_t *call, size_t i, unsigned char *dst,
    size_t size);

/*
 * An ArrayBufferView or ArrayBuffer argument in place: *data points into
 * its backing store, writable, valid until the method returns (never pass
 * it to the thread pool; copy instead).  A detached buffer gives len 0.
 */
nv8_int_t nv8_arg_bytes_data(nv8_call_t *call, size_t i,
    unsigned char **data, size_t *len);

/*
 * Watches the object argument i: gone(data, 1) is called once it has been
 * garbage-collected, or gone(data, 0) when the runtime is destroyed
 * first; either way exactly once, and the callee frees "data".  With 1 it
 * runs inside V8's GC on the loop thread: it must not call into this API
 * or JS (closing a file descriptor, logging, freeing are fine).
 */
nv8_int_t nv8_arg_weak(nv8_call_t *call, size_t i,
    void (*gone)(void *data, int collected), void *data);

/* an array of strings; items are copied as with nv8_arg_string() */
nv8_int_t nv8_arg_string_array(nv8_call_t *call, size_t i, nv8_str_t **items,
    size_t *n);

void nv8_return_number(nv8_call_t *call, double n);
void nv8_return_bool(nv8_call_t *call, int b);
/* one-byte (Latin-1) strings, copied */
void nv8_return_string(nv8_call_t *call, const char *s, size_t len);
/* UTF-8 text, copied */
void nv8_return_utf8(nv8_call_t *call, const char *s, size_t len);
/* bytes, copied into a new Uint8Array */
void nv8_return_bytes(nv8_call_t *call, const void *data, size_t len);
void nv8_return_string_array(nv8_call_t *call, const nv8_str_t *items,
    size_t n);
/* numbers, copied into a new Float64Array */
void nv8_return_numbers(nv8_call_t *call, const double *v, size_t n);

/*
 * Native objects: an opaque JS object that carries a binding's C pointer.
 * The class's name tags it: an object of another class (or not one at
 * all) given to nv8_arg_object() throws a TypeError.  fin(data) is called
 * exactly once, when V8 collects the object or, for objects still alive,
 * when the runtime is destroyed; it runs on the loop thread inside V8's
 * garbage collector, so it must not call any nv8_* function.  "external"
 * is the native memory the object holds, in bytes, reported to V8 so
 * that it collects such objects soon enough.  nv8_return_object() takes
 * "data" over only when it returns NV8_OK.  nv8_arg_object() gives the
 * pointer back, valid until the object is collected.
 */
typedef struct {
    const char               *name;
    void                    (*fin)(void *data);
} nv8_class_t;

nv8_int_t nv8_return_object(nv8_call_t *call, const nv8_class_t *cls,
    void *data, size_t external);
nv8_int_t nv8_arg_object(nv8_call_t *call, size_t i, const nv8_class_t *cls,
    void **data);

/* sets a pending exception; returns NV8_ERROR for "return nv8_throw(...)" */
#define NV8_ERROR_TYPE   0
#define NV8_ERROR_RANGE  1
#define NV8_ERROR_PLAIN  2
nv8_int_t nv8_throw(nv8_call_t *call, int type, const char *code,
    const char *fmt, ...);
/* throws [errno, syscall] (a negative libuv errno), the value
 * nv8_promise_reject_errno() rejects with, for lib/ to build the Error */
nv8_int_t nv8_throw_errno(nv8_call_t *call, int uv_err, const char *syscall);


/*
 * Promises: nv8_promise_create() makes the method return a new promise;
 * exactly one nv8_promise_*() settling call must follow later, on the loop
 * thread, from a loop callback.  Settling frees the nv8_promise_t.
 */
nv8_promise_t *nv8_promise_create(nv8_call_t *call);
/* "data" must be malloc()ed; the ArrayBuffer takes it over */
void nv8_promise_resolve_bytes(nv8_promise_t *p, void *data, size_t len);
void nv8_promise_resolve_numbers(nv8_promise_t *p, const double *v,
    size_t n);
/* rejects with [errno, syscall] (a negative libuv errno); lib/ builds the
 * Error from it */
void nv8_promise_reject_errno(nv8_promise_t *p, int uv_err,
    const char *syscall);
/* rejects with an Error carrying "message" and, if not NULL, "code" */
void nv8_promise_reject_error(nv8_promise_t *p, const char *code,
    const char *message);
/* for a runtime torn down before its work completed */
void nv8_promise_drop(nv8_promise_t *p);


/*
 * Host work on the thread pool: work(data) runs on a pool thread and must
 * not touch the runtime; done(data, status) runs later on the loop thread
 * (status 0, or a negative libuv errno if the work was cancelled).
 */
nv8_int_t nv8_queue_work(nv8_runtime_t *rt, void (*work)(void *data),
    void (*done)(void *data, int status), void *data);


#ifdef __cplusplus
}
#endif

#endif /* _NV8_H_INCLUDED_ */
