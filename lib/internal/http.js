// Copyright (C) nv8 contributors
//
// The HTTP handler bridge: the host (nginx) calls dispatch() for each
// request; req and res are Node-style IncomingMessage and ServerResponse
// objects over the host's 'http' binding.  JS holds only a request id: the
// binding refuses ids whose request has finished, so no JS object can reach
// a freed request.

import { Buffer } from 'buffer';
import { EventEmitter } from 'events';
import { StringDecoder } from 'string_decoder';
import { Headers } from 'internal/web/headers';
import { Response } from 'internal/web/fetch';

const v8 = import.meta.binding('v8');

let httpBinding = null;

function http() {
    httpBinding ??= import.meta.binding('http');
    return httpBinding;
}

const handlers = [];

// handler kinds (NGX_HTTP_V8_CONTENT...): content handlers may be fetch-style
const KIND_CONTENT = 0;

// what a handler runs for (NGX_HTTP_V8_RUN_*)
const RUN_CONTENT = 0;
const RUN_REWRITE = 1;
const RUN_ACCESS = 2;
const RUN_LOG = 3;
const RUN_HEADER_FILTER = 4;
const RUN_BODY_FILTER = 5;
const RUN_VARIABLE = 6;
const RUN_INIT_WORKER = 7;

// what dispatch() answers (NGX_HTTP_V8_JS_*)
const JS_PENDING = 0;
const JS_ENDED = 1;
const JS_NEXT = 2;

let phaseBinding = null;
let srBinding = null;

function subrequestBinding() {
    srBinding ??= import.meta.binding('http_subrequest');
    return srBinding;
}

function latin1(bytes, start, end) {
    let s = '';
    for (let i = start; i < end; i += 8192) {
        s += String.fromCharCode.apply(
            null, bytes.subarray(i, Math.min(end, i + 8192)));
    }
    return s;
}

/* status, header block and body, as ngx_http_v8_subrequest.c packs them */
function decodeSubrequest(bytes) {
    const view = new DataView(bytes.buffer, bytes.byteOffset,
                              bytes.byteLength);
    const status = view.getUint32(0, true);
    const hlen = view.getUint32(4, true);
    const parts = latin1(bytes, 8, 8 + hlen).split('\0');
    const headers = new Headers();
    for (let i = 0; i + 1 < parts.length; i += 2) {
        headers.append(parts[i], parts[i + 1]);
    }
    const body = bytes.subarray(8 + hlen);
    const nullBody = status === 204 || status === 304 || status < 200;
    return newSubrequestResponse(nullBody ? null : body, status, headers);
}
let filterBinding = null;

function phase() {
    phaseBinding ??= import.meta.binding('http_phase');
    return phaseBinding;
}

function filter() {
    filterBinding ??= import.meta.binding('http_filter');
    return filterBinding;
}

// what the host tells of a request (NGX_HTTP_V8_EV_*)
const EV_DRAIN = 1;
const EV_CLOSE = 2;
const EV_ABORT = 3;

// requests whose objects wait for an event from the host, by id; an entry
// is added only with a watch() on the host side, whose close event removes
// it, so nothing outlives its request here
const live = new Map();

function track(id, req, res) {
    const entry = live.get(id);
    if (entry !== undefined) {
        entry.req ??= req;
        entry.res ??= res;
        return true;
    }
    if (!http().watch(id)) {
        return false;
    }
    live.set(id, { req, res });
    return true;
}

/**
 * Registers the export of a loaded module as a handler.  A function is a
 * Node-style handler (req, res); an object with a fetch() method is a
 * fetch-style one, as on Cloudflare Workers, Deno and Bun.
 * @param {object} ns module namespace
 * @param {string} name export name ('' for default)
 * @param {string} file for messages
 * @returns {number} handler index
 */
