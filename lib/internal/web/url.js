// Copyright (C) nv8 contributors
//
// URL and URLSearchParams (WHATWG URL Standard).
//
// The reference implementation, whatwg-url (vendored by
// build-aux/update-npm-deps), costs tens of microseconds per new URL(), and
// nearly every fetch-style handler starts with new URL(request.url).  So
// the classes here parse the common case themselves and hand everything
// else to whatwg-url:
//
// - Fast path: an absolute http, https, ws, wss or ftp URL made of
//   printable ASCII, "//" and a host of [A-Za-z0-9_.-] labels (no "xn--",
//   no empty label) or a plain dotted-quad IPv4 address, an optional
//   port, and a path, query and fragment without backslashes or dot
//   segments; or a relative reference against such a base.  Characters of
//   the percent-encode sets are encoded as the parser would.  The result is
//   a FastURL record; getters read it directly.
// - Everything else (credentials, IDNA, IPv6, file:, opaque paths, dot
//   segments, non-ASCII, parse failures) builds a whatwg-url URL and every
//   getter and setter forwards to it.  Setters always take this path: the
//   first one turns a fast URL into a whatwg-url one from its href.
//
// The fast path accepts only inputs whose result it computes exactly as
// the reference does; t/js/url-paths.js checks that against whatwg-url on
// the WPT data and on generated inputs.

import 'internal/web/prelude';
import { TextDecoder, TextEncoder } from 'internal/encoding';
import { URL as RefURL } from 'internal/deps/whatwg-url';

const kInternal = Symbol('internal');

// What each printable character does in the path, the query and the
// fragment of a special URL: 0 nothing, END ends the component (or path
// segment), ENC is in the component's percent-encode set (minus the C0
// controls), BAD is beyond the fast path.  Codes over 0x7e are BAD too.
const END = 1;
const ENC = 2;
const BAD = 3;

function charTable(ends, encodes, bad) {
    const t = new Uint8Array(0x7f);
    t.fill(BAD, 0, 0x20);
    for (const c of encodes) {
        t[c.charCodeAt(0)] = ENC;
    }
    for (const c of ends) {
        t[c.charCodeAt(0)] = END;
    }
    for (const c of bad) {
        t[c.charCodeAt(0)] = BAD;
    }
    return t;
}

// the path, query (special-query) and fragment percent-encode sets
const pathChars = charTable('/?#', ' "<>`{}^', '\\');
const queryChars = charTable('#', ' "<>\'', '');
const fragmentChars = charTable('', ' "<>`', '');

