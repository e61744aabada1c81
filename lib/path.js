// Copyright (C) nv8 contributors
//
// node:path: npm "path-browserify" (Node's POSIX path module, as a
// package), vendored in internal/deps/path.  There is no Windows flavour:
// path.win32 is the POSIX one too.

import path from 'internal/deps/path';

// the package's TypeErrors lack Node's code
for (const [name, fn] of Object.entries(path)) {
    if (typeof fn === 'function' && name !== '_makeLong') {
        path[name] = function (...args) {
            try {
                return fn.apply(path, args);
            } catch (err) {
                if (err instanceof TypeError && err.code === undefined) {
                    err.code = 'ERR_INVALID_ARG_TYPE';
                }
                throw err;
            }
        };
    }
}

path.posix = path;
path.win32 = path;

/**
 * @param {string} p
 * @returns {string} p itself: namespaced paths are a Windows thing
 */
path.toNamespacedPath = (p) => p;

export const {
    basename, delimiter, dirname, extname, format, isAbsolute, join,
    normalize, parse, posix, relative, resolve, sep, toNamespacedPath, win32,
} = path;
export default path;
