
/*
 * Copyright (C) nv8 contributors
 *
 * A libFuzzer driver over the bridge from HTTP requests to JS request
 * objects and back.  It lives in a single-process nginx (master_process
 * off) that has ngx_http_v8_module and fuzz/app.js configured: each input
 * is written, as is, to a loopback connection to nginx's listening socket
 * and the write side is shut down; nginx's own event loop then runs until
 * nginx closes the connection.  So every input goes through nginx's real
 * parser, the module's request bridge, the JS glue and the response path.
 *
 * libFuzzer's main is not used (nginx's is): once the worker is set up, a
 * timer hands control to LLVMFuzzerRunDriver(), which never returns.  The
 * driver's arguments come from the environment, NV8_FUZZ_ARGS, since
 * nginx's command line is nginx's.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_event.h>
#include <ngx_http.h>


#define NGX_HTTP_V8_FUZZ_DEADLINE  10000    /* ms for nginx to close */


int LLVMFuzzerRunDriver(int *argc, char ***argv,
    int (*cb)(const uint8_t *data, size_t size));

static ngx_int_t ngx_http_v8_fuzz_init_process(ngx_cycle_t *cycle);
static void ngx_http_v8_fuzz_start(ngx_event_t *ev);
static int ngx_http_v8_fuzz_one(const uint8_t *data, size_t size);
static void ngx_http_v8_fuzz_tick(ngx_event_t *ev);


static ngx_http_module_t  ngx_http_v8_fuzz_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */

    NULL,                                  /* create main configuration */
    NULL,                                  /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    NULL,                                  /* create location configuration */
    NULL                                   /* merge location configuration */
};


ngx_module_t  ngx_http_v8_fuzz_module = {
    NGX_MODULE_V1,
    &ngx_http_v8_fuzz_module_ctx,          /* module context */
    NULL,                                  /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_v8_fuzz_init_process,         /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_event_t        ngx_http_v8_fuzz_start_ev;
static ngx_event_t        ngx_http_v8_fuzz_tick_ev;
static struct sockaddr_in ngx_http_v8_fuzz_addr;
static ngx_uint_t         ngx_http_v8_fuzz_runs;


/*
 * The HTTP modules' init_process runs before the filter modules' (the v8
 * module is one), so the driver starts from a timer, once every module of
 * the process is ready.
 */

static ngx_int_t
ngx_http_v8_fuzz_init_process(ngx_cycle_t *cycle)
{
    ngx_listening_t     *ls;
    struct sockaddr_in  *sin;

    if (getenv("NV8_FUZZ_ARGS") == NULL) {
        /* linked in, not fuzzing: a plain nginx */
        return NGX_OK;
    }

    ls = cycle->listening.elts;

    if (cycle->listening.nelts == 0
        || ls[0].sockaddr->sa_family != AF_INET)
    {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "fuzz: the first listen must be an IPv4 address");
        return NGX_ERROR;
    }

    sin = (struct sockaddr_in *) ls[0].sockaddr;
    ngx_http_v8_fuzz_addr = *sin;

    ngx_http_v8_fuzz_start_ev.handler = ngx_http_v8_fuzz_start;
    ngx_http_v8_fuzz_start_ev.log = cycle->log;
    ngx_http_v8_fuzz_start_ev.data = cycle;
    ngx_add_timer(&ngx_http_v8_fuzz_start_ev, 1);

    ngx_http_v8_fuzz_tick_ev.handler = ngx_http_v8_fuzz_tick;
    ngx_http_v8_fuzz_tick_ev.log = cycle->log;
    ngx_http_v8_fuzz_tick_ev.cancelable = 1;

    return NGX_OK;
}


static void
ngx_http_v8_fuzz_start(ngx_event_t *ev)
{
    int     argc;
    char   *args, *p, **argv;

    args = strdup(getenv("NV8_FUZZ_ARGS"));
    argv = calloc(ngx_strlen(args) / 2 + 3, sizeof(char *));
    if (args == NULL || argv == NULL) {
        ngx_log_error(NGX_LOG_EMERG, ev->log, 0, "fuzz: out of memory");
        exit(1);
    }

    argc = 0;
    argv[argc++] = "nv8-fuzz";

    for (p = strtok(args, " "); p; p = strtok(NULL, " ")) {
        argv[argc++] = p;
    }

    argv[argc] = NULL;

    /* the inputs run inside this call; libFuzzer exits at the end */
    exit(LLVMFuzzerRunDriver(&argc, &argv, ngx_http_v8_fuzz_one));
}


/* wakes nginx's epoll_wait(): the client socket is not among its fds */

static void
ngx_http_v8_fuzz_tick(ngx_event_t *ev)
{
}


static void
ngx_http_v8_fuzz_turn(void)
{
    if (!ngx_http_v8_fuzz_tick_ev.timer_set) {
        ngx_add_timer(&ngx_http_v8_fuzz_tick_ev, 5);
    }

    ngx_process_events_and_timers((ngx_cycle_t *) ngx_cycle);
}


/*
 * One input: connect, write it all, shut down writing, and read until
 * nginx closes.  A connection nginx does not close within the deadline is
 * a hang and aborts, so libFuzzer keeps the input.
 */

static int
ngx_http_v8_fuzz_one(const uint8_t *data, size_t size)
{
    int        fd, rc, err;
    char       buf[16384];
    size_t     sent;
    ssize_t    n;
    ngx_msec_t start;

    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        perror("fuzz: socket");
        abort();
    }

    rc = connect(fd, (struct sockaddr *) &ngx_http_v8_fuzz_addr,
                 sizeof(struct sockaddr_in));
    if (rc == -1 && errno != EINPROGRESS) {
        perror("fuzz: connect");
        abort();
    }

    ngx_time_update();
    start = ngx_current_msec;
    sent = 0;

    for ( ;; ) {
        if (sent < size) {
            n = send(fd, data + sent, size - sent, MSG_NOSIGNAL);

            if (n > 0) {
                sent += n;

            } else if (n == -1 && errno != EAGAIN && errno != ENOTCONN) {
                /* nginx closed early (a bad request): that is an end */
                sent = size;
            }

            if (sent == size) {
                (void) shutdown(fd, SHUT_WR);
            }

        } else if (size == 0 && sent == 0) {
            (void) shutdown(fd, SHUT_WR);
            sent = 1;
        }

        n = recv(fd, buf, sizeof(buf), 0);

        if (n == 0) {
            break;
        }

        if (n == -1) {
            err = errno;

            if (err != EAGAIN && err != ENOTCONN) {
                /* ECONNRESET: nginx reset the connection */
                break;
            }
        }

        if (ngx_current_msec - start > NGX_HTTP_V8_FUZZ_DEADLINE) {
            fprintf(stderr, "fuzz: nginx did not close the connection "
                    "within %d ms\n", NGX_HTTP_V8_FUZZ_DEADLINE);
            abort();
        }

        if (n <= 0) {
            ngx_http_v8_fuzz_turn();
        }
    }

    close(fd);

    /* let nginx see the close and free the request */
    ngx_http_v8_fuzz_turn();

    ngx_http_v8_fuzz_runs++;

    return 0;
}
