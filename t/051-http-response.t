# Node-style responses: status and reason phrase, the header methods,
# writeHead() forms, end(body) vs streamed (chunked) bodies, HEAD/204/304,
# bodiless errors through nginx's error pages and error_page, flushHeaders,
# events, bad input (header injection, invalid status), use after the end,
# back-pressure (write() false, 'drain'), a 1 GiB download within bounded
# memory, client aborts, and HTTP/2.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use IO::Select;
use IO::Socket::INET;
use JSON::PP ();
use POSIX ();
use Time::HiRes qw(sleep time);

require_module();

my $APP = do { local $/; <DATA> };

sub free_port {
    my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                  Proto => 'tcp', Listen => 1) or die $!;
    my $p = $s->sockport;
    close $s;
    return $p;
}

my $H2PORT = free_port();
my $P = prefix_dir();

my $LOCATIONS = <<"EOF";
        location /api { js_handler app.js api; }
        location /reason { js_handler app.js reason; }
        location /writehead { js_handler app.js writehead; }
        location /stream { js_handler app.js stream; }
        location /endbody { js_handler app.js endbody; }
        location /fixedlen { js_handler app.js fixedlen; }
        location /endbytes { js_handler app.js endbytes; }
        location /nobody { js_handler app.js nobody; }
        location /error { js_handler app.js error; }
        location /ep-static {
            error_page 404 /custom404.html;
            error_page 500 =503 /custom404.html;
            js_handler app.js error;
        }
        location /ep-js {
            error_page 404 /custom-js;
            js_handler app.js error;
        }
        location = /custom404.html { root $P/html; }
        location = /custom-js { js_handler app.js custom; }
        location /flush { js_handler app.js flush; }
        location /events { js_handler app.js events; }
        location /bad { js_handler app.js bad; }
        location /badstatus { js_handler app.js badstatus; }
        location /badstatus-uncaught { js_handler app.js badstatusUncaught; }
        location /badhead { js_handler app.js badhead; }
        location /afterend { js_handler app.js afterend; }
        location /finalized { js_handler app.js finalized; }
        location /timerabort { js_handler app.js timerabort; }
        location /download { js_handler app.js download; js_handler_timeout 120s; }
        location /h2info { js_handler app.js h2info; }
EOF

ok(start_nginx({
    http_config => "    server {\n        listen 127.0.0.1:$H2PORT http2;\n"
                 . "        server_name localhost;\n$LOCATIONS    }\n",
    config => $LOCATIONS,
}, 'app.js' => $APP, 'html/custom404.html' => 'static custom page'),
   'nginx started') or diag(last_start_output());

my $PORT = port();