const pathEncodeRe = /[ "<>`{}^]/g;
const queryEncodeRe = /[ "<>']/g;
const fragmentEncodeRe = /[ "<>`]/g;
const percentOf = { __proto__: null, ' ': '%20', '"': '%22', '\'': '%27',
                    '<': '%3C', '>': '%3E', '^': '%5E', '`': '%60',
                    '{': '%7B', '}': '%7D' };

function percentChar(c) {
    return percentOf[c];
}

function defaultPort(scheme) {
    switch (scheme) {
    case 'http':
    case 'ws':
        return 80;
    case 'https':
    case 'wss':
        return 443;
    case 'ftp':
        return 21;
    default:
        return -1;
    }
}

// single-dot and double-dot path segments, as the parser spells them
const dotSegments = new Set(['.', '..', '%2e', '.%2e', '%2e.', '%2e%2e']);


/**
 * The parts of a URL parsed by the fast path, serialized.
 */
class FastURL {
    constructor(scheme, host, port, path, query, fragment, href) {
        this.scheme = scheme;       // 'https'
        this.host = host;           // serialized host
        this.port = port;           // '' or the decimal port
        this.path = path;           // '/...'
        this.query = query;         // '' (null), '?' (empty) or '?...'
        this.fragment = fragment;   // '' (null), '#' (empty) or '#...'
        this.href = href;
    }
}


function serialize(r) {
    return r.scheme + '://' + (r.port === '' ? r.host : r.host + ':' + r.port)
           + r.path + r.query + r.fragment;
}


/**
 * Parses the path, query and fragment of s from i, where s[i] is "/",
 * "?", "#" or the end (or the start of a relative path when prefix is
 * given), into r.
 * @returns {boolean} false if the fast path cannot parse them exactly
 */
function parseTail(s, i, r, prefix) {
    const n = s.length;
    let j = i;
    let seg = i;
    let enc = false;
    let c = 0;

    if (prefix !== null || s.charCodeAt(i) === 0x2f) {
        for (; j <= n; j++) {
            if (j < n) {
                c = s.charCodeAt(j);
                if (c > 0x7e) {
                    return false;
                }
                const t = pathChars[c];
                if (t === 0) {
                    continue;
                }
                if (t === ENC) {
                    enc = true;
                    continue;
                }
                if (t === BAD) {
                    return false;
                }
            } else {
                c = 0x23;
            }
            if (j - seg <= 6 && j > seg) {
                const f = s.charCodeAt(seg);
                if ((f === 0x2e || f === 0x25)
                    && dotSegments.has(s.slice(seg, j).toLowerCase()))
                {
                    return false;
                }
            }
            if (c !== 0x2f) {
                break;
            }
            seg = j + 1;
        }
        let path = s.slice(i, j);
        if (enc) {
            path = path.replace(pathEncodeRe, percentChar);
        }
        r.path = prefix === null ? path : prefix + path;
    } else {
        r.path = '/';
    }

    if (j < n && s.charCodeAt(j) === 0x3f) {
        i = j;
        enc = false;
        for (j++; j < n; j++) {
            c = s.charCodeAt(j);
            if (c > 0x7e) {
                return false;
            }
            const t = queryChars[c];
            if (t !== 0) {
                if (t === END) {
                    break;
                }
                if (t === BAD) {
                    return false;
                }
                enc = true;
            }
        }
        const query = s.slice(i, j);
        r.query = enc ? query.replace(queryEncodeRe, percentChar) : query;
    } else {
        r.query = '';
    }

    if (j < n) {
        i = j;
        enc = false;
        for (j++; j < n; j++) {
            c = s.charCodeAt(j);
            if (c > 0x7e) {
                return false;
            }
            const t = fragmentChars[c];
            if (t !== 0) {
                if (t === BAD) {
                    return false;
                }
                enc = true;
            }
        }
        const fragment = s.slice(i);
        r.fragment = enc ? fragment.replace(fragmentEncodeRe, percentChar)
                         : fragment;
    } else {
        r.fragment = '';
    }

    return true;
}


/**
 * @param {string} s lower-cased host, [a-z0-9_.-]+ without empty labels
 * @param {number} last where the last label starts
 * @returns {boolean|null} true if s is a canonical dotted quad, false if
 *     the host parser would not take s for an IPv4 address, null if it
 *     would and s is not canonical (left to the slow path)
 */
function checkIPv4(s, last) {
    const c = s.charCodeAt(last);
    const x = s.charCodeAt(last + 1);
    let digits = true;
    for (let k = last; k < s.length; k++) {
        const d = s.charCodeAt(k);
        if (d < 0x30 || d > 0x39) {
            digits = false;
            break;
        }
    }
    if (!digits && !(c === 0x30 && (x === 0x78 || x === 0x58))) {
        return false;
    }
    const parts = s.split('.');
    if (parts.length !== 4) {
        return null;
    }
    for (const p of parts) {
        if (!/^(?:0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) {
            return null;
        }
    }
    return true;
}


// An absolute URL already in its serialized form, as request URLs nearly
// always are: lower-case scheme and host, the host either a canonical
// dotted-quad IPv4 address (four decimal numbers up to 255, no leading
// zeros) or a domain that is neither an IPv4 address nor punycode (the
// last label does not start with a digit, no label starts with "xn--"),
// no path segment starting with "." or "%2e", no character of a
// percent-encode set.  A match still goes through the port checks below.
// One regular expression is about twice as fast as the character loop of
// parseGeneral().
const octetRe = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const serializedRe = new RegExp(
    '^(https?|wss?|ftp)://' +
    '((?:(?!xn--)[a-z0-9_-]+\\.)*(?!xn--)[a-z_-][a-z0-9_-]*|' +
    `${octetRe}(?:\\.${octetRe}){3})` +
    '(?::([1-9][0-9]{0,4}))?' +
    '((?:/(?!\\.|%2[eE])[!$-.0-;=@-[\\]_a-z|~]*)*)' +
    '(\\?[!$-&(-;=?-~]*)?' +
    '(#[!#-;=?-_a-~]*)?$');

/**
 * The fast path for an absolute URL.
 * @param {string} s a USVString
 * @returns {FastURL|null} null if s needs the reference parser
 */
function parseAbsolute(s) {
    const m = serializedRe.exec(s);
    if (m === null) {
        return parseGeneral(s);
    }
    const scheme = m[1];
    let port = m[3];
    if (port === undefined) {
        port = '';
    } else if (+port > 65535 || +port === defaultPort(scheme)) {
        return parseGeneral(s);
    }
    const query = m[5];
    const fragment = m[6];
    const r = new FastURL(scheme, m[2], port, m[4],
                          query === undefined ? '' : query,
                          fragment === undefined ? '' : fragment, s);
    if (r.path === '') {
        r.path = '/';
        r.href = serialize(r);
    }
    return r;
}


/**
 * The fast path for an absolute URL not in serialized form.
 * @param {string} s a USVString
 * @returns {FastURL|null} null if s needs the reference parser
 */
function parseGeneral(s) {
    const n = s.length;
    let c = s.charCodeAt(0);
    let changed = false;
    let i;

    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a))
        || s.charCodeAt(n - 1) <= 0x20)
    {
        return null;
    }
    for (i = 1; i < n; i++) {
        c = s.charCodeAt(i);
        if (c === 0x3a) {
            break;
        }
        if (c >= 0x41 && c <= 0x5a) {
            changed = true;
        } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)
                     || c === 0x2b || c === 0x2d || c === 0x2e))
        {
            return null;
        }
    }
    let scheme = s.slice(0, i);
    if (changed) {
        scheme = scheme.toLowerCase();
    }
    const dport = defaultPort(scheme);
    if (dport === -1 || s.charCodeAt(i + 1) !== 0x2f
        || s.charCodeAt(i + 2) !== 0x2f)
    {
        return null;
    }

    const hs = i + 3;
    let label = hs;
    let last = hs;
    let hyphen = false;
    for (i = hs; i < n; i++) {
        c = s.charCodeAt(i);
        if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)
            || c === 0x5f)
        {
            continue;
        }
        if (c === 0x2d) {
            hyphen = true;
            continue;
        }
        if (c >= 0x41 && c <= 0x5a) {
            changed = true;
            continue;
        }
        if (c === 0x2e) {
            if (i === label) {
                return null;
            }
            label = i + 1;
            last = label;
            continue;
        }
        if (c === 0x3a || c === 0x2f || c === 0x3f || c === 0x23) {
            break;
        }
        return null;
    }
    if (i === label) {
        return null;
    }
    let host = s.slice(hs, i);
    if (changed) {
        host = host.toLowerCase();
    }
    if (hyphen && host.includes('xn--')) {
        return null;
    }
    c = host.charCodeAt(last - hs);
    if ((c >= 0x30 && c <= 0x39) && checkIPv4(host, last - hs) === null) {
        return null;
    }

    let port = '';
    if (i < n && s.charCodeAt(i) === 0x3a) {
        const ps = ++i;
        let v = 0;
        for (; i < n; i++) {
            c = s.charCodeAt(i);
            if (c < 0x30 || c > 0x39) {
                if (c === 0x2f || c === 0x3f || c === 0x23) {
                    break;
                }
                return null;
            }
            v = v * 10 + c - 0x30;
            if (v > 65535) {
                return null;
            }
        }
        if (i > ps && v !== dport) {
            port = String(v);
        }
        if (port === '' || port.length !== i - ps) {
            changed = true;
        }
    }

    const r = new FastURL(scheme, host, port, '', '', '', s);
    if (!parseTail(s, i, r, null)) {
        return null;
    }
    if (changed || r.path.length + r.query.length + r.fragment.length
                   !== n - i)
    {
        r.href = serialize(r);
    }
    return r;
}


