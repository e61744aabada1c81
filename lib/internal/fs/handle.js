// Copyright (C) nv8 contributors
//
// FileHandle, and the whole-file operations (readFile, writeFile,
// appendFile) in the forms that start at once: arguments are checked
// synchronously and a promise of the result comes back.  node:fs builds
// its callback form from these, node:fs/promises its async functions.

import { Buffer } from 'buffer';
import { EventEmitter } from 'events';
import {
    binding, stringToFlags, parseMode, toPath, validateFd, getOptions,
    decode, toBytes, callAsync, callSync,
} from 'internal/fs/utils';
import { start, abortError, checkAborted } from 'internal/fs/ops';

const UV_EBADF = -9;

// Node's error for a FileHandle used after close()
function closedError(syscall) {
    const err = new Error('file closed');
    err.code = 'EBADF';
    err.errno = UV_EBADF;
    err.syscall = syscall;
    return err;
}

/*
 * A FileHandle dropped while open has its fd closed when it is collected,
 * with Node's warning (logged; no 'warning' event): the binding watches
 * the object with a weak handle.  The close waits for work in flight on
 * the fd, so it is safe at any moment.
 */

/** An open file, as Node's FileHandle (fs/promises). */
export class FileHandle extends EventEmitter {
    #fd;
    #closing = null;

    /** @param {number} fd */
    constructor(fd) {
        super();
        this.#fd = fd;
        binding.watch(this, fd);
    }

    /** @returns {number} the descriptor, -1 once closed */
    get fd() {
        return this.#fd;
    }

