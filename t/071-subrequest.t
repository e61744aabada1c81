# req.subrequest(): subrequests to locations of the same server (proxied
# upstreams, static files, JS handlers, error pages), resolved as fetch
# Responses; fan-out, bodies, no size cap, use from the access phase,
# misuse from filters, client aborts while waiting.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use IO::Socket::INET;
use Time::HiRes qw(sleep);

require_module();

sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Proto => 'tcp', Listen => 1)
        or die "cannot find a free port: $!";
    my $p = $s->sockport;
    close $s;
    return $p;
}

my ($PA, $PB) = (free_port(), free_port());
($PA, $PB) = (free_port(), free_port()) while $PA == $PB
    || $PA == port() || $PB == port();

# two upstreams: "a" echoes what it got, "b" answers with a JSON body
$ENV{TEST_NGINX_UPSTREAMS} = <<"EOF";
    upstream be_a { server 127.0.0.1:$PA; keepalive 4; }
    upstream be_b { server 127.0.0.1:$PB; }
    server {
        listen 127.0.0.1:$PA;
        location / {
            add_header X-Up a;
            return 200 "a \$request_method \$request_uri h=\$http_x_h cl=\$http_content_length";
        }
        location /post { js_handler echo.js; }
        location /slow { js_handler echo.js slow; }
    }
    server {
        listen 127.0.0.1:$PB;
        location / { default_type application/json; return 200 '{"b":[1,2,3]}'; }
    }
EOF

write_file('echo.js', <<'EOF');
export default async function (req, res) {
    let n = 0, s = '';
    for await (const c of req) { n += c.length; s += new TextDecoder().decode(c); }
    res.end(`${req.method} ${n} ${s.slice(0, 20)}`);
}
export async function slow(req, res) {
    await new Promise((r) => setTimeout(r, 300));
    res.end('slow');
}
EOF

my $big = join('', map { sprintf("%07d\n", $_) } 0 .. 199_999);   # 1.6 MB
write_file('html/big.txt', $big);
write_file('html/small.txt', 'small file');

run_tests();

# ------------------------------------------------------------------------
# The client goes away while the handler waits for a subrequest to a slow
# upstream: the subrequest completes or is dropped with the request, the
# handler hears 'aborted', and the same worker serves the next request.