export function register(ns, name, file, kind) {
    const exportName = name || 'default';
    let h = ns?.[exportName];
    // a CommonJS file's exports the lexer could not name (Object.assign,
    // computed keys) are still properties of module.exports
    if (h === undefined && name) {
        h = ns?.default?.[name];
    }
    if (typeof h === 'function') {
        handlers.push({ fetch: null, fn: h, obj: null });
    } else if (kind === KIND_CONTENT && h !== null && typeof h === 'object' &&
               typeof h.fetch === 'function') {
        handlers.push({ fetch: fetchStyle(), fn: h.fetch, obj: h });
    } else if (kind === KIND_CONTENT) {
        throw new TypeError(`${file}: export '${exportName}' is neither a ` +
                            `function (req, res) nor an object with a ` +
                            `fetch(request) method (it is ` +
                            `${h === null ? 'null' : typeof h})`);
    } else {
        throw new TypeError(`${file}: export '${exportName}' is not a ` +
                            `function (it is ` +
                            `${h === null ? 'null' : typeof h})`);
    }
    return handlers.length - 1;
}

let fetchAdapter = null;

function fetchStyle() {
    fetchAdapter ??= fetchDispatcher();
    return fetchAdapter;
}

/** the hook for fetch-style handlers, installed by internal/http_fetch */
let fetchDispatcher = () => {
    throw new TypeError('fetch-style handlers are not available');
};

export function setFetchDispatcher(fn) {
    fetchDispatcher = fn;
}

/**
 * Runs handler "index" for request "id".
 * @returns {number} 1 if the response was completed synchronously
 */
export function dispatch(id, index, method, url, version, hasBody, what,
                         multi, chunk, last) {
    const h = handlers[index];
    if (what === RUN_CONTENT && h.fetch !== null) {
        return h.fetch(id, h, method, url, version, hasBody);
    }
    if (what === RUN_INIT_WORKER) {
        settle(h.fn(), null);
        return JS_NEXT;
    }
    // every handler of a request with several sees the same req and res
    let entry = multi ? live.get(id) : undefined;
    if (entry === undefined) {
        const req = new IncomingMessage(id, method, url, version, hasBody);
        entry = { req, res: new ServerResponse(id, req), fres: null };
        if (multi) {
            live.set(id, entry);
        }
    }
    const { req, res } = entry;
    switch (what) {
    case RUN_CONTENT:
        return run(h, req, res);
    case RUN_REWRITE:
    case RUN_ACCESS:
        return runPhase(h, req, res);
    case RUN_VARIABLE:
        phase().result(id, String(h.fn(req) ?? ''));
        return JS_NEXT;
    default:
        break;
    }
    entry.fres ??= new FilterResponse(id);
    if (what === RUN_BODY_FILTER) {
        const buf = ArrayBuffer.isView(chunk) ? toBuffer(chunk) : chunk;
        const out = h.fn(req, entry.fres, buf, last === 1);
        if (out !== undefined) {
            if (out !== null && typeof out !== 'string' &&
                !ArrayBuffer.isView(out) && !(out instanceof ArrayBuffer)) {
                // said here: the binding's message names no filter
                const err = new TypeError('a body filter must return a ' +
                    'string, a Uint8Array, null or undefined (it returned ' +
                    `${typeof out === 'object' ? 'an object' : typeof out})`);
                err.code = 'ERR_INVALID_RETURN_VALUE';
                throw err;
            }
            filter().result(id, out);
        }
        return JS_NEXT;
    }
    // the header filter and the log phase
    settle(h.fn(req, entry.fres), what === RUN_HEADER_FILTER
        ? 'a header filter must be synchronous: its promise is ignored'
        : null);
    return JS_NEXT;
}

/** reports a rejection of a promise nobody waits for */
function settle(r, warning) {
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
        if (warning !== null) {
            console.warn(warning);
        }
        r.then(undefined, (err) => v8.reportError(err));
    }
}

/*
 * A handler's synchronous throw is not caught here: it goes on to the
 * native caller, which logs it with the location V8 recorded at the throw
 * and fails the request (500 before headers, a close after, nothing once
 * the response is complete).  A catch would lose that location for values
 * that are not Errors ("throw 42"); a finally keeps it, as V8 re-throws
 * from a finally with the original message.
 */
function run(h, req, res) {
    let r;
    let threw = true;
    try {
        r = h.fn(req, res);
        threw = false;
    } finally {
        if (threw) {
            res._thrown();
        }
    }
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
        r.then(undefined, (err) => res._fail(err, r));
    }
    return res.writableEnded ? JS_ENDED : JS_PENDING;
}

/*
 * A rewrite or access handler: returning (or resolving) without sending a
 * response lets nginx go on; while it runs, req.url and req.headers
 * changes reach nginx.
 */
