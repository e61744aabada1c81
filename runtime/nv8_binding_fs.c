
/*
 * Copyright (C) nv8 contributors
 *
 * fs: file work on libuv's thread pool.  work callbacks touch only the
 * request struct; completions settle the promise on the loop thread.
 */


#ifndef _GNU_SOURCE
#define _GNU_SOURCE                  /* O_PATH, AT_EMPTY_PATH */
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nv8_internal.h"


typedef struct {
    uv_work_t                 work;
    nv8_runtime_t            *rt;
    nv8_promise_t            *promise;
    char                     *path;
    int                       err;
    int                       lstat;
    const char               *syscall;
    unsigned char            *data;
    size_t                    len;
    struct stat               st;
} nv8_fs_req_t;


static nv8_int_t nv8_fs_read_file(nv8_call_t *call);
static nv8_int_t nv8_fs_stat(nv8_call_t *call);
static nv8_int_t nv8_fs_errname(nv8_call_t *call);
static nv8_int_t nv8_fs_submit(nv8_call_t *call, uv_work_cb work,
    uv_after_work_cb done);
static void nv8_fs_read_file_work(uv_work_t *work);
static void nv8_fs_read_file_done(uv_work_t *work, int status);
static void nv8_fs_stat_work(uv_work_t *work);
static void nv8_fs_stat_done(uv_work_t *work, int status);
static nv8_int_t nv8_fs_finish(nv8_fs_req_t *req, int status);


#define NV8_FS_LSTAT  1


static const nv8_method_t  nv8_fs_methods[] = {

    { "readFile",   nv8_fs_read_file,   0 },
    { "stat",       nv8_fs_stat,        0 },
    { "lstat",      nv8_fs_stat,        NV8_FS_LSTAT },
    { "errname",    nv8_fs_errname,     0 },
    { "strerror",   nv8_fs_errname,     1 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  nv8_fs_binding = {
    "fs",
    nv8_fs_methods
};


static nv8_int_t
nv8_fs_read_file(nv8_call_t *call)
{
    return nv8_fs_submit(call, nv8_fs_read_file_work, nv8_fs_read_file_done);
}


static nv8_int_t
nv8_fs_stat(nv8_call_t *call)
{
    return nv8_fs_submit(call, nv8_fs_stat_work, nv8_fs_stat_done);
}


static nv8_int_t
nv8_fs_errname(nv8_call_t *call)
{
    double       code;
    const char  *s;

    if (nv8_arg_number(call, 0, &code) != NV8_OK) {
        return NV8_ERROR;
    }

    s = nv8_call_magic(call) ? uv_strerror((int) code)
                             : uv_err_name((int) code);

    nv8_return_string(call, s, strlen(s));

    return NV8_OK;
}


static nv8_int_t
nv8_fs_submit(nv8_call_t *call, uv_work_cb work, uv_after_work_cb done)
{
    int             rc;
    nv8_str_t       path;
    nv8_fs_req_t   *req;
    nv8_runtime_t  *rt;

    rt = nv8_call_runtime(call);

    if (nv8_arg_string(call, 0, &path) != NV8_OK) {
        return NV8_ERROR;
    }

    if (memchr(path.data, '\0', path.len) != NULL) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_VALUE",
                         "path must be a string without null bytes");
    }

    req = calloc(1, sizeof(nv8_fs_req_t) + path.len + 1);
    if (req == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    req->rt = rt;
    req->path = (char *) &req[1];
    memcpy(req->path, path.data, path.len + 1);
    req->work.data = req;
    req->lstat = (nv8_call_magic(call) == NV8_FS_LSTAT);

    req->promise = nv8_promise_create(call);
    if (req->promise == NULL) {
        free(req);
        return NV8_ERROR;
    }

    rc = uv_queue_work(&rt->loop, &req->work, work, done);
    if (rc != 0) {
        nv8_promise_reject_errno(req->promise, rc, "uv_queue_work");
        free(req);
        return NV8_OK;
    }

    rt->work++;

    return NV8_OK;
}


/* runs on the thread pool */
static void
nv8_fs_read_file_work(uv_work_t *work)
{
    int             fd;
    size_t          size;
    ssize_t         n;
    nv8_fs_req_t   *req;
    unsigned char  *p;

    req = work->data;

    fd = nv8__fs_open(req->rt, req->path, O_RDONLY);
    if (fd < 0) {
        req->err = fd;
        req->syscall = "open";
        return;
    }

    if (fstat(fd, &req->st) == -1) {
        req->err = -errno;
        req->syscall = "fstat";
        goto done;
    }

    size = S_ISREG(req->st.st_mode) && req->st.st_size > 0
           ? (size_t) req->st.st_size : 65536;

    req->data = malloc(size);
    if (req->data == NULL) {
        req->err = UV_ENOMEM;
        req->syscall = "read";
        goto done;
    }

    for ( ;; ) {
        if (req->len == size) {
            p = realloc(req->data, size * 2);
            if (p == NULL) {
                req->err = UV_ENOMEM;
                req->syscall = "read";
                goto done;
            }

            req->data = p;
            size *= 2;
        }

        n = read(fd, req->data + req->len, size - req->len);

        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }

            req->err = -errno;
            req->syscall = "read";
            goto done;
        }

        if (n == 0) {
            break;
        }

        req->len += n;
    }

