
/*
 * Copyright (C) nv8 contributors
 *
 * fs: the file operations of node:fs.  Each operation is a work function
 * that reads and writes only its request struct, so one code path serves
 * both forms of a method: "name" queues the work on libuv's thread pool
 * and returns a promise that the completion settles on the loop thread;
 * "nameSync" runs it at once on the calling thread and returns the
 * result or throws [errno, syscall].  lib/ turns those into Node's values
 * and errors.
 *
 * Every path goes through nv8_fs_roots.c: files are opened beneath a
 * root with openat2(RESOLVE_BENEATH), and operations on a name (unlink,
 * rename, mkdir, symlink, link, ...) open the directory that holds it
 * that way and use the *at() call on the name.  No system call here is
 * given a user's path as it is.
 *
 * Descriptors JS opens are listed in a table per runtime, and fd methods
 * accept only those: JS cannot reach nginx's sockets or logs by number.
 * An operation in flight holds a reference on its fd; close() marks the
 * fd closing (later calls get EBADF) and closes it when the references
 * are gone, so a descriptor number is never reused under a pending read.
 * What is still open when the runtime goes is closed then.
 */


#ifndef _GNU_SOURCE
#define _GNU_SOURCE                  /* O_PATH, AT_EMPTY_PATH, statx() */
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "nv8_internal.h"


#define NV8_FS_SYNC        0x100      /* magic: the *Sync form */

#define NV8_FS_NONE        0          /* results */
#define NV8_FS_NUMBERS     1
#define NV8_FS_BYTES       2

#define NV8_FS_FD_OPEN     1
#define NV8_FS_FD_CLOSING  2

#define NV8_FS_STAT_N      18

/* Node's UV_DIRENT_* */
#define NV8_FS_DT_UNKNOWN  0
#define NV8_FS_DT_FILE     1
#define NV8_FS_DT_DIR      2
#define NV8_FS_DT_LINK     3
#define NV8_FS_DT_FIFO     4
#define NV8_FS_DT_SOCKET   5
#define NV8_FS_DT_CHAR     6
#define NV8_FS_DT_BLOCK    7

/* Node's fs.constants.COPYFILE_* */
#define NV8_FS_COPY_EXCL   1
#define NV8_FS_COPY_CLONE  2
#define NV8_FS_COPY_FORCE  4


typedef struct nv8_fs_req_s  nv8_fs_req_t;

typedef struct {
    /*
     * Arguments, one letter each: p a path (the first, then "path2"), f
     * an fd of the table, n a number (into num[0..3] in order), d bytes
     * to write (copied for the pool; in place for Sync), v a view to
     * read into (in place for Sync; for the pool only its length counts
     * and the bytes read come back).
     */
    const char               *args;
    void                    (*work)(nv8_fs_req_t *req);
    void                    (*after)(nv8_fs_req_t *req);  /* loop thread */
    const char               *syscall;
    int                       result;
} nv8_fs_op_t;


struct nv8_fs_req_s {
    uv_work_t                 work;
    nv8_runtime_t            *rt;
    nv8_promise_t            *promise;
    const nv8_fs_op_t        *op;
    char                     *path;         /* malloc()ed */
    char                     *path2;        /* malloc()ed */
    int                       fd;
    unsigned                  sync:1;
    unsigned                  held:1;       /* a reference on fd */
    unsigned                  owned:1;      /* buf is malloc()ed */
    unsigned                  deferred:1;   /* close waits for refs */
    int                       result;
    double                    arg[4];
    unsigned char            *buf;          /* data for read and write */
    size_t                    size;
    unsigned char            *data;         /* BYTES result, malloc()ed */
    size_t                    len;
    double                    num[NV8_FS_STAT_N];
    size_t                    nnum;
    uint64_t                  gen;          /* close: the fd's generation */
    int                       err;          /* -errno */
    const char               *syscall;
};


typedef struct {
    uint64_t                  gen;
    uint32_t                  refs;
    unsigned                  state;
    nv8_fs_req_t             *close;        /* a close() waiting for refs */
} nv8_fs_fd_t;


/* a FileHandle's fd, closed if the handle is collected while open */
typedef struct {
    nv8_runtime_t            *rt;
    int                       fd;
    uint64_t                  gen;
} nv8_fs_watch_t;


typedef struct {
    nv8_fs_fd_t              *fds;          /* indexed by fd */
    size_t                    n;
    uint64_t                  gen;
} nv8_fs_t;


enum {
    NV8_FS_OPEN = 0,
    NV8_FS_CLOSE,
    NV8_FS_READ,
    NV8_FS_READ_BYTES,
    NV8_FS_WRITE,
    NV8_FS_READ_ALL,
    NV8_FS_READ_FILE,
    NV8_FS_WRITE_FILE,
    NV8_FS_STAT,
    NV8_FS_LSTAT,
    NV8_FS_FSTAT,
    NV8_FS_ACCESS,
    NV8_FS_READDIR,
    NV8_FS_MKDIR,
    NV8_FS_RMDIR,
    NV8_FS_RM,
    NV8_FS_UNLINK,
    NV8_FS_RENAME,
    NV8_FS_LINK,
    NV8_FS_SYMLINK,
    NV8_FS_COPY_FILE,
    NV8_FS_REALPATH,
    NV8_FS_READLINK,
    NV8_FS_TRUNCATE,
    NV8_FS_FTRUNCATE,
    NV8_FS_UTIMES,
    NV8_FS_LUTIMES,
    NV8_FS_FUTIMES,
    NV8_FS_FSYNC,
    NV8_FS_FDATASYNC,
    NV8_FS_MKDTEMP,
    NV8_FS_CHMOD,
    NV8_FS_FCHMOD
};


static nv8_int_t nv8_fs_call(nv8_call_t *call);
static nv8_int_t nv8_fs_errname(nv8_call_t *call);
static nv8_int_t nv8_fs_watch(nv8_call_t *call);
static void nv8_fs_gone(void *data, int collected);
static nv8_int_t nv8_fs_args(nv8_call_t *call, nv8_fs_req_t *req);
static nv8_int_t nv8_fs_arg_path(nv8_call_t *call, size_t i, char **out);
static nv8_int_t nv8_fs_sync_result(nv8_call_t *call, nv8_fs_req_t *req);
static void nv8_fs_pool_work(uv_work_t *work);
static void nv8_fs_pool_done(uv_work_t *work, int status);
static void nv8_fs_settle(nv8_fs_req_t *req);
static void nv8_fs_req_free(nv8_fs_req_t *req);
static nv8_fs_t *nv8_fs_state(nv8_runtime_t *rt);
static int nv8_fs_fd_add(nv8_runtime_t *rt, int fd);
static nv8_fs_fd_t *nv8_fs_fd_find(nv8_runtime_t *rt, int fd);
static void nv8_fs_fd_release(nv8_runtime_t *rt, int fd);
static int nv8_fs_read_fd(nv8_fs_req_t *req, int fd);
static int nv8_fs_write_fd(int fd, const unsigned char *p, size_t n,
    int64_t pos, size_t *written);
static int nv8_fs_stat_fd(nv8_fs_req_t *req, int fd, int flags);
static int nv8_fs_dots(const char *name);
static int nv8_fs_proc_path(int fd, char *buf, size_t size);
static int nv8_fs_mkdir_one(nv8_runtime_t *rt, const char *path, int mode);
static int nv8_fs_is_dir(nv8_runtime_t *rt, const char *path);
static int nv8_fs_rm_tree(int dfd, const char *name, const char **syscall);
static int nv8_fs_copy(int in, int out, int mode, size_t size);
static int nv8_fs_target_inside(nv8_runtime_t *rt, const char *target,
    const char *path, int pfd);
static void nv8_fs_timespec(double t, struct timespec *ts);