function runPhase(h, req, res) {
    req._edge = true;
    let r;
    let threw = true;
    try {
        r = h.fn(req, res);
        threw = false;
    } finally {
        if (threw) {
            // as in run(): the native caller logs it and fails the request
            req._edge = false;
            res._thrown();
        }
    }
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
        r.then(() => {
            req._edge = false;
            if (!res.headersSent && !res._failed) {
                phase().next(req._id);
            }
        }, (err) => {
            req._edge = false;
            res._fail(err, r);
        });
        return res.writableEnded ? JS_ENDED : JS_PENDING;
    }
    req._edge = false;
    if (res.headersSent) {
        return res.writableEnded ? JS_ENDED : JS_PENDING;
    }
    return JS_NEXT;
}

/** The host's event for request "id" (see EV_*). */
export function onEvent(id, ev) {
    const entry = live.get(id);
    if (entry === undefined) {
        return;
    }
    if (ev === EV_DRAIN) {
        entry.res?._drain();
        entry.onDrain?.();
        return;
    }
    live.delete(id);
    if (ev === EV_ABORT) {
        entry.req?._abort();
        entry.onAbort?.();
    }
    entry.req?._close();
    entry.res?._close();
    entry.onClose?.();
}

/** for the fetch adapter: its own callbacks on the events of "id" */
export function watchRequest(id, callbacks) {
    const entry = live.get(id);
    if (entry !== undefined) {
        Object.assign(entry, callbacks);
        return true;
    }
    if (!http().watch(id)) {
        return false;
    }
    live.set(id, callbacks);
    return true;
}

/**
 * The next chunk of the body of request "id".
 * @returns {Promise<Uint8Array>} empty at the end
 */
export function readBody(id) {
    return http().read(id);
}

/** for the fetch adapter: the host binding */
export function binding() {
    return http();
}

// Node's rules for repeated request headers: these keep the first value,
// set-cookie becomes an array, cookie joins with '; ', others with ', '.
const SINGLE = new Set([
    'age', 'authorization', 'content-length', 'content-type', 'etag',
    'expires', 'from', 'host', 'if-modified-since', 'if-unmodified-since',
    'last-modified', 'location', 'max-forwards', 'proxy-authorization',
    'referer', 'retry-after', 'server', 'user-agent',
]);

function bodyError(err) {
    if (Array.isArray(err)) {
        err = new Error(String(err[1]));
    }
    return err;
}

/*
 * The base of req and res: an EventEmitter whose listener table is made by
 * the first listener added, not by its constructor.  The emitter's methods
 * all read a missing table (the prototype's undefined _events) as "no
 * listeners", and most requests never get one: EventEmitter.init's
 * Object.create(null), twice per request, was a visible share of a small
 * handler's cost.
 */
function LazyEmitter() {}
LazyEmitter.prototype = EventEmitter.prototype;
Object.setPrototypeOf(LazyEmitter, EventEmitter);

/**
 * The request, as Node's http.IncomingMessage: a readable stream of the
 * body (flowing with 'data' listeners or resume(), or async iteration),
 * pulled from nginx one chunk at a time.
 */
export class IncomingMessage extends LazyEmitter {
    constructor(id, method, url, version, hasBody) {
        super();
        this._id = id;
        this.method = method;
        this._url = url;
        this._edge = false;             // in a rewrite or access handler
        this._vars = null;
        this._proxy = null;
        this.httpVersion = version;
        this._raw = null;
        this._headers = null;
        this._socket = null;
        this._hasBody = !!hasBody;
        this._flowing = null;
        this._reading = false;
        this._decoder = null;
        this.aborted = false;
        this.complete = !hasBody;
        this.readable = true;
        this.readableEnded = false;
        this.destroyed = false;
    }

    /** path and query; set in a rewrite or access handler, nginx's too */
    get url() {
        return this._url;
    }

    set url(v) {
        v = String(v);
        if (this._edge) {
            phase().setUrl(this._id, v);
        }
        this._url = v;
    }

