
/*
 * Copyright (C) nv8 contributors
 *
 * Where JS may reach files.  With roots configured, every path is opened
 * with openat2() beneath the root directory it names, with
 * RESOLVE_BENEATH: "..", absolute symlinks and symlinks that lead out are
 * refused by the kernel while it resolves the path, so a symlink swapped
 * in between a check and the open (the classic race) gets nowhere.
 * Without roots, paths open as they are.
 *
 * nv8__fs_open() runs on pool threads: it only reads the roots, which
 * are fixed while the runtime lives.
 */


#ifndef _GNU_SOURCE
#define _GNU_SOURCE                  /* O_PATH, AT_EMPTY_PATH */
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nv8_internal.h"


struct nv8_fs_root_s {
    char                     *path;         /* absolute, no trailing '/' */
    size_t                    len;
    int                       fd;           /* O_PATH directory */
};


nv8_int_t
nv8__fs_roots_open(nv8_runtime_t *rt, const char **roots, char **err)
{
    size_t          n, i, len;
    char           *real;
    nv8_fs_root_t  *r;

    if (roots == NULL || roots[0] == NULL) {
        return NV8_OK;
    }

    for (n = 0; roots[n]; n++) { /* void */ }

    r = calloc(n, sizeof(nv8_fs_root_t));
    if (r == NULL) {
        *err = nv8__strdup_printf("out of memory");
        return NV8_ERROR;
    }

    rt->fs_roots = r;

    for (i = 0; i < n; i++) {
        r[i].fd = -1;

        real = realpath(roots[i], NULL);
        if (real == NULL) {
            *err = nv8__strdup_printf("file root \"%s\": %s", roots[i],
                                      strerror(errno));
            return NV8_ERROR;
        }

        len = strlen(real);

        while (len > 1 && real[len - 1] == '/') {
            real[--len] = '\0';
        }

        r[i].path = real;
        r[i].len = (len == 1) ? 0 : len;    /* "/" matches everything */
        rt->fs_nroots = i + 1;

        r[i].fd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (r[i].fd == -1) {
            *err = nv8__strdup_printf("file root \"%s\": %s", real,
                                      strerror(errno));
            return NV8_ERROR;
        }
    }

    return NV8_OK;
}


void
nv8__fs_roots_close(nv8_runtime_t *rt)
{
    size_t  i;

    for (i = 0; i < rt->fs_nroots; i++) {
        if (rt->fs_roots[i].fd != -1) {
            close(rt->fs_roots[i].fd);
        }

        free(rt->fs_roots[i].path);
    }

    free(rt->fs_roots);
    rt->fs_roots = NULL;
    rt->fs_nroots = 0;
}


/* an fd for "path" (flags as for open(2)), or -errno */

int
nv8__fs_open(nv8_runtime_t *rt, const char *path, int flags)
{
    int              fd;
    char             abs[PATH_MAX];
    size_t           i, best, blen, plen;
    const char      *rel;
    struct open_how  how;

    if (rt->fs_nroots == 0) {
        fd = open(path, flags | O_CLOEXEC);
        return fd == -1 ? -errno : fd;
    }

    if (path[0] != '/') {
        if (getcwd(abs, sizeof(abs)) == NULL) {
            return -errno;
        }

        plen = strlen(abs);

        if (plen + 1 + strlen(path) + 1 > sizeof(abs)) {
            return -ENAMETOOLONG;
        }

        abs[plen] = '/';
        strcpy(abs + plen + 1, path);
        path = abs;
    }

    plen = strlen(path);
    best = (size_t) -1;
    blen = 0;

    /* the longest root that is a whole-component prefix of the path */
    for (i = 0; i < rt->fs_nroots; i++) {
        size_t  len = rt->fs_roots[i].len;

        if (len <= plen
            && strncmp(path, rt->fs_roots[i].path, len) == 0
            && (path[len] == '/' || path[len] == '\0')
            && (best == (size_t) -1 || len > blen))
        {
            best = i;
            blen = len;
        }
    }

    if (best == (size_t) -1) {
        return -EACCES;
    }

    rel = path + blen;

    while (*rel == '/') {
        rel++;
    }

    if (*rel == '\0') {
        rel = ".";
    }

    memset(&how, 0, sizeof(how));
    how.flags = (unsigned) (flags | O_CLOEXEC);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;

    fd = (int) syscall(SYS_openat2, rt->fs_roots[best].fd, rel, &how,
                       sizeof(how));

    if (fd == -1) {
        /* EXDEV: the path leads out of the root */
        return errno == EXDEV ? -EACCES : -errno;
    }

    return fd;
}
