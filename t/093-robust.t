# Production guarantees, robustness: (a) every kind of exception ends the
# request with a 500 before the headers (or a clean close after them) and
# exactly one error.log entry with the message and file:line, and the same
# worker serves on; (f) hostile clients (slowloris, slow bodies, huge or
# malformed requests, every byte value in a header) never stall others,
# never reach JS when nginx must refuse them, and never crash a worker.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use IO::Socket::INET;
use IO::Select;
use Time::HiRes qw(sleep time);

require_module();

# the checks below read error.log entries, not debug traces
$ENV{TEST_NGINX_LOG_LEVEL} ||= 'info';

# ------------------------------------------------------------------------
# (a) exceptions

my $app = <<'EOF';
const tick = (ms) => new Promise((r) => setTimeout(r, ms));
function recurse(n) { return recurse(n + 1) + 1; }
export default async function (req, res) {
    switch (req.url) {
    case '/ok': res.end('ok'); return;
    case '/error': throw new Error('sync error boom');
    case '/string': throw 'string boom';
    case '/number': throw 4242;
    case '/object': throw { what: 'object boom' };
    case '/null': throw null;
    case '/undefined': throw undefined;
    case '/rej-string': await tick(5); throw 'async string boom';
    case '/rej-number': await tick(5); return Promise.reject(4343);
    case '/rej-object': await tick(5); throw { what: 'async object boom' };
    case '/rej-null': await tick(5); throw null;
    case '/rej-undefined': await tick(5); throw undefined;
    case '/setheader':
        res.setHeader('x', { toString() { throw new Error('setHeader boom'); } });
        res.end('not reached');
        return;
    case '/writehead-headers':
        res.writeHead(200, { 'x-a': { toString() { throw new Error('header value boom'); } } });
        res.end('not reached');
        return;
    case '/chunk':
        res.end({ [Symbol.toPrimitive]() { throw new Error('never called'); } });
        return;
    case '/header-toprimitive':
        res.setHeader('x-p', { [Symbol.toPrimitive]() { throw new Error('toPrimitive boom'); } });
        res.end('not reached');
        return;
    case '/status':
        res.writeHead({ valueOf() { throw new Error('valueOf boom'); } });
        res.end('not reached');
        return;
    case '/recursion': recurse(0); return;
    case '/data':
        req.on('data', () => { throw new Error('data listener boom'); });
        req.on('end', () => res.end('not reached'));
        return;
    case '/timer-after-headers':
        res.write('partial');
        setTimeout(() => { throw new Error('timer after headers boom'); }, 20);
        return;
    case '/microtask':
        queueMicrotask(() => { throw new Error('microtask boom'); });
        return;
    }
    res.end('unknown');
}
export function syncy(req, res) {
    switch (req.url) {
    case '/sync-string': throw 'sync string boom';
    case '/sync-number': throw 4545;
    case '/sync-object': throw { what: 'sync object boom' };
    case '/sync-undefined': throw undefined;
    }
    res.end('unknown');
}
export const fetchy = {
    fetch(request) {
        let n = 0;
        const body = new ReadableStream({
            pull(c) {
                if (n++ === 0) { c.enqueue(new TextEncoder().encode('first')); return; }
                throw new Error('pull boom');
            },
        });
        return new Response(body);
    },
};
export const fetchyBody = {
    fetch(request) {
        return new Response({ [Symbol.toPrimitive]() { throw new Error('body toPrimitive boom'); } });
    },
};
export const fetchyFirst = {
    fetch(request) {
        return new Response(new ReadableStream({
            pull(c) { throw new Error('first pull boom'); },
        }));
    },
};
EOF

ok(start_nginx({workers => 1, config => <<'EOF'}, 'app.js' => $app), 'start (a)')
        js_handler_timeout 3s;
        location / { js_handler app.js; }
        location /sync- { js_handler app.js syncy; }
        location /fetch-pull { js_handler app.js fetchy; }
        location /fetch-first-pull { js_handler app.js fetchyFirst; }
        location /fetch-body { js_handler app.js fetchyBody; }
EOF
    or diag(last_start_output());