done:

    close(fd);
}


static void
nv8_fs_read_file_done(uv_work_t *work, int status)
{
    nv8_fs_req_t  *req;

    req = work->data;

    if (nv8_fs_finish(req, status) == NV8_OK) {
        /* the ArrayBuffer takes over req->data */
        nv8_promise_resolve_bytes(req->promise, req->data, req->len);
        req->data = NULL;
    }

    free(req->data);
    free(req);
}


/* runs on the thread pool */
static void
nv8_fs_stat_work(uv_work_t *work)
{
    int            rc, fd;
    nv8_fs_req_t  *req;

    req = work->data;

    req->syscall = req->lstat ? "lstat" : "stat";

    /* O_PATH: no read permission needed; with O_NOFOLLOW, the link */
    fd = nv8__fs_open(req->rt, req->path,
                      O_PATH | (req->lstat ? O_NOFOLLOW : 0));
    if (fd < 0) {
        req->err = fd;
        return;
    }

    rc = fstatat(fd, "", &req->st, AT_EMPTY_PATH);
    if (rc == -1) {
        req->err = -errno;
    }

    close(fd);
}


static void
nv8_fs_stat_done(uv_work_t *work, int status)
{
    double         v[14];
    nv8_fs_req_t  *req;
    struct stat   *st;

    req = work->data;
    st = &req->st;

    if (nv8_fs_finish(req, status) == NV8_OK) {
        v[0] = st->st_dev;
        v[1] = st->st_mode;
        v[2] = st->st_nlink;
        v[3] = st->st_uid;
        v[4] = st->st_gid;
        v[5] = st->st_rdev;
        v[6] = st->st_blksize;
        v[7] = st->st_ino;
        v[8] = st->st_size;
        v[9] = st->st_blocks;
        v[10] = st->st_atim.tv_sec * 1e3 + st->st_atim.tv_nsec / 1e6;
        v[11] = st->st_mtim.tv_sec * 1e3 + st->st_mtim.tv_nsec / 1e6;
        v[12] = st->st_ctim.tv_sec * 1e3 + st->st_ctim.tv_nsec / 1e6;
        v[13] = v[12];

        nv8_promise_resolve_numbers(req->promise, v, 14);
    }

    free(req);
}


/* settles failures; NV8_OK means "resolve it" */
static nv8_int_t
nv8_fs_finish(nv8_fs_req_t *req, int status)
{
    req->rt->work--;

    if (req->rt->destroying) {
        nv8_promise_drop(req->promise);
        return NV8_DONE;
    }

    if (status == UV_ECANCELED) {
        nv8_promise_reject_errno(req->promise, status, "uv_queue_work");
        return NV8_DONE;
    }

    if (req->err) {
        nv8_promise_reject_errno(req->promise, req->err, req->syscall);
        return NV8_DONE;
    }

    return NV8_OK;
}
