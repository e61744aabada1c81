
/*
 * Copyright (C) nv8 contributors
 *
 * ES module resolution and loading of sources.  Module keys are absolute
 * file paths, or "node:<id>" for the modules embedded from lib/.
 * Builtins are importable by users as "node:<id>" (and "<id>" for the
 * Node-compatible names); "internal/..." only from other builtins.
 */


#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    char         path[PATH_MAX], real[PATH_MAX];
    const char  *slash;
    size_t       dir;
    struct stat  st;

    *key = NULL;
    *err = NULL;

    if (strncmp(specifier, "node:", 5) == 0) {
        return nv8_resolve_builtin(referrer, specifier + 5, key, err);
    }

    if (strncmp(specifier, "file://", 7) == 0) {
        specifier += 7;
    }

    if (specifier[0] == '/') {
        if (strlen(specifier) >= sizeof(path)) {
            goto not_found;
        }

        strcpy(path, specifier);

    } else if (strncmp(specifier, "./", 2) == 0
               || strncmp(specifier, "../", 3) == 0)
    {
        if (nv8_is_builtin_key(referrer)) {
            goto not_found;
        }

        slash = strrchr(referrer, '/');
        dir = slash ? (size_t) (slash - referrer) : 0;

        if (dir + 1 + strlen(specifier) >= sizeof(path)) {
            goto not_found;
        }

        memcpy(path, referrer, dir);
        path[dir] = '/';
        strcpy(path + dir + 1, specifier);

    } else {
        if (nv8__builtin_find(specifier) != NULL
            && strncmp(specifier, "internal/", 9) != 0)
        {
            return nv8_resolve_builtin(referrer, specifier, key, err);
        }

        if (nv8_is_builtin_key(referrer)) {
            return nv8_resolve_builtin(referrer, specifier, key, err);
        }

        *err = nv8__strdup_printf("Cannot find package '%s' imported from "
                                  "%s (node_modules lookup is not "
                                  "supported yet)", specifier, referrer);
        return NV8_ERROR;
    }

    if (realpath(path, real) == NULL || stat(real, &st) == -1
        || !S_ISREG(st.st_mode))
    {
        goto not_found;
    }

    *key = nv8__strdup_printf("%s", real);

    return *key ? NV8_OK : NV8_ERROR;

not_found:

    *err = nv8__strdup_printf("Cannot find module '%s' imported from %s",
                              specifier, referrer);
    return NV8_ERROR;
}


nv8_int_t
nv8__module_source(const char *key, const char **src, size_t *len,
    int *builtin, char **err)
{
    FILE                 *f;
    char                 *p;
    size_t                n, size;
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

    f = fopen(key, "re");
    if (f == NULL) {
        *err = nv8__strdup_printf("Cannot open module '%s': %s", key,
                                  strerror(errno));
        return NV8_ERROR;
    }

    size = 0;
    n = 0;
    p = NULL;

    for ( ;; ) {
        if (n == size) {
            char  *q;

            size = size ? size * 2 : 16384;
            q = realloc(p, size);
            if (q == NULL) {
                free(p);
                fclose(f);
                *err = nv8__strdup_printf("out of memory reading '%s'", key);
                return NV8_ERROR;
            }

            p = q;
        }

        size_t  r = fread(p + n, 1, size - n, f);

        if (r == 0) {
            break;
        }

        n += r;
    }

    if (ferror(f)) {
        *err = nv8__strdup_printf("Cannot read module '%s': %s", key,
                                  strerror(errno));
        free(p);
        fclose(f);
        return NV8_ERROR;
    }

    fclose(f);

    *src = p;
    *len = n;

    return NV8_OK;
}
