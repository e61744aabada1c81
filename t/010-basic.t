# Request/response API, handler shapes, imports, directives, console.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;

run_tests();

# Large bodies, keep-alive and pipelining, an unread request body.
if (!require_module()) {
    ok(start_nginx('location /t { js_handler app.js; }', 'app.js' => <<'EOF'),
export default function (req, res) {
    if (req.url === '/t/large') {
        for (let i = 0; i < 1000; i++) res.write('0123456789');
        res.end('x'.repeat(1 << 20));
        return;
    }
    res.end(req.method + ' ' + req.url);
}
EOF
       'start') or diag(last_start_output());
    my $off = log_offset();

    my ($st, $h, $body, $m) = http_request('GET', '/t/large');
    is($st, 200, 'large body: status');
    ok($m->{complete}, 'large body: complete');
    is(length $body, 10_000 + (1 << 20), 'large body: length');
    ok($body eq ('0123456789' x 1000) . ('x' x (1 << 20)), 'large body: content');

    # keep-alive: two requests on one connection
    my $c = http_start('GET', '/t/1', keepalive => 1);
    ($st, $h, $body, $m) = http_finish($c, keep_open => 1);
    is($body, 'GET /t/1', 'keep-alive: first response');
    ok(!$m->{eof}, 'keep-alive: connection left open');
    syswrite($c->{sock}, "GET /t/2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    ($st, $h, $body, $m) = http_finish($c, timeout => 5);
    is($body, 'GET /t/2', 'keep-alive: second response on the same connection');

    # pipelining: two requests in one write
    $c = http_start("GET /t/p1 HTTP/1.1\r\nHost: localhost\r\n\r\n"
        . "GET /t/p2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    ($st, $h, $body, $m) = http_finish($c, keep_open => 1);
    is($body, 'GET /t/p1', 'pipelining: first response');
    ($st, $h, $body, $m) = http_finish($c, timeout => 5);
    is($body, 'GET /t/p2', 'pipelining: second response');

    # a 1 MiB request body the handler never reads is discarded
    ($st, $h, $body) = http_request('POST', '/t/post', body => 'b' x (1 << 20));
    is("$st $body", '200 POST /t/post', 'unread 1 MiB request body');
    is((http_request('GET', '/t/after'))[2], 'GET /t/after', 'next request works');

    check_error_log('large bodies, keep-alive, pipelining', $off);
}

__DATA__

=== TEST 1: hello
--- js
export default function (req, res) { res.end('hello'); }
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
hello
--- no_error_log
[error]

=== TEST 2: empty res.end() gives 200 and an empty body
--- js
export default function (req, res) { res.end(); }
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
200
--- response_body

=== TEST 3: globals exist
--- js
export default function (req, res) {
    res.end([typeof setTimeout, typeof setInterval, typeof clearTimeout,
             typeof clearInterval, typeof setImmediate, typeof queueMicrotask,
             typeof console, typeof console.log, typeof console.info,
             typeof console.warn, typeof console.error,
             typeof console.debug].join(' '));
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
function function function function function function object function function function function function

=== TEST 4: req.method, req.url with query, req.httpVersion
--- js
export default function (req, res) {
    res.end([req.method, req.url, req.httpVersion].join(' '));
}
--- config
    location /t/ { js_handler app.js; }
--- request
GET /t/x?a=1&b=%20c&d
--- response_body
GET /t/x?a=1&b=%20c&d 1.1

=== TEST 5: HTTP/1.0 request
--- js
export default function (req, res) {
    res.end([req.method, req.url, req.httpVersion].join(' '));
}
--- config
    location /t { js_handler app.js; }
--- raw_request
GET /t?v=10 HTTP/1.0\r\n
\r\n
--- response_body
GET /t?v=10 1.0

=== TEST 6: POST with a body
--- js
export default function (req, res) {
    res.end([req.method, req.url, req.httpVersion].join(' '));
}
--- config
    location /t { js_handler app.js; }
--- request
POST /t
some body
--- response_body
POST /t 1.1

=== TEST 7: HEAD gets headers and no body
--- js
export default function (req, res) {
    console.log('method ' + req.method);
    res.end('body');
}
--- config
    location /t { js_handler app.js; }
--- request
HEAD /t
--- response_body
--- error_log
js: method HEAD

=== TEST 8: req.headers has lower-cased names
--- js
export default function (req, res) {
    const h = req.headers;
    res.end([h['x-foo'], h['x-upper-case'], h.host, 'X-Foo' in h,
             typeof h].join('|'));
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- more_headers
X-Foo: Bar
X-UPPER-CASE: Value
--- response_body
Bar|Value|localhost|false|object

=== TEST 9: res.statusCode
--- js
export default function (req, res) {
    const before = res.statusCode;
    res.statusCode = 201;
    res.end('default was ' + before);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
201
--- response_body
default was 200

=== TEST 10: res.setHeader and res.getHeader
--- js
export default function (req, res) {
    res.setHeader('X-Test', 'a');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ got: res.getHeader('X-Test') }));
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_headers
X-Test: a
Content-Type: application/json
--- response_body
{"got":"a"}

=== TEST 11: res.writeHead with headers
--- js
export default function (req, res) {
    res.writeHead(404, { 'X-A': '1', 'Content-Type': 'text/plain' });
    res.end('not here');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
404
--- response_headers
X-A: 1
Content-Type: text/plain
--- response_body
not here

=== TEST 12: res.writeHead with status only
--- js
export default function (req, res) {
    res.writeHead(202);
    res.end('accepted');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
202
--- response_body
accepted

=== TEST 13: res.write chunks then res.end(chunk)
--- js
export default function (req, res) {
    res.write('a');
    res.write('bc');
    res.end('d');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
abcd

=== TEST 14: non-ASCII string body is sent as UTF-8
--- js
export default function (req, res) { res.end('h\u00e9llo \u20ac'); }
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body escaped
h\xc3\xa9llo \xe2\x82\xac

=== TEST 15: named export
--- js
export default function (req, res) { res.end('default'); }
export function named(req, res) { res.end('named'); }
--- config
    location /t { js_handler app.js named; }
--- request
GET /t
--- response_body
named

=== TEST 16: two exports of one file in two locations
--- js
export default function (req, res) { res.end('default'); }
export function other(req, res) { res.end('other'); }
--- config
    location /a { js_handler app.js; }
    location /b { js_handler app.js other; }
--- request
GET /a
--- response_body
default

=== TEST 17: two exports of one file in two locations (second)
--- js
export default function (req, res) { res.end('default'); }
export function other(req, res) { res.end('other'); }
--- config
    location /a { js_handler app.js; }
    location /b { js_handler app.js other; }
--- request
GET /b
--- response_body
other

=== TEST 18: two files in two locations
--- user_files
>>> a.js
export default (req, res) => res.end('file a');
>>> b.js
export default (req, res) => res.end('file b');
--- config
    location /a { js_handler a.js; }
    location /b { js_handler b.js; }
--- request
GET /b
--- response_body
file b

=== TEST 19: async handler
--- js
export default async function (req, res) {
    await null;
    res.end('async');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
async

=== TEST 20: arrow function handler
--- js
export default (req, res) => res.end('arrow');
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
arrow

=== TEST 21: relative imports resolve against the importing file
--- user_files
>>> lib/x.js
import { y } from './y.js';
export default function x() { return 'x+' + y; }
>>> lib/y.js
export const y = 'lib/y';
>>> y.js
export const y = 'top-level y (wrong)';
--- js
import x from './lib/x.js';
export default function (req, res) { res.end(x()); }
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
x+lib/y

=== TEST 22: handler file in a subdirectory of the prefix
--- user_files
>>> js/main.js
import { util } from './util.js';
export default function (req, res) { res.end(util); }
>>> js/util.js
export const util = 'js/util';
--- config
    location /t { js_handler js/main.js; }
--- request
GET /t
--- response_body
js/util

=== TEST 23: js_handler inside if (condition false)
--- js
export default function (req, res) { res.end('default'); }
export function named(req, res) { res.end('named'); }
--- config
    location /t {
        js_handler app.js;
        if ($arg_named) { js_handler app.js named; }
    }
--- request
GET /t
--- response_body
default

=== TEST 24: js_handler inside if (condition true)
--- js
export default function (req, res) { res.end('default'); }
export function named(req, res) { res.end('named'); }
--- config
    location /t {
        js_handler app.js;
        if ($arg_named) { js_handler app.js named; }
    }
--- request
GET /t?named=1
--- response_body
named

=== TEST 25: console levels
--- js
export default function (req, res) {
    console.log('log-msg');
    console.info('info-msg');
    console.warn('warn-msg');
    console.error('error-msg');
    console.debug('debug-msg');
    console.log('multi', 'args');
    res.end('logged');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
logged
--- error_log
qr/\[info\] \d+#\d+: .*js: log-msg/
qr/\[info\] \d+#\d+: .*js: info-msg/
qr/\[warn\] \d+#\d+: .*js: warn-msg/
qr/\[error\] \d+#\d+: .*js: error-msg/
qr/\[debug\] \d+#\d+: .*js: debug-msg/
js: multi args
--- no_error_log
qr/\[(?:warn|error)\].*js: (?:log|info)-msg/

=== TEST 26: locations without js_handler are untouched
--- js
export default function (req, res) { res.end('js'); }
--- config
    location /t { js_handler app.js; }
    location /plain { return 200 "plain"; }
--- request
GET /plain
--- response_body
plain
