// Copyright (C) nv8 contributors
//
// Micro-benchmark of URL and URLSearchParams: ./nv8 bench/url.js
// Prints ns/op for the calls a fetch-style handler makes on every request.
// Each case runs ROUNDS rounds of about 50 ms after a warm-up and reports
// the best round, which is the steadiest figure on a shared machine; the
// result of every call feeds a checksum so V8 cannot drop the work.

const abs = 'https://example.com:8443/api/v1/items?n=20&sort=asc#top';
const cases = [
    ['new URL(abs)', () => new URL(abs)],
    ['new URL(abs).searchParams.get(\'n\')',
     () => new URL(abs).searchParams.get('n')],
    ['new URL(abs).pathname', () => new URL(abs).pathname],
    ['new URL(\'/p?q=1\', base)',
     () => new URL('/p?q=1', 'http://localhost:8080/')],
    ['new URLSearchParams(\'a=1&b=2\').get(\'b\')',
     () => new URLSearchParams('a=1&b=2').get('b')],
    ['new URLSearchParams(\'a=%C3%A9+x&b=2\').toString()',
     () => new URLSearchParams('a=%C3%A9+x&b=2').toString()],
];

const ROUNDS = 10;
let sink = 0;

/**
 * Runs fn for about ms milliseconds and returns nanoseconds per call.
 * @param {function(): *} fn
 * @param {number} ms
 * @returns {number}
 */
function measure(fn, ms) {
    let n = 0;
    const batch = 500;
    const start = Date.now();
    let now = start;
    while (now - start < ms) {
        for (let i = 0; i < batch; i++) {
            const r = fn();
            sink += typeof r === 'string' ? r.length : 1;
        }
        n += batch;
        now = Date.now();
    }
    return (now - start) * 1e6 / n;
}

for (const [name, fn] of cases) {
    measure(fn, 100);
    let ns = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
        ns = Math.min(ns, measure(fn, 50));
    }
    console.log(`${name.padEnd(52)} ${ns.toFixed(0).padStart(8)} ns/op`);
}
if (sink === 0) {
    console.log('unreachable');
}