static void nv8_fs_open_work(nv8_fs_req_t *req);
static void nv8_fs_open_after(nv8_fs_req_t *req);
static void nv8_fs_close_work(nv8_fs_req_t *req);
static void nv8_fs_close_after(nv8_fs_req_t *req);
static void nv8_fs_read_work(nv8_fs_req_t *req);
static void nv8_fs_read_bytes_work(nv8_fs_req_t *req);
static void nv8_fs_write_work(nv8_fs_req_t *req);
static void nv8_fs_read_all_work(nv8_fs_req_t *req);
static void nv8_fs_read_file_work(nv8_fs_req_t *req);
static void nv8_fs_write_file_work(nv8_fs_req_t *req);
static void nv8_fs_stat_work(nv8_fs_req_t *req);
static void nv8_fs_fstat_work(nv8_fs_req_t *req);
static void nv8_fs_access_work(nv8_fs_req_t *req);
static void nv8_fs_readdir_work(nv8_fs_req_t *req);
static void nv8_fs_mkdir_work(nv8_fs_req_t *req);
static void nv8_fs_rmdir_work(nv8_fs_req_t *req);
static void nv8_fs_rm_work(nv8_fs_req_t *req);
static void nv8_fs_unlink_work(nv8_fs_req_t *req);
static void nv8_fs_rename_work(nv8_fs_req_t *req);
static void nv8_fs_symlink_work(nv8_fs_req_t *req);
static void nv8_fs_copy_file_work(nv8_fs_req_t *req);
static void nv8_fs_realpath_work(nv8_fs_req_t *req);
static void nv8_fs_readlink_work(nv8_fs_req_t *req);
static void nv8_fs_truncate_work(nv8_fs_req_t *req);
static void nv8_fs_ftruncate_work(nv8_fs_req_t *req);
static void nv8_fs_utimes_work(nv8_fs_req_t *req);
static void nv8_fs_futimes_work(nv8_fs_req_t *req);
static void nv8_fs_fsync_work(nv8_fs_req_t *req);
static void nv8_fs_mkdtemp_work(nv8_fs_req_t *req);
static void nv8_fs_chmod_work(nv8_fs_req_t *req);
static void nv8_fs_fchmod_work(nv8_fs_req_t *req);


/* indexed by the NV8_FS_* operation */
static const nv8_fs_op_t  nv8_fs_ops[] = {

    { "pnn",  nv8_fs_open_work,       nv8_fs_open_after,  "open",
      NV8_FS_NUMBERS },
    { "",     nv8_fs_close_work,      nv8_fs_close_after, "close",
      NV8_FS_NONE },
    { "fvn",  nv8_fs_read_work,       NULL,               "read",
      NV8_FS_BYTES },
    { "fnn",  nv8_fs_read_bytes_work, NULL,               "read",
      NV8_FS_BYTES },
    { "fdn",  nv8_fs_write_work,      NULL,               "write",
      NV8_FS_NUMBERS },
    { "f",    nv8_fs_read_all_work,   NULL,               "read",
      NV8_FS_BYTES },
    { "pn",   nv8_fs_read_file_work,  NULL,               "open",
      NV8_FS_BYTES },
    { "pdnn", nv8_fs_write_file_work, NULL,               "open",
      NV8_FS_NONE },
    { "p",    nv8_fs_stat_work,       NULL,               "stat",
      NV8_FS_NUMBERS },
    { "p",    nv8_fs_stat_work,       NULL,               "lstat",
      NV8_FS_NUMBERS },
    { "f",    nv8_fs_fstat_work,      NULL,               "fstat",
      NV8_FS_NUMBERS },
    { "pn",   nv8_fs_access_work,     NULL,               "access",
      NV8_FS_NONE },
    { "p",    nv8_fs_readdir_work,    NULL,               "scandir",
      NV8_FS_BYTES },
    { "pnn",  nv8_fs_mkdir_work,      NULL,               "mkdir",
      NV8_FS_BYTES },
    { "p",    nv8_fs_rmdir_work,      NULL,               "rmdir",
      NV8_FS_NONE },
    { "pnn",  nv8_fs_rm_work,         NULL,               "rm",
      NV8_FS_NONE },
    { "p",    nv8_fs_unlink_work,     NULL,               "unlink",
      NV8_FS_NONE },
    { "pp",   nv8_fs_rename_work,     NULL,               "rename",
      NV8_FS_NONE },
    { "pp",   nv8_fs_rename_work,     NULL,               "link",
      NV8_FS_NONE },
    { "pp",   nv8_fs_symlink_work,    NULL,               "symlink",
      NV8_FS_NONE },
    { "ppn",  nv8_fs_copy_file_work,  NULL,               "copyfile",
      NV8_FS_NONE },
    { "p",    nv8_fs_realpath_work,   NULL,               "realpath",
      NV8_FS_BYTES },
    { "p",    nv8_fs_readlink_work,   NULL,               "readlink",
      NV8_FS_BYTES },
    { "pn",   nv8_fs_truncate_work,   NULL,               "open",
      NV8_FS_NONE },
    { "fn",   nv8_fs_ftruncate_work,  NULL,               "ftruncate",
      NV8_FS_NONE },
    { "pnn",  nv8_fs_utimes_work,     NULL,               "utime",
      NV8_FS_NONE },
    { "pnn",  nv8_fs_utimes_work,     NULL,               "lutime",
      NV8_FS_NONE },
    { "fnn",  nv8_fs_futimes_work,    NULL,               "futime",
      NV8_FS_NONE },
    { "f",    nv8_fs_fsync_work,      NULL,               "fsync",
      NV8_FS_NONE },
    { "f",    nv8_fs_fsync_work,      NULL,               "fdatasync",
      NV8_FS_NONE },
    { "p",    nv8_fs_mkdtemp_work,    NULL,               "mkdtemp",
      NV8_FS_BYTES },
    { "pn",   nv8_fs_chmod_work,      NULL,               "chmod",
      NV8_FS_NONE },
    { "fn",   nv8_fs_fchmod_work,     NULL,               "fchmod",
      NV8_FS_NONE }
};


#define nv8_fs_method(name, op)                                               \
    { name, nv8_fs_call, op },                                                \
    { name "Sync", nv8_fs_call, (op) | NV8_FS_SYNC }

