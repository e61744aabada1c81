// Copyright (C) nv8 contributors
//
// Every fs operation once, as a spec: parse() checks the arguments (and
// throws at once, as Node's callback and Sync forms do) and gives the
// binding's arguments and the paths for errors; done() turns the binding's
// result into the value Node returns.  makeSync(), makeCallback() and
// makePromise() build the three forms of node:fs from the same spec: the
// Sync one runs the binding's "nameSync" on the worker thread, the others
// its "name" on libuv's thread pool.

import { Buffer } from 'buffer';
import { codedError, invalidArgType } from 'internal/errors';
import {
    binding, constants, stringToFlags, parseMode, toPath, validateFd,
    toPosition, toUnixTimestamp, getOptions, decode, toBytes, fsError,
    callSync, makeStats, readdirResult, rmOptions,
} from 'internal/fs/utils';

function outOfRange(name, range, value) {
    return codedError(RangeError, 'ERR_OUT_OF_RANGE',
                      `The value of "${name}" is out of range. It must be ` +
                      `${range}. Received ${value}`);
}

function validateInt(value, name, min, max) {
    if (typeof value !== 'number') {
        throw invalidArgType(name, 'of type number', value);
    }
    if (!Number.isInteger(value)) {
        throw outOfRange(name, 'an integer', value);
    }
    if (value < min) {
        throw outOfRange(name, `>= ${min}`, value);
    }
    if (value > max) {
        throw outOfRange(name, `<= ${max}`, value);
    }
    return value;
}

// access() and copyFile() modes, with Node's message for them
function modeBits(mode, def) {
    if (mode === undefined || mode === null) {
        return def;
    }
    if (typeof mode !== 'number') {
        throw invalidArgType('mode', 'of type number', mode);
    }
    if (!Number.isInteger(mode) || mode < 0 || mode > 7) {
        throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
                         'mode is out of range: >= 0 && <= 7');
    }
    return mode;
}

function accessMode(mode) {
    return modeBits(mode, constants.F_OK);
}

function copyMode(mode) {
    return modeBits(mode, 0);
}

