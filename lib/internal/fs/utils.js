// Copyright (C) nv8 contributors
//
// What node:fs, node:fs/promises and the file streams share: argument
// checks, flags and modes, Stats and Dirent, and turning the binding's
// [errno, syscall] failures into Node's errors.

import { Buffer } from 'buffer';
import { codedError, invalidArgType, uvException } from 'internal/errors';
import { inspect } from 'internal/util/inspect';
import { fileURLToPath } from 'url';

export const binding = import.meta.binding('fs');

/** fs.constants, Linux values. */
export const constants = Object.freeze({
    UV_FS_SYMLINK_DIR: 1,
    UV_FS_SYMLINK_JUNCTION: 2,
    O_RDONLY: 0,
    O_WRONLY: 1,
    O_RDWR: 2,
    UV_DIRENT_UNKNOWN: 0,
    UV_DIRENT_FILE: 1,
    UV_DIRENT_DIR: 2,
    UV_DIRENT_LINK: 3,
    UV_DIRENT_FIFO: 4,
    UV_DIRENT_SOCKET: 5,
    UV_DIRENT_CHAR: 6,
    UV_DIRENT_BLOCK: 7,
    S_IFMT: 0o170000,
    S_IFREG: 0o100000,
    S_IFDIR: 0o040000,
    S_IFCHR: 0o020000,
    S_IFBLK: 0o060000,
    S_IFIFO: 0o010000,
    S_IFLNK: 0o120000,
    S_IFSOCK: 0o140000,
    O_CREAT: 0o100,
    O_EXCL: 0o200,
    UV_FS_O_FILEMAP: 0,
    O_NOCTTY: 0o400,
    O_TRUNC: 0o1000,
    O_APPEND: 0o2000,
    O_DIRECTORY: 0o200000,
    O_NOATIME: 0o1000000,
    O_NOFOLLOW: 0o400000,
    O_SYNC: 0o4010000,
    O_DSYNC: 0o10000,
    O_DIRECT: 0o40000,
    O_NONBLOCK: 0o4000,
    S_IRWXU: 0o700,
    S_IRUSR: 0o400,
    S_IWUSR: 0o200,
    S_IXUSR: 0o100,
    S_IRWXG: 0o70,
    S_IRGRP: 0o40,
    S_IWGRP: 0o20,
    S_IXGRP: 0o10,
    S_IRWXO: 0o7,
    S_IROTH: 0o4,
    S_IWOTH: 0o2,
    S_IXOTH: 0o1,
    F_OK: 0,
    R_OK: 4,
    W_OK: 2,
    X_OK: 1,
    UV_FS_COPYFILE_EXCL: 1,
    COPYFILE_EXCL: 1,
    UV_FS_COPYFILE_FICLONE: 2,
    COPYFILE_FICLONE: 2,
    UV_FS_COPYFILE_FICLONE_FORCE: 4,
    COPYFILE_FICLONE_FORCE: 4,
});

const {
    O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_SYNC,
    S_IFMT,
} = constants;

const FLAGS = {
    'r': O_RDONLY,
    'rs': O_RDONLY | O_SYNC,
    'sr': O_RDONLY | O_SYNC,
    'r+': O_RDWR,
    'rs+': O_RDWR | O_SYNC,
    'sr+': O_RDWR | O_SYNC,
    'w': O_TRUNC | O_CREAT | O_WRONLY,
    'wx': O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
    'xw': O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
    'w+': O_TRUNC | O_CREAT | O_RDWR,
    'wx+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
    'xw+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
    'a': O_APPEND | O_CREAT | O_WRONLY,
    'ax': O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
    'xa': O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
    'as': O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
    'sa': O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
    'a+': O_APPEND | O_CREAT | O_RDWR,
    'ax+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
    'xa+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
    'as+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
    'sa+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
};

function invalidArgValue(name, value, reason = 'is invalid') {
    return codedError(TypeError, 'ERR_INVALID_ARG_VALUE',
                      `The argument '${name}' ${reason}. Received ` +
                      inspect(value));
}

/**
 * open(2) flags from Node's flag strings ('r', 'w+', 'ax', ...) or a number.
 * @param {string|number} [flags]
 * @param {string} [def]
 * @returns {number}
 */
