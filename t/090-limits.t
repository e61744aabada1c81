# Limits: js_cpu_limit stops runaway JS (sync, in microtasks, in timers,
# at a module's top level) with a 500 and a log line naming the script
# location, and the same worker serves on; js_heap_limit stops a handler
# that allocates without bound; js_buffers_limit makes ArrayBuffer
# allocation fail with RangeError; a stopped run never affects the next.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use Time::HiRes qw(time);

require_module();

my $app = <<'EOF';
let served = 0;
let immediatesAfter = 0;
export default async function (req, res) {
    served++;
    switch (req.url) {
    case '/sync':
        for (;;) {}
    case '/micro':
        await null;
        while (true) { Math.random(); }
    case '/timer':
        setTimeout(() => { for (;;) {} }, 5);
        await new Promise((r) => setTimeout(r, 300));
        res.end('not reached');
        return;
    case '/heap': {
        const keep = [];
        for (;;) keep.push(new Array(10000).fill(served));
    }
    case '/buffers': {
        const keep = [];
        try {
            for (;;) keep.push(new ArrayBuffer(16 << 20));
        } catch (e) {
            res.end(`${e.name}: ${e.message} after ${keep.length * 16} MB`);
        }
        return;
    }
    case '/busy': {
        const t = Date.now();
        while (Date.now() - t < 150) {}
        res.end('busy but within the limit');
        return;
    }
    case '/late': {
        // comes due while /spin's timer runs away: answers how late it ran
        const due = Date.now() + 390;
        setTimeout(() => res.end(String(Date.now() - due)), 390);
        return;
    }
    case '/spin':
        setTimeout(() => { for (;;) {} }, 1);
        return;
    case '/spin-immediate':
        // the second immediate is in the batch the stopped one ends early
        setImmediate(() => { for (;;) {} });
        setImmediate(() => { immediatesAfter++; });
        return;
    case '/immediates-after':
        res.end(String(immediatesAfter));
        return;
    default:
        res.end(`ok ${served}`);
    }
}
EOF

my $http = <<'EOF';
    js_cpu_limit 400ms;
    js_heap_limit 64m;
    js_buffers_limit 100m;
EOF

ok(start_nginx({workers => 1, http_config => $http,
                config => 'location / { js_handler app.js; }'},
               'app.js' => $app), 'start') or diag(last_start_output());

my @pids = worker_pids();

for my $case (['/sync', qr{js_cpu_limit\) at \S+/app\.js:7:}],
              ['/micro', qr{js_cpu_limit\) at \S+/app\.js:10:}],
              ['/timer', qr{js_cpu_limit\) at \S+/app\.js:12:}],
              ['/heap', qr{js_heap_limit, 64 MB\) was reached}])
{
    my ($uri, $log) = @$case;
    my $off = log_offset();
    my $t0 = time;
    my ($st) = http_request('GET', $uri, timeout => 30);
    my $took = time - $t0;
    is($st, 500, "$uri: 500");
    ok($took < 10, sprintf("$uri: answered in %.1fs, not at js_handler_timeout", $took));
    ok(wait_for_log($log, $off, 5), "$uri: the log names the limit and where");
    my ($st2, undef, $body) = http_request('GET', '/');
    is($st2, 200, "$uri: the next request is served");
    like($body, qr/^ok \d+$/, "$uri: by the same JS state");
    check_error_log("limit $uri", $off, allow_js_exception => 1);
}

# Another request's timer that came due while a timer ran away runs as
# soon as the runaway is stopped (at 400..500 ms, so some 10..110 ms
# late), not its own delay later again: the timers were once re-armed
# from the time taken before the runaway (then ~400 ms late, or more).
{
    my $off = log_offset();
    my $late = http_start('GET', '/late');
    select(undef, undef, undef, 0.02);
    my ($st) = http_request('GET', '/spin', timeout => 30);
    is($st, 500, 'timer runaway beside a pending timer: 500');
    my ($st2, undef, $body) = http_finish($late);
    is($st2, 200, 'the pending timer answered its request');
    ok(defined $body && $body =~ /^\d+$/ && $body < 300,
       "the pending timer ran when the runaway was stopped (${\($body // '?')} ms late)");
    check_error_log('late timer', $off, allow_js_exception => 1);
}

# An immediate queued behind one that runs away still runs.
{
    my $off = log_offset();
    my ($st) = http_request('GET', '/spin-immediate', timeout => 30);
    is($st, 500, 'immediate runaway: 500');
    my (undef, undef, $body) = http_request('GET', '/immediates-after');
    is($body, '1', 'the immediate after the stopped one ran');
    check_error_log('immediates', $off, allow_js_exception => 1);
}