    #check(syscall) {
        if (this.#fd < 0) {
            throw closedError(syscall);
        }
        return this.#fd;
    }

    /**
     * Closes the file once work in flight on it is done.
     * @returns {Promise<void>}
     */
    close() {
        if (this.#closing) {
            return this.#closing;
        }
        if (this.#fd < 0) {
            return Promise.resolve();
        }
        const fd = this.#fd;
        this.#fd = -1;
        this.#closing = callAsync(binding.close(fd)).then(() => {
            this.emit('close');
        });
        return this.#closing;
    }

    /**
     * @param {Buffer|TypedArray|DataView|object} [buffer]
     * @param {number|object} [offset]
     * @param {number} [length]
     * @param {number|bigint|null} [position]
     * @returns {Promise<{bytesRead: number, buffer: *}>}
     */
    async read(buffer, offset, length, position) {
        const fd = this.#check('read');
        let target = buffer;
        if (buffer === undefined || buffer === null ||
            (!ArrayBuffer.isView(buffer) && typeof buffer === 'object')) {
            target = buffer?.buffer ?? Buffer.alloc(16384);
            buffer = { ...buffer, buffer: target };
        }
        const n = await start('read', [fd, buffer, offset, length, position]);
        return { bytesRead: n, buffer: target };
    }

    /**
     * write(buffer, offset, length, position), write(buffer, options),
     * write(string, position, encoding).
     * @returns {Promise<{bytesWritten: number, buffer: *}>}
     */
    async write(buffer, offset, length, position) {
        const fd = this.#check('write');
        const n = await start('write', [fd, buffer, offset, length, position]);
        return { bytesWritten: n, buffer };
    }

    /**
     * @param {string|object} [options] { encoding, signal }
     * @returns {Promise<Buffer|string>}
     */
    async readFile(options) {
        return readFile(this, options);
    }

    /**
     * @param {*} data
     * @param {string|object} [options] { encoding, signal }
     * @returns {Promise<void>}
     */
    async writeFile(data, options) {
        return writeFile(this, data, options);
    }

    /**
     * @param {*} data
     * @param {string|object} [options]
     * @returns {Promise<void>}
     */
    async appendFile(data, options) {
        return writeFile(this, data, options);
    }

    /**
     * @param {object} [options] { bigint }
     * @returns {Promise<Stats>}
     */
    async stat(options) {
        return start('fstat', [this.#check('fstat'), options]);
    }

    /** @param {number} [len] */
    async truncate(len) {
        return start('ftruncate', [this.#check('ftruncate'), len]);
    }

    /** @param {Date|number} atime @param {Date|number} mtime */
    async utimes(atime, mtime) {
        return start('futimes', [this.#check('futime'), atime, mtime]);
    }

    /** @param {number|string} mode */
    async chmod(mode) {
        return start('fchmod', [this.#check('fchmod'), mode]);
    }

    async sync() {
        return start('fsync', [this.#check('fsync')]);
    }

    async datasync() {
        return start('fdatasync', [this.#check('fdatasync')]);
    }

    /**
     * @param {object} [options]
     * @returns {ReadStream}
     */
    createReadStream(options) {
        return streams().createReadStream(undefined,
                                          { ...options, fd: this });
    }

    /**
     * @param {object} [options]
     * @returns {WriteStream}
     */
    createWriteStream(options) {
        return streams().createWriteStream(undefined,
                                           { ...options, fd: this });
    }
}

let streamsModule;

/** @param {object} m internal/fs/streams, which imports this module */
export function setStreams(m) {
    streamsModule = m;
}

function streams() {
    return streamsModule;
}

/**
 * open(): a FileHandle.
 * @param {string|Buffer|URL} path
 * @param {string|number} [flags]
 * @param {number|string} [mode]
 * @returns {Promise<FileHandle>}
 */
export function open(path, flags, mode) {
    return start('open', [path, flags, mode]).then((fd) => new FileHandle(fd));
}

/**
 * @param {string|Buffer|URL|number|FileHandle} path (a number only
 *     with fds: fs.readFile takes one, fs/promises does not)
 * @param {string|object} [options] { encoding, flag, signal }
 * @param {boolean} [fds]
 * @returns {Promise<Buffer|string>}
 */
export function readFile(path, options, fds = false) {
    options = getOptions(options, { flag: 'r' });
    checkAborted(options.signal);
    let p;
    let what;
    if (path instanceof FileHandle) {
        if (path.fd < 0) {
            return Promise.reject(closedError('read'));
        }
        p = binding.readAll(path.fd);
    } else if (typeof path === 'number' && fds) {
        p = binding.readAll(validateFd(path));
    } else {
        what = toPath(path);
        p = binding.readFile(what, stringToFlags(options.flag));
    }
    return callAsync(p, what).then((u8) => {
        checkAborted(options.signal);
        return decode(u8, options.encoding ?? null);
    });
}

/**
 * readFileSync() on the worker's thread.
 * @param {string|Buffer|URL|number} path
 * @param {string|object} [options]
 * @returns {Buffer|string}
 */
export function readFileSync(path, options) {
    options = getOptions(options, { flag: 'r' });
    let u8;
    if (typeof path === 'number') {
        u8 = callSync(binding.readAllSync, [validateFd(path)]);
    } else {
        path = toPath(path);
        u8 = callSync(binding.readFileSync,
                      [path, stringToFlags(options.flag)], path);
    }
    return decode(u8, options.encoding ?? null);
}

function isIterable(data) {
    return data !== null && typeof data === 'object' &&
           !ArrayBuffer.isView(data) &&
           (typeof data[Symbol.asyncIterator] === 'function' ||
            typeof data[Symbol.iterator] === 'function');
}

/*
 * Bytes for the binding: a UTF-8 string goes as it is (the binding
 * encodes it while copying), anything else as a view.
 */
function payload(data, encoding) {
    if (typeof data === 'string' &&
        (encoding === 'utf8' || encoding === 'utf-8')) {
        return data;
    }
    return toBytes(data, encoding);
}

async function writeIterable(fh, data, encoding, signal) {
    for await (const chunk of data) {
        checkAborted(signal);
        const bytes = toBytes(chunk, encoding);
        await callAsync(binding.write(fh.fd, bytes, -1));
    }
}

/**
 * writeFile(), and appendFile() with flag 'a': whole data to a path, an
 * fd or a FileHandle (at its position).
 * @param {string|Buffer|URL|number|FileHandle} file
 * @param {*} data string, bytes, or (promises) an (async) iterable
 * @param {string|object} [options] { encoding, mode, flag, signal }
 * @param {string} [flag] the default flag
 * @param {boolean} [fds] a number is an fd (fs.writeFile)
 * @returns {Promise<void>}
 */
export function writeFile(file, data, options, flag = 'w', fds = false) {
    options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag });
    checkAborted(options.signal);
    const encoding = options.encoding ?? 'utf8';
    if (isIterable(data)) {
        const run = async () => {
            const own = !(file instanceof FileHandle);
            const fh = own ? await open(file, options.flag, options.mode)
                           : file;
            try {
                await writeIterable(fh, data, encoding, options.signal);
            } finally {
                if (own) {
                    await fh.close();
                }
            }
        };
        return run();
    }
    const bytes = payload(data, encoding);
    let p;
    let what;
    if (file instanceof FileHandle) {
        if (file.fd < 0) {
            return Promise.reject(closedError('write'));
        }
        p = binding.write(file.fd, bytes, -1);
    } else if (typeof file === 'number' && fds) {
        p = binding.write(validateFd(file), bytes, -1);
    } else {
        what = toPath(file, 'file');
        p = binding.writeFile(what, bytes, stringToFlags(options.flag),
                              parseMode(options.mode, 'mode', 0o666));
    }
    return callAsync(p, what).then(() => {
        if (options.signal?.aborted) {
            throw abortError(options.signal.reason);
        }
    });
}

/**
 * writeFileSync() / appendFileSync() on the worker's thread.
 * @param {string|Buffer|URL|number} file
 * @param {string|Uint8Array} data
 * @param {string|object} [options]
 * @param {string} [flag]
 */
export function writeFileSync(file, data, options, flag = 'w') {
    options = getOptions(options, { encoding: 'utf8', mode: 0o666, flag });
    const bytes = toBytes(data, options.encoding ?? 'utf8');
    if (typeof file === 'number') {
        callSync(binding.writeSync, [validateFd(file), bytes, -1]);
        return;
    }
    file = toPath(file, 'file');
    callSync(binding.writeFileSync,
             [file, bytes, stringToFlags(options.flag),
              parseMode(options.mode, 'mode', 0o666)], file);
}

/**
 * @param {string|Buffer|URL|number|FileHandle} file
 * @param {*} data
 * @param {string|object} [options]
 * @param {boolean} [fds] a number is an fd (fs.appendFile)
 * @returns {Promise<void>}
 */
export function appendFile(file, data, options, fds = false) {
    return writeFile(file, data, options, 'a', fds);
}
