// Copyright (C) nv8 contributors
//
// TextEncoder (UTF-8) and TextDecoder for the WHATWG Encoding Standard's
// encodings: UTF-8 through V8; UTF-16LE/BE and x-user-defined here; the
// legacy single-byte encodings from 128-entry tables built once from
// ICU's converters (with the spec's corrections where ICU differs); the
// legacy multi-byte (CJK) encodings streaming through an ICU converter
// (binding 'encoding').  Labels and names follow the spec's
// encodings.json.

const v8 = import.meta.binding('v8');
const icu = import.meta.binding('encoding');

/** WHATWG TextEncoder (UTF-8). */
export class TextEncoder {
    get encoding() {
        return 'utf-8';
    }

    /**
     * @param {string} [input]
     * @returns {Uint8Array}
     */
    encode(input = '') {
        return v8.encodeUtf8(String(input));
    }

    /**
     * Encodes as much of "source" as fits into "destination", never part
     * of a character.
     * @param {string} source
     * @param {Uint8Array} destination
     * @returns {{read: number, written: number}} UTF-16 code units read,
     *     bytes written
     */
    encodeInto(source, destination) {
        if (!(destination instanceof Uint8Array)) {
            const err = new TypeError('The "dest" argument must be an ' +
                                      'instance of Uint8Array.');
            err.code = 'ERR_INVALID_ARG_TYPE';
            throw err;
        }
        const src = String(source);
        const cap = destination.length;
        // all of it fits when even 3 bytes a unit would
        if (src.length * 3 <= cap) {
            const b = v8.encodeUtf8(src);
            destination.set(b);
            return { read: src.length, written: b.length };
        }
        let read = 0;
        let written = 0;
        while (read < src.length) {
            let cp = src.charCodeAt(read);
            let units = 1;
            if (cp >= 0xd800 && cp <= 0xdbff && read + 1 < src.length) {
                const lo = src.charCodeAt(read + 1);
                if (lo >= 0xdc00 && lo <= 0xdfff) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    units = 2;
                }
            }
            if (cp >= 0xd800 && cp <= 0xdfff) {
                cp = 0xfffd;                // a lone surrogate
            }
            const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (written + n > cap) {
                break;
            }
            if (n === 1) {
                destination[written] = cp;
            } else if (n === 2) {
                destination[written] = 0xc0 | (cp >> 6);
                destination[written + 1] = 0x80 | (cp & 0x3f);
            } else if (n === 3) {
                destination[written] = 0xe0 | (cp >> 12);
                destination[written + 1] = 0x80 | ((cp >> 6) & 0x3f);
                destination[written + 2] = 0x80 | (cp & 0x3f);
            } else {
                destination[written] = 0xf0 | (cp >> 18);
                destination[written + 1] = 0x80 | ((cp >> 12) & 0x3f);
                destination[written + 2] = 0x80 | ((cp >> 6) & 0x3f);
                destination[written + 3] = 0x80 | (cp & 0x3f);
            }
            written += n;
            read += units;
        }
        return { read, written };
    }
}

