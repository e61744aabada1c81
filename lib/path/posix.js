// Copyright (C) nv8 contributors
//
// node:path/posix: the same module as node:path.

import path from 'path';

export const {
    basename, delimiter, dirname, extname, format, isAbsolute, join,
    normalize, parse, posix, relative, resolve, sep, toNamespacedPath, win32,
} = path;
export default path;
