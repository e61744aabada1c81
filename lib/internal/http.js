// Copyright (C) nv8 contributors
//
// The HTTP handler bridge: the host (nginx) calls dispatch() for each
// request; req and res are Node-style IncomingMessage and ServerResponse
// objects over the host's 'http' binding.  JS holds only a request id: the
// binding refuses ids whose request has finished, so no JS object can reach
// a freed request.

import { EventEmitter } from 'events';

const v8 = import.meta.binding('v8');

let binding = null;

function http() {
    binding ??= import.meta.binding('http');
    return binding;
}

const handlers = [];

/**
 * Registers the export of a loaded module as a handler.
 * @param {object} ns module namespace
 * @param {string} name export name ('' for default)
 * @param {string} file for messages
 * @returns {number} handler index
 */
export function register(ns, name, file) {
    const exportName = name || 'default';
    let h = ns?.[exportName];
    // a CommonJS file's exports the lexer could not name (Object.assign,
    // computed keys) are still properties of module.exports
    if (h === undefined && name) {
        h = ns?.default?.[name];
    }
    if (typeof h !== 'function') {
        throw new TypeError(`${file}: export '${exportName}' is not a ` +
                            `function (it is ${h === null ? 'null'
                                                          : typeof h})`);
    }
    handlers.push(h);
    return handlers.length - 1;
}

/**
 * Runs handler "index" for request "id".
 * @returns {number} 1 if the response was completed synchronously
 */
export function dispatch(id, index, method, url, version) {
    const req = new IncomingMessage(id, method, url, version);
    const res = new ServerResponse(id, req);
    const handler = handlers[index];
    let r;
    try {
        r = handler(req, res);
    } catch (err) {
        res._fail(err);
        return 1;
    }
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
        r.then(undefined, (err) => res._fail(err));
    }
    return res.writableEnded ? 1 : 0;
}

// Node's rules for repeated request headers: these keep the first value,
// set-cookie becomes an array, cookie joins with '; ', others with ', '.
const SINGLE = new Set([
    'age', 'authorization', 'content-length', 'content-type', 'etag',
    'expires', 'from', 'host', 'if-modified-since', 'if-unmodified-since',
    'last-modified', 'location', 'max-forwards', 'proxy-authorization',
    'referer', 'retry-after', 'server', 'user-agent',
]);

/** The request, as Node's http.IncomingMessage. */
export class IncomingMessage extends EventEmitter {
    constructor(id, method, url, version) {
        super();
        this._id = id;
        this.method = method;
        this.url = url;
        this.httpVersion = version;
        this._raw = null;
        this._headers = null;
        this.aborted = false;
        this.complete = true;
    }

    get httpVersionMajor() {
        return Number(this.httpVersion.split('.')[0]);
    }

    get httpVersionMinor() {
        return Number(this.httpVersion.split('.')[1] ?? 0);
    }

    /** @returns {string[]} names and values as received */
    get rawHeaders() {
        this._raw ??= http().headers(this._id);
        return this._raw;
    }

    set rawHeaders(v) {
        this._raw = v;
    }

    /** @returns {Object<string, string|string[]>} lower-cased names */
    get headers() {
        if (this._headers === null) {
            const raw = this.rawHeaders;
            const h = {};
            for (let i = 0; i < raw.length; i += 2) {
                const name = raw[i].toLowerCase();
                const value = raw[i + 1];
                const old = h[name];
                if (old === undefined) {
                    h[name] = name === 'set-cookie' ? [value] : value;
                } else if (name === 'set-cookie') {
                    old.push(value);
                } else if (SINGLE.has(name)) {
                    continue;
                } else {
                    h[name] = old + (name === 'cookie' ? '; ' : ', ') + value;
                }
            }
            this._headers = h;
        }
        return this._headers;
    }

    set headers(v) {
        this._headers = v;
    }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\0\r\n]/;

function checkName(name) {
    if (typeof name !== 'string' || !TOKEN.test(name)) {
        const err = new TypeError(`Header name must be a valid HTTP token ` +
                                  `["${name}"]`);
        err.code = 'ERR_INVALID_HTTP_TOKEN';
        throw err;
    }
}

function checkValue(name, value) {
    if (value === undefined) {
        const err = new TypeError(`Invalid value "undefined" for header ` +
                                  `"${name}"`);
        err.code = 'ERR_HTTP_INVALID_HEADER_VALUE';
        throw err;
    }
    if (BAD_VALUE.test(String(value))) {
        const err = new TypeError(`Invalid character in header content ` +
                                  `["${name}"]`);
        err.code = 'ERR_INVALID_CHAR';
        throw err;
    }
}

/** The response, as Node's http.ServerResponse. */
export class ServerResponse extends EventEmitter {
    constructor(id, req) {
        super();
        this._id = id;
        this.req = req;
        this.statusCode = 200;
        this.statusMessage = undefined;
        this._headers = new Map();
        this.headersSent = false;
        this._sent = false;
        this.writableEnded = false;
        this.writableFinished = false;
        this._failed = false;
    }