    /**
     * nginx's variables by name: reads give a string (undefined when nginx
     * has no value), writes set variables nginx lets change.
     * @returns {object}
     */
    get variables() {
        this._vars ??= new Proxy(Object.create(null), {
            get: (target, name) => (typeof name === 'string'
                ? phase().getVar(this._id, name) : undefined),
            set: (target, name, value) => {
                phase().setVar(this._id, String(name), String(value));
                return true;
            },
            has: (target, name) => typeof name === 'string' &&
                phase().getVar(this._id, name) !== undefined,
        });
        return this._vars;
    }

    /**
     * A subrequest to a location of this server (proxy_pass, static files,
     * another handler), resolved with a fetch-style Response holding the
     * whole output.
     * @param {string} uri path and query
     * @param {{method?: string, headers?: object, body?: string|Uint8Array}}
     *     [options]
     * @returns {Promise<Response>}
     */
    subrequest(uri, options = {}) {
        const { method = 'GET', headers, body } = options ?? {};
        const flat = [];
        if (headers) {
            const entries = typeof headers.entries === 'function' &&
                            !Array.isArray(headers)
                ? headers.entries() : Object.entries(headers);
            for (const [k, v] of entries) {
                flat.push(String(k), String(v));
            }
        }
        if (body !== undefined && body !== null && typeof body !== 'string' &&
            !ArrayBuffer.isView(body)) {
            throw new TypeError('subrequest body must be a string or a ' +
                                'Uint8Array');
        }
        return subrequestBinding().start(this._id, String(uri),
                                         String(method).toUpperCase(), flat,
                                         body ?? null)
            .then(decodeSubrequest);
    }

    /**
     * An internal redirect to a URI or a named location ('@name'), made
     * when the rewrite or access handler returns.
     * @param {string} uri
     */
    redirect(uri) {
        phase().redirect(this._id, String(uri));
    }

    get httpVersionMajor() {
        return Number(this.httpVersion.split('.')[0]);
    }

    get httpVersionMinor() {
        return Number(this.httpVersion.split('.')[1] ?? 0);
    }

    /** @returns {{remoteAddress: string, remotePort: number}} */
    get socket() {
        if (this._socket === null) {
            const [addr, port] = http().peer(this._id);
            this._socket = {
                remoteAddress: addr,
                remotePort: Number(port),
                remoteFamily: addr.includes(':') ? 'IPv6' : 'IPv4',
                encrypted: http().origin(this._id)[0] === 'https',
            };
        }
        return this._socket;
    }

    get connection() {
        return this.socket;
    }

    get readableFlowing() {
        return this._flowing;
    }

    on(name, fn) {
        super.on(name, fn);
        if (name === 'data' && this._flowing !== false) {
            this.resume();
        } else if (name === 'close' || name === 'aborted') {
            track(this._id, this, null);
        }
        return this;
    }

    addListener(name, fn) {
        return this.on(name, fn);
    }

    /** @param {string} encoding only 'utf8' (and its aliases) */
    setEncoding(encoding) {
        this._decoder = new StringDecoder(encoding ?? 'utf8');
        return this;
    }

    isPaused() {
        return this._flowing === false;
    }

    pause() {
        this._flowing = false;
        return this;
    }

    resume() {
        this._flowing = true;
        this._pump();
        return this;
    }

    /* StringDecoder holds back the bytes of a character split by chunks */
    _decode(chunk) {
        return this._decoder === null ? chunk : this._decoder.write(chunk);
    }

    /** @returns {string} what a decoder holds at the end ('' if none) */
    _flush() {
        return this._decoder === null ? '' : this._decoder.end();
    }

    async _read() {
        if (!this._hasBody) {
            return null;
        }
        if (this.aborted || this.destroyed) {
            const err = new Error('aborted');
            err.code = 'ECONNRESET';
            throw err;
        }
        const chunk = await http().read(this._id);
        return chunk.length === 0 ? null : toBuffer(chunk);
    }

    _pump() {
        if (this._reading || this._flowing !== true || this.readableEnded ||
            this.destroyed) {
            return;
        }
        this._reading = true;
        this._read().then((chunk) => {
            this._reading = false;
            if (chunk === null) {
                this._end();
                return;
            }
            const data = this._decode(chunk);
            if (data.length > 0) {
                this.emit('data', data);
            }
            this._pump();
        }, (err) => {
            this._reading = false;
            this._error(bodyError(err));
        });
    }

