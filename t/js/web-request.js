// Request.
function show(fn) {
    try {
        const v = fn();
        console.log('ok', typeof v === 'string' ? JSON.stringify(v) : v);
    } catch (e) {
        console.log('threw', e.name, e.message);
    }
}

const r = new Request('HTTPS://Example.COM:443/a/../b?q=1#frag');
console.log(r.method, r.url, r.destination, JSON.stringify(r.referrer),
            JSON.stringify(r.referrerPolicy), r.mode, r.credentials,
            r.cache, r.redirect, JSON.stringify(r.integrity), r.keepalive,
            r.isReloadNavigation, r.isHistoryNavigation, r.duplex,
            r.body, r.bodyUsed, String(r));
console.log(r.signal instanceof AbortSignal, r.signal.aborted,
            JSON.stringify([...r.headers]));
console.log(new Request(new URL('http://x.test/p')).url);

// method normalisation and validation
for (const m of ['get', 'Post', 'delete', 'options', 'put', 'head',
                 'patch', 'PATCH', 'custom']) {
    console.log(m, new Request('http://x.test/', { method: m }).method);
}
show(() => new Request('http://x.test/', { method: 'CONNECT' }));
show(() => new Request('http://x.test/', { method: 'trace' }));
show(() => new Request('http://x.test/', { method: 'track' }));
show(() => new Request('http://x.test/', { method: 'bad method' }));
show(() => new Request('http://x.test/', { method: '' }));

// URLs
show(() => new Request('/relative'));
show(() => new Request('http://user:pw@x.test/'));
show(() => new Request('http://[bad/'));
show(() => new Request());

// bodies
const post = new Request('http://x.test/', {
    method: 'POST',
    body: JSON.stringify({ a: 1 }),
    headers: { 'Content-Type': 'application/json', 'X-Id': '7' },
});
console.log(post.headers.get('content-type'), post.bodyUsed);
console.log(JSON.stringify(await post.clone().json()),
            JSON.stringify(await post.json()), post.bodyUsed);
try {
    await post.text();
} catch (e) {
    console.log(e.name, e.message);
}
show(() => post.clone());
const withParams = new Request('http://x.test/', {
    method: 'PUT', body: new URLSearchParams('a=1'),
});
console.log(withParams.headers.get('content-type'), await withParams.text());
show(() => new Request('http://x.test/', { body: 'x' }));
show(() => new Request('http://x.test/', { method: 'HEAD', body: 'x' }));
show(() => new Request('http://x.test/', { body: null }).body);
const stream = () => new ReadableStream({
    start(c) {
        c.enqueue(new TextEncoder().encode('s'));
        c.close();
    },
});
show(() => new Request('http://x.test/', { method: 'POST',
                                          body: stream() }));
const duplex = new Request('http://x.test/', {
    method: 'POST', body: stream(), duplex: 'half',
});
console.log(await duplex.text());

// a Request from a Request takes over its body
const first = new Request('http://x.test/a', {
    method: 'POST', body: 'moved', headers: { a: '1' },
    redirect: 'manual', mode: 'same-origin',
});
const second = new Request(first, { headers: { b: '2' } });
console.log(second.url, second.method, second.redirect, second.mode,
            JSON.stringify([...second.headers]), first.bodyUsed,
            await second.text());
show(() => new Request(first));
const third = new Request(new Request('http://x.test/', { method: 'PATCH' }),
                          { method: 'GET' });
console.log(third.method, third.body);

// options
const opts = new Request('http://x.test/', {
    referrer: '', referrerPolicy: 'no-referrer', mode: 'no-cors',
    credentials: 'include', cache: 'no-store', integrity: 'sha256-x',
    keepalive: true,
});
console.log(JSON.stringify(opts.referrer), opts.referrerPolicy, opts.mode,
            opts.credentials, opts.cache, opts.integrity, opts.keepalive);
console.log(new Request('http://x.test/', {
    referrer: 'https://ref.test/x',
}).referrer);
show(() => new Request('http://x.test/', { mode: 'navigate' }));
show(() => new Request('http://x.test/', { redirect: 'sometimes' }));
show(() => new Request('http://x.test/', { cache: 'only-if-cached' }));
show(() => new Request('http://x.test/', { window: {} }));
show(() => new Request('http://x.test/', { referrer: '/rel' }));

// signals follow their parent
const ac = new AbortController();
const sig = new Request('http://x.test/', { signal: ac.signal });
const clone = sig.clone();
console.log(sig.signal === ac.signal, sig.signal.aborted);
ac.abort('gone');
console.log(sig.signal.aborted, sig.signal.reason, clone.signal.aborted,
            clone.signal.reason);
const pre = new Request('http://x.test/', { signal: AbortSignal.abort() });
console.log(pre.signal.aborted, pre.signal.reason.name);
show(() => new Request('http://x.test/', { signal: {} }));
const headersOnly = new Request('http://x.test/', { headers: { a: 'b' } });
headersOnly.headers.set('c', 'd');
console.log(JSON.stringify([...headersOnly.headers]));
