// Copyright (C) nv8 contributors
//
// Request and Response (Fetch Standard), and the two hooks the HTTP
// adapter uses: newServerRequest() wraps what nginx received without
// re-validating it, responseParts() takes a handler's Response apart
// without making a stream when the body is already in memory.  There is
// no document, so there is no base URL: relative URLs are errors.

import {
    addAbortAlgorithm, isAbortSignal, newAbortSignal, signalAbort,
} from 'internal/web/abort';
import {
    bodyUnusable, cloneBody, extractBody, kBody, kHeaderList,
    mixinBody, streamBody, utf8Length,
} from 'internal/web/body';
import {
    headerListOf, setHeader, wrapHeaders,
} from 'internal/web/headers';
import { URL } from 'internal/web/url';
import { webidlInterface } from 'internal/web/webidl';

const kHeaders = Symbol('headers');
const kGuard = Symbol('guard');
const kRawNames = Symbol('rawNames');

// Response
const kStatus = Symbol('status');
const kStatusText = Symbol('statusText');
const kType = Symbol('type');
const kUrl = Symbol('url');

// Request
const kMethod = Symbol('method');
const kSignal = Symbol('signal');
const kOptions = Symbol('options');

const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const reasonRe = /^[\t\x20-\x7e\x80-\xff]*$/;
const nullBodyStatus = [101, 103, 204, 205, 304];
const redirectStatus = [301, 302, 303, 307, 308];
const normalMethods = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
const forbiddenMethods = ['CONNECT', 'TRACE', 'TRACK'];

function bag(init, what) {
    if (init === undefined || init === null) {
        return {};
    }
    if (typeof init !== 'object' && typeof init !== 'function') {
        throw new TypeError(`${what}: init must be an object`);
    }
    return init;
}

function enumOf(value, allowed, what, name) {
    const v = String(value);
    if (!allowed.includes(v)) {
        throw new TypeError(`${what}: '${v}' is not a valid value for ` +
                            `${name}`);
    }
    return v;
}

// the owner's Headers object, made on first use
function headersOf(self) {
    if (self[kHeaders] === null) {
        if (self[kRawNames]) {
            lowerNames(self);
        }
        self[kHeaders] = wrapHeaders(self[kHeaderList], self[kGuard]);
    }
    return self[kHeaders];
}

function lowerNames(self) {
    const l = self[kHeaderList];
    for (let i = 0; i < l.length; i += 2) {
        l[i] = l[i].toLowerCase();
    }
    self[kRawNames] = false;
}

function initHeaders(self, headers, type) {
    if (headers !== undefined) {
        self[kHeaderList] = headerListOf(headers);
    }
    if (type !== null) {
        const l = self[kHeaderList];
        for (let i = 0; i < l.length; i += 2) {
            if (l[i] === 'content-type') {
                return;
            }
        }
        l.push('content-type', type);
    }
}

function parseUrl(input, what) {
    let u;
    try {
        u = new URL(input);
    } catch {
        throw new TypeError(`${what}: Failed to parse URL from ${input}`);
    }
    return u;
}

/* Response */

function res(self) {
    if (self === null || typeof self !== 'object' || !(kStatus in self)) {
        throw new TypeError('Illegal invocation');
    }
    return self;
}

function newResponse(status, statusText, list, guard, body, type) {
    const r = Object.create(Response.prototype);
    r[kBody] = body;
    r[kHeaderList] = list;
    r[kHeaders] = null;
    r[kGuard] = guard;
    r[kRawNames] = false;
    r[kStatus] = status;
    r[kStatusText] = statusText;
    r[kType] = type;
    r[kUrl] = '';
    return r;
}

function initResponse(self, init, extracted) {
    const status = init.status === undefined ? 200 : toStatus(init.status);
    if (status < 200 || status > 599) {
        throw new RangeError('Response constructor: The status provided ' +
                             `(${status}) is outside the range [200, 599].`);
    }
    const statusText = init.statusText === undefined
                       ? '' : String(init.statusText);
    if (!reasonRe.test(statusText)) {
        throw new TypeError('Response constructor: Invalid statusText');
    }
    self[kStatus] = status;
    self[kStatusText] = statusText;
    initHeaders(self, init.headers, null);
    if (extracted !== null) {
        if (nullBodyStatus.includes(status)) {
            throw new TypeError('Response constructor: Invalid response ' +
                                'status code ' + status);
        }
        self[kBody] = extracted.body;
        initHeaders(self, undefined, extracted.type);
    }
}

function toStatus(v) {
    const n = Number(v);
    return Number.isFinite(n) ? Math.trunc(n) & 0xffff : 0;
}

