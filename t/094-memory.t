# Production guarantees, (i) flat memory: after a warm-up, a mixed
# workload (plain, throwing, async timer work, body uploads, fetch-style,
# client aborts mid-request) must not grow the worker's RSS by 5 MB or
# more, and the worker serves it all without a crash.  Driven by wrk when
# installed (1M requests, as RELIABILITY.md 4.10 asks), else by a small
# Perl keep-alive client (fewer requests, same checks).

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep time);

require_module();

# a throwing handler logs one entry per request: keep the log to errors
# (client aborts log at info)
$ENV{TEST_NGINX_LOG_LEVEL} ||= 'warn';

my $WRK = (grep { -x "$_/wrk" } split /:/, $ENV{PATH} || '')[0];
$WRK &&= "$WRK/wrk";
my $TARGET = $ENV{TEST_NV8_MEMORY_REQUESTS} || ($WRK ? 1_000_000 : 100_000);
my $BUDGET = 80;        # seconds for the measured run, whatever the count

my $app = <<'EOF';
const tick = (ms) => new Promise((r) => setTimeout(r, ms));
let served = 0;
export default async function (req, res) {
    served++;
    switch (req.url) {
    case '/ok':
        res.setHeader('x-served', String(served));
        res.end('ok');
        return;
    case '/throw':
        throw new Error(`planned failure ${served}`);
    case '/async':
        await tick(1);
        await null;
        res.end(JSON.stringify({ served, at: Date.now() }));
        return;
    case '/body': {
        let n = 0;
        for await (const chunk of req) n += chunk.length;
        res.end(`read ${n}`);
        return;
    }
    case '/gc':
        if (typeof globalThis.gc !== 'function') {
            res.end('no gc');
            return;
        }
        globalThis.gc();
        res.end(typeof process === 'object' && process?.memoryUsage
                ? JSON.stringify(process.memoryUsage()) : 'gc done');
        return;
    }
    res.end('unknown');
}
export const fetchy = {
    async fetch(request) {
        const u = new URL(request.url);
        const body = request.body ? await request.text() : '';
        return Response.json({ path: u.pathname, q: u.searchParams.get('q'),
                               len: body.length },
                             { headers: { 'x-kind': 'fetch' } });
    },
};
EOF

ok(start_nginx({workers => 1,
                http_config => qq{js_v8_flags "--expose-gc";\n    keepalive_requests 100000;},
                config => <<'EOF'}, 'app.js' => $app), 'start') or diag(last_start_output());
        location / { js_handler app.js; }
        location /fetch { js_handler app.js fetchy; }
EOF

my ($worker) = worker_pids();

sub rss_kb {
    my $s = do { local (@ARGV, $/) = "/proc/$worker/status"; <> } // '';
    return $s =~ /^VmRSS:\s*(\d+)/m ? $1 : undef;
}

my ($st, undef, $gcbody) = http_request('GET', '/gc');
is($st, 200, '/gc answers');
my $have_gc = $gcbody ne 'no gc';
ok($have_gc, 'js_v8_flags "--expose-gc" gives the handler globalThis.gc()');

my $heap_last;   # heapUsed after the last forced GC, if reported

sub settle {
    http_request('GET', '/gc') for 1 .. 3;
    sleep 1;
    my (undef, undef, $b) = http_request('GET', '/gc');
    $heap_last = $b =~ /"heapUsed":(\d+)/ ? $1 : undef;
    return rss_kb();
}

# ---------------------------------------------------------------- load

