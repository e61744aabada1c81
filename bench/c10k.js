// bench/c10k.js - the c10k client of bench/run (Node.js, no dependencies).
//
//   node c10k.js PORT N PATH TIMEOUT_S LOCAL_ADDR PIDS
//
// Opens N keep-alive connections to 127.0.0.1:PORT from LOCAL_ADDR (any
// 127.x address: a fresh one per run keeps TIME_WAIT ports of earlier runs
// out of the way), at most 500 connects in flight.  Once all are open it
// sends one "GET PATH HTTP/1.1" on every connection at once, so all N
// requests are pending in the server together, and waits up to TIMEOUT_S
// seconds for the answers.  While they are pending it samples the summed
// VmRSS of PIDS (comma separated, from /proc) every 50 ms.  Prints one
// line of key=value pairs:
//   answered   responses with status 200 and a complete body
//   non200     complete responses with another status
//   errors     connections that failed (connect, reset, closed early)
//   timeouts   requests with no complete answer after TIMEOUT_S
//   hold_rss_kb  highest summed RSS seen while requests were pending
//   connect_ms time to open all connections
//   p50_ms, max_ms  time from sending to the complete answer
'use strict';
const net = require('net');
const fs = require('fs');

const [port, n, path, timeoutS, localAddress] =
    [Number(process.argv[2]), Number(process.argv[3]), process.argv[4],
     Number(process.argv[5]), process.argv[6]];
const pids = (process.argv[7] || '').split(',').filter(Boolean);

function rssKb() {
    let sum = 0;
    for (const p of pids) {
        try {
            const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
            if (m) sum += Number(m[1]);
        } catch { /* gone */ }
    }
    return sum;
}

const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: nv8-bench-c10k\r\n\r\n`);
const conns = [];
let started = 0, open = 0, failed = 0;
let answered = 0, non200 = 0, errors = 0, done = 0;
let t0 = process.hrtime.bigint(), tSend = 0n, connectMs = 0, holdRss = 0;
const lat = [];

function finish(c, ok, status) {
    if (c.done) return;
    c.done = true;
    done++;
    if (!ok) errors++;
    else if (status === 200) { answered++; lat.push(Number(process.hrtime.bigint() - tSend) / 1e6); }
    else non200++;
    if (done === n) report();
}

// Complete when the head and Content-Length bytes (or the last chunk) are in.
function parse(c) {
    const buf = Buffer.concat(c.chunks);
    const he = buf.indexOf('\r\n\r\n');
    if (he < 0) return;
    const head = buf.subarray(0, he).toString('latin1');
    const status = Number(head.slice(9, 12));
    const body = buf.subarray(he + 4);
    const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (cl) { if (body.length >= Number(cl[1])) finish(c, true, status); }
    else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        if (body.length >= 5 && body.subarray(body.length - 5).toString() === '0\r\n\r\n') finish(c, true, status);
    } else if (c.ended) finish(c, true, status);
}

function connectMore() {
    while (started < n && started - open - failed < 500) {
        started++;
        const c = { chunks: [], done: false, ended: false, connected: false, sock: null };
        const s = net.connect({ port, host: '127.0.0.1', localAddress });
        c.sock = s;
        conns.push(c);
        s.on('connect', () => { c.connected = true; open++; connectMore(); if (open + failed === n) sendAll(); });
        s.on('data', (d) => { c.chunks.push(d); parse(c); });
        s.on('end', () => { c.ended = true; parse(c); if (!c.done) finish(c, false); });
        s.on('error', () => {
            if (!c.connected) {
                failed++;
                finish(c, false);
                connectMore();
                if (open + failed === n) sendAll();
            } else {
                finish(c, false);
            }
        });
    }
}

let sent = false;
function sendAll() {
    if (sent) return;
    sent = true;
    connectMs = Number(process.hrtime.bigint() - t0) / 1e6;
    tSend = process.hrtime.bigint();
    for (const c of conns) if (!c.done && !c.sock.destroyed) c.sock.write(request);
    const sampler = setInterval(() => { if (done < n) holdRss = Math.max(holdRss, rssKb()); }, 50);
    sampler.unref();
    setTimeout(report, timeoutS * 1000).unref();
}

let reported = false;
function report() {
    if (reported) return;
    reported = true;
    lat.sort((a, b) => a - b);
    const timeouts = n - done;
    const p = (q) => lat.length ? lat[Math.min(lat.length - 1, Math.floor(q * lat.length))].toFixed(0) : '-';
    process.stdout.write(`answered=${answered} non200=${non200} errors=${errors} timeouts=${timeouts} ` +
        `hold_rss_kb=${holdRss} connect_ms=${connectMs.toFixed(0)} p50_ms=${p(0.5)} max_ms=${lat.length ? lat[lat.length - 1].toFixed(0) : '-'}\n`);
    for (const c of conns) c.sock.destroy();
    process.exit(0);
}

setTimeout(() => { if (!sent) { sendAll(); } }, 30000).unref();   // connects that hang
// keep the process alive until report()
setInterval(() => {}, 1000);
connectMore();
