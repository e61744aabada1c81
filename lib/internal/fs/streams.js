// Copyright (C) nv8 contributors
//
// fs.ReadStream and fs.WriteStream on node:stream.  Every read and write
// runs on libuv's thread pool; the stream machinery asks for the next
// chunk only while its buffer is below highWaterMark, and pipe() stops
// asking while the destination's write() returns false, so a slow client
// holds at most about highWaterMark bytes of a file in memory.

import { Buffer } from 'buffer';
import { Readable, Writable } from 'stream';
import { codedError, invalidArgType } from 'internal/errors';
import {
    binding, stringToFlags, parseMode, toPath, pathText, getOptions,
    asBuffer, fsError,
} from 'internal/fs/utils';
import { FileHandle, setStreams } from 'internal/fs/handle';

function validateRange(value, name, min) {
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== 'number') {
        throw invalidArgType(name, 'of type number', value);
    }
    if (!(value >= min) || (value !== Infinity && !Number.isInteger(value))) {
        throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
                         `The value of "${name}" is out of range. It must ` +
                         `be >= ${min} && <= 9007199254740991. Received ` +
                         `${value}`);
    }
    return value;
}

/*
 * The fd option: a number, a FileHandle, or none (then the path is
 * opened in _construct()).
 */
function setup(stream, path, options, flags) {
    stream.fd = null;
    stream.handle = null;
    if (options.fd instanceof FileHandle) {
        stream.handle = options.fd;
        stream.fd = options.fd.fd;
    } else if (options.fd !== undefined && options.fd !== null) {
        if (typeof options.fd !== 'number' || !Number.isInteger(options.fd)) {
            throw invalidArgType('options.fd', 'of type number', options.fd);
        }
        stream.fd = options.fd;
    }
    stream.path = stream.fd === null ? toPath(path) : undefined;
    if (typeof stream.path !== 'string' && stream.path !== undefined) {
        stream.path = pathText(stream.path);
    }
    stream.flags = options.flags ?? flags;
    stream.mode = parseMode(options.mode, 'mode', 0o666);
    stream.autoClose = options.autoClose ?? true;
    stream.start = validateRange(options.start, 'start', 0);
    stream.pos = stream.start;
}

function construct(stream, cb) {
    if (stream.fd !== null) {
        cb();
        return;
    }
    let flags;
    try {
        flags = stringToFlags(stream.flags);
    } catch (err) {
        cb(err);
        return;
    }
    binding.open(stream.path, flags, stream.mode).then((v) => {
        stream.fd = v[0];
        cb();
        stream.emit('open', stream.fd);
        stream.emit('ready');
    }, (e) => {
        cb(fsError(e, stream.path));
    });
}

function destroy(stream, err, cb) {
    const fd = stream.fd;
    if (!stream.autoClose || fd === null || fd < 0) {
        cb(err);
        return;
    }
    stream.fd = null;
    // a read or write still in flight keeps the fd until it completes
    const closing = stream.handle ? stream.handle.close()
                                  : binding.close(fd);
    closing.then(() => cb(err), (e) => cb(err || fsError(e)));
}