my $lua = prefix_dir() . '/mix.lua';
write_file($lua, <<'EOF');
-- weighted mix: 60% ok, 10% throw, 10% async, 10% body, 10% fetch
local body = string.rep("b", 2048)
local reqs = {}
local function add(n, r) for i = 1, n do reqs[#reqs + 1] = r end end
-- wrk.headers has Host only from init() on
function init(args)
    add(6, wrk.format("GET", "/ok"))
    add(1, wrk.format("GET", "/throw"))
    add(1, wrk.format("GET", "/async"))
    add(1, wrk.format("POST", "/body", nil, body))
    add(1, wrk.format("POST", "/fetch/x?q=1", {["Content-Type"] = "text/plain"}, body))
end
local i = 0
request = function()
    i = i + 1
    return reqs[(i % #reqs) + 1]
end
EOF

# ($requests, $non2xx_other_than_throw_estimate) for $secs of load
sub load {
    my ($secs) = @_;
    if ($WRK) {
        my $out = `$WRK -t2 -c16 -d${secs}s -s $lua http://127.0.0.1:@{[port()]}/ 2>&1`;
        my ($n) = $out =~ /(\d+) requests in/;
        my ($bad) = $out =~ /Non-2xx or 3xx responses: (\d+)/;
        my ($err) = $out =~ /Socket errors: (.*)/;
        diag("wrk: $out") unless defined $n;
        return ($n // 0, $bad // 0, $err);
    }
    return perl_load($secs);
}

# the fallback: 4 keep-alive connections, the same mix, pipelined by 10
sub perl_load {
    my ($secs) = @_;
    my @mix = ((map { ['GET', '/ok'] } 1 .. 6), ['GET', '/throw'], ['GET', '/async'],
               ['POST', '/body', 'b' x 2048], ['POST', '/fetch/x?q=1', 'b' x 2048]);
    my ($n, $bad) = (0, 0);
    my $end = time + $secs;
    my $i = 0;
    while (time < $end) {
        my $raw = '';
        for (1 .. 10) {
            my ($m, $u, $b) = @{ $mix[$i++ % @mix] };
            $raw .= "$m $u HTTP/1.1\r\nHost: localhost\r\n"
                  . (defined $b ? "Content-Length: " . length($b) . "\r\n\r\n$b" : "\r\n");
        }
        my $h = http_start($raw, undef, timeout => 10);
        for (1 .. 10) {
            my ($st) = http_finish($h, keep_open => 1);
            $n++;
            $bad++ unless defined $st && ($st == 200 || $st == 500);
        }
        http_abort($h);
    }
    return ($n, $bad, undef);
}

# client aborts mid-request, beside the load: a child process
sub aborter {
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    return $pid if $pid;
    my $k = 0;
    $SIG{TERM} = sub {
        write_file('aborts', $k);
        POSIX::_exit(0);
    };
    while (1) {
        my $h = http_start('POST', '/body', headers => ['Content-Length: 100000'],
                           body => undef, timeout => 2);
        syswrite $h->{sock}, 'x' x 1000 if $h->{sock};
        my $a = http_start('GET', '/async', timeout => 2);
        sleep 0.002;
        http_abort($h, rst => $k++ % 2);
        http_abort($a, rst => $k % 2);
        sleep 0.01;
    }
}

my $off = log_offset();
my ($warm, $warm_bad) = load($WRK ? 2 : 4);
# the warm-up only has to have happened: an ASan build on a loaded machine
# serves a tenth of what a plain one does
ok($warm >= 2_000, "warm-up: $warm requests");
ok($warm_bad < $warm * 0.2, "warm-up: $warm_bad non-2xx (the /throw tenth)");
my $base = settle();
my $heap_base = $heap_last;
ok($base, "baseline RSS after warm-up: $base kB");

my $abort_pid = aborter();
my ($total, $bad, $t0, $runs, @samples) = (0, 0, time, 0);
while ($total < $TARGET && time - $t0 < $BUDGET) {
    my $left = $BUDGET - (time - $t0);
    my ($n, $b, $err) = load($left < 10 ? ($left < 1 ? 1 : int $left) : 10);
    $total += $n;
    $bad += $b;
    $runs++;
    push @samples, [$total, rss_kb()];
    diag("wrk socket errors: $err") if $err && $err =~ /[1-9]/;
}
kill 'TERM', $abort_pid;
waitpid $abort_pid, 0;
my $took = time - $t0;
my $aborts = do { local (@ARGV, $/) = prefix_dir() . '/aborts'; <> } // 0;
ok($aborts > 100, "client aborts during the run: $aborts x 2 (an upload, an async)");

my $after = settle();
my $growth = $after - $base;
diag(sprintf "%d requests in %.0fs (%.0f/s); worker RSS %d kB -> %d kB (%+d kB); samples: %s",
             $total, $took, $total / ($took || 1), $base, $after, $growth,
             join ' ', map { "$_->[0]:$_->[1]" } @samples);
my $want = $TARGET < 500_000 ? $TARGET : 500_000;
ok($total >= ($WRK ? $want : 10_000), "measured run: $total requests (target $TARGET)");
ok($growth < 5 * 1024, sprintf 'worker RSS grew %d kB (< 5 MB) over %d requests', $growth, $total);
# the trend under load: the highest sample of the second half against the
# highest of the first (allocators warm). Single samples taken under load
# swing by a few MB with V8's young generation and malloc's arenas (seen:
# 40204, 39100, 39352, 42112 kB on a run whose settled growth was +448 kB),
# so compare peaks, with the issue's 5 MB as the bound; a leak of even
# 10 bytes a request shows as 10 MB over 1M requests.
if (@samples >= 4) {
    my $half = int(@samples / 2);
    my ($p1, $p2) = (0, 0);
    for my $i (0 .. $#samples) {
        my $r = $samples[$i][1];
        if ($i < $half) { $p1 = $r if $r > $p1 } else { $p2 = $r if $r > $p2 }
    }
    ok($p2 - $p1 < 5 * 1024,
       sprintf 'RSS peak under load, first half %d kB, second half %d kB (%+d kB, < 5 MB)',
               $p1, $p2, $p2 - $p1);
}

# the 500s are the throwing handler's; wrk counts them, so about 1 in 10
ok($bad < $total * 0.2, "non-2xx: $bad of $total (the /throw tenth)");
my $throws = () = error_log_since($off) =~ /js exception: Error: planned failure/g;
# one entry per throw: wrk does not count the responses in flight when a
# run ends (up to one per connection), so allow those
my $counted = $warm_bad + $bad;
ok($throws >= $counted && $throws <= $counted + 16 * ($runs + 1),
   "one js exception entry per /throw: $throws entries, $counted 500s counted");
my $log = error_log_since($off);
$log =~ s/^.*js exception: Error: planned failure.*\n(?:    at .*\n)*//mg;
my @other = grep { /\[(?:error|alert|crit|emerg)\]/
                   && !/client prematurely closed|reset by peer|broken pipe/i }
            split /\n/, $log;
ok(!@other, 'no other errors') or diag(join "\n", @other[0 .. ($#other < 9 ? $#other : 9)]);
check_error_log('memory run', $off, allow_js_exception => 1);
is_deeply([worker_pids()], [$worker], 'the same worker served everything');

SKIP: {
    skip 'the V8 heap after GC is not measurable: no process.memoryUsage() (or'
         . ' similar) in nv8; RSS after gc() above stands in for it', 1
        unless $have_gc && $gcbody =~ /heapUsed/;
    my ($hb, $ha) = ($heap_base, $heap_last);
    ok(defined $hb && defined $ha && $ha - $hb < 2 * 1024 * 1024,
       sprintf('V8 heap after GC back at its baseline (%.1f -> %.1f MB)',
               ($hb // 0) / 1048576, ($ha // 0) / 1048576));
}