/** Fetch Response. */
export class Response {
    /**
     * @param {*} [body] BodyInit or null
     * @param {{status?: number, statusText?: string,
     *          headers?: *}} [init]
     */
    constructor(body = null, init = undefined) {
        const i = bag(init, 'Response constructor');
        this[kBody] = null;
        this[kHeaderList] = [];
        this[kHeaders] = null;
        this[kGuard] = 'response';
        this[kRawNames] = false;
        this[kStatus] = 200;
        this[kStatusText] = '';
        this[kType] = 'default';
        this[kUrl] = '';
        initResponse(this, i, body === null ? null : extractBody(body));
    }

    /** @returns {Response} a network error, type 'error' */
    static error() {
        return newResponse(0, '', [], 'immutable', null, 'error');
    }

    /**
     * @param {string|URL} url absolute
     * @param {number} [status] 301, 302, 303, 307 or 308
     * @returns {Response}
     */
    static redirect(url, status = 302) {
        const u = parseUrl(String(url), 'Response.redirect');
        status = toStatus(status);
        if (!redirectStatus.includes(status)) {
            throw new RangeError(`Response.redirect: Invalid status code ` +
                                 `${status}`);
        }
        return newResponse(status, '', ['location', u.href], 'immutable',
                           null, 'default');
    }

    /**
     * @param {*} data serialised with JSON.stringify
     * @param {object} [init] as for the constructor
     * @returns {Response}
     */
    static json(data, init = undefined) {
        const i = bag(init, 'Response.json');
        const text = JSON.stringify(data);
        if (text === undefined) {
            throw new TypeError('Response.json: The data is not JSON ' +
                                'serializable');
        }
        const r = newResponse(200, '', [], 'response', null, 'default');
        const extracted = extractBody(text);
        extracted.type = 'application/json';
        initResponse(r, i, extracted);
        return r;
    }

    get type() { return res(this)[kType]; }
    get url() { return res(this)[kUrl]; }
    get redirected() { return res(this) && false; }
    get status() { return res(this)[kStatus]; }
    get statusText() { return res(this)[kStatusText]; }

    get ok() {
        const s = res(this)[kStatus];
        return s >= 200 && s <= 299;
    }

    /** @returns {Headers} */
    get headers() {
        return headersOf(res(this));
    }

    /** @returns {Response} */
    clone() {
        res(this);
        if (bodyUnusable(this[kBody])) {
            throw new TypeError('Response.clone: Body has already been ' +
                                'consumed.');
        }
        if (this[kRawNames]) {
            lowerNames(this);
        }
        const r = newResponse(this[kStatus], this[kStatusText],
                              this[kHeaderList].slice(), this[kGuard],
                              this[kBody] === null ? null
                                                   : cloneBody(this[kBody]),
                              this[kType]);
        r[kUrl] = this[kUrl];
        return r;
    }
}

mixinBody(Response.prototype);
webidlInterface(Response);

/* Request */

function req(self) {
    if (self === null || typeof self !== 'object' || !(kMethod in self)) {
        throw new TypeError('Illegal invocation');
    }
    return self;
}

const defaults = {
    referrer: 'about:client',
    referrerPolicy: '',
    mode: 'cors',
    credentials: 'same-origin',
    cache: 'default',
    redirect: 'follow',
    integrity: '',
    keepalive: false,
};

const enums = {
    referrerPolicy: ['', 'no-referrer', 'no-referrer-when-downgrade',
                     'same-origin', 'origin', 'strict-origin',
                     'origin-when-cross-origin',
                     'strict-origin-when-cross-origin', 'unsafe-url'],
    mode: ['navigate', 'same-origin', 'no-cors', 'cors'],
    credentials: ['omit', 'same-origin', 'include'],
    cache: ['default', 'no-store', 'reload', 'no-cache', 'force-cache',
            'only-if-cached'],
    redirect: ['follow', 'error', 'manual'],
};

/* a request's URL: a server request's is made when first read */
function urlOf(r) {
    let url = r[kUrl];
    if (typeof url === 'function') {
        url = url();
        r[kUrl] = url;
    }
    return url;
}

/* a request's signal: a server request's is made when first read */
function signalOf(r) {
    let signal = r[kSignal];
    if (typeof signal === 'function') {
        signal = signal();
        r[kSignal] = signal;
    }
    return signal;
}

function newRequest(method, url, list, body, signal, options) {
    const r = Object.create(Request.prototype);
    r[kBody] = body;
    r[kHeaderList] = list;
    r[kHeaders] = null;
    r[kGuard] = 'request';
    r[kRawNames] = false;
    r[kMethod] = method;
    r[kUrl] = url;
    r[kSignal] = signal;
    r[kOptions] = options;
    return r;
}

