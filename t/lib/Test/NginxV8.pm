package Test::NginxV8;

# Integration test harness for nv8 (ngx_http_v8_module). Core Perl only.
# See t/README.md for the block format, the helper API and the environment
# variables.

use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use POSIX qw(WNOHANG);
use Socket qw(SOL_SOCKET SO_LINGER);
use Test::More ();
use Test2::API ();
use Time::HiRes qw(sleep time);

our @EXPORT = qw(
    run_tests start_nginx stop_nginx reload_nginx nginx_running
    nginx_test_config nginx_conf last_start_output require_module
    http_request http_start http_finish http_abort parse_http_response
    error_log_text error_log_since log_offset check_error_log
    forbidden_lines wait_for_log
    nginx_pids master_pid worker_pids thread_count
    prefix_dir port write_file unescape
);

my $REPO_ROOT = abs_path(dirname(__FILE__) . '/../../..');
my $BINARY = $ENV{TEST_NGINX_BINARY} || '/usr/sbin/nginx';
# valgrind mode: nginx runs under build-aux/valgrind-nginx, every wait is
# $SLOW times longer, and valgrind's reports fail the checks
my $VALGRIND = $ENV{TEST_NGINX_VALGRIND} || $ENV{TEST_NGINX_USE_VALGRIND};
my $SLOW = $VALGRIND ? ($ENV{TEST_NGINX_VALGRIND_SLOW} || 20) : 1;
if ($VALGRIND) {
    $ENV{NV8_NGINX_BIN} = $BINARY;
    $BINARY = "$REPO_ROOT/build-aux/valgrind-nginx";
}
my $REPEAT = $ENV{TEST_NGINX_REPEAT} || 2;
my $USE_HUP = $ENV{TEST_NGINX_USE_HUP};
my $VERBOSE = $ENV{TEST_NGINX_VERBOSE};
my $PARENT = $$;
my $MAX_LOG = ($ENV{TEST_NGINX_MAX_LOG_MB} || 128) * 1024 * 1024;

my ($PREFIX, $PORT);          # per .t file
my $RUNNING = 0;              # nginx started by us and not yet stopped
my $EVER_STARTED = 0;
my $CUR_KEY;                  # config + files of the running nginx
my $CUR_WORKERS = 1;
my $LAST_START_OUTPUT = '';
my @EXCLUDED;                 # [from, to) log ranges allowed to hold [emerg] etc.
my $NTC = 0;                  # nginx_test_config counter
my $SKIP_REST;                # reason why module tests cannot run
my $RUNAWAY;                  # error.log grew beyond $MAX_LOG

sub import {
    my $caller = caller;
    no strict 'refs';
    for my $f (grep { $_ ne 'done_testing' } @Test::More::EXPORT) {
        *{"${caller}::$f"} = \&{"Test::More::$f"};
    }
    *{"${caller}::$_"} = \&{$_} for @EXPORT;
    $SIG{INT} ||= sub { exit 130 };
    $SIG{TERM} ||= sub { exit 143 };
    $SIG{PIPE} = 'IGNORE';
}

# ---------------------------------------------------------------- basics

sub prefix_dir {
    return $PREFIX if defined $PREFIX;
    $PREFIX = tempdir('nv8-test-XXXXXX', TMPDIR => 1,
                      CLEANUP => !$ENV{TEST_NGINX_LEAVE});
    Test::More::diag("prefix: $PREFIX") if $ENV{TEST_NGINX_LEAVE} || $VERBOSE;
    $ENV{VALGRIND_LOG_DIR} = $PREFIX if $VALGRIND;
    return $PREFIX;
}

sub port {
    return $PORT if defined $PORT;
    if ($ENV{TEST_NGINX_PORT}) {
        return $PORT = $ENV{TEST_NGINX_PORT};
    }
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Proto => 'tcp', Listen => 1)
        or die "cannot find a free port: $!";
    $PORT = $s->sockport;
    close $s;
    return $PORT;
}

sub _module_path {
    my $m = $ENV{TEST_NGINX_MODULE};
    return undef if defined $m && $m eq 'none';
    return $m || "$REPO_ROOT/modules/ngx_http_v8_module.so";
}

# Skips the whole file (or, once tests have run, returns the reason) when
# the module has not been built.
sub require_module {
    my $m = _module_path();
    return undef if !defined $m || -f $m;
    my $why = "module not built: $m (set TEST_NGINX_MODULE)";
    Test::More::plan(skip_all => $why)
        unless Test::More->builder->current_test;
    return $why;
}

sub write_file {
    my ($path, $content) = @_;
    $path = prefix_dir() . "/$path" unless $path =~ m{^/};
    make_path(dirname($path));
    open my $fh, '>', $path or die "open $path: $!";
    binmode $fh;
    print {$fh} $content;
    close $fh or die "close $path: $!";
}

sub _slurp {
    my ($path, $from, $max) = @_;
    open my $fh, '<', $path or return '';
    binmode $fh;
    seek $fh, $from || 0, 0;
    my $s;
    if ($max) {
        read $fh, $s, $max;
    } else {
        local $/;
        $s = <$fh>;
    }
    return defined $s ? $s : '';
}

