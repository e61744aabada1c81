# The web platform globals (URL, Headers, Request, Response, streams ...)
# exist in nginx workers and work inside the loop; their behaviour is
# covered by t/js/web-*.js.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;

require_module();
run_tests();

__DATA__

=== TEST 1: globals are defined in the worker
--- js
const names = ['URL', 'URLSearchParams', 'Headers', 'Request', 'Response',
               'Blob', 'File', 'FormData', 'ReadableStream',
               'WritableStream', 'TransformStream', 'AbortController',
               'AbortSignal', 'Event', 'EventTarget', 'DOMException',
               'atob', 'btoa', 'TextEncoderStream', 'TextDecoderStream'];
export default function (req, res) {
    res.end(names.filter((n) => typeof globalThis[n] !== 'function')
                 .join(',') || 'all defined');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
all defined

=== TEST 2: bodies and streams resolve on the worker's loop
--- js
export default async function (req, res) {
    const u = new URL(req.url, 'http://localhost');
    const r = new Response(new ReadableStream({
        start(c) {
            setTimeout(() => {
                c.enqueue(new TextEncoder().encode(u.searchParams.get('q')));
                c.close();
            }, 10);
        },
    }));
    const signal = AbortSignal.timeout(5);
    await new Promise((resolve) => signal.onabort = resolve);
    res.end(`${await r.clone().text()} ${await r.text()} ` +
            signal.reason.name);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t?q=echo
--- response_body
echo echo TimeoutError
