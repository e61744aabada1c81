
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
static ngx_int_t ngx_http_v8_postconfiguration(ngx_conf_t *cf);
static char *ngx_http_v8_handler(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_v8_phase_handler_conf(ngx_conf_t *cf,
    ngx_command_t *cmd, void *conf);
static char *ngx_http_v8_init_worker_conf(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_v8_variable_conf(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_v8_fs_root(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static ngx_int_t ngx_http_v8_fs_default_roots(ngx_conf_t *cf,
    ngx_http_v8_main_conf_t *mcf);
static ngx_uint_t ngx_http_v8_beneath(ngx_str_t *path, ngx_str_t *dir);
static char *ngx_http_v8_module_path(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static const char **ngx_http_v8_strv(ngx_pool_t *pool, ngx_array_t *a);
static ngx_http_v8_handler_t *ngx_http_v8_handler_add(ngx_conf_t *cf,
    ngx_command_t *cmd, ngx_str_t *value, ngx_uint_t n, ngx_uint_t kind);
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

    { ngx_string("js_rewrite_handler"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_v8_phase_handler_conf,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_v8_loc_conf_t, rewrite),
      NULL },

    { ngx_string("js_access_handler"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_v8_phase_handler_conf,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_v8_loc_conf_t, access),
      NULL },

    { ngx_string("js_header_filter_handler"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_v8_phase_handler_conf,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_v8_loc_conf_t, header_filter),
      NULL },

    { ngx_string("js_body_filter_handler"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_v8_phase_handler_conf,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_v8_loc_conf_t, body_filter),
      NULL },

    { ngx_string("js_log_handler"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_v8_phase_handler_conf,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_v8_loc_conf_t, log),
      NULL },

    { ngx_string("js_variable"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE23,
      ngx_http_v8_variable_conf,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("js_init_worker_handler"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE12,
      ngx_http_v8_init_worker_conf,
      NGX_HTTP_MAIN_CONF_OFFSET,
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

    { ngx_string("js_cpu_limit"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_v8_main_conf_t, cpu_limit),
      NULL },

    { ngx_string("js_heap_limit"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_v8_main_conf_t, heap_limit),
      NULL },

    { ngx_string("js_buffers_limit"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_v8_main_conf_t, buffers_limit),
      NULL },

    { ngx_string("js_fs_root"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_1MORE,
      ngx_http_v8_fs_root,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("js_module_path"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_1MORE,
      ngx_http_v8_module_path,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
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
    ngx_http_v8_postconfiguration,         /* postconfiguration */

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
    &ngx_http_v8_phase_binding,
    &ngx_http_v8_filter_binding,
    &ngx_http_v8_sr_binding,
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
     *     mcf->fs_roots = NULL;
     *     mcf->fs_off = 0;
     */

    mcf->threads = NGX_CONF_UNSET_UINT;
    mcf->cpu_limit = NGX_CONF_UNSET_MSEC;
    mcf->heap_limit = NGX_CONF_UNSET_SIZE;
    mcf->buffers_limit = NGX_CONF_UNSET_SIZE;

    return mcf;
}


static char *
ngx_http_v8_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_v8_main_conf_t  *mcf = conf;

    ngx_conf_init_uint_value(mcf->threads, 4);

    /* on by default: one runaway script must not take the worker down */
    ngx_conf_init_msec_value(mcf->cpu_limit, 1000);
    ngx_conf_init_size_value(mcf->heap_limit, 256 * 1024 * 1024);
    ngx_conf_init_size_value(mcf->buffers_limit, 256 * 1024 * 1024);

    if (mcf->heap_limit && mcf->heap_limit < 16 * 1024 * 1024) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"js_heap_limit\" must be at least 16m, or 0");
        return NGX_CONF_ERROR;
    }

    /* no js_fs_root: node:fs stays beneath the scripts' directories */
    if (mcf->fs_roots == NULL && !mcf->fs_off
        && ngx_http_v8_fs_default_roots(cf, mcf) != NGX_OK)
    {
        return NGX_CONF_ERROR;
    }

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
    lcf->rewrite = NGX_CONF_UNSET_PTR;
    lcf->access = NGX_CONF_UNSET_PTR;
    lcf->header_filter = NGX_CONF_UNSET_PTR;
    lcf->body_filter = NGX_CONF_UNSET_PTR;
    lcf->log = NGX_CONF_UNSET_PTR;

    return lcf;
}


static char *
ngx_http_v8_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_v8_loc_conf_t  *prev = parent;
    ngx_http_v8_loc_conf_t  *conf = child;

    ngx_conf_merge_msec_value(conf->timeout, prev->timeout, 60000);
    ngx_conf_merge_value(conf->buffering, prev->buffering, 0);
    ngx_conf_merge_ptr_value(conf->rewrite, prev->rewrite, NULL);
    ngx_conf_merge_ptr_value(conf->access, prev->access, NULL);
    ngx_conf_merge_ptr_value(conf->header_filter, prev->header_filter, NULL);
    ngx_conf_merge_ptr_value(conf->body_filter, prev->body_filter, NULL);
    ngx_conf_merge_ptr_value(conf->log, prev->log, NULL);

    return NGX_CONF_OK;
}


static char *
ngx_http_v8_handler(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_v8_loc_conf_t  *lcf = conf;

    ngx_http_core_loc_conf_t  *clcf;

    if (lcf->handler) {
        return "is duplicate";
    }

    lcf->handler = ngx_http_v8_handler_add(cf, cmd, cf->args->elts,
                                           cf->args->nelts,
                                           NGX_HTTP_V8_CONTENT);
    if (lcf->handler == NULL) {
        return NGX_CONF_ERROR;
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_v8_content_handler;

    return NGX_CONF_OK;
}


static char *
ngx_http_v8_phase_handler_conf(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf)
{
    char  *p = conf;

    ngx_http_v8_handler_t  **hp;

    hp = (ngx_http_v8_handler_t **) (p + cmd->offset);

    if (*hp != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    *hp = ngx_http_v8_handler_add(cf, cmd, cf->args->elts, cf->args->nelts,
                                  NGX_HTTP_V8_PHASE);
    if (*hp == NULL) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_v8_init_worker_conf(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_v8_main_conf_t  *mcf = conf;

    if (mcf->init_worker) {
        return "is duplicate";
    }

    mcf->init_worker = ngx_http_v8_handler_add(cf, cmd, cf->args->elts,
                                               cf->args->nelts,
                                               NGX_HTTP_V8_PHASE);
    if (mcf->init_worker == NULL) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/* js_variable $name file [export] */

static char *
ngx_http_v8_variable_conf(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_str_t               *value, name;
    ngx_http_variable_t     *v;
    ngx_http_v8_handler_t   *h;

    value = cf->args->elts;
    name = value[1];

    if (name.len < 2 || name.data[0] != '$') {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid variable name \"%V\"", &name);
        return NGX_CONF_ERROR;
    }

    name.len--;
    name.data++;

    h = ngx_http_v8_handler_add(cf, cmd, &value[1], cf->args->nelts - 1,
                                NGX_HTTP_V8_PHASE);
    if (h == NULL) {
        return NGX_CONF_ERROR;
    }

    v = ngx_http_add_variable(cf, &name, NGX_HTTP_VAR_CHANGEABLE);
    if (v == NULL) {
        return NGX_CONF_ERROR;
    }

    if (v->get_handler == ngx_http_v8_variable) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "variable \"%V\" is already defined by "
                           "js_variable", &value[1]);
        return NGX_CONF_ERROR;
    }

    v->get_handler = ngx_http_v8_variable;
    v->data = (uintptr_t) h;

    return NGX_CONF_OK;
}


/*
 * The record of a script's export, one per script, export and kind,
 * shared by every directive naming them; of the "n" values, value[1] is
 * the file and value[2] the export, if any.  The script is checked
 * (compiled and linked in a child process) once.
 */

static ngx_http_v8_handler_t *
ngx_http_v8_handler_add(ngx_conf_t *cf, ngx_command_t *cmd, ngx_str_t *value,
    ngx_uint_t n, ngx_uint_t kind)
{
    ngx_str_t                 path, name, *checked;
    ngx_uint_t                i;
    ngx_http_v8_handler_t    *h, **hp;
    ngx_http_v8_main_conf_t  *mcf;

    path = value[1];
    ngx_str_null(&name);

    if (n == 3) {
        name = value[2];

        if (name.len == 0) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "empty export name in \"%V\"", &cmd->name);
            return NULL;
        }
    }

    if (path.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "empty script path in \"%V\"", &cmd->name);
        return NULL;
    }

    /* relative to the conf prefix, like include and ssl_certificate */
    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NULL;
    }

    mcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_v8_module);

    hp = mcf->handlers.elts;

    for (i = 0; i < mcf->handlers.nelts; i++) {
        if (hp[i]->kind == kind
            && hp[i]->path.len == path.len
            && ngx_strncmp(hp[i]->path.data, path.data, path.len) == 0
            && hp[i]->name.len == name.len
            && (name.len == 0    /* data may be NULL: no strncmp() then */
                || ngx_strncmp(hp[i]->name.data, name.data, name.len) == 0))
        {
            return hp[i];
        }
    }

    checked = mcf->checked.elts;

    for (i = 0; i < mcf->checked.nelts; i++) {
        if (checked[i].len == path.len
            && ngx_strncmp(checked[i].data, path.data, path.len) == 0)
        {
            break;
        }
    }

    if (i == mcf->checked.nelts) {
        if (ngx_v8_check_script(cf, &path, &mcf->flags, mcf->module_paths)
            != NGX_OK)
        {
            return NULL;
        }

        checked = ngx_array_push(&mcf->checked);
        if (checked == NULL) {
            return NULL;
        }

        *checked = path;
    }

    h = ngx_pcalloc(cf->pool, sizeof(ngx_http_v8_handler_t));
    if (h == NULL) {
        return NULL;
    }

    h->path = path;
    h->name = name;
    h->kind = kind;
    h->index = -1;

    hp = ngx_array_push(&mcf->handlers);
    if (hp == NULL) {
        return NULL;
    }

    *hp = h;

    return h;
}


/*
 * js_fs_root dir ... | off: node:fs stays beneath these directories, or
 * goes anywhere the worker's user may with "off"
 */

static char *
ngx_http_v8_fs_root(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_v8_main_conf_t  *mcf = conf;

    ngx_str_t        *value, *root;
    ngx_uint_t        i;
    ngx_file_info_t   fi;

    value = cf->args->elts;

    if (mcf->fs_off) {
        return "is duplicate";
    }

    if (cf->args->nelts == 2
        && value[1].len == 3 && ngx_strncmp(value[1].data, "off", 3) == 0)
    {
        if (mcf->fs_roots) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "\"js_fs_root off\" conflicts with "
                               "the directories named before");
            return NGX_CONF_ERROR;
        }

        mcf->fs_off = 1;
        return NGX_CONF_OK;
    }

    if (mcf->fs_roots == NULL) {
        mcf->fs_roots = ngx_array_create(cf->pool, 4, sizeof(ngx_str_t));
        if (mcf->fs_roots == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    for (i = 1; i < cf->args->nelts; i++) {
        root = ngx_array_push(mcf->fs_roots);
        if (root == NULL) {
            return NGX_CONF_ERROR;
        }

        *root = value[i];

        /* relative to the conf prefix; NUL-terminated for the runtime */
        if (ngx_conf_full_name(cf->cycle, root, 1) != NGX_OK) {
            return NGX_CONF_ERROR;
        }

        if (ngx_file_info(root->data, &fi) == NGX_FILE_ERROR
            || !ngx_is_dir(&fi))
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                               "js_fs_root \"%V\" is not a directory", root);
            return NGX_CONF_ERROR;
        }
    }

    return NGX_CONF_OK;
}


