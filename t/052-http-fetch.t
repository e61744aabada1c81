# Fetch-style handlers (Cloudflare Workers / Deno / Bun):
# `export default { fetch(request, ctx) { return new Response(...) } }`.
# Request (method, absolute url, Headers, body stream and its readers,
# signal), Response (every body type, json, redirect, error, status and
# reason phrase, header validation, error pages, HEAD/204/304), handler
# failures, ctx.waitUntil, export selection; then, outside the blocks,
# HTTP/2 via curl, a 512 MiB streamed response (byte count and worker RSS),
# a 20 MB echo and a client abort firing request.signal.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use Time::HiRes qw(sleep time);

require_module();

run_tests();

my $curl = `sh -c 'command -v curl'`;
chomp $curl;

sub vmrss {
    my ($pid) = @_;
    open my $fh, '<', "/proc/$pid/status" or return undef;
    while (<$fh>) {
        return $1 if /^VmRSS:\s+(\d+)\s+kB/;
    }
    return undef;
}

my $app = <<'EOF';
const tick = (ms) => new Promise((r) => setTimeout(r, ms));

export default {
    async fetch(request, ctx) {
        const { pathname, searchParams } = new URL(request.url);
        if (pathname === '/big') {
            // a pull-based stream of n MiB in 64 KiB chunks
            const total = Number(searchParams.get('mib')) * 1024 * 1024;
            const chunk = new Uint8Array(65536).fill(0x61);
            let sent = 0;
            return new Response(new ReadableStream({
                pull(controller) {
                    if (sent >= total) {
                        controller.close();
                        return;
                    }
                    controller.enqueue(chunk.slice());
                    sent += chunk.length;
                },
            }, { highWaterMark: 0 }), {
                headers: { 'content-type': 'application/octet-stream' },
            });
        }
        if (pathname === '/echo') {
            return new Response(request.body);
        }
        if (pathname === '/text') {
            const t = await request.text();
            return new Response(`${request.method} ${t.length} ` +
                                `${t.slice(0, 8).trim()} ${t.slice(-8).trim()}`);
        }
        if (pathname === '/stream') {
            let i = 0;
            return new Response(new ReadableStream({
                async pull(controller) {
                    await tick(5);
                    if (i === 10) {
                        controller.close();
                        return;
                    }
                    controller.enqueue(new TextEncoder().encode(
                        `chunk ${i++}\n`));
                },
            }));
        }
        if (pathname === '/abort') {
            request.signal.addEventListener('abort', () => {
                const r = request.signal.reason;
                console.log(`signal aborted: ${r.name} ${r instanceof
                             DOMException} ${request.signal.aborted}`);
            });
            await tick(1500);
            console.log('abort handler resumed');
            return new Response('too late');
        }
        if (pathname === '/abortLate') {
            // request.signal first read after the client went away
            await tick(800);
            const s = request.signal;
            console.log(`late signal: ${s.aborted} ${s.reason?.name}`);
            return new Response('too late');
        }
        if (pathname === '/abortWait') {
            // the usual way to race work against the client going away
            try {
                await new Promise((resolve, reject) => {
                    const t = setTimeout(resolve, 3000);
                    request.signal.addEventListener('abort', () => {
                        clearTimeout(t);
                        reject(request.signal.reason);
                    });
                });
            } catch (err) {
                console.log(`await rejected: ${err.name}`);
                throw err;
            }
            return new Response('not aborted');
        }
        if (pathname === '/waitUntil') {
            ctx.waitUntil(tick(400).then(() => {
                console.log('waitUntil work done');
            }));
            ctx.waitUntil(tick(200).then(() => {
                throw new Error('waitUntil failure');
            }));
            return new Response('sent before the work');
        }
        if (pathname === '/badchunk') {
            return new Response(new ReadableStream({
                start(c) { c.enqueue('not bytes'); c.close(); },
            }));
        }
        if (pathname === '/reason') {
            return new Response('made', { status: 201,
                                          statusText: 'Made It Now' });
        }
        return new Response('ok');
    },
};
EOF

my $conf = {config => '        error_log ' . prefix_dir() . "/error.log info;\n" . <<'EOF'};
        client_max_body_size 64m;
        js_handler_timeout 60s;
        location / { js_handler app.js; }
EOF

# ------------------------------------------------------------------------
# HTTP/1.1: reason phrase, waitUntil, client abort, 20 MB echo, 512 MiB.