// The Encoding Standard's labels, by encoding name.
const encodings = {
    'utf-8': ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8',
              'utf-8', 'utf8', 'x-unicode20utf8'],
    'ibm866': ['866', 'cp866', 'csibm866', 'ibm866'],
    'iso-8859-2': ['csisolatin2', 'iso-8859-2', 'iso-ir-101', 'iso8859-2',
                   'iso88592', 'iso_8859-2', 'iso_8859-2:1987', 'l2',
                   'latin2'],
    'iso-8859-3': ['csisolatin3', 'iso-8859-3', 'iso-ir-109', 'iso8859-3',
                   'iso88593', 'iso_8859-3', 'iso_8859-3:1988', 'l3',
                   'latin3'],
    'iso-8859-4': ['csisolatin4', 'iso-8859-4', 'iso-ir-110', 'iso8859-4',
                   'iso88594', 'iso_8859-4', 'iso_8859-4:1988', 'l4',
                   'latin4'],
    'iso-8859-5': ['csisolatincyrillic', 'cyrillic', 'iso-8859-5',
                   'iso-ir-144', 'iso8859-5', 'iso88595', 'iso_8859-5',
                   'iso_8859-5:1988'],
    'iso-8859-6': ['arabic', 'asmo-708', 'csiso88596e', 'csiso88596i',
                   'csisolatinarabic', 'ecma-114', 'iso-8859-6',
                   'iso-8859-6-e', 'iso-8859-6-i', 'iso-ir-127', 'iso8859-6',
                   'iso88596', 'iso_8859-6', 'iso_8859-6:1987'],
    'iso-8859-7': ['csisolatingreek', 'ecma-118', 'elot_928', 'greek',
                   'greek8', 'iso-8859-7', 'iso-ir-126', 'iso8859-7',
                   'iso88597', 'iso_8859-7', 'iso_8859-7:1987',
                   'sun_eu_greek'],
    'iso-8859-8': ['csiso88598e', 'csisolatinhebrew', 'hebrew', 'iso-8859-8',
                   'iso-8859-8-e', 'iso-ir-138', 'iso8859-8', 'iso88598',
                   'iso_8859-8', 'iso_8859-8:1988', 'visual'],
    'iso-8859-8-i': ['csiso88598i', 'iso-8859-8-i', 'logical'],
    'iso-8859-10': ['csisolatin6', 'iso-8859-10', 'iso-ir-157', 'iso8859-10',
                    'iso885910', 'l6', 'latin6'],
    'iso-8859-13': ['iso-8859-13', 'iso8859-13', 'iso885913'],
    'iso-8859-14': ['iso-8859-14', 'iso8859-14', 'iso885914'],
    'iso-8859-15': ['csisolatin9', 'iso-8859-15', 'iso8859-15', 'iso885915',
                    'iso_8859-15', 'l9'],
    'iso-8859-16': ['iso-8859-16'],
    'koi8-r': ['cskoi8r', 'koi', 'koi8', 'koi8-r', 'koi8_r'],
    'koi8-u': ['koi8-ru', 'koi8-u'],
    'macintosh': ['csmacintosh', 'mac', 'macintosh', 'x-mac-roman'],
    'windows-874': ['dos-874', 'iso-8859-11', 'iso8859-11', 'iso885911',
                    'tis-620', 'windows-874'],
    'windows-1250': ['cp1250', 'windows-1250', 'x-cp1250'],
    'windows-1251': ['cp1251', 'windows-1251', 'x-cp1251'],
    'windows-1252': ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819',
                     'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100',
                     'iso8859-1', 'iso88591', 'iso_8859-1',
                     'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii',
                     'windows-1252', 'x-cp1252'],
    'windows-1253': ['cp1253', 'windows-1253', 'x-cp1253'],
    'windows-1254': ['cp1254', 'csisolatin5', 'iso-8859-9', 'iso-ir-148',
                     'iso8859-9', 'iso88599', 'iso_8859-9',
                     'iso_8859-9:1989', 'l5', 'latin5', 'windows-1254',
                     'x-cp1254'],
    'windows-1255': ['cp1255', 'windows-1255', 'x-cp1255'],
    'windows-1256': ['cp1256', 'windows-1256', 'x-cp1256'],
    'windows-1257': ['cp1257', 'windows-1257', 'x-cp1257'],
    'windows-1258': ['cp1258', 'windows-1258', 'x-cp1258'],
    'x-mac-cyrillic': ['x-mac-cyrillic', 'x-mac-ukrainian'],
    'gbk': ['chinese', 'csgb2312', 'csiso58gb231280', 'gb2312', 'gb_2312',
            'gb_2312-80', 'gbk', 'iso-ir-58', 'x-gbk'],
    'gb18030': ['gb18030'],
    'big5': ['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5'],
    'euc-jp': ['cseucpkdfmtjapanese', 'euc-jp', 'x-euc-jp'],
    'iso-2022-jp': ['csiso2022jp', 'iso-2022-jp'],
    'shift_jis': ['csshiftjis', 'ms932', 'ms_kanji', 'shift-jis', 'shift_jis',
                  'sjis', 'windows-31j', 'x-sjis'],
    'euc-kr': ['cseuckr', 'csksc56011987', 'euc-kr', 'iso-ir-149', 'korean',
               'ks_c_5601-1987', 'ks_c_5601-1989', 'ksc5601', 'ksc_5601',
               'windows-949'],
    'replacement': ['csiso2022kr', 'hz-gb-2312', 'iso-2022-cn',
                    'iso-2022-cn-ext', 'iso-2022-kr'],
    'utf-16be': ['unicodefffe', 'utf-16be'],
    'utf-16le': ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode',
                 'unicodefeff', 'utf-16', 'utf-16le'],
    'x-user-defined': ['x-user-defined'],
};