/**
 * The fast path for input against a base the fast path parsed.
 * @returns {FastURL|null}
 */
function parseRelative(s, b) {
    const n = s.length;
    if (n === 0 || s.charCodeAt(0) <= 0x20 || s.charCodeAt(n - 1) <= 0x20) {
        return null;
    }
    let c = s.charCodeAt(0);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) {
        for (let i = 1; i < n; i++) {
            c = s.charCodeAt(i);
            if (c === 0x3a) {
                return parseAbsolute(s);
            }
            if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)
                  || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d
                  || c === 0x2e))
            {
                break;
            }
        }
        c = s.charCodeAt(0);
    }

    const r = new FastURL(b.scheme, b.host, b.port, b.path, b.query, '', '');
    if (c === 0x2f) {
        if (s.charCodeAt(1) === 0x2f) {
            return parseAbsolute(b.scheme + ':' + s);
        }
        if (!parseTail(s, 0, r, null)) {
            return null;
        }
    } else if (c === 0x3f) {
        if (!parseTail(s, 0, r, null)) {
            return null;
        }
        r.path = b.path;
    } else if (c === 0x23) {
        if (!parseTail(s, 0, r, null)) {
            return null;
        }
        r.path = b.path;
        r.query = b.query;
    } else if (c === 0x5c) {
        return null;
    } else {
        const dir = b.path.slice(0, b.path.lastIndexOf('/') + 1);
        if (!parseTail(s, 0, r, dir)) {
            return null;
        }
    }
    r.href = serialize(r);
    return r;
}


function parseFast(url, base) {
    if (base === undefined) {
        return parseAbsolute(url);
    }
    const b = parseAbsolute(base);
    return b === null ? null : parseRelative(url, b);
}