# Eval-free escapes: \r \n \t \0 \\ \xHH. Other backslashes stay as written.
my %ESC = (r => "\r", n => "\n", t => "\t", 0 => "\0", '\\' => '\\');

sub unescape {
    my ($s) = @_;
    $s =~ s/\\(?:x([0-9A-Fa-f]{2})|(.))/
        defined $1 ? chr(hex $1) : defined $ESC{$2} ? $ESC{$2} : "\\$2"/gse;
    return $s;
}

# $TEST_NGINX_PREFIX and $TEST_NGINX_PORT (alias $TEST_NGINX_SERVER_PORT)
# come from the harness; any other $TEST_NGINX_NAME from %ENV when set.
sub _subst {
    my ($s) = @_;
    return $s unless defined $s;
    $s =~ s{\$TEST_NGINX_([A-Z0-9_]+)}{
        my $v = $1 eq 'PREFIX' ? prefix_dir()
              : $1 eq 'PORT' || $1 eq 'SERVER_PORT' ? port()
              : $ENV{"TEST_NGINX_$1"};
        defined $v ? $v : "\$TEST_NGINX_$1"
    }ge;
    return $s;
}

# ---------------------------------------------------------------- config

# $c: string (the server-block config) or hashref with keys config,
# http_config, main_config, no_module, workers, listen (extra listen params).
sub _opts {
    my ($c) = @_;
    return ref $c ? {%$c} : {config => defined $c ? $c : ''};
}

sub nginx_conf {
    my ($c, $prefix) = @_;
    my $o = _opts($c);
    my $p = $prefix || prefix_dir();
    my $workers = $o->{workers} || $ENV{TEST_NGINX_WORKERS} || 1;
    my $mod = $o->{no_module} ? undef : _module_path();
    my $listen = '127.0.0.1:' . port()
               . (defined $o->{listen} ? " $o->{listen}" : '');
    my $flags = defined $ENV{TEST_NGINX_V8_FLAGS} && $mod
        ? qq{    js_v8_flags "$ENV{TEST_NGINX_V8_FLAGS}";\n} : '';
    my $main = defined $o->{main_config} ? $o->{main_config} : '';
    my $http = defined $o->{http_config} ? $o->{http_config} : '';
    my $srv = defined $o->{config} ? $o->{config} : '';
    my $level = $ENV{TEST_NGINX_LOG_LEVEL} || 'debug';

    return <<"EOF";
# generated by Test::NginxV8
user root;
daemon on;
master_process on;
worker_processes $workers;
pid $p/nginx.pid;
error_log $p/error.log $level;
@{[ $mod ? "load_module $mod;" : '# no module' ]}

$main

events {
    worker_connections 1024;
}

http {
    access_log off;
    client_body_temp_path $p/client_body_temp;
    proxy_temp_path $p/proxy_temp;
    fastcgi_temp_path $p/fastcgi_temp;
    uwsgi_temp_path $p/uwsgi_temp;
    scgi_temp_path $p/scgi_temp;
$flags
$http

    server {
        listen $listen;
        server_name localhost;

$srv
    }
}
EOF
}

sub _workers_of {
    my ($c) = @_;
    my $o = _opts($c);
    return $o->{workers} || $ENV{TEST_NGINX_WORKERS} || 1;
}

sub _write_files {
    my ($dir, %files) = @_;
    for my $f (sort keys %files) {
        write_file($f =~ m{^/} ? $f : "$dir/$f", $files{$f});
    }
}

# Runs a command with stdin from /dev/null and stdout+stderr captured.
# Returns (exit code or -1 on timeout, output).
sub _run_cmd {
    my ($timeout, @cmd) = @_;
    my $out = prefix_dir() . "/.cmd.out";
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    if (!$pid) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', $out;
        open STDERR, '>&', \*STDOUT;
        { exec @cmd }
        POSIX::_exit(127);
    }
    my $deadline = time + $timeout;
    my $rc;
    while (1) {
        my $r = waitpid($pid, WNOHANG);
        if ($r == $pid) { $rc = $? >> 8; $rc = 128 + ($? & 127) if $? & 127; last }
        if (time > $deadline) {
            kill 'KILL', $pid;
            waitpid($pid, 0);
            $rc = -1;
            last;
        }
        sleep 0.01;
    }
    return ($rc, _slurp($out));
}

# ---------------------------------------------------------------- processes

sub _proc_stat {
    my ($pid) = @_;
    open my $fh, '<', "/proc/$pid/stat" or return;
    my $s = <$fh>;
    return unless defined $s;
    my @f = split ' ', substr($s, rindex($s, ')') + 2);
    return ($f[0], $f[1]);        # state, ppid
}

sub _alive {
    my ($pid) = @_;
    return 0 unless $pid && kill(0, $pid);
    my ($state) = _proc_stat($pid);
    return defined $state && $state ne 'Z' && $state ne 'X';
}

