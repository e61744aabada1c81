// Copyright (C) nv8 contributors
//
// node:fs/promises.  Every call runs on libuv's thread pool; the worker
// thread never waits for the disk.

import { invalidArgType, uvException } from 'internal/errors';
import { TextDecoder } from 'internal/encoding';

const binding = import.meta.binding('fs');

function toPath(p) {
    if (typeof URL === 'function' && p instanceof URL &&
        p.protocol === 'file:') {
        return decodeURIComponent(p.pathname);
    }
    if (typeof p !== 'string') {
        throw invalidArgType('path', 'of type string or an instance of URL',
                             p);
    }
    return p;
}

function encodingOf(options) {
    if (typeof options === 'string') {
        return options;
    }
    return options?.encoding ?? null;
}

/**
 * Reads a whole file.  Resolves to a Uint8Array, or a string when an
 * encoding ('utf8') is given.
 * @param {string|URL} path
 * @param {string|{encoding?: string}} [options]
 * @returns {Promise<Uint8Array|string>}
 */
export async function readFile(path, options) {
    path = toPath(path);
    const encoding = encodingOf(options);
    let data;
    try {
        data = await binding.readFile(path);
    } catch (e) {
        throw Array.isArray(e) ? uvException(e[0], e[1], path) : e;
    }
    if (encoding === null) {
        return data;
    }
    return new TextDecoder(encoding).decode(data);
}

const S_IFMT = 0o170000;

/** File status, as Node's fs.Stats. */
export class Stats {
    constructor(v) {
        [this.dev, this.mode, this.nlink, this.uid, this.gid, this.rdev,
         this.blksize, this.ino, this.size, this.blocks, this.atimeMs,
         this.mtimeMs, this.ctimeMs, this.birthtimeMs] = v;
        this.atime = new Date(this.atimeMs);
        this.mtime = new Date(this.mtimeMs);
        this.ctime = new Date(this.ctimeMs);
        this.birthtime = new Date(this.birthtimeMs);
    }

    isFile() {
        return (this.mode & S_IFMT) === 0o100000;
    }

    isDirectory() {
        return (this.mode & S_IFMT) === 0o040000;
    }

    isSymbolicLink() {
        return (this.mode & S_IFMT) === 0o120000;
    }

    isFIFO() {
        return (this.mode & S_IFMT) === 0o010000;
    }

    isSocket() {
        return (this.mode & S_IFMT) === 0o140000;
    }

    isCharacterDevice() {
        return (this.mode & S_IFMT) === 0o020000;
    }

    isBlockDevice() {
        return (this.mode & S_IFMT) === 0o060000;
    }
}

async function statWith(fn, syscall, path) {
    path = toPath(path);
    try {
        return new Stats(await fn(path));
    } catch (e) {
        throw Array.isArray(e) ? uvException(e[0], e[1], path) : e;
    }
}

/**
 * @param {string|URL} path
 * @returns {Promise<Stats>}
 */
export function stat(path) {
    return statWith(binding.stat, 'stat', path);
}

/**
 * @param {string|URL} path
 * @returns {Promise<Stats>}
 */
export function lstat(path) {
    return statWith(binding.lstat, 'lstat', path);
}

export default { readFile, stat, lstat };