static const nv8_method_t  nv8_fs_methods[] = {

    nv8_fs_method("open", NV8_FS_OPEN),
    nv8_fs_method("close", NV8_FS_CLOSE),
    nv8_fs_method("read", NV8_FS_READ),
    nv8_fs_method("readBytes", NV8_FS_READ_BYTES),
    nv8_fs_method("write", NV8_FS_WRITE),
    nv8_fs_method("readAll", NV8_FS_READ_ALL),
    nv8_fs_method("readFile", NV8_FS_READ_FILE),
    nv8_fs_method("writeFile", NV8_FS_WRITE_FILE),
    nv8_fs_method("stat", NV8_FS_STAT),
    nv8_fs_method("lstat", NV8_FS_LSTAT),
    nv8_fs_method("fstat", NV8_FS_FSTAT),
    nv8_fs_method("access", NV8_FS_ACCESS),
    nv8_fs_method("readdir", NV8_FS_READDIR),
    nv8_fs_method("mkdir", NV8_FS_MKDIR),
    nv8_fs_method("rmdir", NV8_FS_RMDIR),
    nv8_fs_method("rm", NV8_FS_RM),
    nv8_fs_method("unlink", NV8_FS_UNLINK),
    nv8_fs_method("rename", NV8_FS_RENAME),
    nv8_fs_method("link", NV8_FS_LINK),
    nv8_fs_method("symlink", NV8_FS_SYMLINK),
    nv8_fs_method("copyFile", NV8_FS_COPY_FILE),
    nv8_fs_method("realpath", NV8_FS_REALPATH),
    nv8_fs_method("readlink", NV8_FS_READLINK),
    nv8_fs_method("truncate", NV8_FS_TRUNCATE),
    nv8_fs_method("ftruncate", NV8_FS_FTRUNCATE),
    nv8_fs_method("utimes", NV8_FS_UTIMES),
    nv8_fs_method("lutimes", NV8_FS_LUTIMES),
    nv8_fs_method("futimes", NV8_FS_FUTIMES),
    nv8_fs_method("fsync", NV8_FS_FSYNC),
    nv8_fs_method("fdatasync", NV8_FS_FDATASYNC),
    nv8_fs_method("mkdtemp", NV8_FS_MKDTEMP),
    nv8_fs_method("chmod", NV8_FS_CHMOD),
    nv8_fs_method("fchmod", NV8_FS_FCHMOD),
    { "watch",      nv8_fs_watch,       0 },
    { "errname",    nv8_fs_errname,     0 },
    { "strerror",   nv8_fs_errname,     1 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  nv8_fs_binding = {
    "fs",
    nv8_fs_methods
};


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


/*
 * watch(fileHandle, fd): if the FileHandle is garbage-collected while its
 * fd is still open, the fd is closed, as Node does (with its warning).
 */

static nv8_int_t
nv8_fs_watch(nv8_call_t *call)
{
    double           n;
    nv8_fs_fd_t     *e;
    nv8_fs_watch_t  *w;

    if (nv8_arg_number(call, 1, &n) != NV8_OK) {
        return NV8_ERROR;
    }

    e = nv8_fs_fd_find(nv8_call_runtime(call), (int) n);
    if (e == NULL) {
        return NV8_OK;
    }

    w = malloc(sizeof(nv8_fs_watch_t));
    if (w == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    w->rt = nv8_call_runtime(call);
    w->fd = (int) n;
    w->gen = e->gen;

    if (nv8_arg_weak(call, 0, nv8_fs_gone, w) != NV8_OK) {
        free(w);
        return NV8_ERROR;
    }

    return NV8_OK;
}


/*
 * Inside V8's GC, on the loop thread: no JS.  The generation tells
 * whether the fd is still the one the handle opened (an explicit close()
 * ends it); with work in flight on it, the last reference closes it.
 */

static void
nv8_fs_gone(void *data, int collected)
{
    nv8_fs_t        *fs;
    nv8_fs_fd_t     *e;
    nv8_fs_watch_t  *w = data;

    fs = w->rt->fs;

    if (collected && !w->rt->destroying && fs != NULL
        && (size_t) w->fd < fs->n)
    {
        e = &fs->fds[w->fd];

        if (e->gen == w->gen && e->state == NV8_FS_FD_OPEN) {
            e->state = NV8_FS_FD_CLOSING;

            if (e->refs == 0) {
                close(w->fd);
                e->state = 0;
            }

            /* Node's words, as process.emitWarning() logs them */
            nv8__log(w->rt, NV8_LOG_WARN, 0, "js: (nv8) Warning: Closing "
                     "file descriptor %d on garbage collection", w->fd);
        }
    }

    free(w);
}


/* every operation, both forms */

static nv8_int_t
nv8_fs_call(nv8_call_t *call)
{
    int             rc;
    nv8_int_t       magic;
    nv8_fs_req_t   *req;
    nv8_runtime_t  *rt;

    rt = nv8_call_runtime(call);
    magic = nv8_call_magic(call);

    req = calloc(1, sizeof(nv8_fs_req_t));
    if (req == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    req->rt = rt;
    req->op = &nv8_fs_ops[magic & 0xff];
    req->sync = (magic & NV8_FS_SYNC) ? 1 : 0;
    req->result = req->op->result;
    req->syscall = req->op->syscall;
    req->fd = -1;
    req->work.data = req;

    if (nv8_fs_args(call, req) != NV8_OK) {
        if (req->held) {
            nv8_fs_fd_release(rt, req->fd);
        }

        nv8_fs_req_free(req);
        return NV8_ERROR;
    }

    if (req->sync) {
        if (req->err == 0 && !req->deferred) {
            req->op->work(req);
        }

        return nv8_fs_sync_result(call, req);
    }

    req->promise = nv8_promise_create(call);
    if (req->promise == NULL) {
        if (req->held) {
            nv8_fs_fd_release(rt, req->fd);
        }

        nv8_fs_req_free(req);
        return NV8_ERROR;
    }

    if (req->deferred) {
        /* a close() that the last reference on the fd will queue */
        ((nv8_fs_t *) rt->fs)->fds[req->fd].close = req;
        return NV8_OK;
    }

    if (req->err != 0) {
        nv8_fs_settle(req);
        return NV8_OK;
    }

    rc = uv_queue_work(&rt->loop, &req->work, nv8_fs_pool_work,
                       nv8_fs_pool_done);
    if (rc != 0) {
        req->err = rc;
        req->syscall = "uv_queue_work";
        nv8_fs_settle(req);
        return NV8_OK;
    }

    rt->work++;

    return NV8_OK;
}


static nv8_int_t
nv8_fs_args(nv8_call_t *call, nv8_fs_req_t *req)
{
    int            fd;
    size_t         i, k, size;
    double         n;
    const char    *a;
    nv8_fs_fd_t   *e;

    k = 0;

    for (i = 0, a = req->op->args; *a; i++, a++) {

        switch (*a) {

        case 'p':
            if (nv8_fs_arg_path(call, i, req->path ? &req->path2 : &req->path)
                != NV8_OK)
            {
                return NV8_ERROR;
            }

            break;

        case 'n':
            if (nv8_arg_is_nullish(call, i)) {
                req->arg[k++] = -1;
                break;
            }

            if (nv8_arg_number(call, i, &req->arg[k++]) != NV8_OK) {
                return NV8_ERROR;
            }

            break;

        case 'f':
            if (nv8_arg_number(call, i, &n) != NV8_OK) {
                return NV8_ERROR;
            }

            fd = (int) n;

            if (nv8_fs_fd_find(req->rt, fd) == NULL || n != fd) {
                req->err = UV_EBADF;
                break;
            }

            req->fd = fd;
            req->held = 1;
            nv8_fs_fd_find(req->rt, fd)->refs++;
            break;

        case 'd':
            if (req->sync) {
                /* lib/ passes a view: written in place */
                if (nv8_arg_bytes_data(call, i, &req->buf, &req->size)
                    != NV8_OK)
                {
                    return NV8_ERROR;
                }

                break;
            }

            if (nv8_arg_bytes_size(call, i, &size) != NV8_OK) {
                return NV8_ERROR;
            }

            req->buf = malloc(size ? size : 1);
            if (req->buf == NULL) {
                return nv8_throw(call, NV8_ERROR_RANGE, NULL,
                                 "out of memory");
            }

            req->owned = 1;
            req->size = size;

            if (nv8_arg_bytes_copy(call, i, req->buf, size) != NV8_OK) {
                return NV8_ERROR;
            }

            break;

        case 'v':
            if (nv8_arg_bytes_data(call, i, &req->buf, &req->size)
                != NV8_OK)
            {
                return NV8_ERROR;
            }

            if (req->sync) {
                req->result = NV8_FS_NUMBERS;
                break;
            }

            req->buf = malloc(req->size ? req->size : 1);
            if (req->buf == NULL) {
                return nv8_throw(call, NV8_ERROR_RANGE, NULL,
                                 "out of memory");
            }

            req->owned = 1;
            break;
        }
    }

    if (req->op != &nv8_fs_ops[NV8_FS_CLOSE]) {
        return NV8_OK;
    }

    /* close(fd): no reference; the fd leaves the table's open state now */

    if (nv8_arg_number(call, 0, &n) != NV8_OK) {
        return NV8_ERROR;
    }

    fd = (int) n;
    e = nv8_fs_fd_find(req->rt, fd);

    if (e == NULL || n != fd) {
        req->err = UV_EBADF;
        return NV8_OK;
    }

    req->fd = fd;
    req->gen = e->gen;
    e->state = NV8_FS_FD_CLOSING;

    /* with work in flight on it, the last reference closes it */
    req->deferred = (e->refs > 0);

    return NV8_OK;
}


/* a string or bytes (a Buffer path), as a C string without NULs */

static nv8_int_t
nv8_fs_arg_path(nv8_call_t *call, size_t i, char **out)
{
    char    *p;
    size_t   size;

    if (nv8_arg_bytes_size(call, i, &size) != NV8_OK) {
        return NV8_ERROR;
    }

    p = malloc(size + 1);
    if (p == NULL) {
        return nv8_throw(call, NV8_ERROR_RANGE, NULL, "out of memory");
    }

    *out = p;

    if (nv8_arg_bytes_copy(call, i, (unsigned char *) p, size) != NV8_OK) {
        return NV8_ERROR;
    }

    p[size] = '\0';

    if (memchr(p, '\0', size) != NULL) {
        return nv8_throw(call, NV8_ERROR_TYPE, "ERR_INVALID_ARG_VALUE",
                         "path must be a string or Uint8Array without "
                         "null bytes");
    }

    return NV8_OK;
}


static nv8_int_t
nv8_fs_sync_result(nv8_call_t *call, nv8_fs_req_t *req)
{
    int        err;
    nv8_int_t  rc;

    if (req->op->after && !req->deferred) {
        req->op->after(req);
    }

    if (req->held) {
        nv8_fs_fd_release(req->rt, req->fd);
    }

    rc = NV8_OK;
    err = req->err;

    if (err != 0) {
        rc = nv8_throw_errno(call, err, req->syscall);

    } else if (req->result == NV8_FS_NUMBERS) {
        nv8_return_numbers(call, req->num, req->nnum);

    } else if (req->result == NV8_FS_BYTES) {
        nv8_return_bytes(call, req->data, req->len);
    }

    nv8_fs_req_free(req);

    return rc;
}


/* runs on the thread pool */
static void
nv8_fs_pool_work(uv_work_t *work)
{
    nv8_fs_req_t  *req = work->data;

    req->op->work(req);
}


static void
nv8_fs_pool_done(uv_work_t *work, int status)
{
    nv8_fs_req_t   *req = work->data;
    nv8_runtime_t  *rt = req->rt;

    rt->work--;

    if (status == UV_ECANCELED) {
        /* the work never ran: a close must still happen */
        if (req->op == &nv8_fs_ops[NV8_FS_CLOSE]) {
            nv8_fs_close_work(req);

        } else if (req->err == 0) {
            req->err = status;
            req->syscall = "uv_queue_work";
        }
    }

    if (req->op->after) {
        req->op->after(req);
    }

    if (req->held) {
        req->held = 0;
        nv8_fs_fd_release(rt, req->fd);
    }

    if (rt->destroying) {
        nv8_promise_drop(req->promise);
        nv8_fs_req_free(req);
        return;
    }

    nv8_fs_settle(req);
}


/* settles and frees the request */

static void
nv8_fs_settle(nv8_fs_req_t *req)
{
    nv8_promise_t  *p;

    p = req->promise;

    if (req->held) {
        req->held = 0;
        nv8_fs_fd_release(req->rt, req->fd);
    }

    if (req->err != 0) {
        nv8_promise_reject_errno(p, req->err, req->syscall);

    } else if (req->result == NV8_FS_NUMBERS) {
        nv8_promise_resolve_numbers(p, req->num, req->nnum);

    } else if (req->result == NV8_FS_BYTES) {
        if (req->data == NULL) {
            req->data = malloc(1);
        }

        if (req->data == NULL) {
            nv8_promise_reject_errno(p, UV_ENOMEM, req->syscall);

        } else {
            /* the ArrayBuffer takes over req->data */
            nv8_promise_resolve_bytes(p, req->data, req->len);
            req->data = NULL;
        }

    } else {
        nv8_promise_resolve_numbers(p, NULL, 0);
    }

    nv8_fs_req_free(req);
}


static void
nv8_fs_req_free(nv8_fs_req_t *req)
{
    if (req == NULL) {
        return;
    }

    if (req->owned) {
        free(req->buf);
    }

    free(req->path);
    free(req->path2);
    free(req->data);
    free(req);
}


/* the descriptor table */

static nv8_fs_t *
nv8_fs_state(nv8_runtime_t *rt)
{
    if (rt->fs == NULL) {
        rt->fs = calloc(1, sizeof(nv8_fs_t));
    }

    return rt->fs;
}


static int
nv8_fs_fd_add(nv8_runtime_t *rt, int fd)
{
    size_t        n;
    nv8_fs_t     *fs;
    nv8_fs_fd_t  *fds;

    fs = nv8_fs_state(rt);
    if (fs == NULL || fd < 0) {
        return UV_ENOMEM;
    }

    if ((size_t) fd >= fs->n) {
        n = fs->n ? fs->n : 64;

        while (n <= (size_t) fd) {
            n *= 2;
        }

        fds = realloc(fs->fds, n * sizeof(nv8_fs_fd_t));
        if (fds == NULL) {
            return UV_ENOMEM;
        }

        memset(&fds[fs->n], 0, (n - fs->n) * sizeof(nv8_fs_fd_t));
        fs->fds = fds;
        fs->n = n;
    }

    /*
     * The number may still be listed as closing: its close() ran on the
     * pool and the kernel gave the number out again before that close's
     * completion came; the generation tells that completion so.
     */
    fs->fds[fd].gen = ++fs->gen;
    fs->fds[fd].refs = 0;
    fs->fds[fd].state = NV8_FS_FD_OPEN;
    fs->fds[fd].close = NULL;

    return 0;
}


/* an fd JS opened and has not closed */

static nv8_fs_fd_t *
nv8_fs_fd_find(nv8_runtime_t *rt, int fd)
{
    nv8_fs_t  *fs = rt->fs;

    if (fs == NULL || fd < 0 || (size_t) fd >= fs->n
        || fs->fds[fd].state != NV8_FS_FD_OPEN)
    {
        return NULL;
    }

    return &fs->fds[fd];
}


static void
nv8_fs_fd_release(nv8_runtime_t *rt, int fd)
{
    int            rc;
    nv8_fs_t      *fs = rt->fs;
    nv8_fs_fd_t   *e;
    nv8_fs_req_t  *req;

    e = &fs->fds[fd];

    if (--e->refs > 0 || e->state != NV8_FS_FD_CLOSING) {
        return;
    }

    req = e->close;
    e->close = NULL;

    if (req == NULL || rt->destroying) {
        /* closeSync() came while work was in flight */
        close(fd);
        e->state = 0;

        if (req) {
            nv8_promise_drop(req->promise);
            nv8_fs_req_free(req);
        }

        return;
    }

    req->deferred = 0;

    rc = uv_queue_work(&rt->loop, &req->work, nv8_fs_pool_work,
                       nv8_fs_pool_done);
    if (rc != 0) {
        close(fd);
        e->state = 0;
        nv8_fs_settle(req);
        return;
    }

    rt->work++;
}


void
nv8__fs_cleanup(nv8_runtime_t *rt)
{
    size_t     i;
    nv8_fs_t  *fs = rt->fs;

    if (fs == NULL) {
        return;
    }

    for (i = 0; i < fs->n; i++) {
        if (fs->fds[i].state != 0) {
            close((int) i);
        }

        if (fs->fds[i].close) {
            nv8_promise_drop(fs->fds[i].close->promise);
            nv8_fs_req_free(fs->fds[i].close);
        }
    }

    free(fs->fds);
    free(fs);
    rt->fs = NULL;
}


/* the operations; work functions run on the pool or, for Sync, inline */

static void
nv8_fs_open_work(nv8_fs_req_t *req)
{
    int  fd;

    fd = nv8__fs_open(req->rt, req->path, (int) req->arg[0],
                      req->arg[1] < 0 ? 0666 : (int) req->arg[1]);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    req->fd = fd;
    req->num[0] = fd;
    req->nnum = 1;
}


/* on the loop thread: the new fd joins the table, or is closed */

static void
nv8_fs_open_after(nv8_fs_req_t *req)
{
    int  rc;

    if (req->err != 0 || req->fd < 0) {
        return;
    }

    if (req->rt->destroying) {
        close(req->fd);
        return;
    }

    rc = nv8_fs_fd_add(req->rt, req->fd);
    if (rc != 0) {
        close(req->fd);
        req->err = rc;
    }
}


static void
nv8_fs_close_work(nv8_fs_req_t *req)
{
    if (close(req->fd) == -1 && errno != EINTR) {
        req->err = -errno;
    }
}


static void
nv8_fs_close_after(nv8_fs_req_t *req)
{
    nv8_fs_t  *fs = req->rt->fs;

    if (req->fd < 0 || fs == NULL) {
        return;
    }

    if (fs->fds[req->fd].gen == req->gen
        && fs->fds[req->fd].state == NV8_FS_FD_CLOSING)
    {
        fs->fds[req->fd].state = 0;
    }
}


static void
nv8_fs_read_work(nv8_fs_req_t *req)
{
    ssize_t  n;

    do {
        n = req->arg[0] < 0 ? read(req->fd, req->buf, req->size)
                            : pread(req->fd, req->buf, req->size,
                                    (off_t) req->arg[0]);
    } while (n == -1 && errno == EINTR);

    if (n == -1) {
        req->err = -errno;
        return;
    }

    if (req->result == NV8_FS_NUMBERS) {
        req->num[0] = (double) n;
        req->nnum = 1;
        return;
    }

    /* the buffer becomes the result */
    req->data = req->buf;
    req->len = (size_t) n;
    req->buf = NULL;
    req->owned = 0;
}


/* readBytes(fd, length, position): a new buffer of what was read */

static void
nv8_fs_read_bytes_work(nv8_fs_req_t *req)
{
    size_t  size;

    size = req->arg[0] > 0 ? (size_t) req->arg[0] : 0;

    req->buf = malloc(size ? size : 1);
    if (req->buf == NULL) {
        req->err = UV_ENOMEM;
        return;
    }

    req->owned = 1;
    req->size = size;
    req->arg[0] = req->arg[1];

    nv8_fs_read_work(req);
}


static void
nv8_fs_write_work(nv8_fs_req_t *req)
{
    int     rc;
    size_t  written;

    rc = nv8_fs_write_fd(req->fd, req->buf, req->size, (int64_t) req->arg[0],
                         &written);
    if (rc != 0) {
        req->err = rc;
        return;
    }

    req->num[0] = (double) written;
    req->nnum = 1;
}


static void
nv8_fs_read_all_work(nv8_fs_req_t *req)
{
    req->err = nv8_fs_read_fd(req, req->fd);
}


static void
nv8_fs_read_file_work(nv8_fs_req_t *req)
{
    int  fd;

    fd = nv8__fs_open(req->rt, req->path,
                      req->arg[0] < 0 ? O_RDONLY : (int) req->arg[0], 0666);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    req->err = nv8_fs_read_fd(req, fd);
    close(fd);
}


static void
nv8_fs_write_file_work(nv8_fs_req_t *req)
{
    int     fd, rc;
    size_t  written;

    fd = nv8__fs_open(req->rt, req->path,
                      req->arg[0] < 0 ? O_WRONLY | O_CREAT | O_TRUNC
                                      : (int) req->arg[0],
                      req->arg[1] < 0 ? 0666 : (int) req->arg[1]);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    rc = nv8_fs_write_fd(fd, req->buf, req->size, -1, &written);
    if (rc != 0) {
        req->err = rc;
        req->syscall = "write";
    }

    if (close(fd) == -1 && req->err == 0 && errno != EINTR) {
        req->err = -errno;
        req->syscall = "close";
    }
}


static void
nv8_fs_stat_work(nv8_fs_req_t *req)
{
    int  fd, lstat;

    lstat = (req->op == &nv8_fs_ops[NV8_FS_LSTAT]);

    /* O_PATH: no read permission needed; with O_NOFOLLOW, the link */
    fd = nv8__fs_open(req->rt, req->path, O_PATH | (lstat ? O_NOFOLLOW : 0),
                      0);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    req->err = nv8_fs_stat_fd(req, fd, AT_EMPTY_PATH);
    close(fd);
}


static void
nv8_fs_fstat_work(nv8_fs_req_t *req)
{
    req->err = nv8_fs_stat_fd(req, req->fd, AT_EMPTY_PATH);
}


static void
nv8_fs_access_work(nv8_fs_req_t *req)
{
    int   fd, mode, rc;
    char  proc[64];

    fd = nv8__fs_open(req->rt, req->path, O_PATH, 0);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    mode = req->arg[0] < 0 ? F_OK : (int) req->arg[0];

    if (mode != F_OK) {
        rc = (int) syscall(SYS_faccessat2, fd, "", mode, AT_EMPTY_PATH);

        if (rc == -1 && (errno == ENOSYS || errno == EINVAL)) {
            /* before Linux 5.8: the same file through /proc */
            snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
            rc = access(proc, mode);
        }

        if (rc == -1) {
            req->err = -errno;
        }
    }

    close(fd);
}


static void
nv8_fs_readdir_work(nv8_fs_req_t *req)
{
    int             fd, type;
    DIR            *dir;
    size_t          n, cap;
    struct stat     st;
    unsigned char  *p;
    struct dirent  *de;

    fd = nv8__fs_open(req->rt, req->path, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    dir = fdopendir(fd);
    if (dir == NULL) {
        req->err = -errno;
        close(fd);
        return;
    }

    cap = 0;

    /* each entry: its type (one byte), its name, a NUL */

    for ( ;; ) {
        errno = 0;
        de = readdir(dir);

        if (de == NULL) {
            if (errno != 0) {
                req->err = -errno;
            }

            break;
        }

        if (nv8_fs_dots(de->d_name)) {
            continue;
        }

        switch (de->d_type) {
        case DT_REG: type = NV8_FS_DT_FILE; break;
        case DT_DIR: type = NV8_FS_DT_DIR; break;
        case DT_LNK: type = NV8_FS_DT_LINK; break;
        case DT_FIFO: type = NV8_FS_DT_FIFO; break;
        case DT_SOCK: type = NV8_FS_DT_SOCKET; break;
        case DT_CHR: type = NV8_FS_DT_CHAR; break;
        case DT_BLK: type = NV8_FS_DT_BLOCK; break;
        default:
            type = NV8_FS_DT_UNKNOWN;

            if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW)
                == 0)
            {
                type = S_ISREG(st.st_mode) ? NV8_FS_DT_FILE
                       : S_ISDIR(st.st_mode) ? NV8_FS_DT_DIR
                       : S_ISLNK(st.st_mode) ? NV8_FS_DT_LINK
                       : NV8_FS_DT_UNKNOWN;
            }
        }

        n = strlen(de->d_name);

        if (req->len + n + 2 > cap) {
            cap = cap ? cap * 2 : 4096;

            while (req->len + n + 2 > cap) {
                cap *= 2;
            }

            p = realloc(req->data, cap);
            if (p == NULL) {
                req->err = UV_ENOMEM;
                break;
            }

            req->data = p;
        }

        req->data[req->len++] = (unsigned char) type;
        memcpy(req->data + req->len, de->d_name, n + 1);
        req->len += n + 1;
    }

    closedir(dir);
}


static void
nv8_fs_mkdir_work(nv8_fs_req_t *req)
{
    int     rc, first_rc, mode;
    char   *p;
    size_t  i, len;

    mode = req->arg[0] < 0 ? 0777 : (int) req->arg[0];

    if (req->arg[1] <= 0) {
        req->err = nv8_fs_mkdir_one(req->rt, req->path, mode);
        return;
    }

    /*
     * Recursive: each prefix of the path in turn, beneath the roots like
     * any path; prefixes above a root fail with EACCES and are passed by.
     * The result is the first directory made.
     */

    len = strlen(req->path);
    first_rc = 0;
    rc = 0;

    for (i = 1; i <= len; i++) {
        if (i < len && (req->path[i] != '/' || req->path[i - 1] == '/')) {
            continue;
        }

        req->path[i] = '\0';
        rc = nv8_fs_mkdir_one(req->rt, req->path, mode);

        if (rc == 0 && req->data == NULL) {
            p = strdup(req->path);
            if (p == NULL) {
                req->err = UV_ENOMEM;
                return;
            }

            req->data = (unsigned char *) p;
            req->len = strlen(p);
        }

        if (rc != 0 && rc != -EEXIST && first_rc == 0) {
            first_rc = rc;
        }

        if (i < len) {
            req->path[i] = '/';
        }
    }

    if (rc == -EEXIST) {
        rc = nv8_fs_is_dir(req->rt, req->path);

    } else if (rc == -ENOENT && first_rc != 0) {
        rc = first_rc;
    }

    if (rc != 0) {
        req->err = rc;
        free(req->data);
        req->data = NULL;
        req->len = 0;
    }
}


static void
nv8_fs_rmdir_work(nv8_fs_req_t *req)
{
    int   pfd;
    char  name[NAME_MAX + 1];

    pfd = nv8__fs_open_parent(req->rt, req->path, name);
    if (pfd < 0) {
        req->err = pfd;
        return;
    }

    if (nv8_fs_dots(name)) {
        /* as Linux answers rmdir("x/.") and rmdir("x/..") */
        req->err = (name[1] == '\0') ? -EINVAL : -ENOTEMPTY;

    } else if (unlinkat(pfd, name, AT_REMOVEDIR) == -1) {
        req->err = -errno;
    }

    close(pfd);
}


/*
 * rm: arg[0] recursive, arg[1] force (a missing path is no error).  A
 * directory is emptied with the *at() calls from a descriptor opened
 * with O_NOFOLLOW at each level, so a symlink swapped in for a directory
 * is removed, never followed.
 */

static void
nv8_fs_rm_work(nv8_fs_req_t *req)
{
    int          pfd, rc;
    char         name[NAME_MAX + 1];
    struct stat  st;

    pfd = nv8__fs_open_parent(req->rt, req->path, name);

    if (pfd < 0) {
        req->err = pfd;
        req->syscall = "lstat";
        goto done;
    }

    if (nv8_fs_dots(name)) {
        req->err = -EINVAL;
        req->syscall = "rm";
        goto done;
    }

    if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
        req->err = -errno;
        req->syscall = "lstat";
        goto done;
    }

    if (!S_ISDIR(st.st_mode)) {
        if (unlinkat(pfd, name, 0) == -1) {
            req->err = -errno;
            req->syscall = "unlink";
        }

        goto done;
    }

    if (req->arg[0] <= 0) {
        req->err = -EISDIR;                 /* ERR_FS_EISDIR in lib/ */
        req->syscall = "rm";
        goto done;
    }

    rc = nv8_fs_rm_tree(pfd, name, &req->syscall);

    if (rc == 0 && unlinkat(pfd, name, AT_REMOVEDIR) == -1) {
        rc = -errno;
        req->syscall = "rmdir";
    }

    req->err = rc;

done:

    if (req->err == -ENOENT && req->arg[1] > 0) {
        req->err = 0;
    }

    if (pfd >= 0) {
        close(pfd);
    }
}


static void
nv8_fs_unlink_work(nv8_fs_req_t *req)
{
    int   pfd;
    char  name[NAME_MAX + 1];

    pfd = nv8__fs_open_parent(req->rt, req->path, name);
    if (pfd < 0) {
        req->err = pfd;
        return;
    }

    if (nv8_fs_dots(name)) {
        req->err = -EISDIR;

    } else if (unlinkat(pfd, name, 0) == -1) {
        req->err = -errno;
    }

    close(pfd);
}


/* rename and link: both names held to the roots */

static void
nv8_fs_rename_work(nv8_fs_req_t *req)
{
    int   from, to, rc, link;
    char  name[NAME_MAX + 1], name2[NAME_MAX + 1];

    link = (req->op == &nv8_fs_ops[NV8_FS_LINK]);

    from = nv8__fs_open_parent(req->rt, req->path, name);
    if (from < 0) {
        req->err = from;
        return;
    }

    to = nv8__fs_open_parent(req->rt, req->path2, name2);
    if (to < 0) {
        req->err = to;
        close(from);
        return;
    }

    if (nv8_fs_dots(name)) {
        req->err = link ? -EPERM : -EBUSY;

    } else if (nv8_fs_dots(name2)) {
        req->err = link ? -EEXIST : -EBUSY;

    } else {
        rc = link ? linkat(from, name, to, name2, 0)
                  : renameat(from, name, to, name2);

        if (rc == -1) {
            req->err = -errno;
        }
    }

    close(from);
    close(to);
}


/* symlink(target, path): "path" is held to the roots; see below for
 * the target */

static void
nv8_fs_symlink_work(nv8_fs_req_t *req)
{
    int   pfd;
    char  name[NAME_MAX + 1];

    pfd = nv8__fs_open_parent(req->rt, req->path2, name);
    if (pfd < 0) {
        req->err = pfd;
        return;
    }

    if (nv8_fs_dots(name)) {
        req->err = -EEXIST;

    } else if (req->path[0] == '\0') {
        req->err = -ENOENT;

    } else if (!nv8_fs_target_inside(req->rt, req->path, req->path2, pfd)) {
        req->err = -EACCES;

    } else if (symlinkat(req->path, pfd, name) == -1) {
        req->err = -errno;
    }

    close(pfd);
}


/* copyFile(src, dest, mode), as libuv's uv_fs_copyfile() */

static void
nv8_fs_copy_file_work(nv8_fs_req_t *req)
{
    int          in, out, mode, flags;
    struct stat  sin, sout;

    mode = req->arg[0] < 0 ? 0 : (int) req->arg[0];
    out = -1;

    in = nv8__fs_open(req->rt, req->path, O_RDONLY, 0);
    if (in < 0) {
        req->err = in;
        return;
    }

    if (fstat(in, &sin) == -1) {
        req->err = -errno;
        goto done;
    }

    flags = O_WRONLY | O_CREAT;

    if (mode & NV8_FS_COPY_EXCL) {
        flags |= O_EXCL;
    }

    out = nv8__fs_open(req->rt, req->path2, flags, sin.st_mode & 07777);
    if (out < 0) {
        req->err = out;
        goto done;
    }

    if (fstat(out, &sout) == -1) {
        req->err = -errno;
        goto done;
    }

    if (sin.st_dev == sout.st_dev && sin.st_ino == sout.st_ino) {
        goto done;                          /* the same file */
    }

    if (fchmod(out, sin.st_mode & 07777) == -1 && errno != EPERM) {
        req->err = -errno;
        goto done;
    }

    if (ftruncate(out, 0) == -1) {
        req->err = -errno;
        goto done;
    }

    req->err = nv8_fs_copy(in, out, mode, (size_t) sin.st_size);

done:

    if (out >= 0 && close(out) == -1 && req->err == 0 && errno != EINTR) {
        req->err = -errno;
    }

    close(in);
}


/* the real path of a file, read back from the kernel for the fd that
 * was opened beneath the root: it is always inside that root */

static void
nv8_fs_realpath_work(nv8_fs_req_t *req)
{
    int   fd, rc;
    char  buf[PATH_MAX];

    fd = nv8__fs_open(req->rt, req->path, O_PATH, 0);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    rc = nv8_fs_proc_path(fd, buf, sizeof(buf));
    close(fd);

    if (rc < 0) {
        req->err = rc;
        return;
    }

    req->data = (unsigned char *) strdup(buf);
    if (req->data == NULL) {
        req->err = UV_ENOMEM;
        return;
    }

    req->len = (size_t) rc;
}


static void
nv8_fs_readlink_work(nv8_fs_req_t *req)
{
    int          fd;
    ssize_t      n;
    struct stat  st;

    fd = nv8__fs_open(req->rt, req->path, O_PATH | O_NOFOLLOW, 0);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    if (fstat(fd, &st) == -1) {
        req->err = -errno;
        goto done;
    }

    if (!S_ISLNK(st.st_mode)) {
        req->err = -EINVAL;
        goto done;
    }

    req->data = malloc(PATH_MAX);
    if (req->data == NULL) {
        req->err = UV_ENOMEM;
        goto done;
    }

    n = readlinkat(fd, "", (char *) req->data, PATH_MAX);
    if (n == -1) {
        req->err = -errno;
        goto done;
    }

    req->len = (size_t) n;

done:

    close(fd);
}


static void
nv8_fs_truncate_work(nv8_fs_req_t *req)
{
    int  fd;

    fd = nv8__fs_open(req->rt, req->path, O_WRONLY, 0);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    if (ftruncate(fd, req->arg[0] < 0 ? 0 : (off_t) req->arg[0]) == -1) {
        req->err = -errno;
        req->syscall = "ftruncate";
    }

    close(fd);
}


static void
nv8_fs_ftruncate_work(nv8_fs_req_t *req)
{
    if (ftruncate(req->fd, req->arg[0] < 0 ? 0 : (off_t) req->arg[0]) == -1) {
        req->err = -errno;
    }
}


static void
nv8_fs_utimes_work(nv8_fs_req_t *req)
{
    int              fd, nofollow, rc;
    char             proc[64], name[NAME_MAX + 1];
    struct timespec  ts[2];

    nofollow = (req->op == &nv8_fs_ops[NV8_FS_LUTIMES]);

    nv8_fs_timespec(req->arg[0], &ts[0]);
    nv8_fs_timespec(req->arg[1], &ts[1]);

    fd = nv8__fs_open(req->rt, req->path, O_PATH | (nofollow ? O_NOFOLLOW : 0),
                      0);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    rc = utimensat(fd, "", ts, AT_EMPTY_PATH);

    if (rc == -1 && errno == EINVAL) {
        /*
         * A kernel without AT_EMPTY_PATH here: the file through /proc, or
         * for lutimes() the name in its directory, which is not followed.
         */
        close(fd);

        if (nofollow) {
            fd = nv8__fs_open_parent(req->rt, req->path, name);
            if (fd < 0) {
                req->err = fd;
                return;
            }

            rc = utimensat(fd, name, ts, AT_SYMLINK_NOFOLLOW);

        } else {
            fd = nv8__fs_open(req->rt, req->path, O_PATH, 0);
            if (fd < 0) {
                req->err = fd;
                return;
            }

            snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
            rc = utimensat(AT_FDCWD, proc, ts, 0);
        }
    }

    if (rc == -1) {
        req->err = -errno;
    }

    close(fd);
}


static void
nv8_fs_futimes_work(nv8_fs_req_t *req)
{
    struct timespec  ts[2];

    nv8_fs_timespec(req->arg[0], &ts[0]);
    nv8_fs_timespec(req->arg[1], &ts[1]);

    if (futimens(req->fd, ts) == -1) {
        req->err = -errno;
    }
}


static void
nv8_fs_fsync_work(nv8_fs_req_t *req)
{
    int  rc;

    rc = (req->op == &nv8_fs_ops[NV8_FS_FSYNC]) ? fsync(req->fd)
                                                : fdatasync(req->fd);
    if (rc == -1) {
        req->err = -errno;
    }
}


/* mkdtemp(prefix): prefix plus six random characters */

static void
nv8_fs_mkdtemp_work(nv8_fs_req_t *req)
{
    int            pfd, i, k, rc;
    char           name[NAME_MAX + 1], *path, *tail;
    size_t         len, nlen;
    unsigned char  rnd[6];

    static const char  chars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    len = strlen(req->path);

    path = malloc(len + 7);
    if (path == NULL) {
        req->err = UV_ENOMEM;
        return;
    }

    memcpy(path, req->path, len);
    memcpy(path + len, "XXXXXX", 7);

    pfd = nv8__fs_open_parent(req->rt, path, name);
    if (pfd < 0) {
        req->err = pfd;
        free(path);
        return;
    }

    nlen = strlen(name);
    tail = name + nlen - 6;
    rc = -EEXIST;

    for (i = 0; i < 100 && rc == -EEXIST; i++) {
        if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
            rc = -errno;
            break;
        }

        for (k = 0; k < 6; k++) {
            tail[k] = chars[rnd[k] % (sizeof(chars) - 1)];
        }

        rc = mkdirat(pfd, name, 0700) == -1 ? -errno : 0;
    }

    close(pfd);

    if (rc != 0) {
        req->err = rc;
        free(path);
        return;
    }

    memcpy(path + len, tail, 6);
    req->data = (unsigned char *) path;
    req->len = len + 6;
}


static void
nv8_fs_chmod_work(nv8_fs_req_t *req)
{
    int   fd;
    char  proc[64];

    fd = nv8__fs_open(req->rt, req->path, O_PATH, 0);
    if (fd < 0) {
        req->err = fd;
        return;
    }

    /* fchmod() refuses O_PATH descriptors; /proc reaches the same file */
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);

    if (chmod(proc, (mode_t) req->arg[0] & 07777) == -1) {
        req->err = -errno;
    }

    close(fd);
}