sub master_pid {
    my $s = _slurp(prefix_dir() . '/nginx.pid');
    return $s =~ /^(\d+)/ ? $1 : undef;
}

sub worker_pids {
    my ($master) = @_;
    $master ||= master_pid() or return ();
    opendir my $dh, '/proc' or return ();
    my @w;
    for my $pid (grep { /^\d+$/ } readdir $dh) {
        my ($state, $ppid) = _proc_stat($pid);
        push @w, $pid if defined $ppid && $ppid == $master
                         && $state ne 'Z' && $state ne 'X';
    }
    @w = sort { $a <=> $b } @w;
    return wantarray ? @w : scalar @w;
}

# (master, workers...); empty list when nginx is not running.
sub nginx_pids {
    my $m = master_pid();
    return () unless $m && _alive($m);
    return ($m, worker_pids($m));
}

sub thread_count {
    my ($pid) = @_;
    my $s = _slurp("/proc/$pid/status");
    return $s =~ /^Threads:\s*(\d+)/m ? $1 : undef;
}

sub nginx_running { return $RUNNING && _alive(master_pid()) }

sub _can_connect {
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => port(),
                                  Proto => 'tcp', Timeout => 1);
    return 0 unless $s;
    close $s;
    return 1;
}

sub _wait_ready {
    my ($workers, $timeout) = @_;
    my $deadline = time + $timeout;
    while (time < $deadline) {
        my $m = master_pid();
        if ($m && _alive($m) && worker_pids($m) >= $workers && _can_connect()) {
            return 1;
        }
        _guard_log();
        sleep 0.02;
    }
    return 0;
}

# ---------------------------------------------------------------- lifecycle

sub log_offset { return -s (prefix_dir() . '/error.log') || 0 }

sub error_log_text { return _slurp(prefix_dir() . '/error.log', 0, $MAX_LOG) }

sub error_log_since {
    return _slurp(prefix_dir() . '/error.log', $_[0], $MAX_LOG);
}

# A spinning worker can write gigabytes of debug log: kill nginx and abort
# the file once error.log passes TEST_NGINX_MAX_LOG_MB.
sub _guard_log {
    my $size = log_offset();
    return if $size <= $MAX_LOG || $RUNAWAY;
    $RUNAWAY = 1;
    my @p = nginx_pids();
    kill 'KILL', @p if @p;
    $RUNNING = 0;
    truncate prefix_dir() . '/error.log', $MAX_LOG;
    my @tail = (split /\n/, _slurp(prefix_dir() . '/error.log', $MAX_LOG - 2000))[-6 .. -2];
    Test::More::fail('error.log stays under ' . ($MAX_LOG >> 20) . ' MiB');
    Test::More::diag(join "\n", 'last lines:', grep { defined } @tail);
    die sprintf "error.log grew beyond %d MiB (a worker is probably spinning);"
              . " nginx killed, log truncated\n", $MAX_LOG >> 20;
}

sub last_start_output { return $LAST_START_OUTPUT }

# Starts nginx with the given config (see nginx_conf) after writing %files
# (paths relative to the prefix). Stops a running nginx first.
# Returns 1 when nginx runs and answers on port(), 0 otherwise.
sub start_nginx {
    my ($c, %files) = @_;
    stop_nginx() if $RUNNING;
    my $p = prefix_dir();
    _write_files($p, %files);
    write_file("$p/nginx.conf", nginx_conf($c));
    unlink "$p/nginx.pid";
    my $off = log_offset();
    my ($rc, $out) = _run_cmd(30 * $SLOW, $BINARY, '-p', "$p/", '-c', "$p/nginx.conf");
    $LAST_START_OUTPUT = $out;
    $EVER_STARTED = 1;
    if ($rc != 0) {
        push @EXCLUDED, [$off, log_offset()];
        return 0;
    }
    $RUNNING = 1;
    $CUR_WORKERS = _workers_of($c);
    return 1 if _wait_ready($CUR_WORKERS, 10 * $SLOW);
    $LAST_START_OUTPUT .= "\nnginx started but did not become ready\n";
    stop_nginx();
    push @EXCLUDED, [$off, log_offset()];
    return 0;
}

# Graceful stop: QUIT, then TERM after 10 s, then KILL after 5 s more.
# Returns 1 if the master exited on QUIT.
sub stop_nginx {
    my $m = master_pid();
    $RUNNING = 0;
    $CUR_KEY = undef;
    return 1 unless $m && _alive($m);
    my @w = worker_pids($m);
    my $graceful = 1;
    for my $sig (qw(QUIT TERM KILL)) {
        kill $sig, $m;
        kill 'KILL', grep { _alive($_) } @w if $sig eq 'KILL';
        my $deadline = time + ($sig eq 'QUIT' ? 10 : 5) * $SLOW;
        while (time < $deadline) {
            last unless _alive($m) || grep { _alive($_) } @w;
            sleep 0.02;
        }
        last unless _alive($m) || grep { _alive($_) } @w;
        Test::More::diag("nginx master $m did not exit on $sig");
        $graceful = 0;
    }
    return $graceful;
}

