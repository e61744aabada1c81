# Self-tests of t/lib/Test/NginxV8.pm against stock nginx (no module).

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use IO::Socket::INET;

# ------------------------------------------------------------ pure helpers

is(unescape('a\r\nb\t\\\\\x41\q'), "a\r\nb\t\\A\\q", 'unescape');

{
    my ($st, $h, $body, $m) = parse_http_response(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nx-a: 2\r\n\r\n"
        . "5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nTrailer: t\r\n\r\n");
    is($st, 200, 'parse: status');
    is($h->{'x-a'}, '1, 2', 'parse: repeated headers joined');
    is($body, 'hello!', 'parse: chunked body decoded');
    ok($m->{complete}, 'parse: chunked complete');

    ($st, $h, $body, $m) = parse_http_response(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npartial\r\n");
    is($body, 'partial', 'parse: truncated chunked body');
    ok(!$m->{complete}, 'parse: truncated chunked is incomplete');

    ($st, $h, $body, $m) = parse_http_response(
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
    ok(!$m->{complete}, 'parse: short content-length is incomplete');

    ($st, $h, $body, $m) = parse_http_response(
        "HTTP/1.0 404 Not Found\r\n\r\nclose-delimited");
    is_deeply([$st, $body, $m->{complete}], [404, 'close-delimited', 1],
              'parse: close-delimited body');

    ($st, $h, $body, $m) = parse_http_response(
        "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", method => 'HEAD');
    is_deeply([$body, $m->{complete}], ['', 1], 'parse: HEAD has no body');
}

{
    my $log = join "\n",
        '2024/01/01 00:00:00 [alert] 1#1: worker process 2 exited on signal 11',
        '2024/01/01 00:00:00 [error] 2#2: *1 js exception: Error: x',
        '==1==ERROR: AddressSanitizer: heap-use-after-free',
        'x.c:1:2: runtime error: signed integer overflow',
        '2024/01/01 00:00:00 [notice] 1#1: worker process 3 exited with code 1',
        '2024/01/01 00:00:00 [notice] 1#1: worker process 4 exited with code 0',
        '2024/01/01 00:00:00 [info] 2#2: *1 js: fine';
    my $bad = forbidden_lines($log);
    is(scalar @{ $bad->{level} }, 1, 'forbidden: alert line');
    is(scalar @{ $bad->{signal} }, 2, 'forbidden: exited on signal, non-zero code');
    is(scalar @{ $bad->{sanitizer} }, 2, 'forbidden: sanitizer lines');
    is(scalar @{ $bad->{js_exception} }, 1, 'forbidden: js exception');
    $bad = forbidden_lines($log, allow_emerg => 1, allow_js_exception => 1);
    ok(!$bad->{level} && !$bad->{js_exception}, 'forbidden: allowances');
}

like(nginx_conf({config => 'location / {}', no_module => 1}),
     qr/^user root;\n.*^daemon on;\n.*^pid \S+\/nginx\.pid;\n.*listen 127\.0\.0\.1:\d+;/ms,
     'nginx_conf');
unlike(nginx_conf({no_module => 1}), qr/load_module/, 'no_module');

# ------------------------------------------------------------ data blocks

run_tests();

# ------------------------------------------------------------ helper API

my $conf = {no_module => 1, workers => 2, config => <<'EOF'};
        location /v { return 200 "v1 $pid"; }
        location /ok { return 200 "ok"; }
EOF

ok(start_nginx($conf), 'start_nginx') or diag(last_start_output());
my ($master, @workers) = nginx_pids();
ok($master, 'nginx_pids: master');
is(scalar @workers, 2, 'nginx_pids: two workers');
is(thread_count($master), 1, 'stock master has one thread');
like(error_log_text(), qr/start worker processes/, 'error_log_text');

{
    my ($st, $h, $body) = http_request('GET', '/v');
    is($st, 200, 'http_request: status');
    my ($pid) = $body =~ /^v1 (\d+)$/;
    ok($pid && grep({ $_ == $pid } @workers), 'response came from a worker');
}

{
    my @h = map { http_start('GET', '/ok') } 1 .. 5;
    my @b = map { (http_finish($_))[2] } @h;
    is_deeply(\@b, [('ok') x 5], 'concurrent http_start/http_finish');
}

{
    my $c = http_start("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"
                       . "GET /v HTTP/1.1\r\nHost: x\r\n\r\n");
    my @r1 = http_finish($c, keep_open => 1);
    my @r2 = http_finish($c, keep_open => 1);
    is_deeply([$r1[2], $r2[2] =~ /^(v1) \d+$/], ['ok', 'v1'],
              'pipelined responses, keep_open');
    syswrite($c->{sock}, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    my @r3 = http_finish($c);
    is($r3[2], 'ok', 'third request on the kept connection');
}

{
    my $h = http_start("GET /ok HTTP/1.1\r\nHost: x\r\n");    # incomplete
    http_abort($h, rst => 1);
    my ($st) = http_request('GET', '/ok');
    is($st, 200, 'request after an aborted one');
}

{
    my $silent = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                       Listen => 1, Proto => 'tcp');
    my ($st, $h, $body, $m) = http_request('GET', '/', port => $silent->sockport,
                                           timeout => 0.5);
    ok(!defined $st && $m->{error} eq 'timeout', 'client timeout');
    ok($m->{elapsed} >= 0.4 && $m->{elapsed} < 2, 'client timeout is timely');
}

{
    my $off = log_offset();
    http_request('GET', '/nope');
    ok(wait_for_log(qr/open\(\) ".*nope" failed/, $off, 2), 'wait_for_log');
    like(error_log_since($off), qr/No such file/, 'error_log_since');
}

{
    my ($rc, $out) = nginx_test_config({no_module => 1, config => 'return 200;'});
    is($rc, 0, 'nginx_test_config: ok') or diag($out);
    like($out, qr/test is successful/, 'nginx_test_config: output');
    ($rc, $out) = nginx_test_config({no_module => 1, config => 'nv8_bad_directive;'});
    isnt($rc, 0, 'nginx_test_config: bad config fails');
    like($out, qr/unknown directive "nv8_bad_directive"/, 'nginx_test_config: message');
}

{
    my $v2 = {%$conf, config => 'location /v { return 200 "v2"; }'};
    is(reload_nginx(conf => $v2), 1, 'reload_nginx: new config');
    my ($m2, @w2) = nginx_pids();
    is($m2, $master, 'reload: same master');
    ok(!grep({ my $o = $_; grep { $_ == $o } @w2 } @workers), 'reload: new workers');
    is((http_request('GET', '/v'))[2], 'v2', 'reload: new config serves');

    is(reload_nginx(conf => {%$conf, config => 'nv8_bad;'}), 0,
       'reload_nginx: broken config refused');
    my ($m3, @w3) = nginx_pids();
    is_deeply(\@w3, \@w2, 'refused reload: old workers remain');
    is((http_request('GET', '/v'))[2], 'v2', 'refused reload: old config serves');
}

ok(stop_nginx(), 'stop_nginx');
ok(!nginx_pids(), 'stopped: no pids');
{
    my ($st, undef, undef, $m) = http_request('GET', '/ok', timeout => 1);
    ok(!defined $st && $m->{error} =~ /connect/, 'stopped: connect fails');
}

ok(!start_nginx({no_module => 1, config => 'nv8_bad;'}), 'start_nginx fails');
like(last_start_output(), qr/unknown directive "nv8_bad"/, 'last_start_output');

write_file('html/x.txt', 'xyz');
ok(start_nginx({no_module => 1, config => 'location / { root $TEST_NGINX_PREFIX/html; }'
                  =~ s/\$TEST_NGINX_PREFIX/prefix_dir()/er}),
   'start_nginx again');
is((http_request('GET', '/x.txt'))[2], 'xyz', 'write_file + prefix_dir');

__DATA__

=== TEST 1: return text
--- no_module
--- config
    location /ok { return 200 "ok"; }
--- request
GET /ok
--- response_body
ok
--- no_error_log
[error]

=== TEST 2: same config again (nginx reused), HEAD
--- no_module
--- config
    location /ok { return 200 "ok"; }
--- request
HEAD /ok
--- response_body
--- response_headers
Content-Length: 2

=== TEST 3: add_header, absent header
--- no_module
--- config
    location /h { add_header X-Foo "bar baz"; return 200 "h"; }
--- request
GET /h
--- response_headers
X-Foo: bar baz
!X-Absent
Content-Type: text/plain

=== TEST 4: error_code and response_body_like
--- no_module
--- config
    location /ok { return 200 "ok"; }
--- request
GET /missing
--- error_code
404
--- response_body_like
^<html>.*<title>404 Not Found</title>

=== TEST 5: more_headers
--- no_module
--- config
    location /e { return 200 "$http_x_foo|$http_user_agent|$http_host"; }
--- request
GET /e
--- more_headers
X-Foo: bar
User-Agent: nv8
--- response_body
bar|nv8|localhost

=== TEST 6: request body
--- no_module
--- config
    location /p { return 200 "$request_method $content_length $request_uri"; }
--- request
POST /p?a=1
hello
body
--- response_body
POST 10 /p?a=1

=== TEST 7: raw_request with escapes, HTTP/1.0
--- no_module
--- config
    location /ok { return 200 "ok"; }
--- raw_request
GET /ok HTTP/1.0\r\n
\r\n
--- response_body
ok
--- response_headers
Connection: close

=== TEST 8: keep-alive raw_request ends by framing
--- no_module
--- config
    location /ok { return 200 "ok"; }
--- raw_request
GET /ok HTTP/1.1\r\nHost: x\r\n\r\n
--- timeout
2
--- response_body
ok

=== TEST 9: bad request
--- no_module
--- config
    location /ok { return 200 "ok"; }
--- raw_request
BAD\r\n\r\n
--- error_code
400

=== TEST 10: user_files, chunked response
--- no_module
--- config
    location /f/ { alias $TEST_NGINX_PREFIX/html/; sub_filter world there; }
--- user_files
>>> html/a.html
hello world
>>> html/sub/b.html
b
--- request
GET /f/a.html
--- response_body
hello there
--- response_headers
Transfer-Encoding: chunked
!Content-Length

=== TEST 11: error_log literal and qr
--- no_module
--- config
    location /f/ { alias $TEST_NGINX_PREFIX/html/; }
--- request
GET /f/nope.html
--- error_code
404
--- error_log
No such file or directory
qr/open\(\) ".*\/NOPE\.html" failed/i
--- no_error_log
[crit]
qr/\[emerg\]/

=== TEST 12: http_config
--- no_module
--- http_config
    map $uri $m { default mapped; }
--- config
    location /m { return 200 $m; }
--- request
GET /m
--- response_body
mapped

=== TEST 13: main_config, wait
--- no_module
--- main_config
worker_rlimit_nofile 2048;
--- config
    location /ok { return 200 "ok"; }
--- request
GET /ok
--- wait
0.1
--- response_body
ok

=== TEST 14: escaped response body
--- no_module
--- config
    location /n { return 200 "l1\nl2\n"; }
--- request
GET /n
--- response_body escaped
l1\nl2\n

=== TEST 15: port substitution
--- no_module
--- config
    location /port { return 200 "$TEST_NGINX_PORT $server_port"; }
--- request
GET /port
--- response_body_like
^(\d+) \1$

=== TEST 16: must_die
--- no_module
--- config
    nv8_no_such_directive on;
--- must_die
--- error_log
unknown directive "nv8_no_such_directive"
qr/\[emerg\].*nv8_no_such_directive/

=== TEST 17: after must_die nginx starts again
--- no_module
--- config
    location /ok { return 200 "ok"; }
--- request
GET /ok
--- response_body
ok

=== TEST 18: skipped
--- skip
demonstrates --- skip
--- config
    this would not even parse;
--- request
GET /