static void
nv8_fs_fchmod_work(nv8_fs_req_t *req)
{
    if (fchmod(req->fd, (mode_t) req->arg[0] & 07777) == -1) {
        req->err = -errno;
    }
}


/* helpers, safe on pool threads */

static int
nv8_fs_read_fd(nv8_fs_req_t *req, int fd)
{
    size_t          size;
    ssize_t         n;
    struct stat     st;
    unsigned char  *p;

    if (fstat(fd, &st) == -1) {
        req->syscall = "fstat";
        return -errno;
    }

    req->syscall = "read";

    size = S_ISREG(st.st_mode) && st.st_size > 0
           ? (size_t) st.st_size + 1 : 65536;

    req->data = malloc(size);
    if (req->data == NULL) {
        return UV_ENOMEM;
    }

    for ( ;; ) {
        if (req->len == size) {
            p = realloc(req->data, size * 2);
            if (p == NULL) {
                return UV_ENOMEM;
            }

            req->data = p;
            size *= 2;
        }

        n = read(fd, req->data + req->len, size - req->len);

        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }

            return -errno;
        }

        if (n == 0) {
            return 0;
        }

        req->len += n;
    }
}


/* all of it: a file takes short writes only when the disk fills */

static int
nv8_fs_write_fd(int fd, const unsigned char *p, size_t n, int64_t pos,
    size_t *written)
{
    ssize_t  w;
    size_t   done;

    done = 0;

    while (done < n) {
        w = pos < 0 ? write(fd, p + done, n - done)
                    : pwrite(fd, p + done, n - done, (off_t) (pos + done));

        if (w == -1) {
            if (errno == EINTR) {
                continue;
            }

            *written = done;
            return -errno;
        }

        if (w == 0) {
            break;
        }

        done += w;
    }

    *written = done;

    return 0;
}


/* dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks, then
 * seconds and nanoseconds of atime, mtime, ctime and birthtime */

static int
nv8_fs_stat_fd(nv8_fs_req_t *req, int fd, int flags)
{
    double        *v;
    struct statx   sx;

    if (statx(fd, "", flags | AT_STATX_SYNC_AS_STAT,
              STATX_BASIC_STATS | STATX_BTIME, &sx)
        == -1)
    {
        return -errno;
    }

    v = req->num;
    v[0] = (double) makedev(sx.stx_dev_major, sx.stx_dev_minor);
    v[1] = sx.stx_mode;
    v[2] = sx.stx_nlink;
    v[3] = sx.stx_uid;
    v[4] = sx.stx_gid;
    v[5] = (double) makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
    v[6] = sx.stx_blksize;
    v[7] = (double) sx.stx_ino;
    v[8] = (double) sx.stx_size;
    v[9] = (double) sx.stx_blocks;
    v[10] = (double) sx.stx_atime.tv_sec;
    v[11] = sx.stx_atime.tv_nsec;
    v[12] = (double) sx.stx_mtime.tv_sec;
    v[13] = sx.stx_mtime.tv_nsec;
    v[14] = (double) sx.stx_ctime.tv_sec;
    v[15] = sx.stx_ctime.tv_nsec;

    if (sx.stx_mask & STATX_BTIME) {
        v[16] = (double) sx.stx_btime.tv_sec;
        v[17] = sx.stx_btime.tv_nsec;

    } else {
        v[16] = 0;
        v[17] = 0;
    }

    req->nnum = NV8_FS_STAT_N;

    return 0;
}