sub json {
    my ($t) = @_;
    my $v = eval { JSON::PP->new->decode($t) };
    diag("bad JSON: $@\n" . ($t // 'undef')) if $@;
    return $v;
}

# all values of a response header, in order
sub values_of {
    my ($m, $name) = @_;
    return [map { $_->[1] } grep { lc $_->[0] eq lc $name } @{ $m->{header_list} }];
}

# -------------------------------------------------------------- header API

{
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', '/api');
    is($st, 201, 'statusCode = 201');
    my $j = json($body) || {};
    ok($j->{hasGone} && !$j->{hasGoneAfter}, 'hasHeader (any case), removeHeader');
    is($j->{getOne}, '1', 'getHeader, any case');
    is($j->{getNum}, 42, 'getHeader returns a number as set');
    is_deeply($j->{getCookie}, ['a=1', 'b=2', 'c=3'], 'appendHeader adds to an array');
    is_deeply($j->{getApp}, ['x', 'y', 'z'], 'appendHeader twice');
    ok($j->{getMissing}, 'getHeader of a missing header is undefined');
    is_deeply($j->{names}, ['x-one', 'x-num', 'set-cookie', 'x-app'],
              'getHeaderNames: lower-case, in order');
    is_deeply($j->{headers}, {'x-one' => '1', 'x-num' => 42,
              'set-cookie' => ['a=1', 'b=2', 'c=3'], 'x-app' => ['x', 'y', 'z']},
              'getHeaders');
    is_deeply($j->{before}, [200, JSON::PP::false(), JSON::PP::false(), JSON::PP::false()],
              'before the end: statusCode 200, nothing sent or ended');
    is($h->{'x-one'}, '1', 'X-One sent');
    is($h->{'x-num'}, '42', 'X-Num sent');
    is_deeply(values_of($m, 'Set-Cookie'), ['a=1', 'b=2', 'c=3'], 'Set-Cookie sent as three lines');
    is_deeply(values_of($m, 'X-App'), ['x', 'y', 'z'], 'X-App sent as three lines');
    ok(!exists $h->{'x-gone'}, 'a removed header is not sent');
    is($h->{'content-type'}, 'application/json', 'Content-Type set from JS');
    is($h->{'content-length'}, length $body, 'end(body): Content-Length');
    ok(!exists $h->{'transfer-encoding'}, 'end(body): not chunked');
    ok(wait_for_log('api after end: [true,true,true]', $off, 2),
       'after end(): headersSent, writableEnded, writableFinished');

    ($st, $h, $body, $m) = http_request('GET', '/reason');
    is($m->{status_line}, 'HTTP/1.1 299 Totally Fine', 'statusMessage is the reason phrase');
    ($st, $h, $body, $m) = http_request('GET', '/reason', proto => 'HTTP/1.0');
    like($m->{status_line}, qr{^HTTP/1\.[01] 299 Totally Fine$}, 'statusMessage over HTTP/1.0');
    check_error_log('header api', $off);
}

{
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', '/writehead?obj');
    is($m->{status_line}, 'HTTP/1.1 202 Accepted Here', 'writeHead(status, message, obj)');
    is($h->{'x-obj'}, 'o', 'writeHead obj header');
    is($h->{'x-before'}, 'b', 'setHeader before writeHead is kept');
    is($h->{'content-type'}, 'text/x-obj', 'writeHead Content-Type');
    is($body, 'headersSent=true late=Error ERR_HTTP_HEADERS_SENT',
       'headersSent after writeHead; setHeader then throws ERR_HTTP_HEADERS_SENT');

    ($st, $h, $body, $m) = http_request('GET', '/writehead?flat');
    is($st, 203, 'writeHead(status, flat array)');
    is_deeply(values_of($m, 'X-Flat'), ['f1', 'f2'], 'flat array: repeated names');
    is_deeply(values_of($m, 'Set-Cookie'), ['s1', 's2'], 'flat array: Set-Cookie twice');

    ($st, $h, $body, $m) = http_request('GET', '/writehead?pairs');
    is($st, 200, 'writeHead(status, array of pairs)');
    is_deeply(values_of($m, 'X-Pair'), ['p1', 'p2'], 'pairs: repeated names');
    is($h->{'x-other'}, 'o', 'pairs: another header');
    like($m->{status_line}, qr{^HTTP/1\.1 200 OK$}, 'default reason phrase');
    check_error_log('writeHead', $off);
}

# -------------------------------------------------------------- body framing

{
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', '/stream');
    is($body, 'part0;part1;part2;part3;part4;done', 'write() x5 then end(): body');
    is($h->{'transfer-encoding'}, 'chunked', 'streamed on HTTP/1.1: chunked');
    ok(!exists $h->{'content-length'}, 'streamed: no Content-Length');
    ok($m->{complete}, 'streamed: the chunked body ends with the last chunk');

    ($st, $h, $body, $m) = http_request('GET', '/stream', proto => 'HTTP/1.0');
    is($body, 'part0;part1;part2;part3;part4;done', 'streamed on HTTP/1.0: body');
    ok(!exists $h->{'transfer-encoding'}, 'streamed on HTTP/1.0: not chunked');
    ok($m->{eof}, 'streamed on HTTP/1.0: ends with the connection');

    ($st, $h, $body) = http_request('GET', '/endbody', proto => 'HTTP/1.0');
    is($h->{'content-length'}, 12, 'end(body) on HTTP/1.0: Content-Length');
    is($body, 'exactly this', 'end(body) on HTTP/1.0: body');

    ($st, $h, $body, $m) = http_request('GET', '/fixedlen');
    is($body, '1234567890', 'Content-Length set by JS, then write(), end(): body');
    is($h->{'content-length'}, 10, '... that Content-Length is sent');
    ok(!exists $h->{'transfer-encoding'}, '... and the body is not chunked');

    ($st, $h, $body) = http_request('GET', '/endbytes');
    is($body, "\0\1\2\xFF\n", 'end(Uint8Array): bytes as they are');
    is($h->{'content-length'}, 5, 'end(Uint8Array): Content-Length');

    # keep-alive after each kind, pipelined
    my $h2 = http_start(join('', map { "GET $_ HTTP/1.1\r\nHost: localhost\r\n\r\n" }
                             qw(/stream /endbody /stream))
                        . "GET /endbody HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                        undef);
    my @b = map { (http_finish($h2, keep_open => $_ < 4))[2] } 1 .. 4;
    is_deeply(\@b, ['part0;part1;part2;part3;part4;done', 'exactly this',
                    'part0;part1;part2;part3;part4;done', 'exactly this'],
              'keep-alive: chunked and Content-Length responses in a row');
    check_error_log('framing', $off);
}

{
    # HEAD, 204, 304: no body, and the connection stays usable
    my $off = log_offset();
    for my $case (['HEAD', 200], ['GET', 204], ['GET', 304], ['HEAD', 404],
                  ['GET', '204w'], ['GET', '304w'], ['HEAD', '404w']) {
        my ($method, $arg) = @$case;
        my ($code) = $arg =~ /^(\d+)/;
        my $h = http_start("$method /nobody?$arg HTTP/1.1\r\nHost: localhost\r\n\r\n"
                           . "GET /endbody HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                           undef);
        my ($st, $hd, $body, $m) = http_finish($h, keep_open => 1);
        is($st, $code, "$method $arg: status");
        is($body, '', "$method $arg: no body");
        is($hd->{'x-code'}, $code, "$method $arg: headers from JS") if $code != 404;
        ok(!exists $hd->{'transfer-encoding'}, "$method $arg: not chunked") if $code != 200;
        unlike($m->{raw}, qr/must not|body of/, "$method $arg: no body bytes on the wire");
        $h->{method} = 'GET';       # the next response is a GET's
        my ($st2, undef, $b2, $m2) = http_finish($h);
        is($b2, 'exactly this', "$method $arg: the next response on the connection is intact");
        unlike($m2->{raw} // '', qr/must not|body of/, "$method $arg: nothing left over");
    }
    check_error_log('no body', $off);
}

# -------------------------------------------------------------- errors

{
    my $off = log_offset();
    for my $code (404, 500, 403) {
        my ($st, $h, $body) = http_request('GET', "/error?$code");
        is($st, $code, "writeHead($code); end(): status");
        like($body, qr{<h1>$code [A-Z]}, "writeHead($code); end(): nginx's error page");
        is($h->{'x-js'}, 'kept', "writeHead($code); end(): the header JS set is kept");
    }
    my ($st, $h, $body) = http_request('GET', '/ep-static?404');
    is($st, 404, 'error_page 404 static: status');
    is($body, 'static custom page', 'error_page 404 static: the custom page');
    is($h->{'x-js'}, 'kept', 'error_page 404 static: the header JS set is kept');

    ($st, $h, $body) = http_request('GET', '/ep-static?500');
    is($st, 503, 'error_page 500 =503: status changed');
    is($body, 'static custom page', 'error_page 500 =503: the custom page');

    ($st, $h, $body) = http_request('GET', '/ep-js?404');
    is($st, 404, 'error_page to a JS location: status');
    is($body, 'custom page for /ep-js?404',
       'error_page to a JS location: its body (req.url is the original request URI)');

    ($st, $h, $body) = http_request('GET', '/ep-js?410');
    is($st, 410, 'no error_page for 410: status');
    like($body, qr{<h1>410 Gone</h1>}, "no error_page for 410: nginx's page");
    check_error_log('error pages', $off);
}

{
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', '/bad');
    is($st, 200, 'bad input: the handler still answers');
    my $j = json($body) || {};
    my %want = (
        crName => 'TypeError ERR_INVALID_HTTP_TOKEN',
        crValue => 'TypeError ERR_INVALID_CHAR',
        lfValue => 'TypeError ERR_INVALID_CHAR',
        nulValue => 'TypeError ERR_INVALID_CHAR',
        arrValue => 'TypeError ERR_INVALID_CHAR',
        appendValue => 'TypeError ERR_INVALID_CHAR',
        spaceName => 'TypeError ERR_INVALID_HTTP_TOKEN',
        colonName => 'TypeError ERR_INVALID_HTTP_TOKEN',
        emptyName => 'TypeError ERR_INVALID_HTTP_TOKEN',
        utfName => 'TypeError ERR_INVALID_HTTP_TOKEN',
        undefValue => 'TypeError ERR_HTTP_INVALID_HEADER_VALUE',
        whObj => 'TypeError ERR_INVALID_CHAR',
        whArr => 'TypeError ERR_INVALID_HTTP_TOKEN',
        status99 => 'RangeError ERR_HTTP_INVALID_STATUS_CODE',
        status1000 => 'RangeError ERR_HTTP_INVALID_STATUS_CODE',
        statusAbc => 'RangeError ERR_HTTP_INVALID_STATUS_CODE',
        status2005 => 'RangeError ERR_HTTP_INVALID_STATUS_CODE',
    );
    is($j->{$_}, $want{$_}, "bad input: $_ throws $want{$_}") for sort keys %want;
    is_deeply($j->{names}, [], 'bad input: no header was stored');
    ok(!$j->{headersSent}, 'bad input: a throwing writeHead sends nothing');
    unlike($m->{raw}, qr/Injected|X-[A-F]:|X-H:/i, 'bad input: nothing injected on the wire');

    for my $v ('99', '1000', 'abc', '0') {
        my $o2 = log_offset();
        ($st, $h, $body) = http_request('GET', "/badstatus?$v");
        is($body, 'caught ERR_HTTP_INVALID_STATUS_CODE',
           "statusCode = $v; end() throws ERR_HTTP_INVALID_STATUS_CODE");
        like(error_log_since($o2), qr/badstatus \Q$v\E: RangeError ERR_HTTP_INVALID_STATUS_CODE/,
             "statusCode = $v: a RangeError");
    }
    ($st, $h, $body) = http_request('GET', '/badstatus?599');
    is($st, 599, 'statusCode = 599 is fine');

    # rejected by nginx's side: the response stays open for another try
    for my $case (['message', 'TypeError ERR_INVALID_CHAR'],
                  ['length', 'TypeError ERR_INVALID_CHAR'],
                  ['flush', 'TypeError ERR_INVALID_CHAR']) {
        my ($kind, $want) = @$case;
        ($st, $h, $body, $m) = http_request('GET', "/badhead?$kind");
        is($st, 200, "bad $kind: the handler answers after the error");
        is($body, "caught $want; headersSent=false", "bad $kind: $want, nothing sent");
        unlike($m->{raw}, qr/Injected/, "bad $kind: nothing injected");
    }

    # uncaught: a 500 at once, not a hang until js_handler_timeout
    my $o3 = log_offset();
    ($st, $h, $body, $m) = http_request('GET', '/badstatus-uncaught', timeout => 5);
    is($st, 500, 'statusCode = 99; end() uncaught: 500');
    cmp_ok($m->{elapsed}, '<', 2, 'statusCode = 99; end() uncaught: answered at once');
    like(error_log_since($o3), qr/js exception: RangeError: Invalid status code: 99/,
         'statusCode = 99; end() uncaught: logged');

    ($st, $h, $body) = http_request('GET', '/afterend');
    is($body, 'first', 'write after end: the response is the first end()');
    ok(wait_for_log('afterend: write Error ERR_STREAM_WRITE_AFTER_END; end no error', $off, 2),
       'write after end throws ERR_STREAM_WRITE_AFTER_END; a second end() is a no-op');
    check_error_log('bad input', $off, allow_js_exception => 1);
}

{
    my $off = log_offset();
    my ($st, $h, $body) = http_request('GET', '/finalized');
    is($body, 'bye', 'finalized: response');
    ok(wait_for_log('finalized: socket', $off, 3), 'finalized: the timer ran');
    my $log = error_log_since($off);
    like($log, qr/finalized: rawHeaders Error ERR_NV8_REQUEST_FINALIZED/,
         'rawHeaders first read after the request was freed: ERR_NV8_REQUEST_FINALIZED');
    like($log, qr/finalized: rawHeaders .*; write Error ERR_STREAM_WRITE_AFTER_END/,
         'write to the ended response throws');
    like($log, qr/finalized: socket ERR_NV8_REQUEST_FINALIZED/,
         'req.socket after the request was freed: ERR_NV8_REQUEST_FINALIZED');
    check_error_log('finalized', $off);
}

# -------------------------------------------------------------- flushHeaders, events

{
    my $off = log_offset();
    my $h = http_start('GET', '/flush');
    my $got = '';
    my $sel = IO::Select->new($h->{sock});
    my $t0 = time;
    while (time - $t0 < 0.4 && $got !~ /\r\n\r\n/) {
        last unless $sel->can_read(0.4);
        sysread($h->{sock}, $got, 4096, length $got) or last;
    }
    like($got, qr{^HTTP/1\.1 200 OK\r\n(?:.*\r\n)*X-Flushed: yes\r\n(?:.*\r\n)*\r\n\z},
         'flushHeaders(): the headers arrive before the body is ready');
    unlike($got, qr/later/, 'flushHeaders(): ... and no body yet');
    $h->{rest} = $got;
    my ($st, $hd, $body) = http_finish($h);
    is($body, 'later, headersSent=true', 'flushHeaders(): headersSent; the body follows');
    is($hd->{'transfer-encoding'}, 'chunked', 'flushHeaders(): then the body is chunked');

    ($st, $hd, $body) = http_request('GET', '/events?e1');
    is($body, 'ev', 'events: body');
    ok(wait_for_log('events /events?e1: res close after finish', $off, 2),
       "'finish' then 'close' on res");
    like(error_log_since($off), qr{events /events\?e1: req close}, "'close' on req");
    check_error_log('flush/events', $off);
}

# -------------------------------------------------------------- aborts

{
    my @workers = worker_pids();
    for my $rst (0, 1) {
        my $off = log_offset();
        my $tag = "/timerabort?rst=$rst";
        my $h = http_start('GET', $tag);
        sleep 0.2;
        http_abort($h, rst => $rst);
        ok(wait_for_log("timerabort $tag: res close", $off, 3),
           "$tag: client closes while the handler waits on a timer: 'close'");
        my $log = error_log_since($off);
        like($log, qr/\Q$tag\E: aborted=true/, "$tag: 'aborted', req.aborted");
        like($log, qr/\Q$tag\E: req close/, "$tag: req 'close'");
        like($log, qr/\Q$tag\E: res close ended=false/, "$tag: res 'close' before the end");
        ok(wait_for_log("timerabort $tag: timer fired, write returned false", $off, 3),
           "$tag: the timer's write to the gone request returns false");
        my ($st, undef, $body) = http_request('GET', '/endbody');
        is($body, 'exactly this', "$tag: the next request is served");
        check_error_log("abort $tag", $off);
    }

    for my $rst (0, 1) {
        my $off = log_offset();
        my $tag = "/download?n=1073741824&rst=$rst";
        my $h = http_start('GET', $tag);
        ok(wait_for_log("download $tag: write returned false", $off, 5),
           "$tag: the client does not read; write() returns false");
        sleep 0.2;
        http_abort($h, rst => $rst);
        ok(wait_for_log(qr/download \Q$tag\E: close, sent \d+, ended false/, $off, 5),
           "$tag: client closes while a write waits for drain: 'close'");
        like(error_log_since($off), qr/download \Q$tag\E: aborted/, "$tag: 'aborted'");
        unlike(error_log_since($off), qr/download \Q$tag\E: done/, "$tag: never finished");
        my ($st, undef, $body) = http_request('GET', '/endbody');
        is($body, 'exactly this', "$tag: the next request is served");
        check_error_log("abort $tag", $off);
    }
    is_deeply([worker_pids()], \@workers, 'aborts: the same worker still runs');
}

# -------------------------------------------------------------- big downloads

sub rss_kb {
    my ($pid) = @_;
    open my $fh, '<', "/proc/$pid/status" or return 0;
    local $/;
    my $s = <$fh>;
    return $s =~ /^VmRSS:\s*(\d+)/m ? $1 : 0;
}

# Runs curl in the background and samples the workers' RSS meanwhile;
# returns (curl's output, the largest growth of one worker's RSS in kB).
sub curl_with_rss {
    my (@args) = @_;
    my @w = worker_pids();
    my %base = map { $_ => rss_kb($_) } @w;
    my %max = %base;
    my $out = "$P/curl.out";
    my $c = fork // die "fork: $!";
    if (!$c) {
        open STDOUT, '>', $out;
        open STDERR, '>&', \*STDOUT;
        { exec 'curl', '-sS', '--max-time', '60', '-o', '/dev/null',
               '-w', '%{size_download} %{http_code} %{http_version}', @args }
        POSIX::_exit(127);
    }
    while (waitpid($c, POSIX::WNOHANG()) == 0) {
        for (@w) {
            my $r = rss_kb($_);
            $max{$_} = $r if $r > $max{$_};
        }
        sleep 0.05;
    }
    my ($grow) = sort { $b <=> $a } map { $max{$_} - $base{$_} } @w;
    local $/;
    open my $fh, '<', $out;
    return (scalar <$fh>, $grow);
}

{
    my $off = log_offset();
    # warm up: buffers, JIT (every worker, when there are several)
    for (1 .. scalar worker_pids()) {
        my ($warm) = curl_with_rss("http://127.0.0.1:$PORT/download?n=67108864&warm");
        is($warm, '67108864 200 1.1', '64 MiB download (warm-up)');
    }
    my $t0 = time;
    my ($res, $grow) = curl_with_rss("http://127.0.0.1:$PORT/download?n=1073741824&big");
    is($res, '1073741824 200 1.1',
       sprintf('1 GiB streamed download over HTTP/1.1: every byte (%.1fs)', time - $t0));
    cmp_ok($grow, '<', 30 * 1024,
           "1 GiB download: worker RSS grows by less than 30 MB ($grow kB)");
    # whether nginx ever holds output back depends on who is faster (under
    # ASan the worker never gets ahead of curl); back-pressure itself is
    # asserted with a client that stops reading, above
    ok(wait_for_log(qr{download /download\?n=1073741824&big: done, \d+ waits for drain}, $off, 10),
       "1 GiB download: the handler ended the response");

    $t0 = time;
    ($res, $grow) = curl_with_rss('--http2-prior-knowledge',
                                  "http://127.0.0.1:$H2PORT/download?n=1073741824&h2");
    is($res, '1073741824 200 2',
       sprintf('1 GiB streamed download over HTTP/2: every byte (%.1fs)', time - $t0));
    cmp_ok($grow, '<', 30 * 1024,
           "HTTP/2 1 GiB download: worker RSS grows by less than 30 MB ($grow kB)");
    check_error_log('big downloads', $off);
}

# -------------------------------------------------------------- HTTP/2

{
    my $off = log_offset();
    my $out = `curl -sS -i --http2-prior-knowledge http://127.0.0.1:$H2PORT/h2info 2>&1`;
    like($out, qr{^HTTP/2 207\s*\r?\n}, 'HTTP/2: status 207 (no reason phrase in HTTP/2)');
    like($out, qr{^x-h2: yes\r?$}mi, 'HTTP/2: header from writeHead');
    like($out, qr{^x-version: 2\.0\r?$}mi, 'HTTP/2: httpVersion 2.0');
    like($out, qr{\r?\n\r?\nh2 body\z}, 'HTTP/2: body');

    $out = `curl -sS -i --http2-prior-knowledge http://127.0.0.1:$H2PORT/stream 2>&1`;
    like($out, qr{\r?\n\r?\npart0;part1;part2;part3;part4;done\z}, 'HTTP/2: streamed body');
    unlike($out, qr{^transfer-encoding}mi, 'HTTP/2: no Transfer-Encoding');

    $out = `curl -sS -i --http2-prior-knowledge -I http://127.0.0.1:$H2PORT/nobody?200 2>&1`;
    like($out, qr{^HTTP/2 200}, 'HTTP/2 HEAD: status');
    like($out, qr{^x-code: 200\r?$}mi, 'HTTP/2 HEAD: headers');
    unlike($out, qr/body of/, 'HTTP/2 HEAD: no body');

    $out = `curl -sS -i --http2-prior-knowledge http://127.0.0.1:$H2PORT/ep-static?404 2>&1`;
    like($out, qr{^HTTP/2 404}, 'HTTP/2 error_page: status');
    like($out, qr{static custom page\z}, 'HTTP/2 error_page: the custom page');

    # an HTTP/2 client that gives up in the middle of a download
    my $o2 = log_offset();
    my $tag = '/download?n=1073741824&h2abort';
    system("curl -s --http2-prior-knowledge --limit-rate 1M --max-time 1 -o /dev/null "
           . "'http://127.0.0.1:$H2PORT$tag'");
    ok(wait_for_log(qr/download \Q$tag\E: close, sent \d+, ended false/, $o2, 5),
       "HTTP/2 client gone in the middle of a download: 'close'");
    like(error_log_since($o2), qr/download \Q$tag\E: aborted/, "HTTP/2 client gone: 'aborted'");
    $out = `curl -sS --http2-prior-knowledge http://127.0.0.1:$H2PORT/endbody 2>&1`;
    is($out, 'exactly this', 'HTTP/2: the next request is served');

    $out = `curl -sS -i --http2-prior-knowledge http://127.0.0.1:$H2PORT/api 2>&1`;
    like($out, qr{^HTTP/2 201}, 'HTTP/2 api: status');
    is(scalar(() = $out =~ /^set-cookie: /mgi), 3, 'HTTP/2: three Set-Cookie fields');
    check_error_log('http2', $off);
}

__DATA__
function tryCode(fn) {
    try {
        fn();
        return 'no error';
    } catch (err) {
        return `${err.constructor.name} ${err.code}`;
    }
}

export function api(req, res) {
    const out = {};
    res.setHeader('X-One', '1');
    res.setHeader('X-Num', 42);
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    res.appendHeader('Set-Cookie', 'c=3');
    res.appendHeader('X-App', 'x');
    res.appendHeader('x-app', ['y', 'z']);
    res.setHeader('X-Gone', 'soon');
    out.hasGone = res.hasHeader('x-GONE');
    res.removeHeader('X-Gone');
    out.hasGoneAfter = res.hasHeader('X-Gone');
    out.getOne = res.getHeader('x-one');
    out.getNum = res.getHeader('X-NUM');
    out.getCookie = res.getHeader('set-cookie');
    out.getApp = res.getHeader('X-App');
    out.getMissing = res.getHeader('nope') === undefined;
    out.names = res.getHeaderNames();
    out.headers = res.getHeaders();
    out.before = [res.statusCode, res.headersSent, res.writableEnded, res.writableFinished];
    res.setHeader('Content-Type', 'application/json');
    res.statusCode = 201;
    const body = JSON.stringify(out);
    res.end(body);
    console.log('api after end: ' + JSON.stringify([res.headersSent, res.writableEnded, res.writableFinished]));
}

export function reason(req, res) {
    res.statusCode = 299;
    res.statusMessage = 'Totally Fine';
    res.end('r');
}

export function writehead(req, res) {
    const kind = req.url.split('?')[1];
    if (kind === 'obj') {
        res.setHeader('X-Before', 'b');
        res.writeHead(202, 'Accepted Here', { 'X-Obj': 'o', 'Content-Type': 'text/x-obj' });
    } else if (kind === 'flat') {
        res.writeHead(203, ['X-Flat', 'f1', 'X-Flat', 'f2', 'Set-Cookie', 's1', 'Set-Cookie', 's2']);
    } else if (kind === 'pairs') {
        res.writeHead(200, [['X-Pair', 'p1'], ['X-Pair', 'p2'], ['X-Other', 'o']]);
    } else {
        res.writeHead(200);
    }
    const sent = res.headersSent;
    const again = tryCode(() => res.setHeader('X-Late', '1'));
    res.end(`headersSent=${sent} late=${again}`);
}

export async function stream(req, res) {
    res.setHeader('Content-Type', 'text/plain');
    for (let i = 0; i < 5; i++) {
        res.write(`part${i};`);
        await new Promise((r) => setTimeout(r, 10));
    }
    res.end('done');
}

export function fixedlen(req, res) {
    res.setHeader('Content-Length', 10);
    res.write('12345');
    setTimeout(() => res.end('67890'), 20);
}

export function endbody(req, res) {
    res.end('exactly this');
}

export function endbytes(req, res) {
    res.end(new Uint8Array([0, 1, 2, 255, 10]));
}

export function nobody(req, res) {
    const arg = req.url.split('?')[1] || '200';
    const code = parseInt(arg, 10);
    console.log(`nobody ${req.method} ${code}`);
    res.statusCode = code;
    res.setHeader('X-Code', code);
    if (code === 200 || arg.endsWith('w')) {
        res.write('body of ');
        res.end('a GET');
    } else {
        res.end('this body must not be sent');
    }
}

export function error(req, res) {
    const code = Number(req.url.split('?')[1] || 404);
    res.setHeader('X-Js', 'kept');
    res.writeHead(code);
    res.end();
}

export function custom(req, res) {
    res.end('custom page for ' + req.url);
}

export function flush(req, res) {
    res.setHeader('X-Flushed', 'yes');
    res.flushHeaders();
    const sent = res.headersSent;
    setTimeout(() => res.end(`later, headersSent=${sent}`), 500);
}

export function events(req, res) {
    const tag = req.url;
    const seen = [];
    res.on('finish', () => { seen.push('finish'); console.log(`events ${tag}: finish`); });
    res.on('close', () => console.log(`events ${tag}: res close after ${seen.join(',')}`));
    req.on('close', () => console.log(`events ${tag}: req close`));
    res.end('ev');
}

export function bad(req, res) {
    const r = {};
    r.crName = tryCode(() => res.setHeader('X-A\r\nInjected', 'v'));
    r.crValue = tryCode(() => res.setHeader('X-B', 'v\r\nInjected: yes'));
    r.lfValue = tryCode(() => res.setHeader('X-C', 'v\nInjected: yes'));
    r.nulValue = tryCode(() => res.setHeader('X-D', 'v\0x'));
    r.arrValue = tryCode(() => res.setHeader('X-E', ['ok', 'bad\r\nInjected: yes']));
    r.appendValue = tryCode(() => res.appendHeader('X-F', 'a\rb'));
    r.spaceName = tryCode(() => res.setHeader('X G', 'v'));
    r.colonName = tryCode(() => res.setHeader('X:G', 'v'));
    r.emptyName = tryCode(() => res.setHeader('', 'v'));
    r.utfName = tryCode(() => res.setHeader('X-\u00e9', 'v'));
    r.undefValue = tryCode(() => res.setHeader('X-U', undefined));
    r.whObj = tryCode(() => res.writeHead(200, { 'X-H': 'a\r\nInjected: yes' }));
    r.whArr = tryCode(() => res.writeHead(200, ['Bad Name', 'v']));
    r.status99 = tryCode(() => res.writeHead(99));
    r.status1000 = tryCode(() => res.writeHead(1000));
    r.statusAbc = tryCode(() => res.writeHead('abc'));
    r.status2005 = tryCode(() => res.writeHead(200.5));
    r.names = res.getHeaderNames();
    r.headersSent = res.headersSent;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(r));
}

export function badstatus(req, res) {
    const v = decodeURIComponent(req.url.split('?')[1]);
    res.statusCode = isNaN(Number(v)) ? v : Number(v);
    try {
        res.end('x');
        console.log(`badstatus ${v}: no error`);
    } catch (err) {
        console.log(`badstatus ${v}: ${err.constructor.name} ${err.code}`);
        res.statusCode = 200;
        res.end(`caught ${err.code}`);
    }
}

export function badstatusUncaught(req, res) {
    res.statusCode = 99;
    res.end('x');
}

export function badhead(req, res) {
    const kind = req.url.split('?')[1];
    let r;
    try {
        if (kind === 'message') {
            res.statusMessage = 'OK\r\nInjected: yes';
            res.end('x');
        } else if (kind === 'length') {
            res.setHeader('Content-Length', 'abc');
            res.end('x');
        } else {
            res.statusMessage = 'OK\nInjected: yes';
            res.flushHeaders();
        }
        r = 'no error';
    } catch (err) {
        r = `${err.constructor.name} ${err.code}`;
    }
    res.statusMessage = undefined;
    res.removeHeader('Content-Length');
    res.end(`caught ${r}; headersSent=${res.headersSent}`);
}

export function afterend(req, res) {
    res.end('first');
    const r = tryCode(() => res.write('more'));
    const e = tryCode(() => res.end('again'));
    console.log(`afterend: write ${r}; end ${e}`);
}

export function finalized(req, res) {
    const req2 = req;
    res.end('bye');
    setTimeout(() => {
        let r;
        try {
            r = 'no error: ' + req2.rawHeaders.length;
        } catch (err) {
            r = `${err.constructor.name} ${err.code}`;
        }
        const w = res.write === undefined ? 'n/a' : tryCode(() => res.write('x'));
        console.log(`finalized: rawHeaders ${r}; write ${w}`);
        try {
            console.log(`finalized: socket ${req2.socket.remoteAddress}`);
        } catch (err) {
            console.log(`finalized: socket ${err.code}`);
        }
    }, 200);
}

export function timerabort(req, res) {
    const tag = req.url;
    req.on('aborted', () => console.log(`timerabort ${tag}: aborted=${req.aborted}`));
    req.on('close', () => console.log(`timerabort ${tag}: req close`));
    res.on('close', () => console.log(`timerabort ${tag}: res close ended=${res.writableEnded}`));
    setTimeout(() => {
        const w = res.write('late');
        res.end();
        console.log(`timerabort ${tag}: timer fired, write returned ${w}`);
    }, 1000);
}

// writes "total" bytes (?n=...) in 64 KiB chunks, honouring back-pressure
export function download(req, res) {
    const total = Number(new URLSearchParams(req.url.split('?')[1]).get('n'));
    const tag = req.url;
    const chunk = new Uint8Array(65536).fill(97);
    let sent = 0, falses = 0;
    res.setHeader('Content-Type', 'application/octet-stream');
    res.on('close', () => console.log(`download ${tag}: close, sent ${sent}, ended ${res.writableEnded}`));
    req.on('aborted', () => console.log(`download ${tag}: aborted`));
    const pump = () => {
        // a fast client can take everything without write() returning
        // false: yield every 16 MiB, or an ASan build on a loaded machine
        // runs past js_cpu_limit (1 s) in this one loop
        const stop = sent + 16 * 1048576;
        while (sent < total) {
            if (sent >= stop) {
                setImmediate(pump);
                return;
            }
            const n = Math.min(chunk.length, total - sent);
            const ok = res.write(n === chunk.length ? chunk : chunk.subarray(0, n));
            sent += n;
            if (!ok) {
                falses++;
                if (falses === 1) console.log(`download ${tag}: write returned false at ${sent}`);
                if (res.destroyed) return;
                res.once('drain', pump);
                return;
            }
        }
        res.end();
        console.log(`download ${tag}: done, ${falses} waits for drain`);
    };
    pump();
}

export function h2info(req, res) {
    res.statusMessage = 'Ignored In H2';
    res.setHeader('X-Version', req.httpVersion);
    res.writeHead(207, { 'X-H2': 'yes' });
    res.end('h2 body');
}
