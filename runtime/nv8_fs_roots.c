
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
 * Operations on a name (unlink, rename, mkdir, ...) open the directory
 * that holds it the same way and act on the name with the *at() calls,
 * so the second path of rename() or link() is held to the roots too.
 *
 * Everything here runs on pool threads as well: it only reads the roots,
 * which are fixed while the runtime lives.
 */


#ifndef _GNU_SOURCE
#define _GNU_SOURCE                  /* O_PATH, memrchr() */
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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


/*
 * Where "path" lives: with roots, the fd of the longest root that is a
 * whole-component prefix of the absolute path, and the rest of the path
 * ("." for the root itself); without roots, AT_FDCWD and the path as it
 * is.  "buf" (PATH_MAX) holds the absolute path built for a relative one.
 * Returns 0 or -errno (-EACCES: beneath no root).
 */

static int
nv8_fs_locate(nv8_runtime_t *rt, const char *path, char *buf, int *dirfd,
    const char **rel)
{
    size_t       i, best, blen, plen, len;
    const char  *r;

    if (path[0] == '\0') {
        return -ENOENT;
    }

    if (rt->fs_nroots == 0) {
        *dirfd = AT_FDCWD;
        *rel = path;
        return 0;
    }

    if (path[0] != '/') {
        if (getcwd(buf, PATH_MAX) == NULL) {
            return -errno;
        }

        plen = strlen(buf);

        if (plen + 1 + strlen(path) + 1 > PATH_MAX) {
            return -ENAMETOOLONG;
        }

        buf[plen] = '/';
        strcpy(buf + plen + 1, path);
        path = buf;
    }

    plen = strlen(path);
    best = (size_t) -1;
    blen = 0;

    /* the longest root that is a whole-component prefix of the path */
    for (i = 0; i < rt->fs_nroots; i++) {
        len = rt->fs_roots[i].len;

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

    r = path + blen;

    while (*r == '/') {
        r++;
    }

    *dirfd = rt->fs_roots[best].fd;
    *rel = (*r == '\0') ? "." : r;

    return 0;
}


/* an fd for "path" (flags and mode as for open(2)), or -errno */

int
nv8__fs_open(nv8_runtime_t *rt, const char *path, int flags, int mode)
{
    int              fd, dirfd, rc;
    char             buf[PATH_MAX];
    const char      *rel;
    struct open_how  how;

    rc = nv8_fs_locate(rt, path, buf, &dirfd, &rel);
    if (rc != 0) {
        return rc;
    }

    if (rt->fs_nroots == 0) {
        fd = openat(AT_FDCWD, path, flags | O_CLOEXEC, mode);
        return fd == -1 ? -errno : fd;
    }

    memset(&how, 0, sizeof(how));
    how.flags = (unsigned) (flags | O_CLOEXEC);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;

    if (flags & (O_CREAT | __O_TMPFILE)) {
        how.mode = (unsigned) mode & 07777;
    }

    fd = (int) syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));

    if (fd == -1) {
        /* EXDEV: the path leads out of the root */
        return errno == EXDEV ? -EACCES : -errno;
    }

    return fd;
}


/*
 * For operations on a name itself (unlink, rename, mkdir, symlink, ...):
 * an O_PATH fd of the directory that holds the last component, opened
 * beneath the root like any path, and that component (no '/', at most
 * NAME_MAX bytes) in "name".  The caller then uses the *at() call with
 * the fd and the name, which cannot leave the directory.  A path that
 * is a root itself, or its "..", is outside: -EACCES.  Other names "."
 * and ".." are left to the callers, which refuse them.
 */

int
nv8__fs_open_parent(nv8_runtime_t *rt, const char *path, char *name)
{
    int          rc, fd, dirfd;
    char         dir[PATH_MAX], buf[PATH_MAX];
    size_t       len, n;
    struct stat  st, rst;
    const char  *slash, *rel;

    len = strlen(path);

    if (len == 0) {
        return -ENOENT;
    }

    if (len >= PATH_MAX) {
        return -ENAMETOOLONG;
    }

    while (len > 1 && path[len - 1] == '/') {
        len--;
    }

    memcpy(dir, path, len);
    dir[len] = '\0';

    slash = memrchr(dir, '/', len);

    if (slash == NULL) {
        n = len;
        memcpy(name, dir, n);
        strcpy(dir, ".");

    } else {
        n = len - (slash - dir) - 1;

        if (n == 0) {
            return -EBUSY;                  /* "/" */
        }

        if (n > NAME_MAX) {
            return -ENAMETOOLONG;
        }

        memmove(name, slash + 1, n);

        if (slash == dir) {
            dir[1] = '\0';                  /* "/name" */

        } else {
            dir[slash - dir] = '\0';
        }
    }

    if (n > NAME_MAX) {
        return -ENAMETOOLONG;
    }

    name[n] = '\0';

    if (rt->fs_nroots == 0) {
        return nv8__fs_open(rt, dir, O_PATH | O_DIRECTORY, 0);
    }

    /* the path itself must be beneath a root, not just its parent */
    rc = nv8_fs_locate(rt, path, buf, &dirfd, &rel);
    if (rc != 0) {
        return rc;
    }

    if (strcmp(rel, ".") == 0) {
        return -EACCES;
    }

    fd = nv8__fs_open(rt, dir, O_PATH | O_DIRECTORY, 0);

    /* "root/.." names the root's parent */
    if (fd >= 0 && strcmp(name, "..") == 0
        && fstat(fd, &st) == 0 && fstat(dirfd, &rst) == 0
        && st.st_dev == rst.st_dev && st.st_ino == rst.st_ino)
    {
        close(fd);
        return -EACCES;
    }

    return fd;
}


/*
 * How deep the directory "fd" lies beneath the root that "path" is
 * addressed in: 0 for the root itself, -1 if that cannot be told.  Used
 * to keep symlink targets inside the roots.
 */

int
nv8__fs_depth(nv8_runtime_t *rt, const char *path, int fd)
{
    int          dirfd, depth, rc;
    char         link[64], real[PATH_MAX], buf[PATH_MAX];
    size_t       i, len;
    ssize_t      n;
    const char  *rel, *p;

    rc = nv8_fs_locate(rt, path, buf, &dirfd, &rel);
    if (rc != 0 || rt->fs_nroots == 0) {
        return -1;
    }

    for (i = 0; i < rt->fs_nroots; i++) {
        if (rt->fs_roots[i].fd == dirfd) {
            break;
        }
    }

    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);

    n = readlink(link, real, sizeof(real) - 1);
    if (n <= 0 || i == rt->fs_nroots) {
        return -1;
    }

    real[n] = '\0';
    len = rt->fs_roots[i].len;

    if ((size_t) n < len || strncmp(real, rt->fs_roots[i].path, len) != 0
        || (real[len] != '/' && real[len] != '\0'))
    {
        return -1;
    }

    depth = 0;

    for (p = real + len; *p; p++) {
        if (*p == '/' && p[1] != '\0' && p[1] != '/') {
            depth++;
        }
    }

    return depth;
}