export function stringToFlags(flags, def = 'r') {
    if (flags === undefined || flags === null) {
        flags = def;
    }
    if (typeof flags === 'number' && Number.isInteger(flags)) {
        return flags;
    }
    if (typeof flags === 'string' && Object.hasOwn(FLAGS, flags)) {
        return FLAGS[flags];
    }
    throw invalidArgValue('flags', flags);
}

/**
 * A mode from a number or an octal string.
 * @param {number|string} [mode]
 * @param {string} name
 * @param {number} [def] without one, the mode is required
 * @returns {number}
 */
export function parseMode(mode, name, def) {
    if ((mode === undefined || mode === null) && def !== undefined) {
        return def;
    }
    if (typeof mode === 'string') {
        if (!/^[0-7]+$/.test(mode)) {
            throw invalidArgValue(name, mode,
                                  'must be a 32-bit unsigned integer or an ' +
                                  'octal string');
        }
        mode = parseInt(mode, 8);
    }
    if (typeof mode !== 'number') {
        throw invalidArgType(name, 'of type number', mode);
    }
    if (!Number.isInteger(mode) || mode < 0 || mode > 0xffffffff) {
        throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
                         `The value of "${name}" is out of range. It must ` +
                         `be >= 0 && <= 4294967295. Received ${mode}`);
    }
    return mode;
}

/**
 * A path argument as the binding takes it: a string or the bytes of a
 * Buffer; file: URLs become their path.
 * @param {string|Buffer|URL} path
 * @param {string} [name]
 * @returns {string|Uint8Array}
 */
export function toPath(path, name = 'path') {
    if (typeof path === 'string') {
        if (path.includes('\u0000')) {
            throw invalidArgValue(name, path,
                                  'must be a string, Uint8Array, or URL ' +
                                  'without null bytes');
        }
        return path;
    }
    if (path instanceof Uint8Array) {
        if (path.includes(0)) {
            throw invalidArgValue(name, path,
                                  'must be a string, Uint8Array, or URL ' +
                                  'without null bytes');
        }
        return path;
    }
    if (path !== null && typeof path === 'object' &&
        typeof path.href === 'string' && typeof path.protocol === 'string') {
        return fileURLToPath(path);
    }
    throw invalidArgType(name, 'of type string or an instance of Buffer or ' +
                         'URL', path);
}

/**
 * A path as text, for error messages.
 * @param {string|Uint8Array} path
 * @returns {string}
 */
export function pathText(path) {
    return typeof path === 'string' ? path : Buffer.from(path).toString();
}

/**
 * @param {*} fd
 * @returns {number}
 */
export function validateFd(fd) {
    if (typeof fd !== 'number') {
        throw invalidArgType('fd', 'of type number', fd);
    }
    if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) {
        throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
                         'The value of "fd" is out of range. It must be ' +
                         `>= 0 && <= 2147483647. Received ${fd}`);
    }
    return fd;
}

/**
 * A position: a number (or bigint), or -1 for "the file's position".
 * @param {*} pos
 * @returns {number}
 */
export function toPosition(pos) {
    if (pos === undefined || pos === null) {
        return -1;
    }
    if (typeof pos === 'bigint') {
        pos = Number(pos);
    }
    if (typeof pos !== 'number') {
        throw invalidArgType('position', 'of type number or bigint', pos);
    }
    if (!Number.isInteger(pos) || pos < -1) {
        throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
                         'The value of "position" is out of range. It must ' +
                         `be an integer >= -1. Received ${pos}`);
    }
    return pos;
}

/**
 * Seconds since the epoch, from a Date, a number or a numeric string.
 * @param {Date|number|string} t
 * @param {string} name
 * @returns {number}
 */
export function toUnixTimestamp(t, name = 'time') {
    if (typeof t === 'string' && +t == t) {
        return +t;
    }
    if (typeof t === 'number') {
        return Number.isFinite(t) ? t : Date.now() / 1000;
    }
    if (t instanceof Date) {
        return t.getTime() / 1000;
    }
    throw invalidArgType(name, 'of type number or an instance of Date', t);
}

/**
 * @param {*} options a string is the encoding
 * @param {object} defaults
 * @returns {object}
 */