// a signal that follows parent (AbortSignal.any([parent]) without the
// iterable machinery)
function followSignal(parent) {
    const s = newAbortSignal();
    if (parent !== null) {
        if (parent.aborted) {
            signalAbort(s, parent.reason);
        } else {
            addAbortAlgorithm(parent, () => signalAbort(s, parent.reason));
        }
    }
    return s;
}

/** Fetch Request. */
export class Request {
    /**
     * @param {string|URL|Request} input an absolute URL or a Request
     * @param {object} [init] RequestInit
     */
    constructor(input, init = undefined) {
        const what = 'Request constructor';
        if (arguments.length === 0) {
            throw new TypeError(`${what}: 1 argument required, but only 0 ` +
                                'present.');
        }
        const i = bag(init, what);
        let from = null;
        let url;
        if (input !== null && typeof input === 'object' &&
            kMethod in input) {
            from = input;
            url = urlOf(input);
        } else {
            const u = parseUrl(String(input), what);
            if (u.username !== '' || u.password !== '') {
                throw new TypeError(`${what}: ${input} is an url with ` +
                                    'embedded credentials.');
            }
            url = u.href;
        }
        const options = { ...(from === null ? defaults : from[kOptions]) };
        if (i.referrer !== undefined) {
            const ref = String(i.referrer);
            options.referrer = ref === '' ? '' : parseUrl(ref, what).href;
        }
        for (const k of ['referrerPolicy', 'mode', 'credentials', 'cache',
                         'redirect']) {
            if (i[k] !== undefined) {
                options[k] = enumOf(i[k], enums[k], what, k);
            }
        }
        if (options.mode === 'navigate') {
            if (i.mode !== undefined) {
                throw new TypeError(`${what}: invalid request mode ` +
                                    'navigate.');
            }
            options.mode = 'same-origin';
        }
        if (options.cache === 'only-if-cached' &&
            options.mode !== 'same-origin') {
            throw new TypeError(`${what}: mode must be "same-origin" when ` +
                                'cache is "only-if-cached"');
        }
        if (i.integrity !== undefined) {
            options.integrity = String(i.integrity);
        }
        if (i.keepalive !== undefined) {
            options.keepalive = Boolean(i.keepalive);
        }
        if (i.window !== undefined && i.window !== null) {
            throw new TypeError(`${what}: 'window' option must be null`);
        }
        let method = from === null ? 'GET' : from[kMethod];
        if (i.method !== undefined) {
            method = String(i.method);
            if (!tokenRe.test(method)) {
                throw new TypeError(`${what}: '${method}' is not a valid ` +
                                    'HTTP method.');
            }
            const upper = method.toUpperCase();
            if (forbiddenMethods.includes(upper)) {
                throw new TypeError(`${what}: '${method}' HTTP method is ` +
                                    'unsupported.');
            }
            if (normalMethods.includes(upper)) {
                method = upper;
            }
        }
        let parent = from === null ? null : signalOf(from);
        if (i.signal !== undefined && i.signal !== null) {
            if (!isAbortSignal(i.signal)) {
                throw new TypeError(`${what}: member signal is not of type ` +
                                    'AbortSignal.');
            }
            parent = i.signal;
        } else if (i.signal === null) {
            parent = null;
        }

        this[kBody] = null;
        this[kHeaderList] = [];
        this[kHeaders] = null;
        this[kGuard] = 'request';
        this[kRawNames] = false;
        this[kMethod] = method;
        this[kUrl] = url;
        this[kOptions] = options;

        if (from !== null) {
            if (from[kRawNames]) {
                lowerNames(from);
            }
            this[kHeaderList] = from[kHeaderList].slice();
        }
        if (i.headers !== undefined) {
            this[kHeaderList] = headerListOf(i.headers);
        }

        const inputBody = from === null ? null : from[kBody];
        const hasInit = i.body !== undefined && i.body !== null;
        if ((hasInit || inputBody !== null) &&
            (method === 'GET' || method === 'HEAD')) {
            throw new TypeError(`${what}: Request with GET/HEAD method ` +
                                'cannot have body.');
        }
        if (hasInit) {
            const extracted = extractBody(i.body);
            if (extracted.body.stream !== null &&
                String(i.duplex) !== 'half') {
                throw new TypeError(`${what}: RequestInit: duplex option ` +
                                    'is required when sending a body.');
            }
            this[kBody] = extracted.body;
            initHeaders(this, undefined, extracted.type);
        } else if (inputBody !== null) {
            if (bodyUnusable(inputBody)) {
                throw new TypeError(`${what}: Cannot construct a Request ` +
                                    'with a Request object that has ' +
                                    'already been used.');
            }
            // the new request takes the body over; the input is used
            this[kBody] = inputBody.stream === null
                          ? { ...inputBody } : streamBody(inputBody.stream);
            inputBody.used = true;
            inputBody.source = null;
            inputBody.stream = null;
        }
        this[kSignal] = followSignal(parent);
    }

