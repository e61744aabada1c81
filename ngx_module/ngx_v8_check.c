
/*
 * Copyright (C) nv8 contributors
 *
 * Configuration-time script check.  V8's platform threads do not survive
 * fork(), so V8 must never start in the master; instead a short-lived child
 * compiles and links the script's module graph (without running it) and
 * reports the first error through a pipe.  "nginx -t" and a reload with
 * broken JavaScript thus fail with the file and line.
 */


#include "ngx_http_v8_module.h"


#define NGX_V8_CHECK_MAX  4096


static void ngx_v8_check_child(ngx_str_t *path, ngx_str_t *flags,
    ngx_array_t *module_paths, int fd);


ngx_int_t
ngx_v8_check_script(ngx_conf_t *cf, ngx_str_t *path, ngx_str_t *flags,
    ngx_array_t *module_paths)
{
    int        fds[2], status;
    u_char     buf[NGX_V8_CHECK_MAX];
    size_t     len;
    ssize_t    n;
    ngx_pid_t  pid;
    sigset_t   set, old;

    if (pipe(fds) == -1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno, "pipe() failed");
        return NGX_ERROR;
    }

    /* the master's SIGCHLD handler must not reap our child */
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, &old);

    pid = fork();

    if (pid == -1) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno, "fork() failed");
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(fds[0]);
        close(fds[1]);
        return NGX_ERROR;
    }

    if (pid == 0) {
        close(fds[0]);
        ngx_v8_check_child(path, flags, module_paths, fds[1]);
        _exit(2);
    }

    close(fds[1]);

    len = 0;

    for ( ;; ) {
        n = read(fds[0], buf + len, sizeof(buf) - 1 - len);

        if (n == -1 && ngx_errno == NGX_EINTR) {
            continue;
        }

        if (n <= 0) {
            break;
        }

        len += n;

        if (len == sizeof(buf) - 1) {
            break;
        }
    }

    close(fds[0]);

    while (waitpid(pid, &status, 0) == -1) {
        if (ngx_errno != NGX_EINTR) {
            status = -1;
            break;
        }
    }

    sigprocmask(SIG_SETMASK, &old, NULL);

    if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return NGX_OK;
    }

    if (len) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "v8 failed to load \"%V\": %*s", path, len, buf);

    } else if (status != -1 && WIFSIGNALED(status)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "v8 check of \"%V\" was killed by signal %d",
                           path, WTERMSIG(status));

    } else {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "v8 check of \"%V\" failed", path);
    }

    return NGX_ERROR;
}


static void
ngx_v8_check_child(ngx_str_t *path, ngx_str_t *flags,
    ngx_array_t *module_paths, int fd)
{
    char                *err, *p, *f;
    size_t               len;
    ssize_t              n;
    ngx_str_t           *mp;
    ngx_uint_t           i, nmp;
    const char         **paths;
    nv8_runtime_t       *rt;
    nv8_runtime_conf_t   conf;

    nmp = 0;
    mp = NULL;

    if (module_paths) {
        nmp = module_paths->nelts;
        mp = module_paths->elts;
    }

    p = malloc(path->len + 1);
    f = malloc(flags->len + 1);
    paths = calloc(nmp + 1, sizeof(char *));
    if (p == NULL || f == NULL || paths == NULL) {
        _exit(2);
    }

    /* NUL-terminated by ngx_conf_full_name() */
    for (i = 0; i < nmp; i++) {
        paths[i] = (const char *) mp[i].data;
    }

    ngx_cpystrn((u_char *) p, path->data, path->len + 1);
    ngx_cpystrn((u_char *) f, flags->data, flags->len + 1);

    err = NULL;

    if (nv8_process_init(f, 1) != NV8_OK) {
        err = "V8 initialization failed";
        goto failed;
    }

    ngx_memzero(&conf, sizeof(nv8_runtime_conf_t));

    conf.module_paths = paths;

    rt = nv8_runtime_create(&conf, &err);
    if (rt == NULL) {
        goto failed;
    }

    if (nv8_module_check(rt, p, &err) == NV8_OK) {
        _exit(0);
    }

failed:

    if (err == NULL) {
        err = "unknown error";
    }

    len = ngx_strlen(err);

    while (len) {
        n = write(fd, err, len);
        if (n <= 0) {
            break;
        }

        err += n;
        len -= n;
    }

    _exit(1);
}