# Reloads the running nginx by sending HUP to the master, after optionally
# writing a new config (conf => ...) and files (files => {...}).
# Returns 1 when new workers run and the old ones are gone (unless
# wait_old => 0), 0 when the master refused the new config ([emerg] logged;
# old workers keep running), undef on timeout.
sub reload_nginx {
    my (%o) = @_;
    my $p = prefix_dir();
    my $m = master_pid();
    return undef unless $m && _alive($m);
    _write_files($p, %{ $o{files} || {} });
    if (exists $o{conf}) {
        write_file("$p/nginx.conf", nginx_conf($o{conf}));
        $CUR_WORKERS = _workers_of($o{conf});
    }
    my $off = log_offset();
    my %old = map { $_ => 1 } worker_pids($m);
    kill 'HUP', $m;
    my $deadline = time + ($o{timeout} || 10) * $SLOW;
    while (time < $deadline) {
        sleep 0.02;
        _guard_log();
        if (error_log_since($off) =~ /\[emerg\]/) {
            sleep 0.1;
            push @EXCLUDED, [$off, log_offset()];
            return 0;
        }
        my @w = worker_pids($m);
        my @new = grep { !$old{$_} } @w;
        next unless @new >= $CUR_WORKERS;
        next if (!exists $o{wait_old} || $o{wait_old})
                && grep { _alive($_) } keys %old;
        return 1 if _can_connect();
    }
    Test::More::diag("reload: timed out waiting for new workers");
    return undef;
}

# nginx -t on a config in a separate prefix (<prefix>/ntc-N); files are
# relative to that prefix. Returns (exit code, stdout+stderr+its error.log).
sub nginx_test_config {
    my ($c, %files) = @_;
    my $dir = prefix_dir() . '/ntc-' . ++$NTC;
    make_path($dir);
    _write_files($dir, %files);
    write_file("$dir/nginx.conf", nginx_conf($c, $dir));
    my ($rc, $out) = _run_cmd(30 * $SLOW, $BINARY, '-t', '-p', "$dir/",
                              '-c', "$dir/nginx.conf");
    return ($rc, $out . _slurp("$dir/error.log"));
}

# ---------------------------------------------------------------- log checks

# Lines of $text that no test may produce. Options: allow_emerg (skip the
# [alert]/[crit]/[emerg] class), allow_js_exception. Returns a hash
# class => [lines] with only the classes that matched.
sub forbidden_lines {
    my ($text, %o) = @_;
    my %bad;
    for my $line (split /\n/, $text) {
        push @{ $bad{level} }, $line
            if !$o{allow_emerg} && $line =~ /\[(?:alert|crit|emerg)\]/;
        push @{ $bad{sanitizer} }, $line
            if $line =~ /Sanitizer|runtime error:/;
        push @{ $bad{signal} }, $line
            if $line =~ /exited on signal|exited with (?:fatal )?code [1-9]/;
        push @{ $bad{js_exception} }, $line
            if !$o{allow_js_exception} && $line =~ /js exception/;
    }
    return \%bad;
}

my %CLASS_NAME = (
    level => 'no [alert], [crit] or [emerg]',
    sanitizer => 'no sanitizer reports',
    signal => 'no process exited on a signal or with a non-zero code',
    js_exception => 'no js exception',
    valgrind => 'no valgrind errors',
);

# valgrind mode: the error reports in <prefix>/valgrind.PID.log written
# since the last call (all of them with $all)
my %VG_SEEN;
my $VG_ERROR = qr/==\d+==\s+(?:Invalid\ (?:read|write|free)
    |Conditional\ jump|Use\ of\ uninitialised|Syscall\ param
    |Mismatched\ free|Source\ and\ destination\ overlap
    |Jump\ to\ the\ invalid|Process\ terminating|Argument\ .*\ fishy
    |ERROR\ SUMMARY:\ [1-9])/x;

sub _valgrind_errors {
    my ($all) = @_;
    return () unless $VALGRIND && defined $PREFIX;
    my @bad;
    for my $f (sort glob "$PREFIX/valgrind.*.log") {
        my $from = $all ? 0 : $VG_SEEN{$f} || 0;
        my $text = _slurp($f, $from);
        $VG_SEEN{$f} = $from + length $text;
        push @bad, map { "$f: $_" } grep { $_ =~ $VG_ERROR } split /\n/, $text;
    }
    return @bad;
}

# Implicit checks on error.log since $from (one assertion per class).
sub check_error_log {
    my ($name, $from, %o) = @_;
    my $text = error_log_since($from || 0);
    Test::More::diag("error.log for $name:\n$text") if $VERBOSE;
    my $bad = forbidden_lines($text, %o);
    $bad->{valgrind} = [_valgrind_errors()] if $VALGRIND;
    for my $class (qw(level sanitizer signal js_exception valgrind)) {
        next if $class eq 'level' && $o{allow_emerg};
        next if $class eq 'js_exception' && $o{allow_js_exception};
        next if $class eq 'valgrind' && !$VALGRIND;
        my $lines = $bad->{$class} || [];
        Test::More::ok(!@$lines, "$name - $CLASS_NAME{$class}")
            or Test::More::diag(join "\n", _first(20, @$lines));
    }
}