export function getOptions(options, defaults = {}) {
    let out;
    if (options === undefined || options === null ||
        typeof options === 'function') {
        return defaults;
    }
    if (typeof options === 'string') {
        out = { ...defaults, encoding: options };
    } else if (typeof options === 'object') {
        out = { ...defaults, ...options };
    } else {
        throw invalidArgType('options', 'of type string or an instance of ' +
                             'Object', options);
    }
    if (out.encoding !== undefined && out.encoding !== null &&
        out.encoding !== 'buffer' && !Buffer.isEncoding(out.encoding)) {
        throw invalidArgValue('encoding', out.encoding, 'is invalid encoding');
    }
    return out;
}

/**
 * Bytes the binding returned, as a Buffer over the same memory.
 * @param {Uint8Array} u8
 * @returns {Buffer}
 */
export function asBuffer(u8) {
    return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

/**
 * Bytes as text in "encoding", or a Buffer for 'buffer' (and null when
 * nullAsBuffer).
 * @param {Uint8Array} u8
 * @param {string|null} encoding
 * @returns {string|Buffer}
 */
export function decode(u8, encoding) {
    const buf = asBuffer(u8);
    if (encoding === 'buffer' || encoding === null) {
        return buf;
    }
    return buf.toString(encoding ?? 'utf8');
}

/**
 * Data to write as a view; strings in "encoding" (utf8 by default).
 * @param {*} data
 * @param {string} [encoding]
 * @param {string} [name]
 * @returns {Uint8Array}
 */
export function toBytes(data, encoding, name = 'data') {
    if (typeof data === 'string') {
        return Buffer.from(data, encoding ?? 'utf8');
    }
    if (ArrayBuffer.isView(data)) {
        return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    }
    throw invalidArgType(name, 'of type string or an instance of Buffer, ' +
                         'TypedArray, or DataView', data);
}

const FD_CALLS = new Set(['read', 'write', 'fstat', 'close']);

/**
 * The Error for a binding failure ([errno, syscall]); other values pass.
 * @param {*} e
 * @param {string|Uint8Array} [path]
 * @param {string|Uint8Array} [dest]
 * @returns {*}
 */
export function fsError(e, path, dest) {
    if (!Array.isArray(e)) {
        return e;
    }
    const [errno, syscall] = e;
    const p = path === undefined ? undefined : pathText(path);
    if (syscall === 'rm' && binding.errname(errno) === 'EISDIR') {
        const err = new Error('Path is a directory: rm returned EISDIR ' +
                              `(is a directory) ${p}`);
        err.name = 'SystemError';
        err.code = 'ERR_FS_EISDIR';
        err.errno = -errno;
        err.syscall = 'rm';
        err.path = p;
        err.info = { code: 'EISDIR', message: 'is a directory', path: p,
                     syscall: 'rm', errno: -errno };
        return err;
    }
    // as in Node, a failure on an open fd names no path
    return uvException(errno, syscall, FD_CALLS.has(syscall) ? undefined : p,
                       dest === undefined ? undefined : pathText(dest));
}

/**
 * Calls a Sync binding method, turning a failure into Node's error.
 * @param {Function} fn
 * @param {Array} args
 * @param {string|Uint8Array} [path]
 * @param {string|Uint8Array} [dest]
 * @returns {*}
 */
export function callSync(fn, args, path, dest) {
    try {
        return fn(...args);
    } catch (e) {
        throw fsError(e, path, dest);
    }
}

/**
 * Awaits a binding promise, turning a failure into Node's error.
 * @param {Promise} p
 * @param {string|Uint8Array} [path]
 * @param {string|Uint8Array} [dest]
 * @returns {Promise<*>}
 */
export async function callAsync(p, path, dest) {
    try {
        return await p;
    } catch (e) {
        throw fsError(e, path, dest);
    }
}

class StatsBase {
    isFile() {
        return (Number(this.mode) & S_IFMT) === constants.S_IFREG;
    }

    isDirectory() {
        return (Number(this.mode) & S_IFMT) === constants.S_IFDIR;
    }

    isSymbolicLink() {
        return (Number(this.mode) & S_IFMT) === constants.S_IFLNK;
    }

    isFIFO() {
        return (Number(this.mode) & S_IFMT) === constants.S_IFIFO;
    }

    isSocket() {
        return (Number(this.mode) & S_IFMT) === constants.S_IFSOCK;
    }

    isCharacterDevice() {
        return (Number(this.mode) & S_IFMT) === constants.S_IFCHR;
    }

    isBlockDevice() {
        return (Number(this.mode) & S_IFMT) === constants.S_IFBLK;
    }
}

const FIELDS = ['dev', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'blksize',
                'ino', 'size', 'blocks'];
const TIMES = ['atime', 'mtime', 'ctime', 'birthtime'];

/** File status, as Node's fs.Stats. */
export class Stats extends StatsBase {
    /** @param {Float64Array} v the binding's numbers */
    constructor(v) {
        super();
        for (let i = 0; i < FIELDS.length; i++) {
            this[FIELDS[i]] = v[i];
        }
        for (let i = 0; i < TIMES.length; i++) {
            this[TIMES[i] + 'Ms'] = v[10 + 2 * i] * 1e3 +
                                    v[11 + 2 * i] / 1e6;
        }
        for (const t of TIMES) {
            this[t] = new Date(this[t + 'Ms']);
        }
    }
}

/** File status with bigint fields and nanoseconds (bigint: true). */
export class BigIntStats extends StatsBase {
    /** @param {Float64Array} v the binding's numbers */
    constructor(v) {
        super();
        for (let i = 0; i < FIELDS.length; i++) {
            this[FIELDS[i]] = BigInt(v[i]);
        }
        for (let i = 0; i < TIMES.length; i++) {
            const ns = BigInt(v[10 + 2 * i]) * 1000000000n +
                       BigInt(v[11 + 2 * i]);
            this[TIMES[i] + 'Ms'] = ns / 1000000n;
            this[TIMES[i] + 'Ns'] = ns;
        }
        for (const t of TIMES) {
            this[t] = new Date(Number(this[t + 'Ms']));
        }
    }
}

/**
 * @param {Float64Array} v
 * @param {object} [options] { bigint }
 * @returns {Stats|BigIntStats}
 */
export function makeStats(v, options) {
    return options?.bigint ? new BigIntStats(v) : new Stats(v);
}

const kType = Symbol('type');

/** A directory entry, as Node's fs.Dirent. */
export class Dirent {
    constructor(name, type, path) {
        this.name = name;
        this.path = path;
        this[kType] = type;
    }

    get parentPath() {
        return this.path;
    }

    isFile() {
        return this[kType] === constants.UV_DIRENT_FILE;
    }

    isDirectory() {
        return this[kType] === constants.UV_DIRENT_DIR;
    }

    isSymbolicLink() {
        return this[kType] === constants.UV_DIRENT_LINK;
    }

    isFIFO() {
        return this[kType] === constants.UV_DIRENT_FIFO;
    }

    isSocket() {
        return this[kType] === constants.UV_DIRENT_SOCKET;
    }

    isCharacterDevice() {
        return this[kType] === constants.UV_DIRENT_CHAR;
    }

    isBlockDevice() {
        return this[kType] === constants.UV_DIRENT_BLOCK;
    }
}

/**
 * The binding's readdir bytes (type, name, NUL per entry) as names or
 * Dirents.
 * @param {Uint8Array} u8
 * @param {string|Uint8Array} path
 * @param {object} options { encoding, withFileTypes }
 * @returns {Array<string|Buffer|Dirent>}
 */
export function readdirResult(u8, path, options) {
    const out = [];
    const buf = asBuffer(u8);
    const encoding = options.encoding ?? 'utf8';
    const dir = pathText(path);
    let i = 0;
    while (i < buf.length) {
        const type = buf[i];
        const end = buf.indexOf(0, i + 1);
        const raw = buf.subarray(i + 1, end);
        const name = encoding === 'buffer' ? Buffer.from(raw)
                                           : raw.toString(encoding);
        out.push(options.withFileTypes ? new Dirent(name, type, dir) : name);
        i = end + 1;
    }
    return out;
}

/**
 * rm()'s options: recursive, force.
 * @param {object} [options]
 * @returns {{recursive: boolean, force: boolean}}
 */
export function rmOptions(options) {
    options = getOptions(options);
    return { recursive: Boolean(options.recursive),
             force: Boolean(options.force) };
}
