// URLSearchParams edge cases: application/x-www-form-urlencoded parsing
// and serializing, the methods, the constructor's conversions and errors,
// iterators, and the link with a URL's query.  Each case runs against the
// global classes and against whatwg-url alone; the output is the global
// result, and "MISMATCH" marks any case where the two differ.
import { URL as RefURL, URLSearchParams as RefParams }
    from '../../lib/internal/deps/whatwg-url.js';

function esc(v) {
    if (v === undefined) {
        return 'undefined';
    }
    return JSON.stringify(v).replace(/[^ -~]/g,
        (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function run(fn, Params, Url) {
    try {
        return esc(fn(Params, Url));
    } catch (e) {
        return `throws ${e.name}: ${e.message}`;
    }
}

function check(name, fn) {
    const got = run(fn, URLSearchParams, URL);
    const want = run(fn, RefParams, RefURL);
    console.log(`${got === want ? '' : 'MISMATCH '}${name}: ${got}`);
    if (got !== want) {
        console.log(`  reference: ${want}`);
    }
}

const all = (P, init) => [...new P(init)];

// parsing
for (const s of ['', '?', '??a=b', 'a', 'a=', '=a', '=', '&&', 'a&b',
                 'a=b=c', 'a=1&a=2&b', '&a=1&&b=2&', 'a+b=c+d', '%2B=%2b',
                 '%zz=%', '%4=%4g', '%C3%A9=%c3%a9', '%C3=%C3%28',
                 '%E2%82=%F0%9F%98%80', '%F0%9F%98=x', '%ED%A0%80=x',
                 '%C0%80=%FF', '%EF%BB%BFa=b', '%EF%BB%BF%zz=1', '%00=%01',
                 'a%26b=c%3Dd',
                 '\u00e9=\u00e8', '\ud83d\ude00=1', 'a=\ud800', 'a\udc00=b',
                 'a=%25%32%30', '+%20+=  ', 'a=b#c', 'a=?b']) {
    check(`parse ${esc(s)}`, (P) => all(P, s));
}

// serializing
const printable = Array.from({ length: 95 }, (_, i) =>
    String.fromCharCode(32 + i)).join('');
for (const v of [printable, '\u0000\u001f\u007f', '\u00e9\u4e2d',
                 '\ud83d\ude00', '\ud800', 'a b+c', '*-._', '~!\'()']) {
    check(`serialize ${esc(v)}`, (P) => {
        const p = new P();
        p.append(v, v);
        return p.toString();
    });
}
check('round trip', (P) => new P(new P('a=%C3%A9+x&b=%zz&c=%E2%82').toString())
    .toString());

// constructor forms and conversions
check('pairs', (P) => all(P, [['a', 1], ['b', null], [3, undefined]]));
check('pairs of iterables', (P) => all(P, new Set([new Set(['x', 'y'])])));
check('bad pair length', (P) => all(P, [['a', 'b', 'c']]));
check('bad pair length 1', (P) => all(P, [['a']]));
check('pair not iterable', (P) => all(P, [1]));
check('pair not object', (P) => all(P, ['ab']));
check('record', (P) => all(P, { b: 1, a: '2', 1: 'x', 0: 'y' }));
check('record surrogate keys', (P) =>
    all(P, { '\ud800': 'a', '\udc00': 'b', c: '\udfff' }));
check('record symbol', (P) => all(P, { [Symbol('s')]: 1 }));
check('record hidden symbol', (P) => {
    const o = { a: 1 };
    Object.defineProperty(o, Symbol('s'), { value: 1 });
    return all(P, o);
});
check('null', (P) => all(P, null));
check('number', (P) => all(P, 12));
check('undefined', (P) => all(P, undefined));
check('symbol', (P) => all(P, Symbol('x')));
check('function', (P) => all(P, () => 1));
check('other params', (P) => all(P, new P('a=1&b=2')));
check('string object', (P) => all(P, Object('a=1')));
check('toString object', (P) => all(P, { toString() {
    return 'x=1';
} }));

// methods
check('get/getAll/has', (P) => {
    const p = new P('a=1&b=2&a=3&c');
    return [p.get('a'), p.get('z'), p.get('c'), p.getAll('a'), p.getAll('z'),
            p.has('a'), p.has('a', '3'), p.has('a', '4'), p.has('z'),
            p.has('a', undefined), p.size];
});
check('get coerces', (P) => {
    const p = new P('null=1&undefined=2&1=3');
    return [p.get(null), p.get(undefined), p.get(1)];
});
check('get surrogate', (P) => new P('%EF%BF%BD=1').get('\ud800'));
check('get no args', (P) => new P().get());
check('append one arg', (P) => new P().append('a'));
check('set', (P) => {
    const p = new P('a=1&b=2&a=3&c=4&a=5');
    p.set('a', 'x');
    p.set('d', 'y');
    return p.toString();
});
check('delete', (P) => {
    const p = new P('a=1&b=2&a=3&a=1');
    p.delete('a', '1');
    const s = p.toString();
    p.delete('a');
    p.delete('zz');
    return [s, p.toString(), p.size];
});
check('delete undefined value', (P) => {
    const p = new P('a=1&a=2');
    p.delete('a', undefined);
    return p.toString();
});
check('sort', (P) => {
    const p = new P('z=1&a=2&\ud83d\ude00=3&\uff5e=4&a=1&Z=0&=x&a=0');
    p.sort();
    return [...p];
});
check('keys/values/entries', (P) => {
    const p = new P('a=1&b=2');
    return [[...p.keys()], [...p.values()], [...p.entries()], [...p]];
});
check('iterator is live', (P) => {
    const p = new P('a=1&b=2&c=3');
    const it = p.entries();
    const out = [it.next()];
    p.delete('a');
    out.push(it.next(), it.next());
    p.append('d', '4');
    out.push(it.next(), it.next());
    return out;
});
check('iterator object', (P) => {
    const it = new P('a=1').keys();
    const proto = Object.getPrototypeOf(it);
    return [Object.prototype.toString.call(it), Object.keys(proto),
            Object.getOwnPropertyNames(proto),
            Object.getPrototypeOf(proto) ===
                Object.getPrototypeOf(Object.getPrototypeOf(
                    [][Symbol.iterator]())),
            typeof it[Symbol.iterator]];
});
check('iterator next on other', (P) =>
    Object.getPrototypeOf(new P().keys()).next.call({}));
check('forEach', (P) => {
    const p = new P('a=1&b=2&c=3');
    const out = [];
    p.forEach(function (v, k, self) {
        out.push([k, v, self === p, this]);
        if (k === 'a') {
            p.delete('b');
            p.append('d', '4');
        }
    }, 'T');
    return out;
});
check('forEach not callable', (P) => new P().forEach({}));
check('forEach no args', (P) => new P().forEach());
check('brand checks', (P) => {
    const out = [];
    for (const m of ['get', 'toString', 'sort', 'keys', 'forEach']) {
        try {
            P.prototype[m].call({}, 'a');
        } catch (e) {
            out.push(e.message);
        }
    }
    try {
        Object.getOwnPropertyDescriptor(P.prototype, 'size').get.call({});
    } catch (e) {
        out.push(e.message);
    }
    return out;
});
check('prototype', (P) => [
    Object.keys(P.prototype), Object.getOwnPropertyNames(P.prototype),
    Object.prototype.toString.call(new P()), P.length,
    P.prototype[Symbol.iterator] === P.prototype.entries,
    ['append', 'delete', 'get', 'getAll', 'has', 'set', 'sort', 'toString',
     'keys', 'values', 'entries', 'forEach'].map((m) => P.prototype[m].length),
    Object.keys(new P('a=1'))]);
check('subclass', (P) => {
    class Q extends P {}
    const q = new Q('a=1');
    return [q instanceof P, q.get('a'), Object.getPrototypeOf(q) ===
            Q.prototype];
});

// the link with a URL
check('url searchParams', (P, U) => {
    const u = new U('http://h/p?a=1&b=%20+#f');
    const p = u.searchParams;
    const out = [p === u.searchParams, [...p]];
    p.append('c', 'x y');
    out.push(u.href, u.search);
    p.delete('a');
    p.delete('b');
    p.delete('c');
    out.push(u.href, u.search, p.size);
    p.set('k', '~');
    out.push(u.href);
    u.search = '?z=1&z=2';
    out.push([...p], u.href);
    u.search = '';
    out.push([...p], u.href);
    u.search = 'q=\t1';
    out.push([...p], u.href);
    u.href = 'http://other/?m=%41';
    out.push([...p], u.href, p === u.searchParams);
    u.hash = 'h';
    u.pathname = '/x';
    out.push([...p], u.href);
    p.sort();
    out.push(u.href);
    return out;
});
check('url searchParams on a slow url', (P, U) => {
    const u = new U('foo://u:p@h/p?b=2&a=1');
    const p = u.searchParams;
    p.sort();
    const out = [u.href];
    p.delete('a');
    p.delete('b');
    out.push(u.href, u.search);
    u.search = '?a b';
    out.push([...p], u.href);
    return out;
});
check('url searchParams after href to slow and back', (P, U) => {
    const u = new U('http://h/?a=1');
    const p = u.searchParams;
    u.href = 'http://user@h/?b=2';
    const out = [[...p]];
    p.append('c', '3');
    out.push(u.href);
    u.href = 'http://h/?d=4';
    p.append('e', '5');
    out.push([...p], u.href);
    return out;
});
check('url search set before searchParams', (P, U) => {
    const u = new U('http://h/');
    u.search = 'a=\n1';
    return [u.href, [...u.searchParams]];
});
check('url bad href keeps state', (P, U) => {
    const u = new U('http://h/?a=1');
    const p = u.searchParams;
    try {
        u.href = 'nope';
    } catch (e) {
        return [e.name, e.message, u.href, [...p]];
    }
    return 'no throw';
});
check('url object', (P, U) => {
    const u = new U('http://h/');
    return [Object.keys(U.prototype), Object.getOwnPropertyNames(U.prototype),
            Object.keys(U), Object.prototype.toString.call(u),
            Object.keys(u), JSON.stringify({ u }), U.length,
            u instanceof U];
});
check('url errors', (P, U) => {
    const out = [];
    for (const f of [() => new U(), () => new U('x'), () => new U('/x', 'y'),
                     () => new U(Symbol('s')), () => U.canParse(),
                     () => U.prototype.href,
                     () => Object.getOwnPropertyDescriptor(U.prototype,
                                                           'href').set.call(
                         {}, 'x'),
                     () => U.prototype.toString.call(null)]) {
        try {
            f();
            out.push('no throw');
        } catch (e) {
            out.push(`${e.name}: ${e.message}`);
        }
    }
    return out;
});
check('url conversions', (P, U) => {
    const seen = [];
    const a = { toString() {
        seen.push('a');
        return 'HTTP://A/x';
    } };
    const b = { toString() {
        seen.push('b');
        return 'http://b/y/';
    } };
    return [new U(a).href, new U('z', b).href, new U(a, b).href, seen,
            new U(new U('http://c/d?e')).href, new U('/f', new U('http://g/'))
                .href, new U('http://h/\ud800').href,
            new U('/\udc00', 'http://i/').href, new U(1, 'http://j/').href];
});
check('url parse/canParse', (P, U) => [
    U.canParse('http://a/'), U.canParse('x'), U.canParse('/x', 'http://a/'),
    U.canParse('http://a/', 'x'), U.parse('x'), U.parse('/y', 'http://a/b')
        .href]);

// whatwg-url 14.2.0's URL.parse() returns its internal implementation
// object, not a URL; ours returns a URL, as the standard says
console.log('URL.parse() gives a URL:',
            URL.parse('http://a') instanceof URL,
            URL.parse('foo://a/b') instanceof URL);