const labels = new Map();
for (const [name, list] of Object.entries(encodings)) {
    for (const label of list) {
        labels.set(label, name);
    }
}

/**
 * The encoding name for a label (the spec's "get an encoding"), or
 * undefined.
 * @param {string} label
 * @returns {string|undefined}
 */
export function getEncoding(label) {
    // ASCII whitespace only, then ASCII lower case
    const l = String(label).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '')
        .replace(/[A-Z]/g, (c) => c.toLowerCase());
    return labels.get(l);
}

// ICU's converters for the legacy encodings.  gbk decodes as gb18030
// (the spec's gbk decoder is the gb18030 decoder); big5 is Big5-HKSCS;
// shift_jis and euc-kr are Microsoft's supersets, as in the spec.
const icuNames = {
    'ibm866': 'ibm-866_P100-1995',
    'iso-8859-8-i': 'iso-8859-8',
    'gbk': 'gb18030',
    'gb18030': 'gb18030',
    'big5': 'ibm-1375_P100-2008',
    'euc-jp': 'euc-jp',
    'iso-2022-jp': 'ISO_2022,locale=ja,version=0',
    'shift_jis': 'windows-31j',
    'euc-kr': 'windows-949',
};

const multiByte = new Set(['gbk', 'gb18030', 'big5', 'euc-jp',
                           'iso-2022-jp', 'shift_jis', 'euc-kr']);

// a lone byte 0x80, which the spec's decoders map and ICU's do not
const lone80 = { 'gbk': 0x20ac, 'gb18030': 0x20ac, 'shift_jis': 0x80 };

// Where the spec's index and ICU's table differ, byte: code point (-1:
// the spec maps none).
const corrections = {
    'koi8-u': { 0xae: 0x045e, 0xbe: 0x040e },
    'windows-874': { 0xdb: -1, 0xdc: -1, 0xdd: -1, 0xde: -1,
                     0xfc: -1, 0xfd: -1, 0xfe: -1, 0xff: -1 },
    'windows-1253': { 0xaa: -1 },
    'windows-1255': { 0xca: 0x05ba },
};

// ICU has no ISO-8859-16: the spec's index-iso-8859-16.txt (public
// domain), 0xa0-0xff (0x80-0x9f are the C1 controls).
const iso885916 = [
    0x00a0, 0x0104, 0x0105, 0x0141, 0x20ac, 0x201e, 0x0160, 0x00a7,
    0x0161, 0x00a9, 0x0218, 0x00ab, 0x0179, 0x00ad, 0x017a, 0x017b,
    0x00b0, 0x00b1, 0x010c, 0x0142, 0x017d, 0x201d, 0x00b6, 0x00b7,
    0x017e, 0x010d, 0x0219, 0x00bb, 0x0152, 0x0153, 0x0178, 0x017c,
    0x00c0, 0x00c1, 0x00c2, 0x0102, 0x00c4, 0x0106, 0x00c6, 0x00c7,
    0x00c8, 0x00c9, 0x00ca, 0x00cb, 0x00cc, 0x00cd, 0x00ce, 0x00cf,
    0x0110, 0x0143, 0x00d2, 0x00d3, 0x00d4, 0x0150, 0x00d6, 0x015a,
    0x0170, 0x00d9, 0x00da, 0x00db, 0x00dc, 0x0118, 0x021a, 0x00df,
    0x00e0, 0x00e1, 0x00e2, 0x0103, 0x00e4, 0x0107, 0x00e6, 0x00e7,
    0x00e8, 0x00e9, 0x00ea, 0x00eb, 0x00ec, 0x00ed, 0x00ee, 0x00ef,
    0x0111, 0x0144, 0x00f2, 0x00f3, 0x00f4, 0x0151, 0x00f6, 0x015b,
    0x0171, 0x00f9, 0x00fa, 0x00fb, 0x00fc, 0x0119, 0x021b, 0x00ff,
];

const tables = new Map();

/* the 128 code points of bytes 0x80-0xff, -1 where none */
function singleByteTable(name) {
    let t = tables.get(name);
    if (t === undefined && name === 'iso-8859-16') {
        t = new Int32Array(128);
        for (let i = 0; i < 128; i++) {
            t[i] = i < 32 ? 0x80 + i : iso885916[i - 32];
        }
        tables.set(name, t);
    } else if (t === undefined) {
        t = new Int32Array(icu.singleByte(icuNames[name] ?? name));
        for (const [b, cp] of Object.entries(corrections[name] ?? {})) {
            t[Number(b) - 0x80] = cp;
        }
        tables.set(name, t);
    }
    return t;
}

