
/*
 * Copyright (C) nv8 contributors
 *
 * Directives, configuration, and the per-worker runtime's start and end.
 * V8 never starts in the master: scripts are checked at configuration
 * time in a short-lived child process (ngx_v8_check.c), and each worker
 * creates its own isolate in init_process.
 */


#include "ngx_http_v8_module.h"


static void *ngx_http_v8_create_main_conf(ngx_conf_t *cf);
static char *ngx_http_v8_init_main_conf(ngx_conf_t *cf, void *conf);
static void *ngx_http_v8_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_v8_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_v8_handler(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static ngx_int_t ngx_http_v8_init_process(ngx_cycle_t *cycle);
static void ngx_http_v8_exit_process(ngx_cycle_t *cycle);


static ngx_conf_num_bounds_t  ngx_http_v8_threads_bounds = {
    ngx_conf_check_num_bounds, 1, 1024
};


static ngx_command_t  ngx_http_v8_commands[] = {

    { ngx_string("js_handler"),
      NGX_HTTP_LOC_CONF|NGX_HTTP_LIF_CONF|NGX_CONF_TAKE12,
      ngx_http_v8_handler,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("js_handler_timeout"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_v8_loc_conf_t, timeout),
      NULL },

    { ngx_string("js_request_buffering"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_v8_loc_conf_t, buffering),
      NULL },

    { ngx_string("js_v8_thread_pool_size"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_v8_main_conf_t, threads),
      &ngx_http_v8_threads_bounds },

    { ngx_string("js_v8_flags"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_v8_main_conf_t, flags),
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_v8_module_ctx = {
    NULL,                                  /* preconfiguration */
    NULL,                                  /* postconfiguration */

    ngx_http_v8_create_main_conf,          /* create main configuration */
    ngx_http_v8_init_main_conf,            /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_v8_create_loc_conf,           /* create location configuration */
    ngx_http_v8_merge_loc_conf             /* merge location configuration */
};


ngx_module_t  ngx_http_v8_module = {
    NGX_MODULE_V1,
    &ngx_http_v8_module_ctx,               /* module context */
    ngx_http_v8_commands,                  /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_v8_init_process,              /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_v8_exit_process,              /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static const nv8_binding_t  *ngx_http_v8_bindings[] = {
    &ngx_http_v8_binding,
    NULL
};


static void *
ngx_http_v8_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_v8_main_conf_t  *mcf;

    mcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_v8_main_conf_t));
    if (mcf == NULL) {
        return NULL;
    }

    if (ngx_array_init(&mcf->handlers, cf->pool, 4,
                       sizeof(ngx_http_v8_handler_t *))
        != NGX_OK
        || ngx_array_init(&mcf->checked, cf->pool, 4, sizeof(ngx_str_t))
           != NGX_OK)
    {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     mcf->flags = { 0, NULL };
     */

    mcf->threads = NGX_CONF_UNSET_UINT;

    return mcf;
}


static char *
ngx_http_v8_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_v8_main_conf_t  *mcf = conf;

    ngx_conf_init_uint_value(mcf->threads, 4);

    return NGX_CONF_OK;
}


static void *
ngx_http_v8_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_v8_loc_conf_t  *lcf;

    lcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_v8_loc_conf_t));
    if (lcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     lcf->handler = NULL;
     */

    lcf->timeout = NGX_CONF_UNSET_MSEC;
    lcf->buffering = NGX_CONF_UNSET;

    return lcf;
}


static char *
ngx_http_v8_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_v8_loc_conf_t  *prev = parent;
    ngx_http_v8_loc_conf_t  *conf = child;

    ngx_conf_merge_msec_value(conf->timeout, prev->timeout, 60000);
    ngx_conf_merge_value(conf->buffering, prev->buffering, 0);

    return NGX_CONF_OK;
}


static char *
ngx_http_v8_handler(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_v8_loc_conf_t  *lcf = conf;

    ngx_str_t                 *value, path, name, *checked;
    ngx_uint_t                 i;
    ngx_http_v8_handler_t     *h, **hp;
    ngx_http_v8_main_conf_t   *mcf;
    ngx_http_core_loc_conf_t  *clcf;

    if (lcf->handler) {
        return "is duplicate";
    }

    value = cf->args->elts;

    path = value[1];
    ngx_str_null(&name);

    if (cf->args->nelts == 3) {
        name = value[2];

        if (name.len == 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "empty export name in \"%V\"", &cmd->name);
            return NGX_CONF_ERROR;
        }
    }

    if (path.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "empty script path in \"%V\"", &cmd->name);
        return NGX_CONF_ERROR;
    }

    /* relative to the conf prefix, like include and ssl_certificate */
    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_v8_module);

    /* one record per script and export, shared by the locations */
    hp = mcf->handlers.elts;

    for (i = 0; i < mcf->handlers.nelts; i++) {
        if (hp[i]->path.len == path.len
            && ngx_strncmp(hp[i]->path.data, path.data, path.len) == 0
            && hp[i]->name.len == name.len
            && ngx_strncmp(hp[i]->name.data, name.data, name.len) == 0)
        {
            lcf->handler = hp[i];
            goto done;
        }
    }

    /* each script is compiled and linked once, in a child process */
    checked = mcf->checked.elts;

    for (i = 0; i < mcf->checked.nelts; i++) {
        if (checked[i].len == path.len
            && ngx_strncmp(checked[i].data, path.data, path.len) == 0)
        {
            break;
        }
    }

    if (i == mcf->checked.nelts) {
        if (ngx_v8_check_script(cf, &path, &mcf->flags) != NGX_OK) {
            return NGX_CONF_ERROR;
        }

        checked = ngx_array_push(&mcf->checked);
        if (checked == NULL) {
            return NGX_CONF_ERROR;
        }

        *checked = path;
    }

    h = ngx_pcalloc(cf->pool, sizeof(ngx_http_v8_handler_t));
    if (h == NULL) {
        return NGX_CONF_ERROR;
    }

    h->path = path;
    h->name = name;
    h->index = -1;

    hp = ngx_array_push(&mcf->handlers);
    if (hp == NULL) {
        return NGX_CONF_ERROR;
    }

    *hp = h;
    lcf->handler = h;

done:

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_v8_content_handler;

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_v8_init_process(ngx_cycle_t *cycle)
{
    ngx_http_v8_main_conf_t  *mcf;

    if (ngx_process != NGX_PROCESS_WORKER
        && ngx_process != NGX_PROCESS_SINGLE)
    {
        return NGX_OK;
    }

    mcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_v8_module);

    /* no js_handler anywhere: no isolate */
    if (mcf == NULL || mcf->handlers.nelts == 0) {
        return NGX_OK;
    }

    /*
     * Failures are logged and leave handlers unloaded (they answer 500):
     * an error here would make the master give up on the worker
     * ("exited with fatal code 2 and cannot be respawned").
     */

    if (ngx_v8_runtime_init(cycle, &mcf->flags, mcf->threads,
                            ngx_http_v8_bindings)
        != NGX_OK)
    {
        return NGX_OK;
    }

    ngx_v8_runtime.context_log = ngx_http_v8_context_log;

    (void) ngx_http_v8_handlers_load(cycle, mcf);

    ngx_v8_loop_arm();

    return NGX_OK;
}


static void
ngx_http_v8_exit_process(ngx_cycle_t *cycle)
{
    ngx_v8_runtime_exit(cycle);
}
