
/*
 * Copyright (C) nv8 contributors
 *
 * Resolution of builtins and loading of sources.  Module keys are
 * absolute file paths, or "node:<id>" for the modules embedded from lib/.
 * Builtins are importable by users as "node:<id>" (and "<id>" for the
 * Node-compatible names); "internal/..." only from other builtins.  Files
 * and packages are resolved by lib/internal/modules/resolve.js, with the
 * synchronous primitives of the "modules" binding (nv8_binding_modules.c).
 */


#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nv8_internal.h"


static int
nv8_builtin_cmp(const void *key, const void *item)
{
    return strcmp(key, ((const nv8_builtin_t *) item)->id);
}


const nv8_builtin_t *
nv8__builtin_find(const char *id)
{
    return bsearch(id, nv8_builtins, nv8_builtins_n, sizeof(nv8_builtin_t),
                   nv8_builtin_cmp);
}


static int
nv8_is_builtin_key(const char *key)
{
    return strncmp(key, "node:", 5) == 0;
}


static nv8_int_t
nv8_resolve_builtin(const char *referrer, const char *id, char **key,
    char **err)
{
    int  internal;

    internal = (strncmp(id, "internal/", 9) == 0);

    if (nv8__builtin_find(id) == NULL
        || (internal && !nv8_is_builtin_key(referrer)))
    {
        *err = nv8__strdup_printf("Cannot find module '%s' imported from %s",
                                  id, referrer);
        return NV8_ERROR;
    }

    *key = nv8__strdup_printf("node:%s", id);

    return *key ? NV8_OK : NV8_ERROR;
}


nv8_int_t
nv8__module_resolve(const char *referrer, const char *specifier, char **key,
    char **err)
{
    *key = NULL;
    *err = NULL;

    if (strncmp(specifier, "node:", 5) == 0) {
        if (!nv8_is_builtin_key(referrer)
            && strncmp(specifier + 5, "internal/", 9) != 0
            && nv8__builtin_find(specifier + 5) == NULL)
        {
            /* lib/'s resolver says which of Node's modules this is */
            return NV8_DECLINED;
        }

        return nv8_resolve_builtin(referrer, specifier + 5, key, err);
    }

    if (nv8_is_builtin_key(referrer)) {
        /* lib/ imports builtins only, by bare id */
        return nv8_resolve_builtin(referrer, specifier, key, err);
    }

    if (strncmp(specifier, "internal/", 9) != 0
        && nv8__builtin_find(specifier) != NULL)
    {
        return nv8_resolve_builtin(referrer, specifier, key, err);
    }

    return NV8_DECLINED;
}


nv8_int_t
nv8__module_source(const char *key, const char **src, size_t *len,
    int *builtin, char **err)
{
    int                   rc;
    char                 *p;
    const nv8_builtin_t  *b;

    *err = NULL;

    if (nv8_is_builtin_key(key)) {
        b = nv8__builtin_find(key + 5);
        if (b == NULL) {
            *err = nv8__strdup_printf("Cannot find module '%s'", key);
            return NV8_ERROR;
        }

        *src = (const char *) b->source;
        *len = b->len;
        *builtin = 1;
        return NV8_OK;
    }

    *builtin = 0;

    rc = nv8__file_read(key, &p, len);
    if (rc != 0) {
        *err = nv8__strdup_printf("Cannot read module '%s': %s", key,
                                  strerror(rc));
        return NV8_ERROR;
    }

    *src = p;

    return NV8_OK;
}


int
nv8__file_read(const char *path, char **data, size_t *len)
{
    int      rc;
    FILE    *f;
    char    *p, *q;
    size_t   n, r, size;

    f = fopen(path, "re");
    if (f == NULL) {
        return errno;
    }

    size = 0;
    n = 0;
    p = NULL;

    for ( ;; ) {
        if (n == size) {
            size = size ? size * 2 : 16384;
            q = realloc(p, size);
            if (q == NULL) {
                free(p);
                fclose(f);
                return ENOMEM;
            }

            p = q;
        }

        r = fread(p + n, 1, size - n, f);

        if (r == 0) {
            break;
        }

        n += r;
    }

    if (ferror(f)) {
        rc = errno ? errno : EIO;
        free(p);
        fclose(f);
        return rc;
    }

    fclose(f);

    *data = p;
    *len = n;

    return 0;
}


/* no code cache: the build links a generated, strong one over this */
__attribute__((weak))
const nv8_code_cache_t  nv8_code_cache[] = { { NULL, NULL, 0 } };