static int
nv8_fs_dots(const char *name)
{
    return name[0] == '.'
           && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}


/* the kernel's name for the file of "fd"; its length, or -errno */

static int
nv8_fs_proc_path(int fd, char *buf, size_t size)
{
    char     proc[64];
    ssize_t  n;

    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);

    n = readlink(proc, buf, size - 1);
    if (n == -1) {
        return -errno;
    }

    if ((size_t) n == size - 1) {
        return -ENAMETOOLONG;
    }

    buf[n] = '\0';

    if (buf[0] != '/') {
        return -ENOENT;                     /* not a path (deleted, ...) */
    }

    return (int) n;
}


static int
nv8_fs_mkdir_one(nv8_runtime_t *rt, const char *path, int mode)
{
    int   pfd, rc;
    char  name[NAME_MAX + 1];

    pfd = nv8__fs_open_parent(rt, path, name);
    if (pfd < 0) {
        return pfd;
    }

    rc = 0;

    if (nv8_fs_dots(name)) {
        rc = -EEXIST;

    } else if (mkdirat(pfd, name, (mode_t) mode) == -1) {
        rc = -errno;
    }

    close(pfd);

    return rc;
}


/* 0 for an existing directory (symlinks followed beneath the root) */

static int
nv8_fs_is_dir(nv8_runtime_t *rt, const char *path)
{
    int          fd, rc;
    struct stat  st;

    fd = nv8__fs_open(rt, path, O_PATH, 0);
    if (fd < 0) {
        return fd;
    }

    rc = fstat(fd, &st) == -1 ? -errno : (S_ISDIR(st.st_mode) ? 0 : -EEXIST);
    close(fd);

    return rc;
}