/*
 * The roots without js_fs_root: the directory of every script a
 * directive names (as the directive spells it, after the conf prefix),
 * once each, and none beneath another (a path would otherwise be held to
 * the inner one, and "inner/../x" refused though "x" is allowed).  One
 * isolate serves the whole http block, so the roots are the union over
 * its locations.
 */

static ngx_int_t
ngx_http_v8_fs_default_roots(ngx_conf_t *cf, ngx_http_v8_main_conf_t *mcf)
{
    u_char      *p;
    ngx_str_t   *script, *root, dir;
    ngx_uint_t   i, j;

    script = mcf->checked.elts;

    for (i = 0; i < mcf->checked.nelts; i++) {

        /* full names are absolute: there is a '/' */
        p = script[i].data + script[i].len;

        while (p > script[i].data && *(p - 1) != '/') {
            p--;
        }

        dir.data = script[i].data;
        dir.len = p - script[i].data;

        if (dir.len > 1) {
            dir.len--;                      /* no trailing '/' but in "/" */
        }

        if (mcf->fs_roots == NULL) {
            mcf->fs_roots = ngx_array_create(cf->pool, 4, sizeof(ngx_str_t));
            if (mcf->fs_roots == NULL) {
                return NGX_ERROR;
            }
        }

        root = mcf->fs_roots->elts;

        for (j = 0; j < mcf->fs_roots->nelts; j++) {
            if (ngx_http_v8_beneath(&dir, &root[j])) {
                break;
            }
        }

        if (j < mcf->fs_roots->nelts) {
            continue;                       /* already allowed */
        }

        /* drop the roots beneath the new one */
        for (j = 0; j < mcf->fs_roots->nelts; /* void */) {
            if (ngx_http_v8_beneath(&root[j], &dir)) {
                root[j] = root[--mcf->fs_roots->nelts];

            } else {
                j++;
            }
        }

        root = ngx_array_push(mcf->fs_roots);
        if (root == NULL) {
            return NGX_ERROR;
        }

        /* NUL-terminated for the runtime */
        root->data = ngx_pnalloc(cf->pool, dir.len + 1);
        if (root->data == NULL) {
            return NGX_ERROR;
        }

        root->len = dir.len;
        *ngx_cpymem(root->data, dir.data, dir.len) = '\0';
    }

    return NGX_OK;
}


