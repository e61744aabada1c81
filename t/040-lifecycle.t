# Processes and threads, per-worker isolates, reload, client abort,
# graceful shutdown, js_v8_flags.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use Time::HiRes qw(sleep time);

require_module();

my $counter_js = <<'EOF';
let n = 0;
export default function (req, res) {
    n++;
    console.log('count ' + n);
    res.end(String(n));
}
export function version(req, res) { res.end('v1'); }
export async function slow(req, res) {
    console.log('slow started');
    await new Promise((r) => setTimeout(r, 500));
    res.end('late');
}
EOF

my $conf = {workers => 2, listen => 'reuseport', config => <<'EOF'};
        location / { js_handler app.js; }
        location /version { js_handler app.js version; }
        location /slow { js_handler app.js slow; }
EOF

ok(start_nginx($conf, 'app.js' => $counter_js), 'start with 2 workers')
    or diag(last_start_output());

my ($master, @workers) = nginx_pids();
is(scalar @workers, 2, 'two workers');
is(thread_count($master), 1, 'master has exactly one thread');
is((http_request('GET', '/version'))[2], 'v1', 'serves v1');
ok(thread_count($_) > 1, "worker $_ has more than one thread") for @workers;

# ------------------------------------------------------------------------
# Each worker has its own isolate: module state counts per worker.
# reuseport spreads new connections over both workers; the log tells which
# worker (pid) produced which count.

{
    my $off = log_offset();
    my @bodies = map { (http_request('GET', '/'))[2] } 1 .. 40;
    my %seen;
    $seen{$_}++ for grep { defined } @bodies;
    ok((grep { $_ > 1 } values %seen),
       'counter values repeat across workers: ' . join(',', map { defined ? $_ : 'undef' } @bodies));

    my %per_pid;
    my $log = error_log_since($off);
    while ($log =~ /\[info\] (\d+)#\d+: .*?js: count (\d+)/g) {
        push @{ $per_pid{$1} }, $2;
    }
    is(scalar keys %per_pid, 2, 'both workers served requests');
    for my $pid (sort keys %per_pid) {
        ok((grep { $_ == $pid } @workers), "pid $pid is a worker");
        my @c = @{ $per_pid{$pid} };
        is_deeply(\@c, [1 .. @c], "worker $pid counts 1.." . @c . ' in its own isolate');
    }
    is_deeply([sort { $a <=> $b } grep { defined } @bodies],
              [sort { $a <=> $b } map { @$_ } values %per_pid],
              'responses match the logged counts');
    check_error_log('per-worker isolates', $off);
}

# ------------------------------------------------------------------------
# Client aborts while the handler awaits a timer; the late res.end must not
# crash or log an alert, and the worker keeps serving.

for my $rst (0, 1) {
    my $name = 'client abort' . ($rst ? ' (RST)' : ' (FIN)');
    my $off = log_offset();
    my @h = map { http_start('GET', '/slow') } 1 .. 4;
    sleep 0.1;
    http_abort($_, rst => $rst) for @h;
    sleep 1;
    check_error_log($name, $off);
    is((http_request('GET', '/version'))[2], 'v1', "$name: next request works");
    is_deeply([nginx_pids()], [$master, @workers], "$name: no worker died");
}

# ------------------------------------------------------------------------
# Reload with changed JS serves the new code from new workers.

(my $v2 = $counter_js) =~ s/'v1'/'v2'/;
{
    my $off = log_offset();
    is(reload_nginx(files => {'app.js' => $v2}), 1, 'reload with new JS');
    is((http_request('GET', '/version'))[2], 'v2', 'new code served after reload');
    my ($m, @w) = nginx_pids();
    is($m, $master, 'reload: same master');
    is(scalar @w, 2, 'reload: two workers');
    ok(!(grep { my $o = $_; grep { $_ == $o } @w } @workers), 'reload: all workers replaced');
    is(thread_count($master), 1, 'reload: master still has one thread');
    is((http_request('GET', '/'))[2], 1, 'reload: module state starts afresh')
        or diag('bodies after reload start from 1 in each new isolate');
    for my $old (@workers) {
        ok(wait_for_log(qr/worker process $old exited with code 0\b/, $off, 5),
           "reload: old worker $old exited with code 0");
    }
    check_error_log('reload with new JS', $off);
    @workers = @w;
}

# Reload with broken JS is refused; old workers keep serving the old code.

