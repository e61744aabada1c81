# Web Crypto and node:crypto in nginx workers: an HMAC of the request
# body with crypto.subtle (RFC 4231 case 1), randomUUID in a fetch-style
# handler, node:crypto imports; the algorithms themselves are covered by
# t/js/crypto-*.js.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;

require_module();
run_tests();

__DATA__

=== TEST 1: HMAC-SHA-256 of the request body, as hex
--- js
const key = await crypto.subtle.importKey(
    'raw', new Uint8Array(20).fill(0x0b), { name: 'HMAC', hash: 'SHA-256' },
    false, ['sign']);
export default {
    async fetch(request) {
        const body = await request.arrayBuffer();
        const mac = await crypto.subtle.sign('HMAC', key, body);
        return new Response(Array.from(new Uint8Array(mac),
            (b) => b.toString(16).padStart(2, '0')).join(''));
    },
};
--- config
    location /t { js_handler app.js; }
--- request
POST /t
Hi There
--- response_body
b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7

=== TEST 2: crypto.randomUUID() in a fetch-style handler
--- js
export default {
    fetch(request) {
        return new Response(`uuid ${crypto.randomUUID()}`);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body_like
^uuid [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$

=== TEST 3: node:crypto with callbacks on the thread pool
--- js
import { createHash, pbkdf2 } from 'node:crypto';
export default function (req, res) {
    pbkdf2('password', 'salt', 4096, 20, 'sha1', (err, key) => {
        res.end(`${createHash('sha256').update('abc').digest('hex')} ` +
                Array.from(key, (b) => b.toString(16).padStart(2, '0'))
                    .join(''));
    });
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 4b007901b765489abead49d926f721d065a429c1

=== TEST 4: a long PBKDF2 leaves the worker's loop free
--- js
export default async function (req, res) {
    const key = await crypto.subtle.importKey(
        'raw', new TextEncoder().encode('pw'), 'PBKDF2', false,
        ['deriveBits']);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256',
                                     salt: new Uint8Array(16),
                                     iterations: 300000 }, key, 256);
    clearInterval(timer);
    res.end(ticks > 0 ? 'loop ran' : 'loop blocked');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
loop ran