ok(start_nginx($conf, 'app.js' => $app), 'start: fetch app') or diag(last_start_output());
my ($master, @workers) = nginx_pids();

{
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', '/reason');
    is($st, 201, 'statusText: status');
    like($m->{raw}, qr{\AHTTP/1\.1 201 Made It Now\r\n}, 'statusText: reason phrase')
        or diag($m->{raw});
    is($body, 'made', 'statusText: body');
    check_error_log('statusText', $off);
}

{
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', '/waitUntil');
    is("$st $body", '200 sent before the work', 'waitUntil: response');
    ok($m->{elapsed} < 0.2, sprintf('waitUntil: sent without waiting (%.3fs)', $m->{elapsed}));
    ok(!_log_match(error_log_since($off), 'waitUntil work done'),
       'waitUntil: work not done when the response arrived');
    ok(wait_for_log('js: waitUntil work done', $off, 3), 'waitUntil: work continued');
    ok(wait_for_log(qr/waitUntil failure/, $off, 3), 'waitUntil: rejection logged');
    like(error_log_since($off), qr/app\.js:\d+/, 'waitUntil: rejection has a stack');
    check_error_log('waitUntil', $off, allow_js_exception => 1);
}

{
    # client abort during an await fires request.signal with an AbortError
    my $off = log_offset();
    my $c = http_start('GET', '/abort');
    sleep 0.3;
    http_abort($c);
    ok(wait_for_log('js: signal aborted: AbortError true true', $off, 3),
       'abort: request.signal fired with an AbortError DOMException')
        or diag(error_log_since($off));
    sleep 1.5;
    check_error_log('abort during await', $off);
    is((http_request('GET', '/x'))[2], 'ok', 'abort: next request works');

    # the signal is made when first read: an abort before that shows
    $off = log_offset();
    $c = http_start('GET', '/abortLate');
    sleep 0.3;
    http_abort($c);
    ok(wait_for_log('js: late signal: true AbortError', $off, 3),
       'abort: request.signal read after the abort is aborted')
        or diag(error_log_since($off));
    sleep 0.3;
    check_error_log('abort before reading the signal', $off);

    $off = log_offset();
    $c = http_start('GET', '/abortWait');
    sleep 0.3;
    http_abort($c, rst => 1);
    ok(wait_for_log('js: await rejected: AbortError', $off, 3),
       'abort (RST): an await raced against the signal rejects')
        or diag(error_log_since($off));
    sleep 0.3;
    check_error_log('abort (RST) during await', $off, allow_js_exception => 1);
    is((http_request('GET', '/x'))[2], 'ok', 'abort (RST): next request works');
}