{
    my $off = log_offset();
    my ($st, undef, $body) = http_request('GET', '/buffers');
    is($st, 200, 'buffers: the handler caught it');
    like($body, qr/^RangeError: Array buffer allocation failed after (96|80|64) MB$/,
         'buffers: ArrayBuffer memory stops at js_buffers_limit');
    ($st, undef, $body) = http_request('GET', '/buffers');
    like($body, qr/after (96|80|64) MB$/, 'buffers: the memory came back');
    check_error_log('buffers', $off);
}

{
    my $off = log_offset();
    my ($st, undef, $body) = http_request('GET', '/busy');
    is("$st $body", '200 busy but within the limit', 'a run within the limit is untouched');
    check_error_log('busy', $off);
}

is_deeply([worker_pids()], \@pids, 'the same worker served everything');

# A module whose top level never returns: the worker stops it at start,
# logs it, answers 500 for its location, and serves the others.
{
    ok(start_nginx({workers => 1, http_config => 'js_cpu_limit 300ms;',
                    config => <<'EOF'},
        location /stuck { js_handler stuck.js; }
        location /fine { js_handler app.js; }
EOF
                   'stuck.js' => "let i = 0;\nwhile (true) { i++; }\nexport default (req, res) => res.end('never');\n",
                   'app.js' => $app), 'start: a module that never returns')
        or diag(last_start_output());
    my ($st) = http_request('GET', '/stuck');
    is($st, 500, 'stuck module: its location answers 500');
    ok(error_log_text() =~ m{failed to load "\S+/stuck\.js": terminated: JavaScript ran for more than 300ms.*stuck\.js:2:},
       'stuck module: the log says why and where');
    my ($st2, undef, $body) = http_request('GET', '/fine');
    is("$st2 $body", '200 ok 1', 'stuck module: other handlers work');
}

# Bombs of small objects.  V8 nears its limit in many small steps here:
# each full GC frees a little, so on its own it would keep collecting
# almost in vain until js_cpu_limit ends the run, seconds later.  A full
# GC that leaves the heap almost full stops the handler instead, so each
# bomb is stopped by js_heap_limit well before js_cpu_limit (8s here).
{
    ok(start_nginx({workers => 1,
                    http_config => "js_cpu_limit 8s;\njs_heap_limit 64m;\njs_buffers_limit 64m;",
                    config => 'location / { js_handler bomb.js; }'},
                   'bomb.js' => <<'EOF'), 'start: small-object bombs') or diag(last_start_output());
let served = 0;
export default function (req, res) {
    served++;
    if (req.url === '/objects') {
        const keep = [];
        for (;;) keep.push({ n: served, s: 'x' + keep.length });
    }
    if (req.url === '/small-buffers') {
        const keep = [];
        for (;;) keep.push(new Uint8Array(63));
    }
    res.end(`ok ${served}`);
}
EOF
    my @w = worker_pids();
    for my $i (1 .. 3) {
        for my $uri ('/objects', '/small-buffers') {
            my $off = log_offset();
            my ($st) = http_request('GET', $uri, timeout => 30);
            is($st, 500, "$uri #$i: 500");
            ok(wait_for_log(qr{js_heap_limit, 64 MB\) was reached}, $off, 5),
               "$uri #$i: stopped by js_heap_limit");
            unlike(error_log_since($off), qr/js_cpu_limit/,
                   "$uri #$i: not by js_cpu_limit");
            my ($st2, undef, $body) = http_request('GET', '/');
            like("$st2 $body", qr/^200 ok \d+$/, "$uri #$i: the next request is served");
            check_error_log("bomb $uri #$i", $off, allow_js_exception => 1);
        }
    }
    is_deeply([worker_pids()], \@w, 'small-object bombs: the same worker served everything');
}

# js_cpu_limit 0 turns the limit off: a long run completes.
{
    ok(start_nginx({workers => 1, http_config => 'js_cpu_limit 0;',
                    config => 'location / { js_handler app.js; }'},
                   'app.js' => <<'EOF'), 'start: no limit') or diag(last_start_output());
export default function (req, res) {
    const t = Date.now();
    while (Date.now() - t < 1500) {}
    res.end('long run done');
}
EOF
    my ($st, undef, $body) = http_request('GET', '/', timeout => 10);
    is("$st $body", '200 long run done', 'js_cpu_limit 0: no limit');
}

# Bad values are refused at configuration time.
{
    my ($rc, $out) = nginx_test_config({http_config => 'js_heap_limit 1m;',
                                        config => 'location / { js_handler app.js; }'},
                                       'app.js' => $app);
    isnt($rc, 0, 'js_heap_limit 1m: nginx -t fails');
    like($out, qr/"js_heap_limit" must be at least 16m/, 'js_heap_limit 1m: says why');
}