static int
nv8_fs_rm_tree(int dfd, const char *name, const char **syscall)
{
    int             fd, rc;
    DIR            *dir;
    struct stat     st;
    struct dirent  *de;

    fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd == -1) {
        *syscall = "opendir";
        return -errno;
    }

    dir = fdopendir(fd);
    if (dir == NULL) {
        *syscall = "opendir";
        close(fd);
        return -errno;
    }

    rc = 0;

    for ( ;; ) {
        errno = 0;
        de = readdir(dir);

        if (de == NULL) {
            if (errno != 0) {
                *syscall = "readdir";
                rc = -errno;
            }

            break;
        }

        if (nv8_fs_dots(de->d_name)) {
            continue;
        }

        if (de->d_type == DT_UNKNOWN) {
            if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW)
                == -1)
            {
                *syscall = "lstat";
                rc = -errno;
                break;
            }

            de->d_type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
        }

        if (de->d_type == DT_DIR) {
            rc = nv8_fs_rm_tree(dirfd(dir), de->d_name, syscall);
            if (rc != 0) {
                break;
            }

            if (unlinkat(dirfd(dir), de->d_name, AT_REMOVEDIR) == -1) {
                *syscall = "rmdir";
                rc = -errno;
                break;
            }

        } else if (unlinkat(dirfd(dir), de->d_name, 0) == -1) {
            *syscall = "unlink";
            rc = -errno;
            break;
        }
    }

    closedir(dir);

    return rc;
}