    get method() { return req(this)[kMethod]; }
    get url() { return urlOf(req(this)); }
    get signal() { return signalOf(req(this)); }
    get destination() { return req(this) && ''; }
    get referrerPolicy() { return req(this)[kOptions].referrerPolicy; }
    get mode() { return req(this)[kOptions].mode; }
    get credentials() { return req(this)[kOptions].credentials; }
    get cache() { return req(this)[kOptions].cache; }
    get redirect() { return req(this)[kOptions].redirect; }
    get integrity() { return req(this)[kOptions].integrity; }
    get keepalive() { return req(this)[kOptions].keepalive; }
    get isReloadNavigation() { return req(this) && false; }
    get isHistoryNavigation() { return req(this) && false; }
    get duplex() { return req(this) && 'half'; }

    /** @returns {string} '' for no referrer, else a URL or about:client */
    get referrer() {
        return req(this)[kOptions].referrer;
    }

    /** @returns {Headers} */
    get headers() {
        return headersOf(req(this));
    }

    /** @returns {Request} */
    clone() {
        req(this);
        if (bodyUnusable(this[kBody])) {
            throw new TypeError('Request.clone: Body has already been ' +
                                'consumed.');
        }
        if (this[kRawNames]) {
            lowerNames(this);
        }
        return newRequest(this[kMethod], urlOf(this),
                          this[kHeaderList].slice(),
                          this[kBody] === null ? null
                                               : cloneBody(this[kBody]),
                          followSignal(signalOf(this)), this[kOptions]);
    }
}

mixinBody(Request.prototype);
webidlInterface(Request);

/**
 * A Request for what the server received, trusted as it is: no URL,
 * method or header validation.  Takes ownership of headerPairs.
 * @param {string} method
 * @param {string|function(): string} url absolute, or a function called
 *     once, when the URL is first read (most handlers never read it)
 * @param {Array<string>} headerPairs [name, value, name, value, ...] as
 *     received (any case, names may repeat)
 * @param {ReadableStream|null} body
 * @param {AbortSignal|function(): AbortSignal} signal aborted when the
 *     client goes away, or a function called once, when it is first read
 * @returns {Request}
 */
export function newServerRequest(method, url, headerPairs, body, signal) {
    const r = newRequest(method, url, headerPairs,
                         body === null ? null : streamBody(body), signal,
                         defaults);
    r[kRawNames] = true;
    return r;
}

/**
 * Takes a handler's Response apart for the HTTP adapter.  body is null, a
 * Uint8Array or string still in memory (no stream is made), or a
 * ReadableStream; length is its byte count, or -1 when unknown.  The
 * response's body counts as used afterwards.
 * @param {Response} response
 * @returns {{status: number, statusText: string, headers: Array<string>,
 *            body: (Uint8Array|string|ReadableStream|null),
 *            length: number}}
 */
export function responseParts(response) {
    if (response === null || typeof response !== 'object' ||
        !(kStatus in response)) {
        throw new TypeError('The handler did not return a Response ' +
                            `(got ${describe(response)})`);
    }
    if (response[kType] === 'error') {
        throw new TypeError('The handler returned Response.error()');
    }
    const b = response[kBody];
    let body = null;
    let length = 0;
    if (b !== null) {
        if (bodyUnusable(b)) {
            throw new TypeError('The handler returned a Response whose ' +
                                'body has already been used');
        }
        if (b.stream === null) {
            body = b.source;
            length = typeof body === 'string' ? utf8Length(body)
                                              : body.byteLength;
            b.used = true;
            b.source = null;
        } else {
            body = b.stream;
            length = b.length;
        }
    }
    return {
        status: response[kStatus],
        statusText: response[kStatusText],
        headers: response[kHeaderList].slice(),
        body,
        length,
    };
}

function describe(v) {
    if (v === null || v === undefined) {
        return String(v);
    }
    if (typeof v === 'object') {
        return `an instance of ${v.constructor?.name ?? 'Object'}`;
    }
    return `type ${typeof v}`;
}