# Waits up to $timeout seconds for $pattern (substring or qr//) in the log
# since $from. Returns true when found.
sub wait_for_log {
    my ($pattern, $from, $timeout) = @_;
    my $deadline = time + (defined $timeout ? $timeout : 5) * $SLOW;
    while (1) {
        return 1 if _log_has(error_log_since($from || 0), $pattern);
        return 0 if time > $deadline;
        _guard_log();
        sleep 0.02;
    }
}

sub _log_has {
    my ($text, $pat) = @_;
    return ref $pat ? scalar($text =~ $pat) : index($text, $pat) >= 0;
}

sub _pattern {
    my ($line) = @_;
    if ($line =~ m{^qr/(.*)/([imsx]*)\z}s) {
        my ($p, $f) = ($1, $2);
        return $f ? qr/(?$f)$p/ : qr/$p/;
    }
    return $line;
}

# ---------------------------------------------------------------- HTTP client

sub _build_request {
    my ($method, $uri, %o) = @_;
    my @h;
    my $hdrs = $o{headers} || [];
    if (ref $hdrs eq 'HASH') {
        @h = map { [$_, $hdrs->{$_}] } sort keys %$hdrs;
    } else {
        @h = map { /^\s*([^:]+?)\s*:\s*(.*?)\s*$/ ? [$1, $2] : () } @$hdrs;
    }
    my %have = map { lc $_->[0] => 1 } @h;
    unshift @h, ['Host', 'localhost'] unless $have{host};
    push @h, ['Connection', 'close']
        unless $have{connection} || $o{keepalive};
    push @h, ['Content-Length', length $o{body}]
        if defined $o{body} && length $o{body}
           && !$have{'content-length'} && !$have{'transfer-encoding'};
    my $proto = $o{proto} || 'HTTP/1.1';
    return "$method $uri $proto\r\n"
         . join('', map { "$_->[0]: $_->[1]\r\n" } @h) . "\r\n"
         . (defined $o{body} ? $o{body} : '');
}

# Connects and sends a request; returns a handle for http_finish/http_abort.
# http_start($raw) sends bytes as-is; http_start($method, $uri, %opts) builds
# an HTTP/1.1 request (opts: headers, body, proto, keepalive, timeout).
sub http_start {
    my ($a, $uri, %o) = @_;
    my $raw = defined $uri ? _build_request($a, $uri, %o) : $a;
    my $method = $raw =~ /^(\S+)/ ? $1 : '';
    my $timeout = ($o{timeout} || 10) * $SLOW;
    my $h = {method => $method, deadline => time + $timeout, t0 => time};
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                  PeerPort => $o{port} || port(),
                                  Proto => 'tcp', Timeout => $timeout);
    if (!$s) { $h->{error} = "connect: $!"; return $h }
    $s->autoflush(1);
    binmode $s;
    $h->{sock} = $s;
    my $off = 0;
    while ($off < length $raw) {
        my $n = syswrite($s, $raw, length($raw) - $off, $off);
        if (!defined $n) { $h->{error} = "write: $!"; last }
        $off += $n;
    }
    return $h;
}

# Closes a started request; rst => 1 makes the close send a TCP RST.
sub http_abort {
    my ($h, %o) = @_;
    return unless $h->{sock};
    setsockopt($h->{sock}, SOL_SOCKET, SO_LINGER, pack('ii', 1, 0)) if $o{rst};
    close $h->{sock};
    delete $h->{sock};
}

