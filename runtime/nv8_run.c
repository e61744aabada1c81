
/*
 * Copyright (C) nv8 contributors
 *
 * nv8: runs a JS module to completion on the same runtime nginx uses, with
 * no nginx.  console.log/info/debug go to stdout, warn/error to stderr.
 * Exits 1 on an uncaught exception or unhandled rejection.  NV8_PATH is a
 * colon-separated list of directories searched for packages after the
 * node_modules lookup (as Node's NODE_PATH, for import too).  NV8_FS_ROOT,
 * colon-separated too, keeps node:fs beneath those directories, as the
 * js_fs_root directive does in nginx.
 *
 *   nv8 [--v8-flags=FLAGS] [--check] FILE
 */


#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nv8.h"


static const char **nv8_run_paths(const char *env);


static void
nv8_run_log(void *data, nv8_int_t level, double context, const char *msg,
    size_t len)
{
    FILE  *out;

    out = (level <= NV8_LOG_WARN) ? stderr : stdout;

    /* console output is tagged for shared logs; a terminal needs no tag */
    if (len >= 4 && memcmp(msg, "js: ", 4) == 0) {
        msg += 4;
        len -= 4;
    }

    fwrite(msg, 1, len, out);
    fputc('\n', out);
    fflush(out);

    if (level <= NV8_LOG_ERR && strncmp(msg, "js exception", 12) == 0) {
        /* like Node: an uncaught error ends the process */
        nv8_runtime_stop(*(nv8_runtime_t **) data);
    }
}


int
main(int argc, char **argv)
{
    int                  i, check;
    char                *err, path[PATH_MAX];
    const char          *file, *flags, **paths, **roots;
    nv8_runtime_t       *rt;
    nv8_runtime_conf_t   conf;

    check = 0;
    file = NULL;
    flags = getenv("NV8_V8_FLAGS");

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--check") == 0) {
            check = 1;

        } else if (strncmp(argv[i], "--v8-flags=", 11) == 0) {
            flags = argv[i] + 11;

        } else if (file == NULL) {
            file = argv[i];

        } else {
            break;
        }
    }

    if (file == NULL) {
        fprintf(stderr, "usage: nv8 [--check] [--v8-flags=FLAGS] FILE\n");
        return 2;
    }

    if (realpath(file, path) == NULL) {
        fprintf(stderr, "nv8: cannot open %s\n", file);
        return 2;
    }

    if (nv8_process_init(flags, 0) != NV8_OK) {
        fprintf(stderr, "nv8: V8 initialization failed\n");
        return 2;
    }

    paths = nv8_run_paths(getenv("NV8_PATH"));
    if (paths == NULL) {
        fprintf(stderr, "nv8: out of memory\n");
        return 2;
    }

    roots = NULL;

    if (getenv("NV8_FS_ROOT") != NULL) {
        roots = nv8_run_paths(getenv("NV8_FS_ROOT"));
        if (roots == NULL) {
            fprintf(stderr, "nv8: out of memory\n");
            return 2;
        }

        if (roots[0] == NULL) {
            /* never "anywhere" by mistake */
            fprintf(stderr, "nv8: NV8_FS_ROOT names no directory\n");
            return 2;
        }
    }

    rt = NULL;
    memset(&conf, 0, sizeof(conf));
    conf.host.log = nv8_run_log;
    conf.host.data = &rt;
    conf.module_paths = paths;
    conf.fs_roots = roots;

    err = NULL;
    rt = nv8_runtime_create(&conf, &err);
    if (rt == NULL) {
        fprintf(stderr, "nv8: %s\n", err ? err : "runtime failed");
        return 2;
    }

    if (check) {
        if (nv8_module_check(rt, path, &err) != NV8_OK) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }

        return 0;
    }

    if (nv8_module_load(rt, path, &err) != NV8_OK) {
        fprintf(stderr, "%s\n", err);
        free(err);
        (void) nv8_runtime_destroy(rt);
        nv8_process_exit();
        return 1;
    }

    (void) nv8_loop_run_default(rt);

    i = nv8_runtime_uncaught(rt) ? 1 : 0;

    /* the build's code cache step (Makefile.am) */
    if (getenv("NV8_CODE_CACHE_OUT") != NULL
        && nv8_runtime_write_code_cache(rt, getenv("NV8_CODE_CACHE_OUT"))
           != NV8_OK)
    {
        fprintf(stderr, "nv8: cannot write the code cache to %s\n",
                getenv("NV8_CODE_CACHE_OUT"));
        i = 1;
    }

    if (nv8_runtime_destroy(rt) != NV8_OK) {
        i = 1;
    }

    nv8_process_exit();

    return i;
}


/* NV8_PATH: absolute directories only, as the runtime expects */

static const char **
nv8_run_paths(const char *env)
{
    char         *copy, *dir, *save, real[PATH_MAX];
    size_t        n;
    const char  **v;

    n = 0;
    v = calloc(env ? strlen(env) / 2 + 2 : 1, sizeof(char *));
    if (v == NULL) {
        return NULL;
    }

    if (env == NULL) {
        return v;
    }

    copy = strdup(env);
    if (copy == NULL) {
        free(v);
        return NULL;
    }

    for (dir = strtok_r(copy, ":", &save); dir != NULL;
         dir = strtok_r(NULL, ":", &save))
    {
        if (realpath(dir, real) != NULL) {
            v[n] = strdup(real);
            if (v[n] != NULL) {
                n++;
            }
        }
    }

    free(copy);

    return v;
}