{
    ok(start_nginx({workers => 1, http_config => $ENV{TEST_NGINX_UPSTREAMS},
                    config => <<'EOF'},
        location /t { js_handler app.js; }
        location /slow { proxy_pass http://be_a/slow; }
        location /ok { return 200 "still here\n"; }
EOF
                   'app.js' => <<'EOF'), 'start: abort') or diag(last_start_output());
export default async function (req, res) {
    req.on('aborted', () => console.log('client went away'));
    const r = await req.subrequest('/slow');
    console.log(`subrequest finished ${r.status}`);
    res.end(await r.text());
}
EOF
    my @pids = worker_pids();
    my $off = log_offset();
    for my $i (1 .. 3) {
        my $h = http_start('GET', '/t');
        sleep 0.1;
        http_abort($h, rst => $i % 2);
    }
    ok(wait_for_log(qr/client went away/, $off, 5), 'abort: the handler heard it');
    sleep 0.5;
    my ($st, undef, $body) = http_request('GET', '/ok');
    is("$st $body", "200 still here\n", 'abort: the worker goes on');
    is_deeply([worker_pids()], \@pids, 'abort: same worker');
    check_error_log('abort during a subrequest', $off);
}

__DATA__

=== TEST 1: fan-out to two upstreams merged into one JSON response
--- http_config
$TEST_NGINX_UPSTREAMS
--- config
    location /fan { js_handler app.js; }
    location /a/ { proxy_pass http://be_a/; proxy_http_version 1.1;
                   proxy_set_header Connection ""; }
    location /b/ { proxy_pass http://be_b/; }
--- js
export default async function (req, res) {
    const [a, b] = await Promise.all([req.subrequest('/a/x?q=1'),
                                      req.subrequest('/b/y')]);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({
        a: { status: a.status, up: a.headers.get('x-up'), text: await a.text() },
        b: { status: b.status, type: b.headers.get('content-type'),
             json: await b.json() },
        ok: a.ok && b.ok,
    }));
}
--- request
GET /fan
--- response_headers
Content-Type: application/json
--- response_body
{"a":{"status":200,"up":"a","text":"a GET /x?q=1 h= cl="},"b":{"status":200,"type":"application/json","json":{"b":[1,2,3]}},"ok":true}

=== TEST 2: method, headers and body of a subrequest; the parent's body is not sent
--- http_config
$TEST_NGINX_UPSTREAMS
--- config
    location /t { js_handler app.js; }
    location /a/ { proxy_pass http://be_a/; }
--- js
export default async function (req, res) {
    const get = await req.subrequest('/a/get', { headers: { 'X-H': 'v1' } });
    const post = await req.subrequest('/a/post', {
        method: 'POST', body: 'hello body', headers: { 'x-h': 'v2' } });
    const bytes = await req.subrequest('/a/post', {
        method: 'PUT', body: new Uint8Array([104, 105]) });
    res.end([await get.text(), await post.text(), await bytes.text()]
             .join('\n'));
}
--- request
POST /t
parent body that must not leak
--- response_body
a GET /get h=v1 cl=
POST 10 hello body
PUT 2 hi

=== TEST 3: statuses and error pages come back as they are
--- http_config
$TEST_NGINX_UPSTREAMS
--- config
    location /t { js_handler app.js; }
    location /missing { root html; }
    location /forbidden { return 403; }
    location /custom { error_page 404 /small.txt; return 404; }
    location = /small.txt { root html; }
    location /redirect { return 302 /elsewhere; }
--- js
export default async function (req, res) {
    const out = [];
    for (const uri of ['/missing/nope', '/forbidden', '/custom', '/redirect']) {
        const r = await req.subrequest(uri);
        const text = await r.text();
        out.push(`${uri} ${r.status} ${r.headers.get('location') ?? '-'} ` +
                 `${/<title>([^<]*)/.exec(text)?.[1] ?? text}`);
    }
    res.end(out.join('\n'));
}
--- request
GET /t
--- response_body
/missing/nope 404 - 404 Not Found
/forbidden 403 - 403 Forbidden
/custom 404 - small file
/redirect 302 /elsewhere 302 Found
--- error_log
open() "

=== TEST 4: a large static file through a subrequest arrives whole (no output cap)
--- config
    location /t { js_handler app.js; }
    location /files/ { alias html/; }
--- js
export default async function (req, res) {
    const r = await req.subrequest('/files/big.txt');
    const text = await r.text();
    const lines = text.split('\n');
    res.end(`${r.status} ${text.length} ${lines[0]} ${lines[199999]}`);
}
--- request
GET /t
--- response_body
200 1600000 0000000 0199999

=== TEST 5: a subrequest to a JS location, and one from the access phase
--- http_config
$TEST_NGINX_UPSTREAMS
--- config
    location /t { js_access_handler app.js guard; js_handler app.js ok; }
    location /authz { js_handler app.js authz; }
--- js
export async function guard(req, res) {
    const r = await req.subrequest('/authz', {
        headers: { 'x-token': req.headers['x-token'] ?? '' } });
    if (r.status !== 204) {
        res.writeHead(403, { 'x-why': await r.text() });
        res.end('denied');
    }
}
export function ok(req, res) {
    res.end('allowed');
}
export function authz(req, res) {
    if (req.headers['x-token'] === 'good') {
        res.writeHead(204);
        res.end();
    } else {
        res.writeHead(401);
        res.end('bad token');
    }
}
--- request
GET /t
--- more_headers
X-Token: good
--- response_body
allowed

=== TEST 6: the same guard refuses a bad token
--- http_config
$TEST_NGINX_UPSTREAMS
--- config
    location /t { js_access_handler app.js guard; js_handler app.js ok; }
    location /authz { js_handler app.js authz; }
--- js
export async function guard(req, res) {
    const r = await req.subrequest('/authz', {
        headers: { 'x-token': req.headers['x-token'] ?? '' } });
    if (r.status !== 204) {
        res.writeHead(403, { 'x-why': await r.text() });
        res.end('denied');
    }
}
export function ok(req, res) {
    res.end('allowed');
}
export function authz(req, res) {
    if (req.headers['x-token'] === 'good') {
        res.writeHead(204);
        res.end();
    } else {
        res.writeHead(401);
        res.end('bad token');
    }
}
--- request
GET /t
--- more_headers
X-Token: bad
--- error_code
403
--- response_headers
X-Why: bad token
--- response_body
denied

=== TEST 7: a subrequest from a header filter or a log handler throws, naming the phase
--- config
    location /t { js_header_filter_handler app.js hdr; js_log_handler app.js log;
                  return 200 "body"; }
    location /x { return 200; }
--- js
export function hdr(req, res) {
    try {
        req.subrequest('/x');
    } catch (e) {
        res.setHeader('x-err', `${e.code}: ${e.message}`);
    }
}
export function log(req) {
    try {
        req.subrequest('/x');
    } catch (e) {
        console.log(`log says ${e.message}`);
    }
}
--- request
GET /t
--- response_headers
X-Err: ERR_NV8_PHASE: req.subrequest() cannot be used in a filter
--- response_body
body
--- error_log
log says req.subrequest() cannot be used in a log handler

=== TEST 8: bad arguments throw
--- config
    location /t { js_handler app.js; }
--- js
export default function (req, res) {
    const out = [];
    for (const [uri, opts] of [['relative', {}], ['/a b', {}],
                               ['/x', { method: 'BREW' }],
                               ['/x', { body: 42 }],
                               ['/x', { headers: { 'bad name': 'v' } }],
                               ['/x', { headers: { ok: 'v\r\nx: y' } }]]) {
        try {
            req.subrequest(uri, opts);
            out.push('no error');
        } catch (e) {
            out.push(`${e.name} ${e.code ?? ''}`.trim());
        }
    }
    res.end(out.join('\n'));
}
--- request
GET /t
--- response_body
TypeError ERR_INVALID_URL
TypeError ERR_INVALID_URL
TypeError ERR_INVALID_ARG_VALUE
TypeError
TypeError ERR_INVALID_CHAR
TypeError ERR_INVALID_CHAR