/* "path" is "dir" or beneath it, by whole components */

static ngx_uint_t
ngx_http_v8_beneath(ngx_str_t *path, ngx_str_t *dir)
{
    if (dir->len == 1) {
        return 1;                           /* "/" */
    }

    return path->len >= dir->len
           && ngx_strncmp(path->data, dir->data, dir->len) == 0
           && (path->len == dir->len || path->data[dir->len] == '/');
}


/*
 * js_module_path dir ...: where packages are looked for after the
 * node_modules directories above the importing file.  One isolate serves
 * the whole http block, so the search path is one too; handlers are
 * checked as they are read, so it must come first.
 */

static char *
ngx_http_v8_module_path(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_v8_main_conf_t  *mcf = conf;

    ngx_str_t        *value, *dir;
    ngx_uint_t        i;
    ngx_file_info_t   fi;

    if (mcf->checked.nelts) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"js_module_path\" must precede the "
                           "directives that name scripts");
        return NGX_CONF_ERROR;
    }

    if (mcf->module_paths == NULL) {
        mcf->module_paths = ngx_array_create(cf->pool, 4, sizeof(ngx_str_t));
        if (mcf->module_paths == NULL) {
            return NGX_CONF_ERROR;
        }
    }

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {
        dir = ngx_array_push(mcf->module_paths);
        if (dir == NULL) {
            return NGX_CONF_ERROR;
        }

        *dir = value[i];

        /* relative to the conf prefix; NUL-terminated for the runtime */
        if (ngx_conf_full_name(cf->cycle, dir, 1) != NGX_OK) {
            return NGX_CONF_ERROR;
        }

        if (ngx_file_info(dir->data, &fi) == NGX_FILE_ERROR) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                               ngx_file_info_n " \"%V\" failed", dir);
            return NGX_CONF_ERROR;
        }

        if (!ngx_is_dir(&fi)) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "js_module_path \"%V\" is not a directory",
                               dir);
            return NGX_CONF_ERROR;
        }
    }

    return NGX_CONF_OK;
}