    _end() {
        if (this.readableEnded) {
            return;
        }
        this.complete = true;
        this.readable = false;
        this.readableEnded = true;
        const rest = this._flush();
        if (rest) {
            this.emit('data', rest);
        }
        this.emit('end');
    }

    _error(err) {
        if (this.destroyed) {
            return;
        }
        this.readable = false;
        // an abort is reported by 'aborted' and 'close'; other failures
        // (a body over client_max_body_size) also to 'error' listeners
        if (this.listenerCount('error') > 0 && !this.aborted) {
            this.emit('error', err);
        }
    }

    _abort() {
        this.aborted = true;
        this.emit('aborted');
    }

    _close() {
        this.destroyed = true;
        this.readable = false;
        this.emit('close');
    }

    /** Stops reading the body. */
    destroy(err) {
        this._flowing = false;
        if (err) {
            this._error(err);
        }
        this.destroyed = true;
        return this;
    }

    /**
     * Writes the body into a writable ("res", say), with back-pressure.
     * @param {object} dest
     * @param {{end?: boolean}} [options]
     * @returns {object} dest
     */
    pipe(dest, options) {
        this.on('data', (chunk) => {
            if (dest.write(chunk) === false) {
                this.pause();
                dest.once('drain', () => this.resume());
            }
        });
        if (options?.end !== false) {
            this.on('end', () => dest.end());
        }
        return dest;
    }

    async *[Symbol.asyncIterator]() {
        this._flowing = false;
        for (;;) {
            let chunk;
            try {
                chunk = await this._read();
            } catch (err) {
                throw bodyError(err);
            }
            if (chunk === null) {
                const rest = this._flush();
                if (rest) {
                    yield rest;
                }
                this._end();
                return;
            }
            const s = this._decode(chunk);
            if (s.length > 0) {
                yield s;
            }
        }
    }