function invalid(name) {
    const err = new TypeError('The encoded data was not valid for ' +
                              `encoding ${name}`);
    err.code = 'ERR_ENCODING_INVALID_ENCODED_DATA';
    return err;
}

/* code units to a string, in slices the argument list can hold */
function fromUnits(u16, n) {
    let s = '';
    for (let i = 0; i < n; i += 8192) {
        s += String.fromCharCode.apply(null,
                                       u16.subarray(i, Math.min(n, i + 8192)));
    }
    return s;
}

/*
 * How many bytes at the end of "u8" begin a UTF-8 sequence that the
 * bytes present do not complete (0 to 3): kept for the next chunk when
 * decoding a stream.
 */
function incompleteTail(u8) {
    const n = u8.length;
    for (let back = 1; back <= 3 && back <= n; back++) {
        const b = u8[n - back];
        if ((b & 0xc0) === 0x80) {
            continue;                       // a continuation byte
        }
        const need = b >= 0xf0 && b <= 0xf4 ? 4
                   : b >= 0xe0 ? 3
                   : b >= 0xc2 && b < 0xe0 ? 2 : 1;
        return need > back ? back : 0;
    }
    return 0;
}

/* how many times EF BF BD (U+FFFD itself) is in "u8" */
function countReplacement(u8) {
    let n = 0;
    for (let i = u8.indexOf(0xef); i !== -1 && i + 2 < u8.length;
         i = u8.indexOf(0xef, i + 1)) {
        if (u8[i + 1] === 0xbf && u8[i + 2] === 0xbd) {
            n++;
        }
    }
    return n;
}

function countFFFD(s) {
    let n = 0;
    for (let i = s.indexOf('\ufffd'); i !== -1; i = s.indexOf('\ufffd', i + 1)) {
        n++;
    }
    return n;
}

const kName = Symbol('kName');
const kFatal = Symbol('kFatal');
const kIgnoreBOM = Symbol('kIgnoreBOM');
const kState = Symbol('kState');

/** WHATWG TextDecoder, with {stream: true}. */
export class TextDecoder {
    /**
     * @param {string} [label]
     * @param {{fatal?: boolean, ignoreBOM?: boolean}} [options]
     */
    constructor(label = 'utf-8', options = {}) {
        const name = getEncoding(label);
        if (name === undefined || name === 'replacement') {
            const err = new RangeError(`The "${label}" encoding is not ` +
                                       'supported');
            err.code = 'ERR_ENCODING_NOT_SUPPORTED';
            throw err;
        }
        if (options !== undefined && options !== null &&
            typeof options !== 'object' && typeof options !== 'function') {
            throw new TypeError('The "options" argument must be of type ' +
                                `object. Received type ${typeof options}`);
        }
        this[kName] = name;
        this[kFatal] = Boolean(options?.fatal);
        this[kIgnoreBOM] = Boolean(options?.ignoreBOM);
        this[kState] = null;
        reset(this);
    }

    get encoding() {
        return this[kName];
    }

    get fatal() {
        return this[kFatal];
    }

    get ignoreBOM() {
        return this[kIgnoreBOM];
    }

    /**
     * @param {ArrayBuffer|ArrayBufferView} [input]
     * @param {{stream?: boolean}} [options]
     * @returns {string}
     */
    decode(input, options) {
        const stream = Boolean(options?.stream);
        let view;
        if (input === undefined) {
            view = new Uint8Array(0);
        } else if (input instanceof ArrayBuffer ||
                   (typeof SharedArrayBuffer === 'function' &&
                    input instanceof SharedArrayBuffer)) {
            view = new Uint8Array(input);
        } else if (ArrayBuffer.isView(input)) {
            view = new Uint8Array(input.buffer, input.byteOffset,
                                  input.byteLength);
        } else {
            const err = new TypeError('The "input" argument must be an ' +
                                      'instance of ArrayBuffer or ' +
                                      'ArrayBufferView.');
            err.code = 'ERR_INVALID_ARG_TYPE';
            throw err;
        }
        const st = this[kState];
        let s;
        try {
            s = decodeBytes(this, st, view, stream);
        } catch (e) {
            reset(this);
            throw e;
        }
        const bom = this[kName] === 'utf-8' || this[kName] === 'utf-16le' ||
                    this[kName] === 'utf-16be';
        if (!st.started && s.length > 0) {
            st.started = true;
            if (bom && !this[kIgnoreBOM] && s.charCodeAt(0) === 0xfeff) {
                s = s.slice(1);
            }
        }
        if (!stream) {
            reset(this);
        }
        return s;
    }
}