function lengthArg(len) {
    if (len === undefined || len === null) {
        return 0;
    }
    if (typeof len === 'bigint') {
        len = Number(len);
    }
    validateInt(len, 'len', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    return Math.max(0, len);
}

function view(buffer, name = 'buffer') {
    if (!ArrayBuffer.isView(buffer)) {
        throw invalidArgType(name, 'an instance of Buffer, TypedArray, or ' +
                             'DataView', buffer);
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/*
 * read(fd, buffer, offset, length, position), read(fd, { buffer, offset,
 * length, position }), read(fd, buffer, { offset, length, position })
 */
function readArgs(fd, buffer, offset, length, position) {
    let opts;
    if (buffer !== undefined && buffer !== null &&
        !ArrayBuffer.isView(buffer) && typeof buffer === 'object') {
        opts = buffer;
        buffer = opts.buffer ?? Buffer.alloc(16384);
    } else if (buffer === undefined || buffer === null) {
        buffer = Buffer.alloc(16384);
        opts = {};
    } else if (offset !== null && typeof offset === 'object') {
        opts = offset;
    }
    if (opts) {
        ({ offset, length, position } = opts);
    }
    const u8 = view(buffer);
    offset = offset ?? 0;
    validateInt(offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
    length = length ?? u8.byteLength - offset;
    if (length !== 0) {
        // as Node: a read of nothing is no error, whatever the offset
        validateInt(offset, 'offset', 0, u8.byteLength);
        validateInt(length, 'length', 0, u8.byteLength - offset);
    }
    return { fd: validateFd(fd), buffer,
             target: length === 0 ? u8.subarray(0, 0)
                                  : u8.subarray(offset, offset + length),
             position: toPosition(position) };
}

/*
 * write(fd, buffer, offset, length, position), write(fd, buffer,
 * { offset, length, position }), write(fd, string, position, encoding)
 */
function writeArgs(fd, buffer, offset, length, position) {
    validateFd(fd);
    if (typeof buffer === 'string') {
        // (fd, string, position, encoding)
        const bytes = Buffer.from(buffer, typeof length === 'string' ?
                                          length : 'utf8');
        return { fd, buffer, bytes, position: toPosition(offset) };
    }
    if (offset !== null && typeof offset === 'object') {
        ({ offset, length, position } = offset);
    }
    const u8 = view(buffer);
    offset = offset ?? 0;
    validateInt(offset, 'offset', 0, u8.byteLength);
    length = length ?? u8.byteLength - offset;
    validateInt(length, 'length', 0, u8.byteLength - offset);
    return { fd, buffer, bytes: u8.subarray(offset, offset + length),
             position: toPosition(position) };
}

function mkdirOptions(options) {
    if (typeof options === 'number' || typeof options === 'string') {
        return { recursive: false, mode: parseMode(options, 'mode', 0o777) };
    }
    options = getOptions(options);
    return { recursive: Boolean(options.recursive),
             mode: parseMode(options.mode, 'mode', 0o777) };
}

const specs = {
    access: {
        parse(path, mode) {
            path = toPath(path);
            return { args: [path, accessMode(mode)], path };
        },
    },
    chmod: {
        parse(path, mode) {
            path = toPath(path);
            return { args: [path, parseMode(mode, 'mode')], path };
        },
    },
    fchmod: {
        parse(fd, mode) {
            return { args: [validateFd(fd), parseMode(mode, 'mode')] };
        },
    },
    copyFile: {
        parse(src, dest, mode) {
            src = toPath(src, 'src');
            dest = toPath(dest, 'dest');
            return { args: [src, dest, copyMode(mode)], path: src, dest };
        },
    },
    link: {
        parse(existingPath, newPath) {
            existingPath = toPath(existingPath, 'existingPath');
            newPath = toPath(newPath, 'newPath');
            return { args: [existingPath, newPath], path: existingPath,
                     dest: newPath };
        },
    },
    rename: {
        parse(oldPath, newPath) {
            oldPath = toPath(oldPath, 'oldPath');
            newPath = toPath(newPath, 'newPath');
            return { args: [oldPath, newPath], path: oldPath, dest: newPath };
        },
    },
    symlink: {
        parse(target, path, type) {
            target = toPath(target, 'target');
            path = toPath(path);
            if (type !== undefined && type !== null &&
                typeof type !== 'string') {
                throw invalidArgType('type', 'of type string', type);
            }
            return { args: [target, path], path: target, dest: path };
        },
    },
    stat: {
        parse(path, options) {
            path = toPath(path);
            return { args: [path], path, options: getOptions(options) };
        },
        done: (v, s) => makeStats(v, s.options),
    },
    lstat: {
        parse(path, options) {
            path = toPath(path);
            return { args: [path], path, options: getOptions(options) };
        },
        done: (v, s) => makeStats(v, s.options),
    },
    fstat: {
        parse(fd, options) {
            return { args: [validateFd(fd)], options: getOptions(options) };
        },
        done: (v, s) => makeStats(v, s.options),
    },
    mkdir: {
        parse(path, options) {
            path = toPath(path);
            const o = mkdirOptions(options);
            return { args: [path, o.mode, o.recursive ? 1 : 0], path,
                     recursive: o.recursive };
        },
        done: (v, s) => (s.recursive && v.length > 0 ? decode(v, 'utf8')
                                                     : undefined),
    },
    mkdtemp: {
        parse(prefix, options) {
            prefix = toPath(prefix, 'prefix');
            return { args: [prefix], path: prefix + 'XXXXXX',
                     options: getOptions(options) };
        },
        done: (v, s) => decode(v, s.options.encoding ?? 'utf8'),
    },
    readdir: {
        parse(path, options) {
            path = toPath(path);
            options = getOptions(options);
            if (options.recursive) {
                throw codedError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
                                 'readdir\'s recursive option is not ' +
                                 'supported by nv8');
            }
            return { args: [path], path, options };
        },
        done: (v, s) => readdirResult(v, s.path, s.options),
    },
    readlink: {
        parse(path, options) {
            path = toPath(path);
            return { args: [path], path, options: getOptions(options) };
        },
        done: (v, s) => decode(v, s.options.encoding ?? 'utf8'),
    },
    realpath: {
        parse(path, options) {
            path = toPath(path);
            return { args: [path], path, options: getOptions(options) };
        },
        done: (v, s) => decode(v, s.options.encoding ?? 'utf8'),
    },
    rm: {
        parse(path, options) {
            path = toPath(path);
            const o = rmOptions(options);
            return { args: [path, o.recursive ? 1 : 0, o.force ? 1 : 0],
                     path };
        },
    },
    rmdir: {
        parse(path, options) {
            path = toPath(path);
            options = getOptions(options);
            if (options.recursive) {
                // deprecated in Node (DEP0147): rm -r, without force
                return { args: [path, 1, 0], path, binding: 'rm' };
            }
            return { args: [path], path };
        },
    },
    truncate: {
        parse(path, len) {
            if (typeof path === 'number') {
                return { args: [validateFd(path), lengthArg(len)],
                         binding: 'ftruncate' };
            }
            path = toPath(path);
            return { args: [path, lengthArg(len)], path };
        },
    },
    ftruncate: {
        parse(fd, len) {
            return { args: [validateFd(fd), lengthArg(len)] };
        },
    },
    unlink: {
        parse(path) {
            path = toPath(path);
            return { args: [path], path };
        },
    },
    utimes: {
        parse(path, atime, mtime) {
            path = toPath(path);
            return { args: [path, toUnixTimestamp(atime, 'atime'),
                            toUnixTimestamp(mtime, 'mtime')], path };
        },
    },
    lutimes: {
        parse(path, atime, mtime) {
            path = toPath(path);
            return { args: [path, toUnixTimestamp(atime, 'atime'),
                            toUnixTimestamp(mtime, 'mtime')], path };
        },
    },
    futimes: {
        parse(fd, atime, mtime) {
            return { args: [validateFd(fd), toUnixTimestamp(atime, 'atime'),
                            toUnixTimestamp(mtime, 'mtime')] };
        },
    },
    fsync: {
        parse(fd) {
            return { args: [validateFd(fd)] };
        },
    },
    fdatasync: {
        parse(fd) {
            return { args: [validateFd(fd)] };
        },
    },
    open: {
        parse(path, flags, mode) {
            path = toPath(path);
            if (typeof flags === 'function') {
                flags = undefined;
            }
            return { args: [path, stringToFlags(flags),
                            parseMode(mode, 'mode', 0o666)], path };
        },
        done: (v) => v[0],
    },
    close: {
        parse(fd) {
            return { args: [validateFd(fd)] };
        },
    },
    read: {
        parse(fd, buffer, offset, length, position) {
            const a = readArgs(fd, buffer, offset, length, position);
            const s = { args: [a.fd, a.target.byteLength, a.position], a };
            if (a.target.byteLength === 0) {
                s.immediate = 0;
            }
            return s;
        },
        // the pool: readBytes, copied in here; Sync: [n], read in place
        binding: 'readBytes',
        syncArgs: (s) => [s.a.fd, s.a.target, s.a.position],
        done(v, s) {
            if (v instanceof Float64Array) {
                return v[0];
            }
            s.a.target.set(v);
            return v.byteLength;
        },
        callback: (n, s) => [n, s.a.buffer],
    },
    write: {
        parse(fd, buffer, offset, length, position) {
            const a = writeArgs(fd, buffer, offset, length, position);
            return { args: [a.fd, a.bytes, a.position], a };
        },
        done: (v) => v[0],
        callback: (n, s) => [n, s.a.buffer],
    },
};

/** @param {string} name @returns {object} */
export function spec(name) {
    return specs[name];
}

function result(sp, v, s) {
    if (sp.done) {
        return sp.done(v, s);
    }
    return undefined;
}

function checkCallback(cb) {
    if (typeof cb !== 'function') {
        throw invalidArgType('cb', 'of type function', cb);
    }
    return cb;
}

/**
 * Runs an operation on the pool: a promise of its result.  Arguments are
 * checked at once (a throw, not a rejection).
 * @param {string} name
 * @param {Array} args
 * @returns {Promise<*>}
 */
export function start(name, args) {
    const sp = specs[name];
    const s = sp.parse(...args);
    if ('immediate' in s) {
        return Promise.resolve(s.immediate);
    }
    return binding[s.binding ?? sp.binding ?? name](...s.args).then(
        (v) => result(sp, v, s),
        (e) => {
            throw fsError(e, s.path, s.dest);
        });
}

/**
 * The Sync form: the binding's nameSync, on this thread.
 * @param {string} name
 * @returns {Function}
 */
export function makeSync(name) {
    const sp = specs[name];
    const fn = {
        [name + 'Sync'](...args) {
            const s = sp.parse(...args);
            if ('immediate' in s) {
                return s.immediate;
            }
            const b = sp.syncArgs ? name : (s.binding ?? name);
            return result(sp, callSync(binding[b + 'Sync'],
                                       sp.syncArgs ? sp.syncArgs(s) : s.args,
                                       s.path, s.dest), s);
        },
    };
    return fn[name + 'Sync'];
}

/**
 * The callback form: the last argument is the callback, called with the
 * error or null and the result (two results for read and write).
 * @param {string} name
 * @returns {Function}
 */
export function makeCallback(name) {
    const sp = specs[name];
    const fn = {
        [name](...args) {
            const cb = checkCallback(args.pop());
            const s = sp.parse(...args);
            const settle = (v) => {
                const r = 'immediate' in s ? s.immediate : result(sp, v, s);
                if (sp.callback) {
                    cb(null, ...sp.callback(r, s));
                } else if (sp.done) {
                    cb(null, r);
                } else {
                    cb(null);
                }
            };
            if ('immediate' in s) {
                queueMicrotask(settle);
                return;
            }
            binding[s.binding ?? sp.binding ?? name](...s.args).then(settle,
                                                                (e) => {
                cb(fsError(e, s.path, s.dest));
            });
        },
    };
    return fn[name];
}

/**
 * The promise form (fs/promises): an async function, so argument errors
 * reject.
 * @param {string} name
 * @returns {Function}
 */
export function makePromise(name) {
    const fn = {
        async [name](...args) {
            return start(name, args);
        },
    };
    return fn[name];
}

/**
 * Wraps a promise-returning function as a callback-taking one.
 * @param {Function} f checks arguments synchronously, returns a promise
 * @param {string} name
 * @returns {Function}
 */
export function callbackFrom(f, name) {
    const fn = {
        [name](...args) {
            const cb = checkCallback(args.pop());
            f(...args).then((v) => cb(null, v), (e) => cb(e));
        },
    };
    return fn[name];
}

/**
 * An AbortError, as Node's.
 * @param {*} [cause]
 * @returns {Error}
 */
export function abortError(cause) {
    const err = new Error('The operation was aborted', { cause });
    err.name = 'AbortError';
    err.code = 'ABORT_ERR';
    return err;
}

/** @param {AbortSignal} [signal] */
export function checkAborted(signal) {
    if (signal?.aborted) {
        throw abortError(signal.reason);
    }
}

export { toBytes };