/** A readable stream of a file, as Node's fs.ReadStream. */
export class ReadStream extends Readable {
    /**
     * @param {string|Buffer|URL} path
     * @param {string|object} [options] { flags, encoding, fd, mode,
     *     autoClose, emitClose, start, end, highWaterMark }
     */
    constructor(path, options) {
        options = getOptions(options);
        super({
            highWaterMark: options.highWaterMark ?? 64 * 1024,
            encoding: options.encoding,
            emitClose: options.emitClose ?? true,
            autoDestroy: options.autoClose ?? true,
            signal: options.signal,
        });
        setup(this, path, options, 'r');
        this.end = validateRange(options.end, 'end', 0) ?? Infinity;
        if (this.start !== undefined && this.start > this.end) {
            throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
                             'The value of "start" is out of range. It must ' +
                             `be <= "end" (here: ${this.end}). Received ` +
                             `${this.start}`);
        }
        this.bytesRead = 0;
    }

    /** @returns {boolean} the file is not open yet */
    get pending() {
        return this.fd === null;
    }

    _construct(cb) {
        construct(this, cb);
    }

    _read(n) {
        n = Math.min(n, this.pos !== undefined ? this.end - this.pos + 1
                                               : this.end - this.bytesRead + 1);
        if (n <= 0) {
            this.push(null);
            return;
        }
        binding.readBytes(this.fd, n, this.pos ?? -1).then((u8) => {
            if (this.destroyed) {
                return;
            }
            if (u8.byteLength === 0) {
                this.push(null);
                return;
            }
            if (this.pos !== undefined) {
                this.pos += u8.byteLength;
            }
            this.bytesRead += u8.byteLength;
            this.push(asBuffer(u8));
        }, (e) => {
            this.destroy(fsError(e, this.path));
        });
    }

    _destroy(err, cb) {
        destroy(this, err, cb);
    }

    /**
     * Unlike Node, a file stream piped into a destination that closes
     * before the file is read (a client that went away) is destroyed,
     * so its descriptor is closed now rather than never.
     */
    pipe(dest, options) {
        const out = super.pipe(dest, options);
        if (typeof dest?.once === 'function') {
            dest.once('close', () => {
                if (!this.readableEnded && !this.destroyed &&
                    this._readableState.pipes.length === 0) {
                    this.destroy();
                }
            });
        }
        return out;
    }

    /** @param {Function} [cb] called on 'close' */
    close(cb) {
        if (typeof cb === 'function') {
            if (this.closed) {
                queueMicrotask(cb);
            } else {
                this.once('close', cb);
            }
        }
        this.destroy();
    }
}

/** A writable stream to a file, as Node's fs.WriteStream. */
export class WriteStream extends Writable {
    /**
     * @param {string|Buffer|URL} path
     * @param {string|object} [options] { flags, encoding, fd, mode,
     *     autoClose, emitClose, start, highWaterMark }
     */
    constructor(path, options) {
        options = getOptions(options);
        super({
            highWaterMark: options.highWaterMark,
            defaultEncoding: options.encoding ?? 'utf8',
            emitClose: options.emitClose ?? true,
            autoDestroy: options.autoClose ?? true,
            decodeStrings: true,
            signal: options.signal,
        });
        setup(this, path, options, 'w');
        this.bytesWritten = 0;
    }

    /** @returns {boolean} the file is not open yet */
    get pending() {
        return this.fd === null;
    }

    _construct(cb) {
        construct(this, cb);
    }

    _write(chunk, encoding, cb) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding)
                                                : chunk;
        const pos = this.pos === undefined ? -1 : this.pos;
        if (this.pos !== undefined) {
            this.pos += bytes.byteLength;
        }
        binding.write(this.fd, bytes, pos).then((v) => {
            this.bytesWritten += v[0];
            cb();
        }, (e) => {
            cb(fsError(e, this.path));
        });
    }

    _writev(chunks, cb) {
        this._write(Buffer.concat(chunks.map((c) => c.chunk)), 'buffer', cb);
    }

    _destroy(err, cb) {
        destroy(this, err, cb);
    }

    /**
     * Ends the stream; cb runs on 'close'.
     * @param {Function} [cb]
     */
    close(cb) {
        if (typeof cb === 'function') {
            if (this.closed) {
                queueMicrotask(cb);
                return;
            }
            this.once('close', cb);
        }
        if (!this.autoClose) {
            this.once('finish', () => this.destroy());
        }
        this.end();
    }

    /** Node's alias of end(). */
    destroySoon(...args) {
        return this.end(...args);
    }
}

/**
 * @param {string|Buffer|URL} path
 * @param {string|object} [options]
 * @returns {ReadStream}
 */
export function createReadStream(path, options) {
    return new ReadStream(path, options);
}

/**
 * @param {string|Buffer|URL} path
 * @param {string|object} [options]
 * @returns {WriteStream}
 */
export function createWriteStream(path, options) {
    return new WriteStream(path, options);
}

setStreams({ createReadStream, createWriteStream });
