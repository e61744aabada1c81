// The global URL (a fast path for simple URLs, whatwg-url for the rest)
// against whatwg-url alone, which is what the slow path runs: every
// urltestdata.json and setters_tests.json case, a list of inputs at the
// edges of the fast path, and generated inputs.  Both must agree on every
// component, on failure, and on URL.canParse.  Prints the case counts and
// every difference; the .out file records none.
import { readFile } from 'node:fs/promises';
import { URL as RefURL } from '../../lib/internal/deps/whatwg-url.js';

function esc(v) {
    return JSON.stringify(v).replace(/[^ -~]/g,
        (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

const fields = ['href', 'origin', 'protocol', 'username', 'password', 'host',
                'hostname', 'port', 'pathname', 'search', 'hash'];

function snapshot(Ctor, input, base) {
    let url;
    try {
        url = base === undefined ? new Ctor(input) : new Ctor(input, base);
    } catch (e) {
        return `throws ${e.name}: ${e.message}`;
    }
    return state(url);
}

function state(url) {
    const out = fields.map((f) => `${f}=${esc(url[f])}`);
    out.push(`json=${esc(url.toJSON())}`, `string=${esc(String(url))}`);
    out.push(`params=${esc([...url.searchParams])}`);
    return out.join(' ');
}

const diffs = [];

function compare(what, input, base) {
    const got = snapshot(URL, input, base);
    const want = snapshot(RefURL, input, base);
    if (got !== want) {
        diffs.push(`${what} ${esc(input)} base ${esc(base)}:\n` +
                   `  got  ${got}\n  want ${want}`);
    }
    const can = URL.canParse(input, base);
    if (can !== RefURL.canParse(input, base)) {
        diffs.push(`${what} canParse ${esc(input)} base ${esc(base)}: ${can}`);
    }
}

const data = JSON.parse(await readFile('fixtures/urltestdata.json', 'utf8'));
let n = 0;
for (const t of data) {
    if (typeof t === 'string') {
        continue;
    }
    n++;
    compare('urltestdata', t.input, t.base === null ? undefined : t.base);
    if (t.base !== null) {
        compare('urltestdata base', t.base, undefined);
    }
}
console.log(`urltestdata: ${n} cases`);

const setters = JSON.parse(await readFile('fixtures/setters_tests.json',
                                          'utf8'));
n = 0;
for (const [attr, cases] of Object.entries(setters)) {
    if (attr === 'comment') {
        continue;
    }
    for (const t of cases) {
        n++;
        const a = new URL(t.href);
        const b = new RefURL(t.href);
        const before = a.searchParams;
        a[attr] = t.new_value;
        b[attr] = t.new_value;
        if (state(a) !== state(b) || a.searchParams !== before) {
            diffs.push(`setter ${attr} ${esc(t.href)} = ` +
                       `${esc(t.new_value)}:\n  got  ${state(a)}\n` +
                       `  want ${state(b)}`);
        }
    }
}
console.log(`setters: ${n} cases`);

const edges = [
    'http://example.com', 'HTTP://EXAMPLE.COM/', 'hTtPs://ExAmPlE.cOm:443/',
    'https://example.com:443', 'http://example.com:80/', 'http://a:8080/',
    'http://a:08080/', 'http://a:0/', 'http://a:00/', 'http://a:65535/',
    'http://a:65536/', 'http://a:/', 'http://a:/x', 'http://:80/', 'http:///a',
    'http:/a/', 'http:a', 'ws://a/', 'wss://a:443/', 'wss://a:444/',
    'ftp://a:21/', 'ftp://a/x', 'file:///etc/passwd', 'foo://a/',
    'http://a_b.c/', 'http://_/', 'http://-a-.b-/', 'http://a--b/',
    'http://xn--a.com/', 'http://XN--nxasmq6b.com/', 'http://a.xn--/',
    'http://a..b/', 'http://.a/', 'http://a./', 'http://a.b./x',
    'http://1.2.3.4/', 'http://01.2.3.4/', 'http://1.2.3/', 'http://1.2.3.4.5/',
    'http://256.0.0.1/', 'http://0x7f.0.0.1/', 'http://0X7F.1/',
    'http://a.0x1/', 'http://a.1/', 'http://1a.b/', 'http://a.1a/',
    'http://0.0.0.0/', 'http://255.255.255.255/', 'http://a.09/',
    'http://a.0x/', 'http://a.0xg/', 'http://example.123/',
    'http://u:p@a/', 'http://@a/', 'http://[::1]/', 'http://[::1]:80/',
    'http://a%41/', 'http://a/%41', 'http://a/%2e', 'http://a/%2E%2e/x',
    'http://a/.', 'http://a/..', 'http://a/./x', 'http://a/x/../y',
    'http://a/.x', 'http://a/..x/', 'http://a/x.', 'http://a/%2ex',
    'http://a/a\\b', 'http://a\\b/', 'http://a/ b', 'http://a/"<>`{}^|',
    'http://a/?"<>\'`{}^ #"<>\'`{}^ ', 'http://a/#', 'http://a/?',
    'http://a/?#', 'http://a?x', 'http://a#x', 'http://a/?a=1&b=%zz#',
    'http://a/\u00e9', 'http://\u00e9.com/', 'http://a/?\u00e9',
    'http://a/#\u00e9', 'http://a/\t', 'http://a/\nb', ' http://a/',
    'http://a/ ', 'http://a/\u0000', 'http://a/\u007f',
    'http://a/~!$&()*+,;=:@',
    'http://a/?%', 'http://a/#%', 'http://a/\ud800', '', 'http',
    'http:', 'http://', 'https://example.com:8443/api/v1/items?n=20#top',
    'http://a/.well-known/x', 'http://a/b/%2Ex', 'http://a/b/%2e%2E/',
    'http://a/b/.%2e', 'http://a:1/', 'http://a:99999/', 'http://a:065/',
    'https://a:443', 'ws://a:80?x', 'http://a.b1/', 'http://a.1b/',
    'http://a.b_/', 'http://ab-xn--c.d/', 'http://a.xn--b/', 'http://xn--/',
    'http://a/?#?#', 'http://a/#?#', 'http://a/?a=b&c=%20+#x%20',
    'http://a/p;q=1/r', 'http://a/~u/[x]|y', 'http://a/?[]{}|\\^`',
    'http://a/#[]{}|\\^', 'ftp://a/b?c#d', 'wss://a.b.c.d.e/f',
    'http://a-/', 'http://-/', 'http://a._/', 'http://1.2.3.04/',
    'http://1.2.3.4:80/', 'http://0.1.2.3/', 'http://a/%', 'http://a/%%',
];
const bases = [undefined, 'http://example.com/dir/file?q#f', 'http://a',
               'https://a:8443/x/', 'HTTP://A/B', 'file:///a/b',
               'about:blank', 'http://a/%2e/', 'http://[::1]/x', 'foo'];
const relatives = ['', '/', '//', '//b', '//b/c?d#e', '///b', '/x', '/x/y',
                   'x', 'x/y', '?', '?q', '?q=1#h', '#', '#h', 'x?y#z',
                   '../x', './x', '.', '..', 'x/./y', '/%2e', ':x', 'a:b',
                   'http:x', 'http:/x', 'https:x', 'HTTP://B/', '\\x', 'x\\y',
                   ' x', 'x ', '1:2', 'a/b:c', 'x y', '?"<>\'', '#"<>`',
                   '/"<>`{}^', '\u00e9', 'mailto:x', '/x?a#b#c'];
n = 0;
for (const base of bases) {
    for (const input of base === undefined ? edges : relatives.concat(edges)) {
        n++;
        compare('edge', input, base);
    }
}
console.log(`edges: ${n} cases`);

// generated: a deterministic xorshift over pieces the fast path decides on
let seed = 0x2545f491;
function rand(k) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % k;
}
const pieces = ['http', 'HTTPS', 'ws', 'ftp', 'x', ':', '//', '/', '\\', '.',
                '..', 'a', 'B', '0', '1', '255', '0x', '9', '-', '_', '@',
                '?', '#', '=', '&', '+', '%', '%2e', '%41', ' ', '"', '\'',
                '<', '`', '{', '^', '\t', '\u00e9', 'xn--', '[', ':80',
                ':443', ':08', 'com'];
n = 0;
for (let k = 0; k < 20000; k++) {
    let s = rand(2) ? 'http://' : '';
    const len = 1 + rand(10);
    for (let j = 0; j < len; j++) {
        s += pieces[rand(pieces.length)];
    }
    n++;
    compare('generated', s, rand(3) === 0 ? 'https://h.example:81/a/b?c' :
                            undefined);
}
console.log(`generated: ${n} cases`);

console.log(`differences: ${diffs.length}`);
for (const d of diffs.slice(0, 50)) {
    console.log(`DIFF ${d}`);
}
