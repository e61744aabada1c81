
/*
 * Copyright (C) nv8 contributors
 *
 * Every binding the runtime itself provides, listed once.  Host bindings
 * (the nginx module's) come in nv8_runtime_conf_t.
 */


#ifndef _NV8_BINDINGS_H_INCLUDED_
#define _NV8_BINDINGS_H_INCLUDED_


#define NV8_BINDINGS(V)                                                       \
    V(console)                                                                \
    V(timers)                                                                 \
    V(fs)                                                                     \
    V(modules)                                                                \
    V(os)                                                                     \
    V(crypto)                                                                 \
    V(zlib)                                                                   \
    V(encoding)


#define NV8_BINDING_DECLARE(name)                                             \
    extern const nv8_binding_t  nv8_##name##_binding;

NV8_BINDINGS(NV8_BINDING_DECLARE)


#endif /* _NV8_BINDINGS_H_INCLUDED_ */
