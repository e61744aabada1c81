
/*
 * Copyright (C) nv8 contributors
 *
 * modules: the synchronous file primitives lib/internal/modules needs to
 * resolve and load modules.  They block the calling thread on purpose:
 * modules are loaded at start-up (nv8_module_load(), the first require()),
 * before any request is served, as in Node.  Request-time file work goes
 * through the "fs" binding and the thread pool instead.
 */


#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nv8_internal.h"


static nv8_int_t nv8_modules_stat(nv8_call_t *call);
static nv8_int_t nv8_modules_read_file(nv8_call_t *call);
static nv8_int_t nv8_modules_realpath(nv8_call_t *call);
static nv8_int_t nv8_modules_paths(nv8_call_t *call);
static nv8_int_t nv8_modules_builtins(nv8_call_t *call);
static nv8_int_t nv8_modules_path_arg(nv8_call_t *call, nv8_str_t *path);


static const nv8_method_t  nv8_modules_methods[] = {

    { "stat",       nv8_modules_stat,       0 },
    { "readFile",   nv8_modules_read_file,  0 },
    { "realpath",   nv8_modules_realpath,   0 },
    { "paths",      nv8_modules_paths,      0 },
    { "builtins",   nv8_modules_builtins,   0 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  nv8_modules_binding = {
    "modules",
    nv8_modules_methods
};


/* 0: a file, 1: a directory, else a negative errno (as libuv's) */

static nv8_int_t
nv8_modules_stat(nv8_call_t *call)
{
    nv8_str_t    path;
    struct stat  st;

    if (nv8_modules_path_arg(call, &path) != NV8_OK) {
        return NV8_ERROR;
    }

    if (stat(path.data, &st) == -1) {
        nv8_return_number(call, -errno);
        return NV8_OK;
    }

    nv8_return_number(call, S_ISDIR(st.st_mode) ? 1 : 0);

    return NV8_OK;
}


/* the file as UTF-8 text, or a negative errno */

static nv8_int_t
nv8_modules_read_file(nv8_call_t *call)
{
    int        rc;
    char      *data;
    size_t     len;
    nv8_str_t  path;

    if (nv8_modules_path_arg(call, &path) != NV8_OK) {
        return NV8_ERROR;
    }

    rc = nv8__file_read(path.data, &data, &len);
    if (rc != 0) {
        nv8_return_number(call, -rc);
        return NV8_OK;
    }

    nv8_return_utf8(call, data, len);
    free(data);

    return NV8_OK;
}


static nv8_int_t
nv8_modules_realpath(nv8_call_t *call)
{
    char       real[PATH_MAX];
    nv8_str_t  path;

    if (nv8_modules_path_arg(call, &path) != NV8_OK) {
        return NV8_ERROR;
    }

    if (realpath(path.data, real) == NULL) {
        nv8_return_number(call, -errno);
        return NV8_OK;
    }

    nv8_return_utf8(call, real, strlen(real));

    return NV8_OK;
}


/* nv8_runtime_conf_t.module_paths */

static nv8_int_t
nv8_modules_paths(nv8_call_t *call)
{
    size_t          i, n;
    nv8_str_t      *items;
    nv8_runtime_t  *rt;

    rt = nv8_call_runtime(call);

    for (n = 0; rt->module_paths[n] != NULL; n++) {
        /* void */
    }

    items = calloc(n + 1, sizeof(nv8_str_t));
    if (items == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    for (i = 0; i < n; i++) {
        items[i].data = rt->module_paths[i];
        items[i].len = strlen(rt->module_paths[i]);
    }

    nv8_return_string_array(call, items, n);
    free(items);

    return NV8_OK;
}


/* the ids users may import: every builtin but internal/ ones */

static nv8_int_t
nv8_modules_builtins(nv8_call_t *call)
{
    size_t      i, n;
    nv8_str_t  *items;

    items = calloc(nv8_builtins_n + 1, sizeof(nv8_str_t));
    if (items == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    n = 0;

    for (i = 0; i < nv8_builtins_n; i++) {
        if (strncmp(nv8_builtins[i].id, "internal/", 9) == 0) {
            continue;
        }

        items[n].data = nv8_builtins[i].id;
        items[n].len = strlen(nv8_builtins[i].id);
        n++;
    }

    nv8_return_string_array(call, items, n);
    free(items);

    return NV8_OK;
}


static nv8_int_t
nv8_modules_path_arg(nv8_call_t *call, nv8_str_t *path)
{
    if (nv8_arg_string(call, 0, path) != NV8_OK) {
        return NV8_ERROR;
    }

    if (memchr(path->data, '\0', path->len) != NULL) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_VALUE",
                         "path must be a string without null bytes");
    }

    return NV8_OK;
}
