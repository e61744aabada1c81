// Copyright (C) nv8 contributors
//
// Run by the build with NV8_CODE_CACHE_OUT set (Makefile.am): loads every
// builtin, so that nv8 writes V8's code cache of all of them, with the
// functions their evaluation compiled.
import { builtinModules } from 'node:module';

for (const id of builtinModules) {
    await import(`node:${id}`);
}