    /** @returns {object<string, string|string[]>} */
    get headersDistinct() {
        const out = Object.create(null);
        const raw = this.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) {
            const name = raw[i].toLowerCase();
            (out[name] ??= []).push(raw[i + 1]);
        }
        return out;
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
        if (this._edge) {
            return this._edgeHeaders();
        }
        return this._headers;
    }

    /* req.headers in a rewrite or access handler: changes reach nginx */
    _edgeHeaders() {
        this._proxy ??= new Proxy(this._headers, {
            set: (target, name, value) => {
                if (typeof name !== 'string') {
                    return false;
                }
                const key = name.toLowerCase();
                const v = Array.isArray(value) ? value.join(', ')
                                               : String(value);
                phase().setHeader(this._id, key, v);
                target[key] = value;
                this._raw = null;
                return true;
            },
            deleteProperty: (target, name) => {
                if (typeof name === 'string') {
                    const key = name.toLowerCase();
                    phase().setHeader(this._id, key, null);
                    delete target[key];
                    this._raw = null;
                }
                return true;
            },
        });
        return this._proxy;
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

function headersSentError(what) {
    const err = new Error(`Cannot ${what} headers after they are sent to ` +
                          'the client');
    err.code = 'ERR_HTTP_HEADERS_SENT';
    return err;
}

/**
 * The response, as Node's http.ServerResponse.  write() hands each chunk
 * to nginx's output chain and returns false while nginx still holds
 * earlier output; 'drain' follows when it has all gone out.
 */
export class ServerResponse extends LazyEmitter {
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
        this.writableNeedDrain = false;
        this.destroyed = false;
        this.sendDate = true;
        this._failed = false;
        this._wroteHead = false;        // writeHead() ran
    }

    get finished() {
        return this.writableEnded;
    }

    get socket() {
        return this.req.socket;
    }

    get connection() {
        return this.req.socket;
    }

    on(name, fn) {
        super.on(name, fn);
        if (name === 'close') {
            track(this._id, this.req, this);
        }
        return this;
    }

    addListener(name, fn) {
        return this.on(name, fn);
    }

    /**
     * @param {string} name
     * @param {string|number|string[]} value
     * @returns {this}
     */
    setHeader(name, value) {
        if (this.headersSent) {
            throw headersSentError('set');
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
     * Adds a value to a header, keeping those it has (Node 18.3).
     * @param {string} name
     * @param {string|string[]} value
     * @returns {this}
     */
    appendHeader(name, value) {
        if (this.headersSent) {
            throw headersSentError('append');
        }
        checkName(name);
        const add = Array.isArray(value) ? value : [value];
        add.forEach((v) => checkValue(name, v));
        const key = name.toLowerCase();
        const old = this._headers.get(key);
        if (old === undefined) {
            this._headers.set(key, [name, add.length === 1 ? add[0] : add]);
        } else {
            const prev = Array.isArray(old[1]) ? old[1] : [old[1]];
            this._headers.set(key, [old[0], prev.concat(add)]);
        }
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

    /** @returns {string[]} names as set, with values */
    getRawHeaderNames() {
        return [...this._headers.values()].map(([name]) => name);
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
            throw headersSentError('remove');
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
        if (this.headersSent) {
            throw headersSentError('write');
        }
        if (typeof message !== 'string') {
            headers = message;
            message = undefined;
        }
        status = Number(status);
        checkStatus(status);
        if (Array.isArray(headers)) {
            if (headers.length > 0 && Array.isArray(headers[0])) {
                for (const [k, v] of headers) {
                    this.appendHeader(k, v);
                }
            } else {
                for (let i = 0; i + 1 < headers.length; i += 2) {
                    this.appendHeader(headers[i], headers[i + 1]);
                }
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
        this._wroteHead = true;
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

    /** @param {boolean} [flush] send it now, not with the first body */
    _head(flush) {
        if (this._sent) {
            return;
        }
        checkStatus(this.statusCode);
        this._sent = true;
        this.headersSent = true;
        try {
            http().head(this._id, Number(this.statusCode), this._flat(),
                        this.statusMessage, flush ? 1 : 0);
        } catch (err) {
            // rejected (a bad statusMessage, say): nothing was sent
            this._sent = false;
            this.headersSent = this._wroteHead;
            throw err;
        }
    }

    /** Sends the headers now. */
    flushHeaders() {
        this._head(true);
    }

    /**
     * @param {string|Uint8Array} chunk
     * @param {string|Function} [encoding]
     * @param {Function} [cb]
     * @returns {boolean} false: wait for 'drain' before writing more
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
        chunk = encode(chunk, encoding);
        this._head();
        const ok = http().write(this._id, chunk, 0);
        if (!ok && !this.destroyed) {
            this.writableNeedDrain = true;
            track(this._id, this.req, this);
        }
        if (typeof cb === 'function') {
            queueMicrotask(cb);
        }
        return ok;
    }

    _drain() {
        if (this.writableNeedDrain) {
            this.writableNeedDrain = false;
            this.emit('drain');
        }
    }

    _close() {
        this.destroyed = true;
        this.writableNeedDrain = false;
        this.emit('close');
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
            if (typeof cb === 'function') {
                queueMicrotask(cb);
            }
            return this;
        }
        if (chunk !== undefined && chunk !== null) {
            chunk = encode(chunk, encoding);
        }
        if (!this._sent) {
            checkStatus(this.statusCode);
            this._sent = true;
            this.headersSent = true;
            this.writableEnded = true;
            try {
                http().respond(this._id, Number(this.statusCode),
                               this._flat(), chunk ?? '', this.statusMessage);
            } catch (err) {
                // rejected (a bad statusMessage, say): nothing was sent,
                // and the handler may still answer
                this._sent = false;
                this.headersSent = this._wroteHead;
                this.writableEnded = false;
                throw err;
            }
        } else {
            this.writableEnded = true;
            http().write(this._id, chunk ?? '', 1);
        }
        this.writableFinished = true;
        if (typeof cb === 'function') {
            queueMicrotask(cb);
        }
        if (this.eventNames().length > 0) {
            queueMicrotask(() => this.emit('finish'));
        }
        return this;
    }

    /* the handler threw: its native caller logs that and fails the request */
    _thrown() {
        if (!this.writableEnded) {
            this._failed = true;
            this.writableEnded = true;
        }
    }

    /* "promise": the handler's, which knows where a non-Error rejected it */
    _fail(err, promise) {
        if (this._failed || this.writableEnded) {
            // the response is complete: only the log hears of it
            v8.reportError(err);
            return;
        }
        this._failed = true;
        this.writableEnded = true;
        http().fail(this._id, v8.formatError(err, promise));
    }
}

/*
 * Checked before anything is sent or marked ended: a rejected status
 * (res.statusCode = 99; res.end()) leaves the response open.
 */
function checkStatus(status) {
    const n = Number(status);
    if (!Number.isInteger(n) || n < 100 || n > 999) {
        const err = new RangeError(`Invalid status code: ${status}`);
        err.code = 'ERR_HTTP_INVALID_STATUS_CODE';
        throw err;
    }
}

/* a Buffer over the same memory: body chunks are Buffers, as in Node */
function toBuffer(u8) {
    return Buffer.from(u8.buffer, u8.byteOffset, u8.length);
}

/* strings in other encodings than UTF-8 become their bytes */
function encode(chunk, encoding) {
    checkChunk(chunk);
    if (typeof chunk === 'string' && typeof encoding === 'string' &&
        !/^utf-?8$/i.test(encoding)) {
        if (!Buffer.isEncoding(encoding)) {
            const err = new TypeError(`Unknown encoding: ${encoding}`);
            err.code = 'ERR_UNKNOWN_ENCODING';
            throw err;
        }
        return Buffer.from(chunk, encoding);
    }
    return chunk;
}

function checkChunk(chunk) {
    if (typeof chunk !== 'string' && !ArrayBuffer.isView(chunk)) {
        const err = new TypeError('The "chunk" argument must be of type ' +
                                  'string or an instance of Buffer or ' +
                                  'Uint8Array');
        err.code = 'ERR_INVALID_ARG_TYPE';
        throw err;
    }
}

/**
 * The response as header filters and log handlers see it: nginx's final
 * status and headers, whoever made them (proxy_pass, static files, JS).
 * A header filter may change them; later, they are read-only.
 */
export class FilterResponse {
    constructor(id) {
        this._id = id;
    }

    get statusCode() {
        return filter().status(this._id);
    }

    set statusCode(v) {
        filter().status(this._id, Number(v));
    }

    _list() {
        return filter().headers(this._id);
    }

    /**
     * @param {string} name
     * @returns {string|string[]|undefined} set-cookie as an array
     */
    getHeader(name) {
        const key = String(name).toLowerCase();
        const list = this._list();
        const values = [];
        for (let i = 0; i < list.length; i += 2) {
            if (list[i].toLowerCase() === key) {
                values.push(list[i + 1]);
            }
        }
        if (values.length === 0) {
            return undefined;
        }
        if (key === 'set-cookie') {
            return values;
        }
        return values.join(', ');
    }

    /** @returns {Object<string, string|string[]>} lower-cased names */
    getHeaders() {
        const out = Object.create(null);
        const list = this._list();
        for (let i = 0; i < list.length; i += 2) {
            const key = list[i].toLowerCase();
            const old = out[key];
            if (key === 'set-cookie') {
                (out[key] ??= []).push(list[i + 1]);
            } else {
                out[key] = old === undefined ? list[i + 1]
                                             : `${old}, ${list[i + 1]}`;
            }
        }
        return out;
    }

    getHeaderNames() {
        return Object.keys(this.getHeaders());
    }

    hasHeader(name) {
        return this.getHeader(name) !== undefined;
    }

    /**
     * @param {string} name
     * @param {string|number|string[]} value
     */
    setHeader(name, value) {
        checkName(name);
        const values = Array.isArray(value) ? value.map(String)
                                            : [String(value)];
        values.forEach((v) => checkValue(name, v));
        filter().setHeader(this._id, name, values);
        return this;
    }

    appendHeader(name, value) {
        const old = this.getHeader(name);
        const prev = old === undefined ? []
            : Array.isArray(old) ? old : [old];
        return this.setHeader(name, prev.concat(value));
    }

    /** @param {string} name */
    removeHeader(name) {
        filter().setHeader(this._id, String(name), null);
    }
}

/* a Response for any status nginx may give (even those the constructor
 * refuses, such as 1xx or 6xx-999) */
function newSubrequestResponse(body, status, headers) {
    const ok = status >= 200 && status <= 599;
    const res = new Response(body, { status: ok ? status : 500, headers });
    if (!ok) {
        Object.defineProperty(res, 'status', { value: status });
    }
    return res;
}
