// Copyright (C) nv8 contributors
//
// node:module: createRequire() for ES modules, the builtin list, and the
// CommonJS Module class.

import { Module } from 'internal/modules/cjs/loader';

export const createRequire = Module.createRequire;
export const builtinModules = Module.builtinModules;
export const isBuiltin = Module.isBuiltin;
export { Module };
export default Module;