// WebIDL USVString conversion, with whatwg-url's messages.

const surrogateRe = /[\uD800-\uDFFF]/;
const loneSurrogateRe =
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function usv(v, context) {
    if (typeof v !== 'string') {
        if (typeof v === 'symbol') {
            throw new TypeError(`${context} is a symbol, which cannot be ` +
                                'converted to a string.');
        }
        v = String(v);
    }
    return surrogateRe.test(v) ? v.replace(loneSurrogateRe, '\uFFFD') : v;
}

function isObject(v) {
    return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

function needArgs(got, want, what, iface) {
    if (got < want) {
        throw new TypeError(`Failed to ${what} '${iface}': ${want} ` +
                            `argument${want > 1 ? 's' : ''} required, ` +
                            `but only ${got} present.`);
    }
}

function notURL(what) {
    return new TypeError(`'${what}' called on an object that is not a ` +
                         'valid instance of URL.');
}

function notParams(what) {
    return new TypeError(`'${what}' called on an object that is not a ` +
                         'valid instance of URLSearchParams.');
}

function setContext(name) {
    return `Failed to set the '${name}' property on 'URL': ` +
           'The provided value';
}


// application/x-www-form-urlencoded

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function isHex(c) {
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46)
           || (c >= 0x61 && c <= 0x66);
}

/**
 * Percent-decodes bytes then decodes UTF-8 with replacement, the
 * parser's own steps; for what decodeURIComponent() rejects.
 */
function decodeBytes(s) {
    const b = utf8Encoder.encode(s);
    const out = new Uint8Array(b.length);
    let o = 0;
    for (let i = 0; i < b.length; i++) {
        const c = b[i];
        if (c === 0x25 && isHex(b[i + 1]) && isHex(b[i + 2])) {
            out[o++] = parseInt(String.fromCharCode(b[i + 1], b[i + 2]), 16);
            i += 2;
        } else {
            out[o++] = c;
        }
    }
    return utf8Decoder.decode(out.subarray(0, o));
}

function decodeComponent(s) {
    if (s.indexOf('+') !== -1) {
        s = s.replaceAll('+', ' ');
    }
    if (s.indexOf('%') === -1) {
        return s;
    }
    // where it succeeds, decodeURIComponent() is exactly the spec's
    // percent-decode plus UTF-8 decode: it throws on a "%" without two hex
    // digits and on any invalid UTF-8, the only places they differ
    try {
        return decodeURIComponent(s);
    } catch {
        return decodeBytes(s);
    }
}

/**
 * @param {string} s a USVString
 * @returns {string[]} [name, value, name, value, ...]
 */
function parseUrlencoded(s) {
    const list = [];
    const n = s.length;
    let start = 0;
    let eq = -1;
    let coded = false;
    for (let i = 0; i <= n; i++) {
        const c = i < n ? s.charCodeAt(i) : 0x26;
        if (c === 0x26) {
            if (i > start) {
                let name;
                let value = '';
                if (eq === -1) {
                    name = s.slice(start, i);
                } else {
                    name = s.slice(start, eq);
                    value = s.slice(eq + 1, i);
                }
                if (coded) {
                    name = decodeComponent(name);
                    value = decodeComponent(value);
                }
                list.push(name, value);
            }
            start = i + 1;
            eq = -1;
            coded = false;
        } else if (c === 0x3d) {
            if (eq === -1) {
                eq = i;
            }
        } else if (c === 0x2b || c === 0x25) {
            coded = true;
        }
    }
    return list;
}

