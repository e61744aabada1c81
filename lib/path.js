// Copyright (C) nv8 contributors
//
// node:path: npm "path-browserify" (Node's POSIX path module, as a
// package), vendored in internal/deps/path.  There is no Windows flavour:
// path.win32 is the POSIX one too.

import path from 'internal/deps/path';
import { invalidArgType } from 'internal/errors';

// Node's argument checks, before the package's (which lack Node's code
// and message)
function str(v, name) {
    if (typeof v !== 'string') {
        throw invalidArgType(name, 'of type string', v);
    }
}

const checks = {
    resolve: (args) => args.forEach((a, i) => str(a, `paths[${i}]`)),
    join: (args) => args.forEach((a) => str(a, 'path')),
    relative: ([from, to]) => {
        str(from, 'from');
        str(to, 'to');
    },
    basename: ([p, ext]) => {
        str(p, 'path');
        if (ext !== undefined) {
            str(ext, 'ext');
        }
    },
    format: ([o]) => {
        if (o === null || typeof o !== 'object') {
            throw invalidArgType('pathObject', 'of type object', o);
        }
    },
};
for (const name of ['normalize', 'isAbsolute', 'dirname', 'extname',
                    'parse']) {
    checks[name] = ([p]) => str(p, 'path');
}

for (const [name, check] of Object.entries(checks)) {
    const fn = path[name];
    path[name] = {
        [name](...args) {
            check(args);
            return fn.apply(path, args);
        },
    }[name];
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
