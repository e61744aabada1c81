// Copyright (C) nv8 contributors
//
// node:fs/promises.  Every call runs on libuv's thread pool; the worker
// thread never waits for the disk.  Paths stay beneath the js_fs_root
// directories (see docs/api/node.md).

import { constants } from 'internal/fs/utils';
import { makePromise } from 'internal/fs/ops';
import * as handle from 'internal/fs/handle';
import 'internal/fs/streams';

export const access = makePromise('access');
export const chmod = makePromise('chmod');
export const copyFile = makePromise('copyFile');
export const link = makePromise('link');
export const lstat = makePromise('lstat');
export const lutimes = makePromise('lutimes');
export const mkdir = makePromise('mkdir');
export const mkdtemp = makePromise('mkdtemp');
export const readdir = makePromise('readdir');
export const readlink = makePromise('readlink');
export const realpath = makePromise('realpath');
export const rename = makePromise('rename');
export const rm = makePromise('rm');
export const rmdir = makePromise('rmdir');
export const stat = makePromise('stat');
export const symlink = makePromise('symlink');
export const truncate = makePromise('truncate');
export const unlink = makePromise('unlink');
export const utimes = makePromise('utimes');

/**
 * Opens a file.
 * @param {string|Buffer|URL} path
 * @param {string|number} [flags] 'r' by default
 * @param {number|string} [mode] 0o666 by default
 * @returns {Promise<FileHandle>}
 */
export async function open(path, flags, mode) {
    return handle.open(path, flags, mode);
}

/**
 * Reads a whole file: a Buffer, or a string with an encoding.
 * @param {string|Buffer|URL|FileHandle} path
 * @param {string|object} [options] { encoding, flag, signal }
 * @returns {Promise<Buffer|string>}
 */
export async function readFile(path, options) {
    return handle.readFile(path, options);
}

/**
 * Replaces a file's contents (creating it).
 * @param {string|Buffer|URL|FileHandle} file
 * @param {string|Buffer|TypedArray|DataView|Iterable|AsyncIterable} data
 * @param {string|object} [options] { encoding, mode, flag, signal }
 * @returns {Promise<void>}
 */
export async function writeFile(file, data, options) {
    return handle.writeFile(file, data, options);
}

/**
 * Appends to a file (creating it).
 * @param {string|Buffer|URL|FileHandle} file
 * @param {string|Buffer|TypedArray|DataView} data
 * @param {string|object} [options] { encoding, mode, flag }
 * @returns {Promise<void>}
 */
export async function appendFile(file, data, options) {
    return handle.appendFile(file, data, options);
}

export { constants };

export default {
    access, appendFile, chmod, constants, copyFile, link, lstat, lutimes,
    mkdir, mkdtemp, open, readdir, readFile, readlink, realpath, rename, rm,
    rmdir, stat, symlink, truncate, unlink, utimes, writeFile,
};