# Incremental response parser. $st->{buf} holds the bytes received so far.
# Returns 1 when the message is complete by its own framing.
sub _parse_step {
    my ($st) = @_;
    if (!defined $st->{hdr_end}) {
        return 0 unless $st->{buf} =~ /\r?\n\r?\n/g;
        $st->{hdr_end} = pos $st->{buf};
        my @lines = split /\r?\n/, substr($st->{buf}, 0, $st->{hdr_end});
        my $sl = shift @lines;
        @$st{qw(proto status)} = $sl =~ m{^(HTTP/\d\.\d)\s+(\d{3})} or do {
            $st->{error} = "bad status line: $sl";
            $st->{status} = undef;
        };
        $st->{status_line} = $sl;
        for (@lines) {
            next unless /^([^:]+?)\s*:\s*(.*?)\s*$/;
            push @{ $st->{header_list} }, [$1, $2];
            my $k = lc $1;
            $st->{headers}{$k} = exists $st->{headers}{$k}
                ? "$st->{headers}{$k}, $2" : $2;
        }
        my $hd = $st->{headers};
        my $code = $st->{status} || 0;
        if ($st->{method} eq 'HEAD' || $code =~ /^(1..|204|304)$/) {
            $st->{no_body} = 1;
        } elsif (($hd->{'transfer-encoding'} || '') =~ /chunked/i) {
            $st->{chunked} = 1;
            $st->{cpos} = $st->{hdr_end};
            $st->{body} = '';
        } elsif (defined $hd->{'content-length'}) {
            $st->{cl} = $hd->{'content-length'} + 0;
        }
    }
    if ($st->{no_body}) {
        $st->{end} = $st->{hdr_end};
        return 1;
    }
    if ($st->{chunked}) {
        while (1) {
            pos($st->{buf}) = $st->{cpos};
            if ($st->{in_trailer}) {
                return 0 unless $st->{buf} =~ /\G(?:[^\r\n]+\r?\n)*\r?\n/gc;
                $st->{end} = pos $st->{buf};
                return 1;
            }
            return 0 unless $st->{buf} =~ /\G([0-9A-Fa-f]+)[^\r\n]*\r?\n/gc;
            my ($size, $data) = (hex $1, pos $st->{buf});
            if ($size == 0) {
                $st->{cpos} = $data;
                $st->{in_trailer} = 1;
                next;
            }
            return 0 if length($st->{buf}) < $data + $size + 2;
            $st->{body} .= substr($st->{buf}, $data, $size);
            my $crlf = substr($st->{buf}, $data + $size, 2);
            $st->{cpos} = $data + $size + ($crlf eq "\r\n" ? 2 : 1);
        }
    }
    if (defined $st->{cl}) {
        $st->{end} = $st->{hdr_end} + $st->{cl};
        return length($st->{buf}) >= $st->{end};
    }
    return 0;
}

sub _result {
    my ($st, $eof) = @_;
    my $complete = $st->{done} ? 1 : 0;
    my $body;
    if (!defined $st->{hdr_end}) {
        $body = undef;
    } elsif ($st->{no_body}) {
        $body = '';
    } elsif ($st->{chunked}) {
        $body = $st->{body};
    } elsif (defined $st->{cl}) {
        $body = substr($st->{buf}, $st->{hdr_end}, $st->{cl});
    } else {
        $body = substr($st->{buf}, $st->{hdr_end});
        $complete = 1 if $eof;            # close-delimited
    }
    my $meta = {
        raw => $st->{buf}, complete => $complete, eof => $eof ? 1 : 0,
        closed => $eof || ($st->{error} || '') =~ /reset/i ? 1 : 0,
        error => $st->{error}, status_line => $st->{status_line},
        proto => $st->{proto}, header_list => $st->{header_list} || [],
        elapsed => $st->{elapsed},
    };
    return ($st->{status}, $st->{headers} || {}, $body, $meta);
}

# Parses a complete raw response (as if the connection then closed).
sub parse_http_response {
    my ($raw, %o) = @_;
    my $st = {buf => $raw, method => $o{method} || 'GET'};
    $st->{done} = _parse_step($st);
    return _result($st, 1);
}

