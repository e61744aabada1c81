// Copyright (C) nv8 contributors
//
// Stands in for the npm "process" package (and, injected, for the free
// "process" global) inside a bundle: it is nv8's node:process.

import process from 'node:process';

export { process, process as default };
export const nextTick = process.nextTick;
export const env = process.env;
export const cwd = process.cwd;
