// Copyright (C) nv8 contributors
//
// Micro-benchmark of URL and URLSearchParams: ./nv8 bench/url.js
// Prints ns/op for the calls a fetch-style handler makes on every request.
// Each case runs for about BENCH_MS (default 300) after a warm-up; the
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

const budget = Number(globalThis.BENCH_MS || 300);
let sink = 0;

/**
 * Runs fn for about ms milliseconds and returns nanoseconds per call.
 * @param {function(): *} fn
 * @param {number} ms
 * @returns {number}
 */
function measure(fn, ms) {
    let n = 0;
    let batch = 1000;
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
    measure(fn, budget / 3);
    const ns = measure(fn, budget);
    console.log(`${name.padEnd(52)} ${ns.toFixed(0).padStart(8)} ns/op`);
}
if (sink === 0) {
    console.log('unreachable');
}