{
    my $off = log_offset();
    (my $broken = $v2) =~ s/'v2'/'v3' +/;
    is(reload_nginx(files => {'app.js' => $broken}), 0, 'reload with broken JS refused');
    like(error_log_since($off), qr/app\.js/, 'refused reload names app.js');
    is_deeply([nginx_pids()], [$master, @workers], 'refused reload: same workers');
    is((http_request('GET', '/version'))[2], 'v2', 'refused reload: old code still served');
    is(thread_count($master), 1, 'refused reload: master still has one thread');
    check_error_log('refused reload', $off, allow_emerg => 1);

    $off = log_offset();
    (my $v4 = $v2) =~ s/'v2'/'v4'/;
    is(reload_nginx(files => {'app.js' => $v4}), 1, 'reload after a refused one');
    is((http_request('GET', '/version'))[2], 'v4', 'v4 served');
    check_error_log('reload after a refused one', $off);
}

# ------------------------------------------------------------------------
# Many reloads in a row: isolates are torn down and created each time.

{
    my $off = log_offset();
    my $ok = 0;
    for my $i (1 .. 5) {
        (my $vi = $v2) =~ s/'v2'/'r$i'/;
        $ok++ if reload_nginx(files => {'app.js' => $vi})
                 && (http_request('GET', '/version'))[2] eq "r$i";
    }
    is($ok, 5, 'five reloads, each serving its own code');
    is(thread_count($master), 1, 'master still has one thread');
    check_error_log('five reloads', $off);
}

# ------------------------------------------------------------------------
# js_v8_flags reaches V8 (skipped when TEST_NGINX_V8_FLAGS already sets it).

# The worker compiles lib/ from the code cache linked into the module
# (not in the sanitizer build, TEST_NGINX_NO_CODE_CACHE=1: none there);
# V8 refuses that cache under other flags, and lib/ is compiled from
# source then.

sub code_cache_line {
    my ($off) = @_;
    my $line;
    for (1 .. 50) {
        ($line) = error_log_since($off) =~ /v8 code cache: (\d+ builtins compiled from it, \d+ refused)/;
        last if defined $line;
        sleep 0.1;
    }
    return $line // 'no line';
}

SKIP: {
    skip 'TEST_NGINX_V8_FLAGS is set', 5 if defined $ENV{TEST_NGINX_V8_FLAGS};
    my $js = "export default (req, res) => res.end(typeof WebAssembly);\n";
    my $c = {config => 'location / { js_handler app.js; }'};
    my $cache = !$ENV{TEST_NGINX_NO_CODE_CACHE};
    my $off = log_offset();
    ok(start_nginx($c, 'app.js' => $js), 'start without js_v8_flags');
    my $without = (http_request('GET', '/'))[2];
    my $line = code_cache_line($off);
    if ($cache) {
        like($line, qr/^([4-9]\d|\d{3,}) builtins compiled from it, 0 refused$/,
             "the worker compiles lib/ from the code cache ($line)");
    } else {
        is($line, '0 builtins compiled from it, 0 refused', 'no code cache in this build');
    }
    $off = log_offset();
    ok(start_nginx({%$c, http_config => 'js_v8_flags "--no-expose-wasm";'},
                   'app.js' => $js), 'start with js_v8_flags');
    my $with = (http_request('GET', '/'))[2];
    is("$without/$with", 'object/undefined', 'js_v8_flags "--no-expose-wasm" hides WebAssembly');
    $line = code_cache_line($off);
    if ($cache) {
        like($line, qr/^0 builtins compiled from it, ([4-9]\d|\d{3,}) refused$/,
             "V8 refuses the code cache under other flags ($line)");
    } else {
        is($line, '0 builtins compiled from it, 0 refused', 'no code cache, other flags');
    }
}

# ------------------------------------------------------------------------
# Graceful shutdown (QUIT) lets an in-flight async request finish.

{
    ok(start_nginx($conf, 'app.js' => $counter_js), 'start for shutdown');
    my $off = log_offset();
    my $h = http_start('GET', '/slow');
    # QUIT before a worker has accepted the connection drops it, as nginx
    # does: wait until the handler runs (a fixed 0.1 s was not enough on a
    # loaded machine)
    ok(wait_for_log('slow started', $off, 10), 'the slow handler started');
    my $t0 = time;
    ok(stop_nginx(), 'master exited on QUIT');
    ok(time - $t0 < 5, 'shutdown took less than 5 s');
    my ($st, undef, $body, $meta) = http_finish($h);
    is($body, 'late', 'in-flight request completed during graceful shutdown')
        or diag($meta->{error} || $meta->{raw});
    ok(!nginx_pids(), 'master gone');
    check_error_log('graceful shutdown', $off);
}