# Reads the response: until it is complete by its framing, EOF, or the
# deadline. Returns (status, headers, body, meta); see t/README.md.
sub http_finish {
    my ($h, %o) = @_;
    my $st = {buf => delete $h->{rest} // '', method => $h->{method}};
    my $deadline = defined $o{timeout} ? time + $o{timeout} * $SLOW : $h->{deadline};
    my $eof = 0;
    if (!$h->{sock}) {
        $st->{error} = $h->{error} || 'not connected';
    } else {
        my $sel = IO::Select->new($h->{sock});
        while (1) {
            last if $st->{done} = _parse_step($st);
            last if $st->{error};
            my $left = $deadline - time;
            if ($left <= 0) { $st->{error} = 'timeout'; last }
            _guard_log();
            next unless $sel->can_read($left > 0.5 ? 0.5 : $left);
            my $n = sysread($h->{sock}, my $chunk, 65536);
            if (!defined $n) {
                $st->{error} = "read: $!";
                last;
            }
            if ($n == 0) { $eof = 1; last }
            $st->{buf} .= $chunk;
        }
        # bytes after this response belong to the next one (pipelining)
        $h->{rest} = substr($st->{buf}, $st->{end}, length $st->{buf}, '')
            if $st->{done} && $st->{end} < length $st->{buf};
        if ($o{keep_open}) {
            $h->{deadline} = time + ($o{timeout} || 10) * $SLOW;
        } else {
            close $h->{sock};
        }
        $st->{error} ||= $h->{error} unless defined $st->{status};
    }
    $st->{elapsed} = time - $h->{t0};
    return _result($st, $eof);
}

sub http_request {
    my ($a, $uri, %o) = @_;
    return http_finish(http_start($a, $uri, %o));
}

# ---------------------------------------------------------------- blocks

sub _read_data {
    my ($pkg) = @_;
    no strict 'refs';
    my $fh = \*{"${pkg}::DATA"};
    local $/;
    my $text = <$fh>;
    return defined $text ? $text : '';
}

my %SECTIONS = map { $_ => 1 } qw(
    main_config http_config config js user_files no_module request raw_request
    more_headers error_code response_body response_body_like response_headers
    error_log no_error_log timeout wait must_die skip ONLY LAST
);

sub _parse_blocks {
    my ($text) = @_;
    my (@blocks, $cur, $sec);
    for my $line (split /^/m, $text) {
        if ($line =~ /^===\s*(.*?)\s*$/) {
            push @blocks, $cur = {name => $1, sec => {}, mod => {}};
            undef $sec;
            next;
        }
        next unless $cur;
        if ($line =~ /^---\s*(\S+)\s*(.*?)\s*$/) {
            $sec = $1;
            die "unknown section '--- $sec' in '=== $cur->{name}'\n"
                unless $SECTIONS{$sec};
            $cur->{sec}{$sec} = '';
            $cur->{mod}{$sec} = {map { $_ => 1 } split ' ', $2};
            next;
        }
        $cur->{sec}{$sec} .= $line if defined $sec;
    }
    for my $b (@blocks) {
        for my $s (keys %{ $b->{sec} }) {
            next if $s eq 'user_files' || $s eq 'request';
            my $v = $b->{sec}{$s};
            $v =~ s/\n+\z//;
            if ($s eq 'raw_request' || $b->{mod}{$s}{escaped}) {
                $v =~ s/\n//g;
                $v = unescape($v);
            }
            $b->{sec}{$s} = $v;
        }
    }
    return @blocks;
}

sub _user_files {
    my ($text) = @_;
    my (%files, $cur);
    for my $line (split /^/m, $text) {
        if ($line =~ /^>>>\s*(\S+)\s*$/) { $files{$cur = $1} = ''; next }
        $files{$cur} .= $line if defined $cur;
    }
    s/\n+\z// for values %files;
    return %files;
}

sub _lines {
    my ($v) = @_;
    return grep { /\S/ } split /\n/, defined $v ? $v : '';
}

sub run_tests {
    my @blocks = _parse_blocks(_read_data(scalar caller));
    if (my @only = grep { exists $_->{sec}{ONLY} } @blocks) {
        @blocks = @only;
    }
    for my $i (0 .. $#blocks) {
        if (exists $blocks[$i]{sec}{LAST}) { splice @blocks, $i + 1; last }
    }
    if (grep { !exists $_->{sec}{no_module} && !exists $_->{sec}{skip} } @blocks) {
        $SKIP_REST = require_module();
    }
    _run_block($_) for @blocks;
}

sub _run_block {
    my ($b) = @_;
    my %s = map { $_ => _subst($b->{sec}{$_}) } keys %{ $b->{sec} };
    my $name = $b->{name};
    _guard_log();

    if (exists $s{skip} || ($SKIP_REST && !exists $s{no_module})) {
        SKIP: { Test::More::skip($s{skip} || $SKIP_REST, 1) }
        return;
    }

    my $conf = {
        map({ exists $s{$_} ? ($_ => $s{$_}) : () }
            qw(config http_config main_config)),
        exists $s{no_module} ? (no_module => 1) : (),
    };
    my %files = _user_files(defined $s{user_files} ? $s{user_files} : '');
    $files{'app.js'} = $s{js} if exists $s{js};
    my $key = join "\0", nginx_conf($conf),
                         map { ($_, $files{$_}) } sort keys %files;
    my $off = log_offset();
    my @errlog = map { _pattern($_) } _lines($s{error_log});
    my @noerr = map { _pattern($_) } _lines($s{no_error_log});

    if (exists $s{must_die}) {
        stop_nginx() if $RUNNING;
        my $started = start_nginx($conf, %files);
        Test::More::ok(!$started, "$name - nginx failed to start");
        stop_nginx() if $started;
        sleep $s{wait} if $s{wait};
        my $text = last_start_output() . error_log_since($off);
        _check_patterns($name, $text, \@errlog, \@noerr);
        check_error_log($name, $off, allow_emerg => 1,
                        allow_js_exception => 1);
        push @EXCLUDED, [$off, log_offset()];
        return;
    }

    my $ok = 1;
    if (!nginx_running()) {
        $ok = start_nginx($conf, %files);
    } elsif ($USE_HUP) {
        my $r = reload_nginx(conf => $conf, files => \%files);
        $ok = defined $r && $r;
        $LAST_START_OUTPUT = error_log_since($off) unless $ok;
    } elsif ($key ne $CUR_KEY) {
        $ok = start_nginx($conf, %files);
    }
    if (!$ok) {
        Test::More::fail("$name - nginx started");
        Test::More::diag(last_start_output());
        $CUR_KEY = undef;
        return;
    }
    $CUR_KEY = $key;

    my $timeout = $s{timeout} || 10;
    my $expect_status = exists $s{error_code} ? $s{error_code} : 200;
    my @more = _lines($s{more_headers});
    my @args;
    if (exists $s{raw_request}) {
        @args = ($s{raw_request}, undef, timeout => $timeout);
    } elsif (exists $s{request}) {
        my ($first, $body) = split /\n/, $s{request}, 2;
        $first =~ s/^\s+|\s+$//g;
        my ($method, $uri, $proto) = split ' ', $first;
        if (defined $body) {
            $body =~ s/\n+\z//;
            if ($b->{mod}{request}{escaped}) {
                $body =~ s/\n//g;
                $body = unescape($body);
            }
        }
        @args = ($method, $uri, headers => \@more, body => $body,
                 proto => $proto, timeout => $timeout);
    }

    if (@args) {
        for my $n (1 .. $REPEAT) {
            my $tag = $REPEAT > 1 ? " [$n/$REPEAT]" : '';
            my ($status, $h, $body, $meta) = http_request(@args);
            Test::More::is($status, $expect_status, "$name - status$tag")
                or Test::More::diag($meta->{error} ? "error: $meta->{error}"
                                                   : $meta->{raw});
            for my $line (_lines($s{response_headers})) {
                if ($line =~ /^\s*!\s*(\S+)/) {
                    Test::More::ok(!exists $h->{lc $1},
                                   "$name - header $1 absent$tag");
                } elsif ($line =~ /^\s*([^:]+?)\s*:\s*(.*?)\s*$/) {
                    Test::More::is($h->{lc $1}, $2, "$name - header $1$tag");
                }
            }
            if (exists $s{response_body}) {
                Test::More::is($body, $s{response_body}, "$name - body$tag");
            }
            if (exists $s{response_body_like}) {
                my $re = $s{response_body_like};
                Test::More::like(defined $body ? $body : '', qr/$re/sm,
                                 "$name - body like$tag");
            }
        }
    }

    sleep $s{wait} if $s{wait};
    _guard_log();
    _check_patterns($name, error_log_since($off), \@errlog, \@noerr);
    check_error_log($name, $off, allow_js_exception =>
                    scalar grep { (ref $_ ? "$_" : $_) =~ /js exception/ } @errlog);
    # V8 and libuv must never start in the master (RELIABILITY.md 4.1).
    Test::More::is(thread_count(master_pid()), 1, "$name - master has one thread");
}

sub _check_patterns {
    my ($name, $text, $errlog, $noerr) = @_;
    my $shown = $VERBOSE;
    for my $p (@$errlog) {
        Test::More::ok(_log_has($text, $p), "$name - error_log has: $p")
            or $shown++
            or Test::More::diag("log (without [debug] lines):\n" . _tail($text));
    }
    for my $p (@$noerr) {
        my @hits = grep { _log_has($_, $p) } split /\n/, $text;
        Test::More::ok(!@hits, "$name - error_log lacks: $p")
            or Test::More::diag(join "\n", _first(10, @hits));
    }
}

sub _first {
    my ($n, @l) = @_;
    return @l > $n ? (@l[0 .. $n - 1], '...') : @l;
}

sub _tail {
    my @l = grep { m{^\d{4}/\d\d/\d\d } && !/\[debug\]/ } split /\n/, $_[0];
    return join "\n", @l > 40 ? ('...', @l[-40 .. -1]) : @l;
}

# ---------------------------------------------------------------- the end

END {
    if ($$ == $PARENT && $EVER_STARTED) {
        local $?;
        my $hub = Test2::API::test2_stack()->top;
        my $plan = $hub->plan;
        my $quiet = (defined $plan && $plan eq 'SKIP') || $hub->ended;
        my $was = nginx_running();
        my $graceful = stop_nginx();
        if (!$quiet && !$RUNAWAY) {
            Test::More::ok($graceful, 'nginx exited on QUIT') if $was;
            # In ranges where nginx was expected to fail, [emerg] (and
            # [alert]/[crit]) lines are allowed, unless they report a crash.
            my $text = error_log_text();
            for my $r (sort { $b->[0] <=> $a->[0] } @EXCLUDED) {
                my ($f, $t) = @$r;
                next if $f >= length $text;
                $t = length $text if $t > length $text;
                my $part = substr($text, $f, $t - $f);
                $part =~ s/^(?!.*(?:Sanitizer|runtime error:|exited\ on|code\ [1-9]))
                           .*\[(?:alert|crit|emerg)\].*$//mgx;
                substr($text, $f, $t - $f) = $part;
            }
            my $bad = forbidden_lines($text, allow_js_exception => 1);
            $bad->{valgrind} = [_valgrind_errors(1)];
            for my $class ('level', 'sanitizer', 'signal',
                           $VALGRIND ? 'valgrind' : ())
            {
                my $lines = $bad->{$class} || [];
                Test::More::ok(!@$lines, "whole error.log after shutdown"
                                         . " - $CLASS_NAME{$class}")
                    or Test::More::diag(join "\n", _first(20, @$lines));
            }
        }
    }
    if ($$ == $PARENT) {
        my $hub = Test2::API::test2_stack()->top;
        my $plan = $hub->plan;
        Test::More::done_testing()
            unless (defined $plan && $plan ne 'NO PLAN') || $hub->ended;
    }
}

1;