my @pids = worker_pids();

# the line of $app holding $text
sub line_of {
    my ($text) = @_;
    my @l = split /\n/, $app;
    for my $i (0 .. $#l) { return $i + 1 if index($l[$i], $text) >= 0 }
    die "no line with $text";
}

# [uri, message regex, location, options]: after => headers were sent
# first; post => a request body; nostack => a non-Error rejecting a promise
# that already has a handler (here after an await) carries no location:
# V8 records none, so only the value is asked for.  A non-Error thrown by
# an async function before it has awaited is located at the function's
# end (V8 rejects its promise there), so any app.js line is accepted.
my $any = '\d+';
my @cases = (
    ['/error', qr/Error: sync error boom/, line_of('sync error boom')],
    ['/string', qr/Uncaught 'string boom'/, $any],
    ['/number', qr/Uncaught 4242/, $any],
    ['/object', qr/\[object Object\]/, $any],
    ['/null', qr/Uncaught null/, $any],
    ['/undefined', qr/Uncaught undefined/, $any],
    ['/sync-string', qr/Uncaught 'sync string boom'/, line_of("'sync string boom'")],
    ['/sync-number', qr/Uncaught 4545/, line_of('4545')],
    ['/sync-object', qr/\[object Object\]/, line_of("'sync object boom'")],
    ['/sync-undefined', qr/Uncaught undefined/, line_of("'/sync-undefined'")],
    ['/rej-string', qr/Uncaught 'async string boom'/, 0, {nostack => 1}],
    ['/rej-number', qr/Uncaught 4343/, 0, {nostack => 1}],
    ['/rej-object', qr/\[object Object\]/, 0, {nostack => 1}],
    ['/rej-null', qr/Uncaught null/, 0, {nostack => 1}],
    ['/rej-undefined', qr/Uncaught undefined/, 0, {nostack => 1}],
    ['/setheader', qr/Error: setHeader boom/, line_of('setHeader boom')],
    ['/writehead-headers', qr/Error: header value boom/, line_of('header value boom')],
    ['/header-toprimitive', qr/Error: toPrimitive boom/, line_of("'toPrimitive boom'")],
    # Node does not coerce chunks: a TypeError, toPrimitive never runs
    ['/chunk', qr/TypeError: The "chunk" argument must be/, line_of('never called')],
    ['/status', qr/Error: valueOf boom/, line_of('valueOf boom')],
    # V8 has no room left to compute the column: any app.js line will do
    ['/recursion', qr/RangeError: Maximum call stack size exceeded/, '\d+'],
    ['/data', qr/Error: data listener boom/, line_of('data listener boom'), {post => 1}],
    ['/microtask', qr/Error: microtask boom/, line_of('microtask boom')],
    ['/timer-after-headers', qr/Error: timer after headers boom/,
     line_of('timer after headers boom'), {after => 1}],
    ['/fetch-body', qr/Error: body toPrimitive boom/, line_of('body toPrimitive boom')],
    ['/fetch-first-pull', qr/Error: first pull boom/, line_of('first pull boom')],
    ['/fetch-pull', qr/Error: pull boom/, line_of("'pull boom'"), {after => 1}],
);

for my $c (@cases) {
    my ($uri, $msg, $line, $o) = @$c;
    $o ||= {};
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request($o->{post} ? 'POST' : 'GET', $uri,
        timeout => 8, $o->{post} ? (body => 'x' x 100) : ());
    ok($m->{elapsed} < 2, sprintf("$uri: ended at once (%.2fs), not at js_handler_timeout",
                                  $m->{elapsed}));
    if ($o->{after}) {
        is($st, 200, "$uri: headers were already sent");
        ok($m->{closed} && !$m->{complete}, "$uri: body cut, connection closed")
            or diag($m->{raw});
    } else {
        is($st, 500, "$uri: 500") or diag($m->{raw}, " ", $m->{error} // "", "\n", error_log_since($off));
    }
    ok(wait_for_log($msg, $off, 3), "$uri: the message is logged");
    sleep 0.3;    # a second entry would come now
    my $log = error_log_since($off);
    my @entries = grep { /\[(?:error|alert|crit|emerg)\]/ } split /\n/, $log;
    is(scalar(@entries), 1, "$uri: exactly one error entry")
        or diag(join "\n", @entries);
    like($entries[0] // '', qr/js exception: .*$msg/, "$uri: it is a js exception with the message");
    if (!$o->{nostack}) {
        like($log, qr{/app\.js:$line\b}, "$uri: logged with file:line");
    }
    check_error_log($uri, $off, allow_js_exception => 1);
    my ($st2, undef, $b2) = http_request('GET', '/ok');
    is("$st2 " . ($b2 // ''), '200 ok', "$uri: the next request is served");
    is_deeply([worker_pids()], \@pids, "$uri: same worker");
}

# ------------------------------------------------------------------------
# (f) hostile clients

my $app_f = <<'EOF';
let calls = 0;
export default async function (req, res) {
    if (req.url === '/calls') { res.end(String(calls)); return; }
    calls++;
    switch (req.url) {
    case '/ok': res.end('ok'); return;
    case '/echo': {
        const v = req.headers['x-b'] ?? '';
        res.end([...v].map((c) => c.charCodeAt(0).toString(16)).join(','));
        return;
    }
    case '/body':
    case '/slow-body': {
        let n = 0;
        try {
            for await (const chunk of req) n += chunk.length;
            res.end(`read ${n}`);
        } catch (e) {
            console.error(`body read failed: ${e.code} after ${n}`);
            res.end(`failed ${e.code}`);
        }
        return;
    }
    }
    res.end('unknown');
}
EOF

ok(start_nginx({workers => 1, config => <<'EOF'}, 'app.js' => $app_f), 'start (f)')
        client_header_timeout 20s;
        large_client_header_buffers 4 1k;
        location / { js_handler app.js; }
        location /slow-body {
            client_body_timeout 1s;
            js_handler app.js;
        }
EOF
    or diag(last_start_output());
@pids = worker_pids();

sub calls { return (http_request('GET', '/calls'))[2] }

sub connect_raw {
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => port(),
                                  Proto => 'tcp', Timeout => 5) or return;
    $s->autoflush(1);
    binmode $s;
    return $s;
}

{
    my $off = log_offset();
    my $calls0 = calls();
    # 200 slowloris connections (headers never complete) and 50 slow
    # uploads to a handler that reads the body
    my (@loris, @uploads);
    for (1 .. 200) {
        my $s = connect_raw() or last;
        syswrite $s, "GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
        push @loris, $s;
    }
    for (1 .. 50) {
        my $s = connect_raw() or last;
        syswrite $s, "POST /body HTTP/1.1\r\nHost: localhost\r\n"
                   . "Content-Length: 1000\r\nConnection: close\r\n\r\nx";
        push @uploads, $s;
    }
    is(scalar @loris, 200, 'slowloris: 200 connections open');
    is(scalar @uploads, 50, 'slow uploads: 50 connections open');
    my (@lat, @bad);
    for my $round (1 .. 10) {
        syswrite $_, 'a' for @loris, @uploads;
        for (1 .. 3) {
            my ($st, undef, $body, $m) = http_request('GET', '/ok', timeout => 5);
            push @lat, $m->{elapsed};
            push @bad, "$round: " . ($st // $m->{error}) unless ($st // 0) == 200 && $body eq 'ok';
        }
        sleep 0.5;
    }
    @lat = sort { $a <=> $b } @lat;
    ok(!@bad, 'under slowloris: every normal request answered 200')
        or diag(join "\n", @bad);
    ok($lat[-1] < 0.1, sprintf('under slowloris: slowest of %d normal requests %.1f ms'
                               . ' (median %.1f ms)', scalar @lat, $lat[-1] * 1000,
                               $lat[@lat / 2] * 1000));
    # 30 normal requests, the 50 uploads; none of the slowloris requests
    is(calls() - $calls0, 30 + 50, 'JS ran for the uploads, never for incomplete headers');
    # nginx closing one (or answering 408) would make it readable
    my $sel = IO::Select->new(@loris);
    is(scalar(my @r = $sel->can_read(0.05)), 0,
       'slowloris connections still open (within client_header_timeout)');
    close $_ for @loris, @uploads;
    sleep 0.3;
    check_error_log('slowloris and slow uploads', $off);
}

{
    my $off = log_offset();
    my $calls0 = calls();
    my ($st) = http_request('GET', '/ok', headers => ['X-Huge: ' . ('h' x 2000)]);
    ok($st == 400 || $st == 494, "header line past large_client_header_buffers: $st from nginx");
    ($st) = http_request('GET', '/ok', headers => [map { "X-Many-$_: " . ('m' x 500) } 1 .. 20]);
    ok($st == 400 || $st == 494, "headers past all large_client_header_buffers: $st");
    ($st) = http_request("GET /ok HTTP/1.1 trailing garbage\r\nHost: localhost\r\n\r\n");
    is($st, 400, 'malformed request line: 400');
    ($st) = http_request("G\x01T /ok HTTP/1.1\r\nHost: localhost\r\n\r\n");
    is($st, 400, 'control byte in the method: 400');
    ($st) = http_request("GET /ok HTTP/1.x\r\nHost: localhost\r\n\r\n");
    is($st, 400, 'bad version: 400');
    is(calls() - $calls0, 0, 'none of them reached JS');
    check_error_log('refused requests', $off);
}

{
    # every byte value in a header value: JS gets it, or nginx refuses
    my $off = log_offset();
    my (%by, @wrong);
    for my $b (1 .. 255) {
        next if $b == 10 || $b == 13;
        my ($st, undef, $body, $m) = http_request(
            "GET /echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            . "X-B: a" . chr($b) . "b\r\n\r\n", undef, timeout => 5);
        $by{$st // 'none'}++;
        if (($st // 0) == 200) {
            # printable ASCII and tab must arrive exactly
            push @wrong, sprintf('0x%02x: %s', $b, $body)
                if ($b == 9 || ($b >= 0x20 && $b < 0x7f))
                   && $body ne join ',', map { sprintf '%x', $_ } 0x61, $b, 0x62;
        } elsif (($st // 0) != 400) {
            push @wrong, sprintf('0x%02x: status %s %s', $b, $st // '-', $m->{error} // '');
        }
    }
    ok(!@wrong, 'every byte in a header value: 200 with the exact bytes, or 400')
        or diag(join "\n", @wrong);
    note(join ', ', map { "$_: $by{$_}" } sort keys %by);
    ok($by{200} && $by{200} >= 95, "most byte values reach JS ($by{200})");
    my $all = join '', map { chr } grep { $_ != 10 && $_ != 13 } 1 .. 255;
    my ($st) = http_request("GET /echo HTTP/1.1\r\nHost: localhost\r\n"
                            . "Connection: close\r\nX-B: $all\r\n\r\n");
    ok(defined $st && ($st == 200 || $st == 400), "all bytes in one value: $st");
    is((http_request('GET', '/ok'))[2], 'ok', 'bytes: still serving');
    check_error_log('every byte value', $off);
}

{
    # a body slower than client_body_timeout: the read rejects, the
    # request ends
    my $off = log_offset();
    my $h = http_start("POST /slow-body HTTP/1.1\r\nHost: localhost\r\n"
                       . "Content-Length: 100\r\nConnection: close\r\n\r\nsome", undef,
                       timeout => 10);
    my ($st, undef, $body, $m) = http_finish($h);
    ok($m->{elapsed} > 0.8 && $m->{elapsed} < 4,
       sprintf('slow body: ended after client_body_timeout (%.2fs)', $m->{elapsed}));
    ok(wait_for_log(qr/body read failed: ETIMEDOUT after 4\b/, $off, 2),
       'slow body: the JS read rejected with ETIMEDOUT');
    ok(!defined $st || $st == 408 || $body eq 'failed ETIMEDOUT',
       'slow body: 408, the handler\'s answer, or a close') or diag($m->{raw});
    check_error_log('slow body', $off);
}

is_deeply([worker_pids()], \@pids, '(f): the same worker served everything');
