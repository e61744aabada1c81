// Copyright (C) nv8 contributors
//
// node:fs.  The callback functions run on libuv's thread pool; the *Sync
// ones run on the worker's thread and block it for the call, as they
// block Node's event loop.  Either way, paths stay beneath the
// js_fs_root directories (see docs/api/node.md).

import promises from 'fs/promises';
import {
    binding, constants, toPath, Stats, BigIntStats, Dirent,
} from 'internal/fs/utils';
import { makeCallback, makeSync, callbackFrom } from 'internal/fs/ops';
import * as handle from 'internal/fs/handle';
import {
    ReadStream, WriteStream, createReadStream, createWriteStream,
} from 'internal/fs/streams';

const OPS = [
    'access', 'chmod', 'close', 'copyFile', 'fchmod', 'fdatasync', 'fstat',
    'fsync', 'ftruncate', 'futimes', 'link', 'lstat', 'lutimes', 'mkdir',
    'mkdtemp', 'open', 'read', 'readdir', 'readlink', 'realpath', 'rename',
    'rm', 'rmdir', 'stat', 'symlink', 'truncate', 'unlink', 'utimes',
    'write',
];

const cb = {};
const sync = {};

for (const name of OPS) {
    cb[name] = makeCallback(name);
    sync[name + 'Sync'] = makeSync(name);
}

export const {
    access, chmod, close, copyFile, fchmod, fdatasync, fstat, fsync,
    ftruncate, futimes, link, lstat, lutimes, mkdir, mkdtemp, open, read,
    readdir, readlink, realpath, rename, rm, rmdir, stat, symlink, truncate,
    unlink, utimes, write,
} = cb;

export const {
    accessSync, chmodSync, closeSync, copyFileSync, fchmodSync,
    fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, futimesSync,
    linkSync, lstatSync, lutimesSync, mkdirSync, mkdtempSync, openSync,
    readSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync,
    rmdirSync, statSync, symlinkSync, truncateSync, unlinkSync, utimesSync,
    writeSync,
} = sync;

realpath.native = realpath;
realpathSync.native = realpathSync;

/** readFile(path|fd, [options], cb) */
export const readFile = callbackFrom(
    (path, options) => handle.readFile(path, options, true), 'readFile');
/** writeFile(path|fd, data, [options], cb) */
export const writeFile = callbackFrom(
    (file, data, options) => handle.writeFile(file, data, options, 'w', true),
    'writeFile');
/** appendFile(path|fd, data, [options], cb) */
export const appendFile = callbackFrom(
    (file, data, options) => handle.appendFile(file, data, options, true),
    'appendFile');

export const readFileSync = handle.readFileSync;

/**
 * @param {string|Buffer|URL|number} file
 * @param {string|Uint8Array} data
 * @param {string|object} [options]
 */
export function writeFileSync(file, data, options) {
    handle.writeFileSync(file, data, options, 'w');
}

/**
 * @param {string|Buffer|URL|number} file
 * @param {string|Uint8Array} data
 * @param {string|object} [options]
 */
export function appendFileSync(file, data, options) {
    handle.writeFileSync(file, data, options, 'a');
}

/**
 * Whether a path exists (beneath the roots); never throws.
 * @param {string|Buffer|URL} path
 * @returns {boolean}
 */
export function existsSync(path) {
    try {
        binding.accessSync(toPath(path), constants.F_OK);
        return true;
    } catch {
        return false;
    }
}

/**
 * Deprecated in Node: cb(exists), no error argument.
 * @param {string|Buffer|URL} path
 * @param {Function} callback
 */
export function exists(path, callback) {
    let p;
    try {
        p = toPath(path);
    } catch {
        queueMicrotask(() => callback(false));
        return;
    }
    binding.access(p, constants.F_OK).then(() => callback(true),
                                            () => callback(false));
}

export const { F_OK, R_OK, W_OK, X_OK } = constants;

export {
    constants, promises, Stats, BigIntStats, Dirent, ReadStream, WriteStream,
    createReadStream, createWriteStream,
};

export default {
    access, accessSync, appendFile, appendFileSync, chmod, chmodSync, close,
    closeSync, constants, copyFile, copyFileSync, createReadStream,
    createWriteStream, Dirent, exists, existsSync, fchmod, fchmodSync,
    fdatasync, fdatasyncSync, fstat, fstatSync, fsync, fsyncSync, ftruncate,
    ftruncateSync, futimes, futimesSync, link, linkSync, lstat, lstatSync,
    lutimes, lutimesSync, mkdir, mkdirSync, mkdtemp, mkdtempSync, open,
    openSync, promises, read, readdir, readdirSync, readFile, readFileSync,
    readlink, readlinkSync, readSync, ReadStream, realpath, realpathSync,
    rename, renameSync, rm, rmdir, rmdirSync, rmSync, stat, Stats,
    statSync, symlink, symlinkSync, truncate, truncateSync, unlink,
    unlinkSync, utimes, utimesSync, write, writeFile, writeFileSync,
    writeSync, WriteStream, F_OK, R_OK, W_OK, X_OK, BigIntStats,
};