const formSafeRe = /^[A-Za-z0-9*\-._]*$/;
const formFixRe = /[!'()~]/;
const formFixAllRe = /[!'()~]/g;
const formFix = { __proto__: null, '!': '%21', '\'': '%27', '(': '%28',
                  ')': '%29', '~': '%7E' };

function formFixChar(m) {
    return formFix[m];
}

function encodeComponent(s) {
    if (formSafeRe.test(s)) {
        return s;
    }
    // encodeURIComponent() leaves alphanumerics and -_.!~*'() alone and
    // encodes UTF-8 bytes in upper-case hex, as the urlencoded set does
    // but for !'()~ and the space (a replace() callback is slow in V8, so
    // it only runs for the rare !'()~)
    let e = encodeURIComponent(s);
    if (e.indexOf('%20') !== -1) {
        e = e.replaceAll('%20', '+');
    }
    return formFixRe.test(e) ? e.replace(formFixAllRe, formFixChar) : e;
}

function serializeUrlencoded(list) {
    let out = '';
    for (let i = 0; i < list.length; i += 2) {
        if (i !== 0) {
            out += '&';
        }
        out += encodeComponent(list[i]) + '=' + encodeComponent(list[i + 1]);
    }
    return out;
}


// URL

let isURL;
let urlQueryUpdate;
let newLinkedParams;
let paramsSetList;

/**
 * The URL interface.
 */
class URL {
    #fast = null;
    #ref = null;
    #params = null;

    constructor(url) {
        needArgs(arguments.length, 1, 'construct', 'URL');
        let base = arguments[1];
        // strings need no USVString conversion here: the fast path takes
        // only ASCII, and whatwg-url converts what it is given
        if (typeof url !== 'string'
            || (base !== undefined && typeof base !== 'string'))
        {
            url = usv(url, 'Failed to construct \'URL\': parameter 1');
            if (base !== undefined) {
                base = usv(base, 'Failed to construct \'URL\': parameter 2');
            }
        }
        const f = parseFast(url, base);
        if (f !== null) {
            this.#fast = f;
        } else {
            this.#ref = new RefURL(url, base);
        }
    }

    static {
        isURL = (o) => isObject(o) && #fast in o;

        urlQueryUpdate = (url, list) => {
            const query = serializeUrlencoded(list);
            const f = url.#fast;
            if (f !== null) {
                f.query = query === '' ? '' : '?' + query;
                f.href = serialize(f);
            } else {
                url.#ref.search = query;
            }
        };
    }

    #slow() {
        if (this.#ref === null) {
            this.#ref = new RefURL(this.#fast.href);
            this.#fast = null;
        }
        return this.#ref;
    }

    #query() {
        const f = this.#fast;
        return f !== null ? f.query : this.#ref.search;
    }

    toJSON() {
        if (!isURL(this)) {
            throw notURL('toJSON');
        }
        const f = this.#fast;
        return f !== null ? f.href : this.#ref.href;
    }

    get href() {
        if (!isURL(this)) {
            throw notURL('get href');
        }
        const f = this.#fast;
        return f !== null ? f.href : this.#ref.href;
    }

    set href(v) {
        if (!isURL(this)) {
            throw notURL('set href');
        }
        v = usv(v, setContext('href'));
        const f = parseFast(v, undefined);
        if (f !== null) {
            this.#fast = f;
            this.#ref = null;
        } else {
            const ref = new RefURL(v);
            this.#fast = null;
            this.#ref = ref;
        }
        if (this.#params !== null) {
            paramsSetList(this.#params,
                          parseUrlencoded(this.#query().slice(1)));
        }
    }

    toString() {
        if (!isURL(this)) {
            throw notURL('toString');
        }
        const f = this.#fast;
        return f !== null ? f.href : this.#ref.href;
    }

    get origin() {
        if (!isURL(this)) {
            throw notURL('get origin');
        }
        const f = this.#fast;
        if (f === null) {
            return this.#ref.origin;
        }
        return f.scheme + '://'
               + (f.port === '' ? f.host : f.host + ':' + f.port);
    }

    get protocol() {
        if (!isURL(this)) {
            throw notURL('get protocol');
        }
        const f = this.#fast;
        return f !== null ? f.scheme + ':' : this.#ref.protocol;
    }

    set protocol(v) {
        if (!isURL(this)) {
            throw notURL('set protocol');
        }
        this.#slow().protocol = usv(v, setContext('protocol'));
    }

    get username() {
        if (!isURL(this)) {
            throw notURL('get username');
        }
        return this.#fast !== null ? '' : this.#ref.username;
    }

    set username(v) {
        if (!isURL(this)) {
            throw notURL('set username');
        }
        this.#slow().username = usv(v, setContext('username'));
    }

    get password() {
        if (!isURL(this)) {
            throw notURL('get password');
        }
        return this.#fast !== null ? '' : this.#ref.password;
    }

    set password(v) {
        if (!isURL(this)) {
            throw notURL('set password');
        }
        this.#slow().password = usv(v, setContext('password'));
    }

    get host() {
        if (!isURL(this)) {
            throw notURL('get host');
        }
        const f = this.#fast;
        if (f === null) {
            return this.#ref.host;
        }
        return f.port === '' ? f.host : f.host + ':' + f.port;
    }

    set host(v) {
        if (!isURL(this)) {
            throw notURL('set host');
        }
        this.#slow().host = usv(v, setContext('host'));
    }

    get hostname() {
        if (!isURL(this)) {
            throw notURL('get hostname');
        }
        const f = this.#fast;
        return f !== null ? f.host : this.#ref.hostname;
    }

    set hostname(v) {
        if (!isURL(this)) {
            throw notURL('set hostname');
        }
        this.#slow().hostname = usv(v, setContext('hostname'));
    }

    get port() {
        if (!isURL(this)) {
            throw notURL('get port');
        }
        const f = this.#fast;
        return f !== null ? f.port : this.#ref.port;
    }

    set port(v) {
        if (!isURL(this)) {
            throw notURL('set port');
        }
        this.#slow().port = usv(v, setContext('port'));
    }

    get pathname() {
        if (!isURL(this)) {
            throw notURL('get pathname');
        }
        const f = this.#fast;
        return f !== null ? f.path : this.#ref.pathname;
    }

    set pathname(v) {
        if (!isURL(this)) {
            throw notURL('set pathname');
        }
        this.#slow().pathname = usv(v, setContext('pathname'));
    }

    get search() {
        if (!isURL(this)) {
            throw notURL('get search');
        }
        const f = this.#fast;
        if (f === null) {
            return this.#ref.search;
        }
        return f.query.length > 1 ? f.query : '';
    }

    set search(v) {
        if (!isURL(this)) {
            throw notURL('set search');
        }
        v = usv(v, setContext('search'));
        const params = this.searchParams;
        this.#slow().search = v;
        // the spec parses the list from the value, not from the query
        // the value became (tabs and newlines, for one, differ)
        paramsSetList(params, v === '' ? []
                              : parseUrlencoded(v[0] === '?' ? v.slice(1)
                                                             : v));
    }

    get searchParams() {
        if (!isURL(this)) {
            throw notURL('get searchParams');
        }
        if (this.#params === null) {
            this.#params = newLinkedParams(
                this, parseUrlencoded(this.#query().slice(1)));
        }
        return this.#params;
    }

    get hash() {
        if (!isURL(this)) {
            throw notURL('get hash');
        }
        const f = this.#fast;
        if (f === null) {
            return this.#ref.hash;
        }
        return f.fragment.length > 1 ? f.fragment : '';
    }

    set hash(v) {
        if (!isURL(this)) {
            throw notURL('set hash');
        }
        this.#slow().hash = usv(v, setContext('hash'));
    }

    static parse(url) {
        needArgs(arguments.length, 1, 'execute \'parse\' on', 'URL');
        url = usv(url, 'Failed to execute \'parse\' on \'URL\': parameter 1');
        let base = arguments[1];
        if (base !== undefined) {
            base = usv(base,
                       'Failed to execute \'parse\' on \'URL\': parameter 2');
        }
        try {
            return new URL(url, base);
        } catch {
            return null;
        }
    }

    static canParse(url) {
        needArgs(arguments.length, 1, 'execute \'canParse\' on', 'URL');
        url = usv(url,
                  'Failed to execute \'canParse\' on \'URL\': parameter 1');
        let base = arguments[1];
        if (base !== undefined) {
            base = usv(base, 'Failed to execute \'canParse\' on \'URL\': ' +
                             'parameter 2');
        }
        return parseFast(url, base) !== null || RefURL.canParse(url, base);
    }
}

Object.defineProperties(URL.prototype, {
    toJSON: { enumerable: true },
    href: { enumerable: true },
    toString: { enumerable: true },
    origin: { enumerable: true },
    protocol: { enumerable: true },
    username: { enumerable: true },
    password: { enumerable: true },
    host: { enumerable: true },
    hostname: { enumerable: true },
    port: { enumerable: true },
    pathname: { enumerable: true },
    search: { enumerable: true },
    searchParams: { enumerable: true },
    hash: { enumerable: true },
    [Symbol.toStringTag]: { value: 'URL', configurable: true },
});
Object.defineProperties(URL, {
    parse: { enumerable: true },
    canParse: { enumerable: true },
});


// URLSearchParams

const ctorContext = 'Failed to construct \'URLSearchParams\': parameter 1';

function methodContext(name, n) {
    return `Failed to execute '${name}' on 'URLSearchParams': parameter ${n}`;
}

/**
 * The webidl2js conversion of the constructor's argument, step for step
 * (the order of user-visible lookups is part of the behaviour).
 * @returns {string[]} the list, flat
 */
function listFromInit(init) {
    if (init === undefined) {
        return [];
    }
    if (!isObject(init)) {
        init = usv(init, ctorContext);
        return parseUrlencoded(init[0] === '?' ? init.slice(1) : init);
    }
    if (init[Symbol.iterator] !== undefined) {
        const pairs = [];
        for (const item of init) {
            if (!isObject(item)) {
                throw new TypeError(`${ctorContext} sequence's element is ` +
                                    'not an iterable object.');
            }
            const pair = [];
            for (const s of item) {
                pair.push(usv(s, `${ctorContext} sequence's element's ` +
                                 'element'));
            }
            pairs.push(pair);
        }
        const list = [];
        for (const pair of pairs) {
            if (pair.length !== 2) {
                throw new TypeError(`${ctorContext} sequence's element ` +
                                    'does not contain exactly two ' +
                                    'elements.');
            }
            list.push(pair[0], pair[1]);
        }
        return list;
    }
    const record = Object.create(null);
    for (const key of Reflect.ownKeys(init)) {
        const desc = Object.getOwnPropertyDescriptor(init, key);
        if (desc && desc.enumerable) {
            const k = usv(key, `${ctorContext} record's key`);
            record[k] = usv(init[key], `${ctorContext} record's value`);
        }
    }
    const list = [];
    for (const k of Object.keys(record)) {
        list.push(k, record[k]);
    }
    return list;
}

let isParams;
let paramsList;
let linkingURL = null;
let linkingList = null;

/**
 * The URLSearchParams interface.  The list is flat, [name, value, ...].
 */
class URLSearchParams {
    #list;
    #url = null;

    constructor() {
        if (linkingURL !== null) {
            this.#list = linkingList;
            this.#url = linkingURL;
            linkingURL = null;
            linkingList = null;
            return;
        }
        this.#list = listFromInit(arguments[0]);
    }

    static {
        isParams = (o) => isObject(o) && #list in o;
        paramsList = (p) => p.#list;
        // not through an argument: the constructor's arguments object is
        // measurably slower, and user code cannot reach these variables
        newLinkedParams = (url, list) => {
            linkingURL = url;
            linkingList = list;
            return new URLSearchParams();
        };
        paramsSetList = (p, list) => {
            p.#list = list;
        };
    }

    #update() {
        if (this.#url !== null) {
            urlQueryUpdate(this.#url, this.#list);
        }
    }

    append(name, value) {
        if (!isParams(this)) {
            throw notParams('append');
        }
        needArgs(arguments.length, 2, 'execute \'append\' on',
                 'URLSearchParams');
        name = usv(name, methodContext('append', 1));
        value = usv(value, methodContext('append', 2));
        this.#list.push(name, value);
        this.#update();
    }

    delete(name) {
        if (!isParams(this)) {
            throw notParams('delete');
        }
        needArgs(arguments.length, 1, 'execute \'delete\' on',
                 'URLSearchParams');
        name = usv(name, methodContext('delete', 1));
        let value = arguments[1];
        if (value !== undefined) {
            value = usv(value, methodContext('delete', 2));
        }
        const list = this.#list;
        let o = 0;
        for (let i = 0; i < list.length; i += 2) {
            if (list[i] !== name
                || (value !== undefined && list[i + 1] !== value))
            {
                list[o++] = list[i];
                list[o++] = list[i + 1];
            }
        }
        list.length = o;
        this.#update();
    }

    get(name) {
        if (!isParams(this)) {
            throw notParams('get');
        }
        needArgs(arguments.length, 1, 'execute \'get\' on',
                 'URLSearchParams');
        name = usv(name, methodContext('get', 1));
        const list = this.#list;
        for (let i = 0; i < list.length; i += 2) {
            if (list[i] === name) {
                return list[i + 1];
            }
        }
        return null;
    }

    getAll(name) {
        if (!isParams(this)) {
            throw notParams('getAll');
        }
        needArgs(arguments.length, 1, 'execute \'getAll\' on',
                 'URLSearchParams');
        name = usv(name, methodContext('getAll', 1));
        const list = this.#list;
        const out = [];
        for (let i = 0; i < list.length; i += 2) {
            if (list[i] === name) {
                out.push(list[i + 1]);
            }
        }
        return out;
    }

    has(name) {
        if (!isParams(this)) {
            throw notParams('has');
        }
        needArgs(arguments.length, 1, 'execute \'has\' on',
                 'URLSearchParams');
        name = usv(name, methodContext('has', 1));
        let value = arguments[1];
        if (value !== undefined) {
            value = usv(value, methodContext('has', 2));
        }
        const list = this.#list;
        for (let i = 0; i < list.length; i += 2) {
            if (list[i] === name
                && (value === undefined || list[i + 1] === value))
            {
                return true;
            }
        }
        return false;
    }

    set(name, value) {
        if (!isParams(this)) {
            throw notParams('set');
        }
        needArgs(arguments.length, 2, 'execute \'set\' on',
                 'URLSearchParams');
        name = usv(name, methodContext('set', 1));
        value = usv(value, methodContext('set', 2));
        const list = this.#list;
        let found = false;
        let o = 0;
        for (let i = 0; i < list.length; i += 2) {
            if (list[i] === name) {
                if (found) {
                    continue;
                }
                found = true;
                list[o++] = name;
                list[o++] = value;
            } else {
                list[o++] = list[i];
                list[o++] = list[i + 1];
            }
        }
        list.length = o;
        if (!found) {
            list.push(name, value);
        }
        this.#update();
    }

    sort() {
        if (!isParams(this)) {
            throw notParams('sort');
        }
        const list = this.#list;
        const pairs = [];
        for (let i = 0; i < list.length; i += 2) {
            pairs.push([list[i], list[i + 1]]);
        }
        // stable, comparing code units, as the spec asks
        pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        for (let i = 0; i < pairs.length; i++) {
            list[2 * i] = pairs[i][0];
            list[2 * i + 1] = pairs[i][1];
        }
        this.#update();
    }

    toString() {
        if (!isParams(this)) {
            throw notParams('toString');
        }
        return serializeUrlencoded(this.#list);
    }

    keys() {
        if (!isParams(this)) {
            throw notParams('keys');
        }
        return new ParamsIterator(kInternal, this, 0);
    }

    values() {
        if (!isParams(this)) {
            throw notParams('values');
        }
        return new ParamsIterator(kInternal, this, 1);
    }

    entries() {
        if (!isParams(this)) {
            throw notParams('entries');
        }
        return new ParamsIterator(kInternal, this, 2);
    }

    forEach(callback) {
        if (!isParams(this)) {
            throw notParams('forEach');
        }
        if (arguments.length < 1) {
            throw new TypeError('Failed to execute \'forEach\' on ' +
                                '\'iterable\': 1 argument required, but ' +
                                'only 0 present.');
        }
        if (typeof callback !== 'function') {
            throw new TypeError('Failed to execute \'forEach\' on ' +
                                '\'iterable\': The callback provided as ' +
                                'parameter 1 is not a function');
        }
        const thisArg = arguments[1];
        // the list may change or be replaced by the callback
        for (let i = 0; 2 * i < this.#list.length; i++) {
            const list = this.#list;
            Reflect.apply(callback, thisArg,
                          [list[2 * i + 1], list[2 * i], this]);
        }
    }

    get size() {
        if (!isParams(this)) {
            throw notParams('get size');
        }
        return this.#list.length / 2;
    }
}

// console.log() shows the pairs, as Node's URLSearchParams
Object.defineProperty(URLSearchParams.prototype,
                      Symbol.for('nodejs.util.inspect.custom'), {
    value(depth, options, inspect) {
        const items = [];
        for (const [n, v] of this) {
            items.push(`${inspect(n)} => ${inspect(v)}`);
        }
        return items.length === 0 ? 'URLSearchParams {}'
            : `URLSearchParams { ${items.join(', ')} }`;
    },
    configurable: true, writable: true,
});

Object.defineProperties(URLSearchParams.prototype, {
    append: { enumerable: true },
    delete: { enumerable: true },
    get: { enumerable: true },
    getAll: { enumerable: true },
    has: { enumerable: true },
    set: { enumerable: true },
    sort: { enumerable: true },
    toString: { enumerable: true },
    keys: { enumerable: true },
    values: { enumerable: true },
    entries: { enumerable: true },
    forEach: { enumerable: true },
    size: { enumerable: true },
    [Symbol.toStringTag]: { value: 'URLSearchParams', configurable: true },
    [Symbol.iterator]: { value: URLSearchParams.prototype.entries,
                         configurable: true, writable: true },
});


/**
 * "URLSearchParams Iterator": live over the list, as webidl2js makes it.
 */
class ParamsIterator {
    #target;
    #kind;
    #index = 0;

    constructor(token, target, kind) {
        if (token !== kInternal) {
            throw new TypeError('Illegal constructor');
        }
        this.#target = target;
        this.#kind = kind;
    }

    next() {
        if (!isObject(this) || !(#target in this)) {
            throw new TypeError('next() called on a value that is not a ' +
                                'URLSearchParams iterator object');
        }
        const list = paramsList(this.#target);
        const i = this.#index;
        if (2 * i >= list.length) {
            return { value: undefined, done: true };
        }
        this.#index = i + 1;
        const kind = this.#kind;
        return {
            value: kind === 0 ? list[2 * i]
                   : kind === 1 ? list[2 * i + 1]
                   : [list[2 * i], list[2 * i + 1]],
            done: false,
        };
    }
}

Object.setPrototypeOf(ParamsIterator.prototype,
                      Object.getPrototypeOf(Object.getPrototypeOf(
                          [][Symbol.iterator]())));
delete ParamsIterator.prototype.constructor;
Object.defineProperties(ParamsIterator.prototype, {
    next: { enumerable: true },
    [Symbol.toStringTag]: { value: 'URLSearchParams Iterator',
                            configurable: true },
});

export { URL, URLSearchParams };