/* a fresh state: the start of a stream */
function reset(dec) {
    dec[kState] = {
        pending: null,                      // bytes of a split character
        lead: 0,                            // UTF-16: a lead surrogate
        started: false,                     // the BOM is only at the start
        // ICU converter (multi-byte), reset by the binding at the end of a
        // stream and on an error
        cnv: dec[kState]?.cnv ?? null,
    };
}

/* the text of "view" after what "st" holds from earlier chunks */
function decodeBytes(dec, st, view, stream) {
    const name = dec[kName];
    if (st.pending !== null) {
        const joined = new Uint8Array(st.pending.length + view.length);
        joined.set(st.pending);
        joined.set(view, st.pending.length);
        view = joined;
        st.pending = null;
    }
    if (name === 'utf-8') {
        return decodeUtf8(dec, st, view, stream);
    }
    if (name === 'utf-16le' || name === 'utf-16be') {
        return decodeUtf16(dec, st, view, stream, name === 'utf-16be');
    }
    if (name === 'x-user-defined') {
        const u = new Uint16Array(view.length);
        for (let i = 0; i < view.length; i++) {
            const b = view[i];
            u[i] = b < 0x80 ? b : 0xf780 + b - 0x80;
        }
        return fromUnits(u, u.length);
    }
    if (multiByte.has(name)) {
        if (st.cnv === null) {
            st.cnv = icu.open(icuNames[name], dec[kFatal] ? 1 : 0,
                              lone80[name] ?? 0);
        }
        try {
            return icu.decode(st.cnv, view, stream ? 0 : 1);
        } catch (e) {
            if (e.code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
                throw invalid(name);
            }
            throw e;
        }
    }
    const t = singleByteTable(name);
    const u = new Uint16Array(view.length);
    for (let i = 0; i < view.length; i++) {
        const b = view[i];
        if (b < 0x80) {
            u[i] = b;
            continue;
        }
        const cp = t[b - 0x80];
        if (cp < 0) {
            if (dec[kFatal]) {
                throw invalid(name);
            }
            u[i] = 0xfffd;
        } else {
            u[i] = cp;
        }
    }
    return fromUnits(u, u.length);
}

function decodeUtf8(dec, st, view, stream) {
    if (stream) {
        const tail = incompleteTail(view);
        if (tail > 0) {
            st.pending = view.slice(view.length - tail);
            view = view.subarray(0, view.length - tail);
        }
    }
    const s = view.length === 0 ? '' : v8.decodeUtf8(view);
    // every malformed sequence gives U+FFFD; count the real ones
    if (dec[kFatal] && s.includes('\ufffd') &&
        countFFFD(s) !== countReplacement(view)) {
        throw invalid('utf-8');
    }
    return s;
}

/* the spec's UTF-16 decoder; a split unit or pair waits in "st" */
function decodeUtf16(dec, st, view, stream, be) {
    const n = view.length & ~1;
    const u = new Uint16Array((n >> 1) + 2);
    let k = 0;
    let lead = st.lead;
    for (let i = 0; i < n; i += 2) {
        const c = be ? (view[i] << 8) | view[i + 1]
                     : view[i] | (view[i + 1] << 8);
        if (lead !== 0) {
            if (c >= 0xdc00 && c <= 0xdfff) {
                u[k++] = lead;
                u[k++] = c;
                lead = 0;
                continue;
            }
            // the lead is lone: U+FFFD, and this unit again
            if (dec[kFatal]) {
                throw invalid(dec[kName]);
            }
            u[k++] = 0xfffd;
            lead = 0;
        }
        if (c >= 0xd800 && c <= 0xdbff) {
            lead = c;
        } else if (c >= 0xdc00 && c <= 0xdfff) {
            if (dec[kFatal]) {
                throw invalid(dec[kName]);
            }
            u[k++] = 0xfffd;
        } else {
            u[k++] = c;
        }
    }
    let s = fromUnits(u, k);
    if (stream) {
        st.lead = lead;
        if (n < view.length) {
            st.pending = view.slice(n);
        }
    } else if (lead !== 0 || n < view.length) {
        // the stream ends inside a character
        if (dec[kFatal]) {
            throw invalid(dec[kName]);
        }
        s += '\ufffd';
    }
    return s;
}