    get finished() {
        return this.writableEnded;
    }

    /**
     * @param {string} name
     * @param {string|number|string[]} value
     * @returns {this}
     */
    setHeader(name, value) {
        if (this.headersSent) {
            const err = new Error('Cannot set headers after they are sent ' +
                                  'to the client');
            err.code = 'ERR_HTTP_HEADERS_SENT';
            throw err;
        }
        checkName(name);
        if (Array.isArray(value)) {
            value.forEach((v) => checkValue(name, v));
        } else {
            checkValue(name, value);
        }
        this._headers.set(name.toLowerCase(), [name, value]);
        return this;
    }

    /**
     * @param {string} name
     * @returns {string|number|string[]|undefined}
     */
    getHeader(name) {
        return this._headers.get(String(name).toLowerCase())?.[1];
    }

    /** @returns {Object<string, *>} */
    getHeaders() {
        const out = Object.create(null);
        for (const [k, [, v]] of this._headers) {
            out[k] = v;
        }
        return out;
    }

    /** @returns {string[]} */
    getHeaderNames() {
        return [...this._headers.keys()];
    }

    /**
     * @param {string} name
     * @returns {boolean}
     */
    hasHeader(name) {
        return this._headers.has(String(name).toLowerCase());
    }

    /** @param {string} name */
    removeHeader(name) {
        if (this.headersSent) {
            const err = new Error('Cannot remove headers after they are ' +
                                  'sent to the client');
            err.code = 'ERR_HTTP_HEADERS_SENT';
            throw err;
        }
        this._headers.delete(String(name).toLowerCase());
    }

    /**
     * @param {number} status
     * @param {string|object} [message] reason phrase, or the headers
     * @param {object|Array} [headers]
     * @returns {this}
     */
    writeHead(status, message, headers) {
        if (typeof message !== 'string') {
            headers = message;
            message = undefined;
        }
        status = Number(status);
        if (!Number.isInteger(status) || status < 100 || status > 999) {
            const err = new RangeError(`Invalid status code: ${status}`);
            err.code = 'ERR_HTTP_INVALID_STATUS_CODE';
            throw err;
        }
        if (Array.isArray(headers)) {
            for (let i = 0; i + 1 < headers.length; i += 2) {
                this.setHeader(headers[i], headers[i + 1]);
            }
        } else if (headers) {
            for (const k of Object.keys(headers)) {
                this.setHeader(k, headers[k]);
            }
        }
        this.statusCode = status;
        if (message !== undefined) {
            this.statusMessage = message;
        }
        this.headersSent = true;
        return this;
    }

    _flat() {
        const flat = [];
        for (const [name, value] of this._headers.values()) {
            if (Array.isArray(value)) {
                for (const v of value) {
                    flat.push(name, String(v));
                }
            } else {
                flat.push(name, String(value));
            }
        }
        return flat;
    }

    _head() {
        if (this._sent) {
            return;
        }
        this._sent = true;
        this.headersSent = true;
        http().head(this._id, this.statusCode, this._flat());
    }

    /** Sends the headers now. */
    flushHeaders() {
        this._head();
    }

    /**
     * @param {string|Uint8Array} chunk
     * @param {string|Function} [encoding]
     * @param {Function} [cb]
     * @returns {boolean}
     */
    write(chunk, encoding, cb) {
        if (typeof encoding === 'function') {
            cb = encoding;
        }
        if (this.writableEnded) {
            const err = new Error('write after end');
            err.code = 'ERR_STREAM_WRITE_AFTER_END';
            throw err;
        }
        this._head();
        const ok = http().write(this._id, chunk, 0);
        if (typeof cb === 'function') {
            queueMicrotask(cb);
        }
        return ok;
    }

    /**
     * @param {string|Uint8Array} [chunk]
     * @param {string|Function} [encoding]
     * @param {Function} [cb]
     * @returns {this}
     */
    end(chunk, encoding, cb) {
        if (typeof chunk === 'function') {
            cb = chunk;
            chunk = undefined;
        } else if (typeof encoding === 'function') {
            cb = encoding;
        }
        if (this.writableEnded) {
            return this;
        }
        this.writableEnded = true;
        if (!this._sent) {
            this._sent = true;
            this.headersSent = true;
            http().respond(this._id, this.statusCode, this._flat(),
                           chunk ?? '');
        } else {
            http().write(this._id, chunk ?? '', 1);
        }
        this.writableFinished = true;
        if (typeof cb === 'function') {
            queueMicrotask(cb);
        }
        if (this._events?.size) {
            queueMicrotask(() => {
                this.emit('finish');
                this.emit('close');
            });
        }
        return this;
    }

    _fail(err) {
        if (this._failed || this.writableEnded) {
            // the response is complete: only the log hears of it
            v8.reportError(err);
            return;
        }
        this._failed = true;
        this.writableEnded = true;
        http().fail(this._id, v8.formatError(err));
    }
}
