
/*
 * Copyright (C) nv8 contributors
 *
 * console: formatted text from lib/internal/console.js goes to the host's
 * log, tagged with the request that was current for the calling code.
 */


#include <stdlib.h>
#include <string.h>
#include "nv8_internal.h"


static nv8_int_t nv8_console_write(nv8_call_t *call);


static const nv8_method_t  nv8_console_methods[] = {

    { "write",   nv8_console_write,   0 },

    { NULL, NULL, 0 }
};


const nv8_binding_t  nv8_console_binding = {
    "console",
    nv8_console_methods
};


static nv8_int_t
nv8_console_write(nv8_call_t *call)
{
    char           *p;
    size_t          i, n;
    double          level;
    nv8_str_t       msg;
    nv8_runtime_t  *rt;

    rt = nv8_call_runtime(call);

    if (nv8_arg_number(call, 0, &level) != NV8_OK
        || nv8_arg_string(call, 1, &msg) != NV8_OK)
    {
        return NV8_ERROR;
    }

    if (level < NV8_LOG_EMERG || level > NV8_LOG_DEBUG) {
        level = NV8_LOG_INFO;
    }

    if (memchr(msg.data, '\0', msg.len) == NULL) {
        nv8__log(rt, (nv8_int_t) level, nv8__v8_context(rt), "js: %.*s",
                 (int) msg.len, msg.data);
        return NV8_OK;
    }

    /* NUL would end the line early: it is written as "\0" */

    p = malloc(msg.len * 2);
    if (p == NULL) {
        return nv8_throw(call, NV8_ERROR_PLAIN, "ERR_NV8_NOMEM", "out of memory");
    }

    for (i = 0, n = 0; i < msg.len; i++) {
        if (msg.data[i] == '\0') {
            p[n++] = '\\';
            p[n++] = '0';

        } else {
            p[n++] = msg.data[i];
        }
    }

    nv8__log(rt, (nv8_int_t) level, nv8__v8_context(rt), "js: %.*s",
             (int) n, p);
    free(p);

    return NV8_OK;
}