{
    # a stream yielding a string instead of bytes fails the response after
    # its head: the client does not get a complete response
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', '/badchunk', timeout => 5);
    ok(!$m->{complete} || (defined $st && $st == 500),
       'stream of strings: no complete 200 response') or diag($m->{raw});
    unlike($body // '', qr/not bytes/, 'stream of strings: the string is not sent');
    ok(wait_for_log(qr/js exception:.*must yield Uint8Array chunks/, $off, 2),
       'stream of strings: logged');
    check_error_log('stream of strings', $off, allow_js_exception => 1);
}

SKIP: {
    skip 'curl not found', 6 unless $curl;
    # a 20 MB upload echoed back with new Response(request.body); curl, as
    # it reads the response while it still sends (a blocking client that
    # sends everything first deadlocks against any streaming echo)
    my $off = log_offset();
    my $up = join '', map { sprintf "%07d\n", $_ } 0 .. (20_000_000 / 8 - 1);
    write_file('up20.bin', $up);
    my $in = prefix_dir() . '/up20.bin';
    my $out = prefix_dir() . '/echo20.out';
    my $res = `$curl -s --max-time 60 -H 'Expect:' -D - -o $out --data-binary \@$in http://127.0.0.1:@{[port()]}/echo`;
    like($res, qr{\AHTTP/1\.1 200 }, 'echo 20 MB: status');
    like($res, qr/^Transfer-Encoding: chunked\r$/mi, 'echo 20 MB: streamed (chunked)');
    open my $fh, '<', $out;
    binmode $fh;
    my $body = do { local $/; <$fh> } // '';
    is(length $body, length $up, 'echo 20 MB: length');
    ok($body eq $up, 'echo 20 MB: content intact');
    unlink $out, $in;
    check_error_log('echo 20 MB', $off);
}

SKIP: {
    skip 'curl not found', 6 unless $curl;
    # 512 MiB from a pull-based ReadableStream: right size, flat worker RSS
    my $off = log_offset();
    my ($w) = worker_pids();
    # the first streamed response grows the heap to its working size once
    # (about 36 MB here); measure the big one after that
    my $warm = `$curl -s -o /dev/null -w '%{size_download}' http://127.0.0.1:@{[port()]}/big?mib=32`;
    is($warm, 32 * 1024 * 1024, '512 MiB: warm-up with 32 MiB');
    my $before = vmrss($w);
    my $out = prefix_dir() . '/big.out';
    my $pid = fork();
    if (!$pid) {
        open STDOUT, '>', $out or exit 126;
        exec $curl, '-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download}',
            '--max-time', '120', 'http://127.0.0.1:' . port() . '/big?mib=512';
        exit 127;
    }
    my $max = $before;
    my $samples = 0;
    while (waitpid($pid, 1) == 0) {   # WNOHANG
        my $r = vmrss($w);
        if (defined $r) {
            $max = $r if $r > $max;
            $samples++;
        }
        sleep 0.05;
    }
    is($?, 0, '512 MiB: curl exited 0');
    open my $fh, '<', $out;
    my $res = <$fh> // '';
    is($res, '200 ' . (512 * 1024 * 1024), '512 MiB: status and byte count');
    ok(defined $before && $before > 0 && $samples > 5,
       "512 MiB: RSS measured ($before kB before, $samples samples)");
    my $grow = ($max - $before) / 1024;
    # the peak depends on when V8 collects, which a loaded machine delays
    # (5-15 MB seen, once over 30 under prove -j2): the bound says the
    # body is not held, which would cost hundreds of MB
    ok($grow < 64, sprintf('512 MiB: worker RSS grew %.1f MB (< 64)', $grow))
        or diag("before $before kB, max $max kB");
    check_error_log('512 MiB streamed', $off);
}

# ------------------------------------------------------------------------
# HTTP/2 (prior knowledge, via curl): an upload read with request.text()
# and a streamed download.

SKIP: {
    skip 'curl not found', 8 unless $curl;
    my $h2conf = {config => $conf->{config}, listen => 'http2'};
    ok(start_nginx($h2conf, 'app.js' => $app), 'start: http2') or diag(last_start_output());
    my $off = log_offset();
    my $base = 'http://127.0.0.1:' . port();
    my $file = prefix_dir() . '/upload.bin';
    my $up = join '', map { sprintf "%07d\n", $_ } 0 .. 199_999;   # 1.6 MB
    write_file('upload.bin', $up);

    my $res = `$curl -s --http2-prior-knowledge -w '\n%{http_version} %{http_code}' --data-binary \@$file $base/text`;
    is($res, "POST 1600000 0000000 0199999\n2 200",
       'h2: upload read with request.text()') or diag($res);

    $res = `$curl -s --http2-prior-knowledge -w '\n%{http_version} %{http_code}' $base/stream`;
    is($res, join('', map { "chunk $_\n" } 0 .. 9) . "\n2 200", 'h2: streamed download');

    $res = `$curl -s --http2-prior-knowledge -w '\n%{http_version} %{http_code}' --data-binary \@$file $base/echo`;
    ok($res eq $up . "\n2 200", 'h2: echo of a 1.6 MB upload intact')
        or diag(length $res);

    $res = `$curl -s --http2-prior-knowledge -o /dev/null -w '%{http_version} %{http_code} %{size_download}' $base/big?mib=64`;
    is($res, '2 200 ' . 64 * 1024 * 1024, 'h2: 64 MiB streamed');

    $res = `$curl -s --http2-prior-knowledge -D - -o /dev/null $base/reason`;
    like($res, qr{^HTTP/2 201}, 'h2: status 201 (no reason phrase in HTTP/2)');
    check_error_log('http2', $off);
}

# ------------------------------------------------------------------------
# Code people already have: a small router on new URL(request.url).pathname,
# a JSON API, a redirect, the authorization header.

{
    my $router = <<'EOF';
const users = new Map([['1', { id: 1, name: 'Ada' }],
                       ['2', { id: 2, name: 'Grace' }]]);

function unauthorized() {
    return new Response('Unauthorized', {
        status: 401, headers: { 'WWW-Authenticate': 'Bearer' },
    });
}

const routes = {
    'GET /api/users': () => Response.json([...users.values()]),
    'GET /api/user': (req, url) => {
        const u = users.get(url.searchParams.get('id'));
        return u ? Response.json(u)
                 : Response.json({ error: 'not found' }, { status: 404 });
    },
    'POST /api/users': async (req) => {
        const body = await req.json();
        const id = String(users.size + 1);
        return Response.json({ id, ...body }, { status: 201 });
    },
    'GET /old': (req, url) => Response.redirect(`${url.origin}/api/users`, 308),
};

export default {
    async fetch(request, env, ctx) {
        const url = new URL(request.url);
        const auth = request.headers.get('authorization');
        if (url.pathname.startsWith('/api/') && auth !== 'Bearer s3cret') {
            return unauthorized();
        }
        const route = routes[`${request.method} ${url.pathname}`];
        if (!route) {
            return new Response('Not Found', { status: 404 });
        }
        return route(request, url);
    },
};
EOF
    ok(start_nginx('location / { js_handler app.js; }', 'app.js' => $router),
       'start: router app') or diag(last_start_output());
    my $off = log_offset();
    my @auth = (headers => ['Authorization: Bearer s3cret']);
    my @cases = (
        ['GET', '/api/users', [@auth], 200, '[{"id":1,"name":"Ada"},{"id":2,"name":"Grace"}]',
         {'content-type' => 'application/json'}],
        ['GET', '/api/user?id=2', [@auth], 200, '{"id":2,"name":"Grace"}'],
        ['GET', '/api/user?id=9', [@auth], 404, '{"error":"not found"}'],
        ['POST', '/api/users', [@auth, body => '{"name":"Linus"}'], 201,
         '{"id":"3","name":"Linus"}'],
        ['GET', '/api/users', [headers => ['Authorization: Bearer wrong']], 401,
         'Unauthorized', {'www-authenticate' => 'Bearer'}],
        ['GET', '/api/users', [], 401, 'Unauthorized'],
        ['GET', '/old', [headers => ['Host: example.net']], 308, '',
         {location => 'http://example.net/api/users'}],
        ['GET', '/nowhere', [], 404, 'Not Found'],
        ['DELETE', '/api/users', [@auth], 404, 'Not Found'],
    );
    for my $c (@cases) {
        my ($method, $uri, $opt, $est, $ebody, $ehead) = @$c;
        my ($st, $h, $body) = http_request($method, $uri, @$opt);
        is("$st $body", "$est $ebody", "router: $method $uri");
        for my $k (sort keys %{$ehead || {}}) {
            is($h->{$k}, $ehead->{$k}, "router: $method $uri: $k");
        }
    }
    check_error_log('router', $off);
}

# ------------------------------------------------------------------------
# An export of the wrong shape fails at worker start, with a clear message.

for my $case (["export const bad = 42;", 'number'],
              ["export const bad = { handle() {} };", 'object'],
              ["export const bad = null;", 'null']) {
    my ($src, $type) = @$case;
    my $off = log_offset();
    ok(start_nginx('location / { js_handler app.js bad; }',
                   'app.js' => "export default { fetch() { return new Response('x'); } };\n$src\n"),
       "bad export ($type): nginx starts") or diag(last_start_output());
    ok(wait_for_log(qr/export 'bad' is neither a function \(req, res\) nor an object with a fetch\(request\) method \(it is $type\)/, $off, 3),
       "bad export ($type): clear message in error.log") or diag(error_log_since($off));
    my ($st) = http_request('GET', '/');
    is($st, 500, "bad export ($type): location answers 500");
}

sub _log_match {
    my ($text, $pat) = @_;
    return ref $pat ? $text =~ $pat : index($text, $pat) >= 0;
}

__DATA__

=== TEST 1: export default { fetch } returning a Response
--- js
export default {
    fetch(request) {
        return new Response('hello from fetch');
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
hello from fetch
--- response_headers
Content-Type: text/plain;charset=UTF-8
Content-Length: 16
--- no_error_log
[error]

=== TEST 2: async fetch, `this` is the exported object
--- js
export default {
    greeting: 'hi',
    async fetch(request) {
        await new Promise((r) => setTimeout(r, 10));
        return new Response(`${this.greeting} async`);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
hi async

=== TEST 3: ctx is the 2nd argument and again the 3rd (Workers' env, ctx)
--- js
export default {
    fetch(request, env, ctx) {
        return new Response([typeof env.waitUntil, typeof ctx.waitUntil,
                             typeof ctx.passThroughOnException,
                             env === ctx, arguments.length].join(' '));
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
function function function true 3

=== TEST 4: named exports pick the style by shape (fetch object)
--- js
export const api = { fetch: (request) => Response.json({ style: 'fetch' }) };
export function node(req, res) { res.end('node style'); }
export default { fetch: () => new Response('default') };
--- config
    location /api { js_handler app.js api; }
    location /node { js_handler app.js node; }
    location /def { js_handler app.js; }
--- request
GET /api
--- response_body
{"style":"fetch"}

=== TEST 5: named exports pick the style by shape (function)
--- js
export const api = { fetch: (request) => Response.json({ style: 'fetch' }) };
export function node(req, res) { res.end('node style'); }
export default { fetch: () => new Response('default') };
--- config
    location /api { js_handler app.js api; }
    location /node { js_handler app.js node; }
    location /def { js_handler app.js; }
--- request
GET /node
--- response_body
node style

=== TEST 6: named exports pick the style by shape (default)
--- js
export const api = { fetch: (request) => Response.json({ style: 'fetch' }) };
export function node(req, res) { res.end('node style'); }
export default { fetch: () => new Response('default') };
--- config
    location /api { js_handler app.js api; }
    location /node { js_handler app.js node; }
    location /def { js_handler app.js; }
--- request
GET /def
--- response_body
default

=== TEST 7: request.method and absolute request.url from the Host header
--- js
export default {
    fetch(request) {
        const u = new URL(request.url);
        return new Response([request.method, request.url, u.host,
                             u.pathname, u.searchParams.get('b')].join('|'));
    },
};
--- config
    location /t/ { js_handler app.js; }
--- request
GET /t/x?a=1&b=%20c
--- more_headers
Host: example.com:8080
--- response_body
GET|http://example.com:8080/t/x?a=1&b=%20c|example.com:8080|/t/x| c

=== TEST 8: request.url for HTTP/1.0 without a Host header uses the server name
--- js
export default {
    fetch(request) {
        const u = new URL(request.url);
        return new Response(`${u.protocol} ${u.pathname}${u.search}`);
    },
};
--- config
    location /t { js_handler app.js; }
--- raw_request
GET /t?v=10 HTTP/1.0\r\n
\r\n
--- response_body
http: /t?v=10

=== TEST 8b: a Host header nginx accepts but WHATWG URL refuses: the server name
--- js
export default {
    fetch(request) {
        const u = new URL(request.url);
        return new Response(`${u.hostname} ${u.pathname}${u.search}`);
    },
};
--- config
    location /t { js_handler app.js; }
--- raw_request
GET /t?h=1 HTTP/1.1\r\n
Host: bad|host\r\n
Connection: close\r\n
\r\n
--- response_body
localhost /t?h=1

=== TEST 9: request.headers: case-insensitive, repeated values joined, getSetCookie
--- js
export default {
    fetch(request) {
        const h = request.headers;
        return new Response([
            h.get('x-multi'), h.get('X-MULTI'), h.has('X-Single'),
            String(h.get('x-missing')), JSON.stringify(h.getSetCookie()),
            h.get('authorization'),
            [...h.keys()].filter((k) => k.startsWith('x-')).join(','),
        ].join('\n'));
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- more_headers
X-Multi: one
x-multi: two
X-Single: 1
Set-Cookie: a=1
Set-Cookie: b=2; Path=/
Authorization: Bearer tok123
--- response_body
one, two
one, two
true
null
["a=1","b=2; Path=/"]
Bearer tok123
x-multi,x-single

=== TEST 10: request.body is null without a body; bodyUsed false
--- js
export default {
    async fetch(request) {
        const t = await request.text();
        return new Response(`${request.body} ${request.bodyUsed} [${t}]`);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
null false []

=== TEST 11: request.text() and bodyUsed; a second read rejects
--- js
export default {
    async fetch(request) {
        const isStream = request.body instanceof ReadableStream;
        const before = request.bodyUsed;
        const t = await request.text();
        let again;
        try {
            await request.text();
            again = 'read twice';
        } catch (e) {
            again = e.constructor.name;
        }
        return new Response(`${isStream} ${before} ${request.bodyUsed} ` +
                            `${again} [${t}]`);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
POST /t
héllo body
--- response_body
true false true TypeError [héllo body]

=== TEST 12: request.json()
--- js
export default {
    async fetch(request) {
        const data = await request.json();
        return Response.json({ got: data.items.length, first: data.items[0] });
    },
};
--- config
    location /t { js_handler app.js; }
--- request
POST /t
{"items": ["x", "y", "z"]}
--- response_body
{"got":3,"first":"x"}
--- response_headers
Content-Type: application/json

=== TEST 13: request.json() on invalid JSON rejects: 500
--- js
export default {
    async fetch(request) {
        return Response.json(await request.json());
    },
};
--- config
    location /t { js_handler app.js; }
--- request
POST /t
{not json
--- error_code
500
--- error_log
qr/js exception:.*SyntaxError/

=== TEST 14: request.arrayBuffer() keeps the bytes
--- js
export default {
    async fetch(request) {
        const b = new Uint8Array(await request.arrayBuffer());
        return new Response(`${b.byteLength} ${Array.from(b).join(',')}`);
    },
};
--- config
    location /t { js_handler app.js; }
--- request escaped
POST /t
\x00\xff\x80a
--- response_body
4 0,255,128,97

=== TEST 15: request.formData() from urlencoded
--- js
export default {
    async fetch(request) {
        const f = await request.formData();
        return new Response(`${f.get('a')}|${f.getAll('b').join(',')}|` +
                            `${f.get('c')}`);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
POST /t
a=1+2&b=x&b=y%26z&c=%C3%A9
--- more_headers
Content-Type: application/x-www-form-urlencoded
--- response_body
1 2|x,y&z|é

=== TEST 16: request.formData() from multipart, with a file
--- js
export default {
    async fetch(request) {
        const f = await request.formData();
        const file = f.get('up');
        return new Response([f.get('name'), file instanceof Blob, file.name,
                             file.type, file.size, await file.text()].join('|'));
    },
};
--- config
    location /t { js_handler app.js; }
--- request escaped
POST /t
--XyZ\r\n
Content-Disposition: form-data; name="name"\r\n
\r\n
Ann\r\n
--XyZ\r\n
Content-Disposition: form-data; name="up"; filename="a.txt"\r\n
Content-Type: text/plain\r\n
\r\n
line1\nline2\r\n
--XyZ--\r\n
--- more_headers
Content-Type: multipart/form-data; boundary=XyZ
--- response_body
Ann|true|a.txt|text/plain|11|line1
line2

=== TEST 17: request.blob()
--- js
export default {
    async fetch(request) {
        const b = await request.blob();
        return new Response(`${b.size} ${b.type} ${await b.text()}`);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
POST /t
blob data
--- more_headers
Content-Type: text/x-thing
--- response_body
9 text/x-thing blob data

=== TEST 18: reading request.body with a reader
--- js
export default {
    async fetch(request) {
        const reader = request.body.getReader();
        let n = 0, chunks = 0;
        for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            n += value.byteLength;
            chunks++;
        }
        return new Response(`${n} ${chunks > 0} ${request.bodyUsed}`);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
POST /t
0123456789
--- response_body
10 true true

=== TEST 19: Response body from an ArrayBuffer
--- js
export default {
    fetch() {
        return new Response(new TextEncoder().encode('from buffer').buffer);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
from buffer
--- response_headers
Content-Length: 11
!Content-Type

=== TEST 20: Response body from a typed array view (offset honoured)
--- js
export default {
    fetch() {
        const all = new TextEncoder().encode('xxxxVIEWyyyy');
        return new Response(all.subarray(4, 8));
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
VIEW
--- response_headers
Content-Length: 4

=== TEST 21: Response body from a DataView over part of a buffer
--- js
export default {
    fetch() {
        const all = new TextEncoder().encode('--data--');
        return new Response(new DataView(all.buffer, 2, 4));
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
data

=== TEST 22: Response body from a Blob, its type becomes Content-Type
--- js
export default {
    fetch() {
        return new Response(new Blob(['<b>', 'blob', '</b>'],
                                     { type: 'text/html' }));
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
<b>blob</b>
--- response_headers
Content-Type: text/html
Content-Length: 11

=== TEST 23: Response body from URLSearchParams
--- js
export default {
    fetch() {
        return new Response(new URLSearchParams({ q: 'a b', r: 'é&' }));
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
q=a+b&r=%C3%A9%26
--- response_headers
Content-Type: application/x-www-form-urlencoded;charset=UTF-8

=== TEST 24: Response body from FormData is multipart with a matching boundary
--- js
export default {
    async fetch() {
        const f = new FormData();
        f.append('field', 'value');
        f.append('file', new Blob(['file body'], { type: 'text/plain' }),
                 'f.txt');
        const r = new Response(f);
        // round trip: parse our own multipart output
        const back = await r.clone().formData();
        console.log(`round trip: ${back.get('field')} ` +
                    `${back.get('file').name} ${await back.get('file').text()}`);
        return r;
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body_like
\A--(\S+)\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n--\1\r\nContent-Disposition: form-data; name="file"; filename="f.txt"\r\nContent-Type: text/plain\r\n\r\nfile body\r\n--\1--\r\n\z
--- error_log
js: round trip: value f.txt file body

=== TEST 25: FormData response Content-Type names the body's boundary
--- js
export default {
    async fetch() {
        const f = new FormData();
        f.append('k', 'v');
        const r = new Response(f);
        const ct = r.headers.get('content-type');
        const body = await r.text();
        const b = ct.match(/^multipart\/form-data; boundary=(.+)$/)[1];
        return new Response(`${body.startsWith('--' + b + '\r\n')} ` +
                            `${body.endsWith('--' + b + '--\r\n')}`);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
true true

=== TEST 26: Response body from a ReadableStream is chunked on HTTP/1.1
--- js
export default {
    fetch() {
        const enc = new TextEncoder();
        return new Response(new ReadableStream({
            start(c) {
                c.enqueue(enc.encode('one '));
                c.enqueue(enc.encode('two '));
                setTimeout(() => {
                    c.enqueue(enc.encode('three'));
                    c.close();
                }, 20);
            },
        }));
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
one two three
--- response_headers
Transfer-Encoding: chunked
!Content-Length

=== TEST 28: Response(null) and Response() have an empty body
--- js
export default {
    fetch(request) {
        return request.url.endsWith('/n') ? new Response(null)
                                          : new Response();
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t/n
--- response_body
--- response_headers
Content-Length: 0

=== TEST 29: Response.json with status and extra headers
--- js
export default {
    fetch() {
        return Response.json({ error: 'nope', n: [1, 2] },
                             { status: 422, headers: { 'X-Api': 'v1' } });
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
422
--- response_body
{"error":"nope","n":[1,2]}
--- response_headers
Content-Type: application/json
X-Api: v1

=== TEST 30: Response.redirect(url, 301)
--- js
export default {
    fetch(request) {
        const u = new URL(request.url);
        return Response.redirect(new URL('/new' + u.search, u), 301);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t?x=1
--- error_code
301
--- response_headers
Location: http://localhost/new?x=1

=== TEST 31: Response.redirect with the default status 302
--- js
export default {
    fetch() { return Response.redirect('https://example.org/login'); },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
302
--- response_headers
Location: https://example.org/login

=== TEST 32: Response.redirect to a relative URL throws: 500
--- js
export default {
    fetch() { return Response.redirect('/relative'); },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*TypeError: Response\.redirect: Failed to parse URL/
--- response_headers
!Location

=== TEST 33: returning Response.error() gives 500 and a log line
--- js
export default {
    fetch() { return Response.error(); },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*Response\.error\(\)/

=== TEST 34: statusText and status on the Response object
--- js
export default {
    fetch() {
        const r = new Response('x', { status: 202, statusText: 'Queued' });
        return new Response(`${r.status} ${r.statusText} ${r.ok}`,
                            { status: 299, statusText: 'Custom Ok' });
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
299
--- response_body
202 Queued true

=== TEST 35: a header value with CR/LF throws TypeError: 500, nothing injected
--- js
export default {
    fetch() {
        return new Response('x', {
            headers: { 'X-A': 'ok\r\nX-Injected: yes' },
        });
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*TypeError/
--- response_headers
!X-Injected
!X-A

=== TEST 36: a header value with LF set later through headers.set throws
--- js
export default {
    fetch() {
        const r = new Response('x');
        r.headers.set('X-B', 'a\nX-Injected: yes');
        return r;
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*TypeError/
--- response_headers
!X-Injected

=== TEST 37: a header name with NUL throws
--- js
export default {
    fetch() {
        return new Response('x', { headers: [['X-C\0Y', 'v']] });
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*TypeError/

=== TEST 38: status 404 with a null body gets nginx's error page
--- js
export default {
    fetch() { return new Response(null, { status: 404 }); },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
404
--- response_body_like
<title>404 Not Found</title>

=== TEST 39: status 503 with an empty string body gets nginx's error page
--- js
export default {
    fetch() { return new Response('', { status: 503 }); },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
503
--- response_body_like
<center><h1>503 Service Temporarily Unavailable</h1></center>

=== TEST 40: status 404 with a null body: error_page applies
--- js
export default {
    fetch() { return new Response(null, { status: 404 }); },
};
--- config
    location /t { js_handler app.js; error_page 404 /custom404.html; }
    location = /custom404.html { root html; }
--- user_files
>>> html/custom404.html
custom not found page
--- request
GET /t
--- error_code
404
--- response_body
custom not found page

=== TEST 41: status 404 with a body is sent as it is
--- js
export default {
    fetch() { return new Response('no such thing', { status: 404 }); },
};
--- config
    location /t { js_handler app.js; error_page 404 /custom404.html; }
    location = /custom404.html { root html; }
--- user_files
>>> html/custom404.html
custom not found page
--- request
GET /t
--- error_code
404
--- response_body
no such thing

=== TEST 42: HEAD gets the headers and no body
--- js
export default {
    fetch(request) {
        console.log(`method ${request.method}`);
        return new Response('body text', { headers: { 'X-H': '1' } });
    },
};
--- config
    location /t { js_handler app.js; }
--- request
HEAD /t
--- response_body
--- response_headers
X-H: 1
--- error_log
js: method HEAD

=== TEST 43: HEAD with a streamed body sends no body
--- js
export default {
    fetch(request) {
        return new Response(new ReadableStream({
            start(c) { c.enqueue(new Uint8Array([65, 66])); c.close(); },
        }));
    },
};
--- config
    location /t { js_handler app.js; }
--- request
HEAD /t
--- response_body

=== TEST 44: 204 sends no body
--- js
export default {
    fetch() { return new Response(null, { status: 204, headers: { 'X-N': 'c' } }); },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
204
--- response_body
--- response_headers
X-N: c
!Content-Length

=== TEST 45: 304 sends no body
--- js
export default {
    fetch() { return new Response(null, { status: 304, headers: { ETag: '"v1"' } }); },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
304
--- response_body
--- response_headers
ETag: "v1"

=== TEST 46: a body with status 204 is a TypeError in the handler
--- js
export default {
    fetch() { return new Response('x', { status: 204 }); },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*TypeError: Response constructor: Invalid response status code 204/

=== TEST 47: returning a string instead of a Response: 500 and a clear line
--- js
export default {
    fetch() { return 'just a string'; },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*The handler did not return a Response \(got type string\)/

=== TEST 48: async handler resolving to undefined: 500 and a clear line
--- js
export default {
    async fetch() { await null; },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*The handler did not return a Response \(got undefined\)/

=== TEST 49: returning a plain object: 500
--- js
export default {
    fetch() { return { status: 200, body: 'fake' }; },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*did not return a Response \(got an instance of Object\)/

=== TEST 50: a throwing handler: 500 with the stack
--- js
export default {
    fetch(request) {
        throw new Error('fetch boom');
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*fetch boom/
qr/app\.js:3\b/

=== TEST 51: a rejecting async handler: 500 with the stack
--- js
export default {
    async fetch(request) {
        await new Promise((r) => setTimeout(r, 10));
        throw new RangeError('async fetch boom');
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*RangeError: async fetch boom/
qr/app\.js:4\b/

=== TEST 52: the web platform globals exist
--- js
export default {
    fetch() {
        return new Response([URL, URLSearchParams, Headers, Request, Response,
                             Blob, FormData, ReadableStream, AbortController,
                             AbortSignal, DOMException, TextEncoder,
                             TextDecoder].map((c) => typeof c).join(' '));
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
function function function function function function function function function function function function function

=== TEST 53: request.signal is an AbortSignal, not aborted while the client waits
--- js
export default {
    fetch(request) {
        const s = request.signal;
        return new Response(`${s instanceof AbortSignal} ${s.aborted}`);
    },
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
true false