static int
nv8_fs_copy(int in, int out, int mode, size_t size)
{
    ssize_t        n, w, k;
    size_t         done;
    unsigned char  buf[65536];

    if (mode & (NV8_FS_COPY_CLONE | NV8_FS_COPY_FORCE)) {
        if (ioctl(out, FICLONE, in) == 0) {
            return 0;
        }

        if (mode & NV8_FS_COPY_FORCE) {
            return -errno;
        }
    }

    /* in the kernel where it can; by hand across file systems */
    for (done = 0; done < size; done += (size_t) n) {
        n = copy_file_range(in, NULL, out, NULL, size - done, 0);

        if (n == -1 && errno == EINTR) {
            n = 0;
            continue;
        }

        if (n <= 0) {
            break;
        }
    }

    if (done >= size && size > 0) {
        return 0;
    }

    for ( ;; ) {
        n = read(in, buf, sizeof(buf));

        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }

            return -errno;
        }

        if (n == 0) {
            return 0;
        }

        for (w = 0; w < n; /* void */ ) {
            k = write(out, buf + w, (size_t) (n - w));

            if (k == -1) {
                if (errno == EINTR) {
                    continue;
                }

                return -errno;
            }

            w += k;
        }
    }
}


/*
 * With roots, a symlink may only point inside its root: a relative
 * target whose ".." never climbs above the root from the link's real
 * directory.  nv8 itself never follows a link out (RESOLVE_BENEATH), but
 * nginx or another program reading the directory might; an absolute
 * target is refused too, since RESOLVE_BENEATH would never follow it.
 */

static int
nv8_fs_target_inside(nv8_runtime_t *rt, const char *target, const char *path,
    int pfd)
{
    int          depth;
    size_t       n;
    const char  *p, *e;

    if (rt->fs_nroots == 0) {
        return 1;
    }

    if (target[0] == '/') {
        return 0;
    }

    depth = nv8__fs_depth(rt, path, pfd);
    if (depth < 0) {
        return 0;
    }

    for (p = target; *p; p = e) {
        while (*p == '/') {
            p++;
        }

        e = strchrnul(p, '/');
        n = (size_t) (e - p);

        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0) {
                return 0;
            }

        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
    }

    return 1;
}


static void
nv8_fs_timespec(double t, struct timespec *ts)
{
    double  s;

    if (!isfinite(t)) {
        ts->tv_sec = 0;
        ts->tv_nsec = UTIME_NOW;
        return;
    }

    s = floor(t);
    ts->tv_sec = (time_t) s;
    ts->tv_nsec = (long) ((t - s) * 1e9);

    if (ts->tv_nsec >= 1000000000) {
        ts->tv_nsec = 999999999;
    }
}