/* a NULL-ended array of the NUL-terminated ngx_str_t's in "a" */

static const char **
ngx_http_v8_strv(ngx_pool_t *pool, ngx_array_t *a)
{
    ngx_str_t    *s;
    ngx_uint_t    i;
    const char  **v;

    v = ngx_pcalloc(pool, (a->nelts + 1) * sizeof(char *));
    if (v == NULL) {
        return NULL;
    }

    s = a->elts;

    for (i = 0; i < a->nelts; i++) {
        v[i] = (const char *) s[i].data;
    }

    return v;
}


static ngx_int_t
ngx_http_v8_postconfiguration(ngx_conf_t *cf)
{
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_REWRITE_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_v8_rewrite_handler;

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_v8_access_handler;

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_LOG_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_v8_log_handler;

    return ngx_http_v8_filter_init(cf);
}


static ngx_int_t
ngx_http_v8_init_process(ngx_cycle_t *cycle)
{
    nv8_runtime_conf_t        limits;
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

    ngx_memzero(&limits, sizeof(nv8_runtime_conf_t));

    if (mcf->fs_roots) {
        limits.fs_roots = ngx_http_v8_strv(cycle->pool, mcf->fs_roots);
        if (limits.fs_roots == NULL) {
            return NGX_OK;
        }
    }

    if (mcf->module_paths) {
        limits.module_paths = ngx_http_v8_strv(cycle->pool,
                                               mcf->module_paths);
        if (limits.module_paths == NULL) {
            return NGX_OK;
        }
    }

    limits.cpu_limit_ms = mcf->cpu_limit;
    limits.heap_max = mcf->heap_limit;
    limits.buffers_max = mcf->buffers_limit;

    if (ngx_v8_runtime_init(cycle, &mcf->flags, mcf->threads,
                            ngx_http_v8_bindings, &limits)
        != NGX_OK)
    {
        return NGX_OK;
    }

    ngx_v8_runtime.context_log = ngx_http_v8_context_log;
    ngx_v8_runtime.terminated = ngx_http_v8_terminated;

    (void) ngx_http_v8_handlers_load(cycle, mcf);

    ngx_http_v8_init_worker(cycle, mcf);

    ngx_v8_loop_arm();

    return NGX_OK;
}


static void
ngx_http_v8_exit_process(ngx_cycle_t *cycle)
{
    ngx_v8_runtime_exit(cycle);
}
