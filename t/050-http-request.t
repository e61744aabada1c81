# Node-style request objects: method, url, headers (Node's joining rules),
# rawHeaders, socket; the request body as a readable stream (async
# iteration, 'data'/'end', pause/resume, setEncoding, pipe), unbuffered and
# with js_request_buffering on; client_max_body_size, Expect: 100-continue,
# keep-alive with unread bodies, slow/chunked/aborted uploads, big uploads
# with curl over HTTP/1.1 and HTTP/2.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use IO::Select;
use IO::Socket::INET;
use JSON::PP ();
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

my $LOCATIONS = <<'EOF';
        client_max_body_size 200m;
        location /info { js_handler app.js info; }
        location /hex { js_handler app.js hexheaders; }
        location /echo { js_handler app.js echo; }
        location /count { js_handler app.js count; }
        location /sum { js_handler app.js sum; }
        location /paused { js_handler app.js paused; }
        location /utf8 { js_handler app.js utf8; }
        location /utf8data { js_handler app.js utf8data; }
        location /pipe { js_handler app.js pipe; }
        location /noread { js_handler app.js noread; }
        location /noreadlater { js_handler app.js noreadlater; }
        location /late { js_handler app.js late; }
        location /abortread { js_handler app.js abortread; }
        location /abortdata { js_handler app.js abortdata; }
        location /limited {
            client_max_body_size 1k;
            js_handler app.js limited;
        }
        location /buffered {
            js_request_buffering on;
            client_body_buffer_size 1k;
            js_handler app.js sum;
        }
        location /buffered-echo {
            js_request_buffering on;
            client_body_buffer_size 1k;
            js_handler app.js echo;
        }
        location /limited-flushed {
            client_max_body_size 1k;
            js_handler app.js limitedFlushed;
        }
        location /body-timeout {
            client_body_timeout 500ms;
            js_handler app.js limited;
        }
        location /buffered-abort {
            js_request_buffering on;
            client_body_buffer_size 1k;
            js_handler app.js abortread;
        }
        location /small-buffer {
            client_body_buffer_size 1k;
            js_handler app.js sum;
        }
EOF

ok(start_nginx({
    http_config => "    large_client_header_buffers 4 16k;\n"
                 . "    server {\n        listen 127.0.0.1:$H2PORT http2;\n"
                 . "        server_name localhost;\n$LOCATIONS    }\n",
    config => $LOCATIONS,
}, 'app.js' => $APP), 'nginx started') or diag(last_start_output());

my $PORT = port();

sub rss_kb {
    my ($pid) = @_;
    open my $fh, '<', "/proc/$pid/status" or return 0;
    local $/;
    my $s = <$fh>;
    return $s =~ /^VmRSS:\s*(\d+)/m ? $1 : 0;
}

# the rolling sum computed in JS: s = s * 31 + byte (mod 2^32)
sub rolling {
    my ($s, $data) = @_;
    $s = ($s * 31 + $_) % 4294967296 for unpack 'C*', $data;
    return $s;
}

# the handlers' JSON answers (JSON::PP is core Perl)
sub json {
    my ($t) = @_;
    my $v = eval { JSON::PP->new->decode($t) };
    diag("bad JSON: $@\n$t") if $@;
    return $v;
}

sub pattern {                       # byte i is i % 251
    my ($len) = @_;
    my $block = join '', map { chr } 0 .. 250;
    my $s = $block x (int($len / 251) + 1);
    return substr($s, 0, $len);
}

# -------------------------------------------------------------- request line

{
    my $off = log_offset();
    my ($st, $h, $body) = http_request('GET', '/info?a=1&b=%20x', proto => 'HTTP/1.1');
    is($st, 200, 'info: status');
    my $j = json($body) || {};
    is($j->{method}, 'GET', 'req.method');
    is($j->{url}, '/info?a=1&b=%20x', 'req.url is the raw target, query included');
    is($j->{httpVersion}, '1.1', 'req.httpVersion 1.1');

    ($st, $h, $body) = http_request('DELETE', '/info', proto => 'HTTP/1.0');
    $j = json($body) || {};
    is($j->{method}, 'DELETE', 'req.method DELETE');
    is($j->{httpVersion}, '1.0', 'req.httpVersion 1.0');

    # socket: the client's address and port
    my $hd = http_start('GET', '/info');
    my $local = $hd->{sock}->sockport;
    ($st, $h, $body) = http_finish($hd);
    $j = json($body) || {};
    is($j->{remoteAddress}, '127.0.0.1', 'req.socket.remoteAddress');
    is($j->{remotePort}, $local, 'req.socket.remotePort is the client port');
    is($j->{connAddress}, '127.0.0.1', 'req.connection.remoteAddress');
    is($j->{connPort}, $local, 'req.connection.remotePort');
    check_error_log('request line', $off);
}

# -------------------------------------------------------------- headers

{
    my $off = log_offset();
    my ($st, $h, $body) = http_request('GET', '/info', headers => [
        'X-Multi: one', 'x-multi: two', 'X-MULTI: three',
        'Cookie: a=1', 'Cookie: b=2',
        'Set-Cookie: s=1', 'Set-Cookie: t=2',
        'User-Agent: first-ua', 'User-Agent: second-ua',
        'Referer: http://first/', 'Referer: http://second/',
        'From: first\@x', 'From: second\@x',
        'X-Empty: ',
        'Accept: text/html', 'Accept: text/plain',
    ]);
    is($st, 200, 'repeated headers: status');
    my $j = json($body) || {};
    my $hd = $j->{headers} || {};
    is($hd->{'x-multi'}, 'one, two, three', 'repeated X-Multi joined with ", "');
    is($hd->{accept}, 'text/html, text/plain', 'repeated Accept joined with ", "');
    is($hd->{cookie}, 'a=1; b=2', 'repeated Cookie joined with "; "');
    is_deeply($hd->{'set-cookie'}, ['s=1', 't=2'], 'Set-Cookie is an array');
    is($hd->{'user-agent'}, 'first-ua', 'repeated User-Agent keeps the first');
    is($hd->{referer}, 'http://first/', 'repeated Referer keeps the first');
    is($hd->{from}, 'first\@x', 'repeated From keeps the first');
    is($hd->{'x-empty'}, '', 'empty header value');
    is($hd->{host}, 'localhost', 'Host');
    ok(!grep({ /[A-Z]/ } keys %$hd), 'header names are lower-cased');

    my $raw = $j->{rawHeaders} || [];
    my @names = map { $raw->[2 * $_] } 0 .. $#$raw / 2;
    is_deeply([grep { /multi/i } @names], ['X-Multi', 'x-multi', 'X-MULTI'],
              'rawHeaders keep the case and order as received');
    is(scalar(@$raw) % 2, 0, 'rawHeaders is a flat name, value list');
    is_deeply($j->{headersDistinct}{'x-multi'}, ['one', 'two', 'three'],
              'headersDistinct x-multi');
    is_deeply($j->{headersDistinct}{'user-agent'}, ['first-ua', 'second-ua'],
              'headersDistinct keeps every User-Agent');
    is_deeply($j->{headersDistinct}{host}, ['localhost'],
              'headersDistinct single value is an array');
    check_error_log('repeated headers', $off);
}

{
    # odd bytes: obs-text (0x80-0xFF), inner tabs, a 6 KB header
    my $off = log_offset();
    my $odd = "a\tb\x80\xA0\xC3\xA9\xFF z";
    my $long = join '', map { chr(0x21 + $_ % 90) } 0 .. 6143;
    my ($st, $h, $body) = http_request('GET', '/hex', headers => [
        "X-Odd: $odd", "X-Long: $long", "X-Tab: \tpadded\t",
    ]);
    is($st, 200, 'odd headers: status');
    my %got = map { /^([^=]+)=(\S*) (\d+)$/ ? ($1 => [$2, $3]) : () }
              split /\n/, $body // '';
    is($got{'X-Odd'}[0], unpack('H*', $odd),
       'obs-text and a tab reach JS byte for byte (one char per byte)');
    is($got{'X-Odd'}[1], length $odd, 'X-Odd length');
    is($got{'X-Long'}[1], 6144, 'a 6 KB header reaches JS whole');
    is($got{'X-Long'}[0], unpack('H*', $long), 'the 6 KB header is intact');
    is($got{'X-Tab'}[0], unpack('H*', 'padded'),
       'leading and trailing tabs are trimmed as whitespace (as nginx does)');
    check_error_log('odd headers', $off);
}

# -------------------------------------------------------------- simple bodies

{
    my $off = log_offset();
    my $data = pattern(300_000);
    my ($st, $h, $body) = http_request('POST', '/echo', body => $data);
    is($st, 200, 'echo 300 KB: status');
    ok($body eq $data, 'echo 300 KB: body intact (for await)');
    is($h->{'x-types'}, '[object Uint8Array]', 'chunks are Uint8Array');
    cmp_ok($h->{'x-chunks'}, '>', 1, 'a 300 KB body comes in several chunks');
    is($h->{'x-complete'}, 'true', 'req.complete after the end');
    is($h->{'content-length'}, 300_000, 'end(body) sets Content-Length');

    ($st, $h, $body) = http_request('POST', '/echo');
    is($st, 200, 'no body: status');
    is($body, '', 'no body: empty');
    is($h->{'x-chunks'}, 0, 'no body: no chunks');

    ($st, $h, $body) = http_request('GET', '/sum', body => $data);
    my $j = json($body) || {};
    is($j->{n}, 300_000, "'data' events: byte count");
    is($j->{s}, rolling(0, $data), "'data' events: rolling sum");
    ok($j->{u8}, "'data' chunks are Uint8Array");
    ok($j->{complete}, "req.complete at 'end'");

    # small buffer: many chunks
    ($st, $h, $body) = http_request('PUT', '/small-buffer', body => $data);
    $j = json($body) || {};
    is($j->{s}, rolling(0, $data), 'client_body_buffer_size 1k: rolling sum');
    cmp_ok($j->{chunks}, '>=', 100, "client_body_buffer_size 1k: many chunks ($j->{chunks})");
    check_error_log('simple bodies', $off);
}

{
    my $off = log_offset();
    my $data = pattern(500_000);
    my ($st, $h, $body) = http_request('POST', '/paused', body => $data);
    my $j = json($body) || {};
    is($j->{n}, 500_000, 'pause/resume: byte count');
    is($j->{s}, rolling(0, $data), 'pause/resume: rolling sum');
    is($j->{pauses}, 3, 'pause/resume: paused three times');
    is($j->{during}, 0, "pause/resume: no 'data' while paused; isPaused() true");
    check_error_log('pause/resume', $off);
}

# -------------------------------------------------------------- slow uploads

# Sends the headers, then each piece with a pause between.  $before_last
# runs before the last piece.
sub slow_upload {
    my ($uri, $headers, $pieces, %o) = @_;
    my $h = http_start("POST $uri HTTP/1.1\r\nHost: localhost\r\n"
                       . "Connection: close\r\n$headers\r\n",
                       undef, timeout => $o{timeout} || 15);
    for my $i (0 .. $#$pieces) {
        $o{before_last}->() if $o{before_last} && $i == $#$pieces;
        sleep($o{pause} // 0.15);
        syswrite($h->{sock}, $pieces->[$i]) if $h->{sock};
    }
    return http_finish($h);
}

{
    my $off = log_offset();
    my @pieces = map { pattern(1000) . "piece$_" } 1 .. 5;
    my $all = join '', @pieces;
    my $streamed;
    my ($st, $h, $body) = slow_upload('/echo', 'Content-Length: ' . length($all) . "\r\n",
        \@pieces, before_last => sub {
            $streamed = wait_for_log('echo: first chunk', $off, 2);
        });
    is($st, 200, 'slow upload: status');
    ok($body eq $all, 'slow upload: body intact');
    ok($streamed, 'slow upload: JS has the first chunk before the last piece is sent');
    cmp_ok($h->{'x-chunks'}, '>=', 5, 'slow upload: one chunk (at least) per piece');

    # with js_request_buffering on, the handler reads only after the whole body
    $off = log_offset();
    my ($early, $read_early);
    ($st, $h, $body) = slow_upload('/buffered-echo', 'Content-Length: ' . length($all) . "\r\n",
        \@pieces, before_last => sub {
            $early = wait_for_log('echo: first chunk', $off, 0.5);
        });
    is($st, 200, 'buffered slow upload: status');
    ok($body eq $all, 'buffered slow upload: body intact');
    ok(!$early, 'buffered slow upload: no chunk reaches JS before the body is whole');
    check_error_log('slow uploads', $off);
}

{
    # a UTF-8 body split inside characters, and setEncoding('utf8')
    my $off = log_offset();
    my $text = "h\x{e9}llo \x{20ac} \x{1F600}!";
    my $bytes = $text; utf8::encode($bytes);
    # split: inside é (2 bytes), inside € (3 bytes), twice inside 😀 (4 bytes)
    my $e = index($bytes, "\xC3") + 1;
    my $eur = index($bytes, "\xE2\x82\xAC") + 2;
    my $emo = index($bytes, "\xF0\x9F\x98\x80");
    my @cuts = ($e, $eur, $emo + 1, $emo + 3, length $bytes);
    my ($p, @pieces) = (0);
    for my $c (@cuts) { push @pieces, substr($bytes, $p, $c - $p); $p = $c }
    for my $loc (qw(utf8 utf8data)) {
        my ($st, $h, $body) = slow_upload("/$loc",
            'Content-Length: ' . length($bytes) . "\r\n", \@pieces, pause => 0.1);
        is($st, 200, "$loc: status");
        my $j = json($body) || {};
        is_deeply($j->{codes}, [map { ord } split //, $text],
                  "$loc: multibyte characters split across chunks decode right");
        ok(@{ $j->{types} || [] } >= 3 && !grep({ $_ ne 'string' } @{ $j->{types} }),
           "$loc: chunks are strings (@{ $j->{types} || [] })");
    }
    check_error_log('setEncoding', $off);
}

# -------------------------------------------------------------- chunked uploads

{
    my $off = log_offset();
    for my $size (1, 7, 100, 4096, 70_000) {
        my $data = pattern(3 * $size + 5);
        my @chunks;
        for (my $i = 0; $i < length $data; $i += $size) {
            push @chunks, substr($data, $i, $size);
        }
        my $raw = join '', map {
            sprintf("%x", length) . ($size == 7 ? ';ext=1;name="v"' : '') . "\r\n$_\r\n"
        } @chunks;
        $raw .= "0\r\n" . ($size == 100 ? "X-Trailer: t\r\n" : '') . "\r\n";
        my ($st, $h, $body) = http_request("POST /sum HTTP/1.1\r\nHost: localhost\r\n"
            . "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n$raw", undef);
        my $j = json($body || '{}') || {};
        is($j->{n}, length $data, "chunked, chunk size $size: length");
        is($j->{s}, rolling(0, $data), "chunked, chunk size $size: rolling sum");
    }

    # chunked, sent slowly: each chunk in its own write
    my @pieces = ("5;a=b\r\nhello\r\n", "1\r\n ", "\r\n", "6\r\nworld!\r\n", "0\r\n\r\n");
    my ($st, $h, $body) = slow_upload('/echo', "Transfer-Encoding: chunked\r\n",
                                      \@pieces, pause => 0.1);
    is($st, 200, 'slow chunked upload: status');
    is($body, 'hello world!', 'slow chunked upload: body');
    cmp_ok($h->{'x-chunks'}, '>=', 3, 'slow chunked upload: streamed in several chunks');

    # upper-case hex chunk size
    ($st, $h, $body) = http_request("POST /echo HTTP/1.1\r\nHost: localhost\r\n"
        . "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
        . "A\r\n0123456789\r\n0\r\n\r\n", undef);
    is($body, '0123456789', 'chunked: upper-case hex size');
    check_error_log('chunked uploads', $off);
}

# -------------------------------------------------------------- buffering on

{
    my $off = log_offset();
    my $data = pattern(1 << 20);
    substr($data, 1000, 10) = 'checkpoint';
    my ($st, $h, $body) = http_request('POST', '/buffered', body => $data);
    is($st, 200, 'js_request_buffering on, 1 MB: status');
    my $j = json($body) || {};
    is($j->{n}, 1 << 20, 'js_request_buffering on, 1 MB: length');
    is($j->{s}, rolling(0, $data), 'js_request_buffering on, 1 MB: rolling sum');
    like(error_log_since($off), qr/a client request body is buffered to a temporary file/,
         'js_request_buffering on, 1 MB: the body was spooled to a temp file');
    my $cat = "cat '" . prefix_dir() . "'/client_body_temp/*/* 2>/dev/null | wc -c";
    ok(`$cat` =~ /^\s*0\s*$/, 'the temp file is gone after the request');

    # chunked into the buffered location
    my $raw = join '', map { sprintf("%x\r\n%s\r\n", length, $_) }
              map { substr($data, $_ * 40_000, 40_000) } 0 .. int(length($data) / 40_000);
    ($st, $h, $body) = http_request("POST /buffered HTTP/1.1\r\nHost: localhost\r\n"
        . "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n${raw}0\r\n\r\n", undef);
    $j = json($body || '{}') || {};
    is($j->{s}, rolling(0, $data), 'js_request_buffering on, chunked 1 MB: rolling sum');
    check_error_log('buffering on', $off);
}

# -------------------------------------------------------------- limits

{
    my $off = log_offset();
    my ($st, $h, $body) = http_request('POST', '/limited', body => 'x' x 2000);
    is($st, 413, 'Content-Length over client_max_body_size: 413');
    unlike(error_log_since($off), qr/limited: handler ran/,
           '... before the handler runs');

    $off = log_offset();
    my $raw = join '', map { "100\r\n" . ('y' x 256) . "\r\n" } 1 .. 8;
    ($st, $h, $body) = http_request("POST /limited HTTP/1.1\r\nHost: localhost\r\n"
        . "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n${raw}0\r\n\r\n", undef);
    is($st, 413, 'chunked body over client_max_body_size: 413');
    wait_for_log('read failed', $off, 2);
    my $log = error_log_since($off);
    like($log, qr/limited: handler ran/, '... the handler ran');
    like($log, qr/limited: read failed: ERR_NV8_BODY_TOO_LARGE/,
         '... and its read rejected with ERR_NV8_BODY_TOO_LARGE');

    ($st, $h, $body) = http_request('POST', '/limited', body => 'z' x 1000);
    is($body, 'read 1000', 'a body within client_max_body_size is read');
    check_error_log('limits', $off);
}

# -------------------------------------------------------------- read-ahead

{
    # A handler that reads nothing for a while: nginx does not read the
    # body for it, so a 64 MB upload stalls in the socket buffers instead
    # of filling the worker's memory; then it all arrives intact.
    my $off = log_offset();
    my ($w) = worker_pids();
    my $rss0 = rss_kb($w);
    my $len = 64 << 20;
    my $data = pattern($len);
    my $h = http_start("POST /late?ms=1000 HTTP/1.1\r\nHost: localhost\r\n"
                       . "Connection: close\r\nContent-Length: $len\r\n\r\n", undef,
                       timeout => 30);
    my $s = $h->{sock};
    $s->blocking(0);
    my ($woff, $t0, $in, $at800) = (0, time, '');
    my $rss_max = $rss0;
    while (time - $t0 < 30) {
        my ($r, $wr) = IO::Select->select(IO::Select->new($s),
            $woff < $len ? IO::Select->new($s) : IO::Select->new(), undef, 0.05);
        if ($wr && @$wr) {
            my $n = syswrite($s, $data, 1 << 20, $woff);
            $woff += $n if $n;
        }
        if (!defined $at800 && time - $t0 > 0.8) {
            $at800 = $woff;
            my $r2 = rss_kb($w);
            $rss_max = $r2 if $r2 > $rss_max;
        }
        if ($r && @$r) {
            my $n = sysread($s, $in, 4096, length $in);
            last if defined $n && $n == 0;
        }
    }
    close $s;
    my ($st, $hd, $body) = parse_http_response($in);
    cmp_ok($at800, '<', $len / 2,
           "a handler that does not read yet holds the upload back ($at800 of $len bytes sent)");
    cmp_ok($rss_max - $rss0, '<', 16 * 1024, 'the worker does not buffer the body meanwhile');
    is($body, "got $len", 'then the whole body is read');
    check_error_log('read-ahead', $off);
}

# -------------------------------------------------------------- body errors

{
    my $off = log_offset();
    my ($st, $h, $body) = http_request("POST /limited HTTP/1.1\r\nHost: localhost\r\n"
        . "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\nzz\r\n", undef);
    is($st, 400, 'a malformed chunk: 400');
    ok(wait_for_log('limited: read failed: ERR_NV8_BODY_INVALID', $off, 2),
       'a malformed chunk: the read rejects with ERR_NV8_BODY_INVALID');

    $off = log_offset();
    my $hd = http_start("POST /body-timeout HTTP/1.1\r\nHost: localhost\r\n"
        . "Connection: close\r\nContent-Length: 100\r\n\r\nonly a part", undef);
    my $tm;
    ($st, $h, $body, $tm) = http_finish($hd, timeout => 5);
    # as nginx does for a body timeout: it closes, sending nothing (408 is
    # only logged)
    ok(!defined $st && $tm->{closed} && $tm->{elapsed} < 3,
       'client_body_timeout while JS reads: the connection is closed');
    ok(wait_for_log('limited: read failed: ETIMEDOUT', $off, 2),
       'client_body_timeout: the read rejects with ETIMEDOUT');

    # too large after the head went out: nginx cannot answer 413 any more
    $off = log_offset();
    my $raw = join '', map { "100\r\n" . ('y' x 256) . "\r\n" } 1 .. 8;
    my $m;
    ($st, $h, $body, $m) = http_request("POST /limited-flushed HTTP/1.1\r\nHost: localhost\r\n"
        . "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n${raw}0\r\n\r\n", undef);
    is($st, 200, 'too large after flushHeaders: the head was 200');
    ok(!$m->{complete}, 'too large after flushHeaders: the response is cut short');
    ok(wait_for_log('limitedFlushed: write after the failure returned false', $off, 2),
       'too large after flushHeaders: the read rejects, later writes return false');
    like(error_log_since($off), qr/limitedFlushed: read failed: ERR_NV8_BODY_TOO_LARGE/,
         'too large after flushHeaders: ERR_NV8_BODY_TOO_LARGE');
    check_error_log('body errors', $off);

    # js_request_buffering on: the client goes away while nginx spools
    for my $rst (0, 1) {
        $off = log_offset();
        my $tag = "/buffered-abort?rst=$rst";
        $hd = http_start("POST $tag HTTP/1.1\r\nHost: localhost\r\n"
                         . "Content-Length: 100000\r\n\r\n" . ('q' x 5000), undef);
        sleep 0.3;
        http_abort($hd, rst => $rst);
        ok(wait_for_log("abortread $tag: close event", $off, 3),
           "$tag: buffering, client gone: 'close'");
        my $log = error_log_since($off);
        like($log, qr/\Q$tag\E: aborted event, aborted=true/, "$tag: 'aborted'");
        like($log, qr/\Q$tag\E: read failed ECONNRESET after 0/,
             "$tag: the read rejects with ECONNRESET, no data seen");
        ($st, $h, $body) = http_request('POST', '/echo', body => 'next');
        is($body, 'next', "$tag: the worker serves the next request");
        check_error_log("abort $tag", $off);
    }
}

# -------------------------------------------------------------- Expect

{
    my $off = log_offset();
    my $h = http_start("POST /late?ms=400 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                       . "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n", undef);
    my $t0 = time;
    my $sel = IO::Select->new($h->{sock});
    my $got = '';
    while (time - $t0 < 3 && $got !~ /\r\n\r\n/) {
        last unless $sel->can_read(3);
        sysread($h->{sock}, $got, 4096, length $got) or last;
    }
    my $dt = time - $t0;
    like($got, qr{^HTTP/1\.1 100 Continue\r\n\r\n\z}, 'Expect: 100-continue answered');
    cmp_ok($dt, '>=', 0.3, sprintf('... only when JS starts reading (%.2fs)', $dt));
    syswrite($h->{sock}, 'abcde');
    my ($st, $hd, $body) = http_finish($h);
    is($body, 'got 5', 'Expect: the body is read after 100 Continue');

    # a handler that never reads: no 100 Continue
    ($st, $hd, $body, my $m) = http_request("POST /noread HTTP/1.1\r\nHost: localhost\r\n"
        . "Connection: close\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", undef);
    is($st, 200, 'Expect, body not read: status');
    unlike($m->{raw}, qr/100 Continue/, 'Expect, body not read: no 100 Continue');
    check_error_log('expect', $off);
}

# -------------------------------------------------------------- keep-alive

{
    my $off = log_offset();
    for my $loc (qw(noread noreadlater)) {
        for my $size (10, 100_000) {
            my $req = sub {
                my ($n) = @_;
                return "POST /$loc?$n HTTP/1.1\r\nHost: localhost\r\n"
                     . "Content-Length: $size\r\n\r\n" . ('b' x $size);
            };
            my $h = http_start($req->(1), undef);
            my ($st1, undef, $b1) = http_finish($h, keep_open => 1);
            syswrite($h->{sock}, $req->(2)) if $h->{sock};
            my ($st2, undef, $b2) = http_finish($h, keep_open => 1);
            syswrite($h->{sock}, "GET /noread?3 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                if $h->{sock};
            my ($st3, undef, $b3) = http_finish($h);
            my $p = $loc eq 'noread' ? 'noread POST' : 'later';
            is("$st1 $st2 $st3", '200 200 200',
               "keep-alive, $loc, unread $size-byte bodies: three requests on one connection");
            like($b2 // '', qr{^\Q$p\E.*\?2$}, "... the second answer belongs to it");
        }
    }

    # pipelined: two requests with bodies in one write
    my $two = join '', map {
        "POST /noread?$_ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc"
    } 1 .. 2;
    my $h = http_start($two . "GET /noread?3 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                       undef);
    my @b = map { (http_finish($h, keep_open => $_ < 3))[2] } 1 .. 3;
    is_deeply(\@b, ['noread POST /noread?1', 'noread POST /noread?2', 'noread GET /noread?3'],
              'pipelined requests with unread bodies');
    check_error_log('keep-alive', $off);
}

# -------------------------------------------------------------- aborted uploads

{
    my @workers = worker_pids();
    for my $case (['abortread', 0], ['abortread', 1], ['abortdata', 0], ['abortdata', 1]) {
        my ($loc, $rst) = @$case;
        my $off = log_offset();
        my $tag = "/$loc?rst=$rst";
        my $h = http_start("POST $tag HTTP/1.1\r\nHost: localhost\r\n"
                           . "Content-Length: 100000\r\n\r\n" . ('q' x 3000), undef);
        if ($loc eq 'abortread') {
            ok(wait_for_log("abortread $tag: got 3000", $off, 3),
               "$tag: the handler reads the first part");
        } else {
            sleep 0.3;
        }
        http_abort($h, rst => $rst);
        ok(wait_for_log(qr/\Q$loc $tag\E: close/, $off, 3), "$tag: 'close' seen by JS");
        my $log = error_log_since($off);
        if ($loc eq 'abortread') {
            like($log, qr/\Q$tag\E: aborted event, aborted=true/, "$tag: 'aborted' event");
            like($log, qr/\Q$tag\E: read failed ECONNRESET after 3000/,
                 "$tag: the pending read rejects with ECONNRESET");
            like($log, qr/\Q$tag\E: write after abort returned false/,
                 "$tag: write to the aborted request returns false");
            unlike($log, qr/\Q$tag\E: ended normally/, "$tag: no normal end");
        } else {
            like($log, qr/\Q$tag\E: aborted after 3000/, "$tag: 'aborted' after the data so far");
            like($log, qr/\Q$tag\E: close aborted=true/, "$tag: close after aborted");
        }
        my ($st, undef, $body) = http_request('POST', '/echo', body => 'next');
        is($body, 'next', "$tag: the worker serves the next request");
        check_error_log("abort $tag", $off);
    }
    is_deeply([worker_pids()], \@workers, 'aborted uploads: the same worker still runs');
}

# -------------------------------------------------------------- big uploads

# a shell command writing $len bytes of pattern() to stdout, streaming
sub generator {
    my ($len) = @_;
    write_file('gen.pl', <<'EOF');
my $b = join '', map { chr } 0 .. 250;
$b x= 261;
my $n = $ARGV[0];
while ($n > 0) {
    my $k = $n < length($b) ? $n : length($b);
    print substr($b, 0, $k) or exit 1;
    $n -= $k;
}
EOF
    return "$^X " . prefix_dir() . "/gen.pl $len";
}

{
    my $off = log_offset();
    my $len = 100 << 20;
    my $t0 = time;
    my $out = `@{[ generator($len) ]} | curl -sS --max-time 60 -T - -H 'Expect:' http://127.0.0.1:$PORT/count 2>&1`;
    my $j = json($out) || {};
    is($j->{n}, $len, sprintf('100 MiB chunked upload with curl (HTTP/1.1): JS counts every byte (%.1fs)', time - $t0));
    is($j->{bad}, -1, '... each byte in its place');
    is($j->{v}, '1.1', '... over HTTP/1.1');
    cmp_ok($j->{chunks} || 0, '>', 100, "... streamed in many chunks ($j->{chunks})");

    $t0 = time;
    $out = `@{[ generator($len) ]} | curl -sS --max-time 60 --http2-prior-knowledge -T - http://127.0.0.1:$H2PORT/count 2>&1`;
    $j = json($out) || {};
    is($j->{n}, $len, sprintf('100 MiB upload with curl --http2-prior-knowledge: JS counts every byte (%.1fs)', time - $t0));
    is($j->{bad}, -1, '... each byte in its place');
    is($j->{v}, '2.0', '... over HTTP/2');
    check_error_log('big uploads', $off);
}

{
    # an HTTP/2 client that gives up in the middle of an upload
    my $off = log_offset();
    my $tag = '/abortread?h2';
    system(generator(50 << 20) . " | curl -s --http2-prior-knowledge --limit-rate 200K"
           . " --max-time 1 -T - -o /dev/null 'http://127.0.0.1:$H2PORT$tag'");
    ok(wait_for_log("abortread $tag: close event", $off, 5), "HTTP/2 upload abort: 'close'");
    my $log = error_log_since($off);
    like($log, qr/\Q$tag\E: aborted event, aborted=true/, "HTTP/2 upload abort: 'aborted'");
    like($log, qr/\Q$tag\E: read failed ECONNRESET after [1-9]/,
         'HTTP/2 upload abort: the read rejects with ECONNRESET after some data');
    my $out = `curl -sS --http2-prior-knowledge --data-binary next http://127.0.0.1:$H2PORT/echo 2>&1`;
    is($out, 'next', 'HTTP/2 upload abort: the next request is served');
    check_error_log('http2 upload abort', $off);
}

{
    # HTTP/2: headers, echo and pipe
    my $off = log_offset();
    my $file = prefix_dir() . '/up.bin';
    write_file($file, pattern(3 << 20));
    my $out = `curl -sS --http2-prior-knowledge -H 'X-A: 1' -H 'x-a: 2' -H 'Cookie: c=1' -H 'Cookie: d=2' 'http://127.0.0.1:$H2PORT/info?h2' 2>&1`;
    my $j = json($out) || {};
    is($j->{httpVersion}, '2.0', 'HTTP/2: httpVersion 2.0');
    is($j->{url}, '/info?h2', 'HTTP/2: url');
    is($j->{method}, 'GET', 'HTTP/2: method');
    is($j->{headers}{'x-a'}, '1, 2', 'HTTP/2: repeated headers joined');
    is($j->{headers}{cookie}, 'c=1; d=2', 'HTTP/2: cookies joined with "; "');
    is($j->{headers}{host}, "127.0.0.1:$H2PORT", 'HTTP/2: :authority is the host header');

    for my $loc (qw(echo pipe buffered-echo)) {
        my $got = `curl -sS --http2-prior-knowledge --data-binary \@$file http://127.0.0.1:$H2PORT/$loc | cmp - $file && echo SAME`;
        like($got, qr/SAME$/, "HTTP/2: 3 MiB body through /$loc comes back intact");
    }
    check_error_log('http2', $off);
}

# -------------------------------------------------------------- pipe, back-pressure

{
    # Sends 8 MB and reads the echo, but reads nothing for the first second:
    # res.write() returns false, pipe() pauses the body until 'drain'.
    my $off = log_offset();
    my $len = 8 << 20;
    my $data = pattern($len);
    my $h = http_start("POST /pipe HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                       . "Content-Length: $len\r\n\r\n", undef, timeout => 30);
    my $s = $h->{sock};
    $s->blocking(0);
    my ($woff, $in, $t0) = (0, '', time);
    my $stalled_at;
    while (time - $t0 < 30) {
        my $rs = time - $t0 > 1 ? IO::Select->new($s) : IO::Select->new();
        my $ws = $woff < $len ? IO::Select->new($s) : IO::Select->new();
        my ($r, $w) = IO::Select->select($rs, $ws, undef, 0.1);
        if ($w && @$w) {
            my $n = syswrite($s, $data, 65536, $woff);
            $woff += $n if $n;
        }
        $stalled_at //= $woff if time - $t0 > 0.9;
        if ($r && @$r) {
            my $n = sysread($s, $in, 65536, length $in);
            last if defined $n && $n == 0;
        }
    }
    close $s;
    my ($st, $hd, $body) = parse_http_response($in);
    is($st, 200, 'pipe with back-pressure: status');
    is(length($body // ''), $len, 'pipe with back-pressure: length');
    ok(defined $body && $body eq $data, 'pipe with back-pressure: body intact');
    is($hd->{'transfer-encoding'}, 'chunked', 'pipe: streamed response is chunked');
    cmp_ok($stalled_at, '<', $len, "pipe: the upload stalls while the client does not read ($stalled_at of $len)");
    wait_for_log('pipe: write returned false', $off, 2);
    like(error_log_since($off), qr/pipe: write returned false [1-9]\d* times/,
         'pipe: write() returned false and pipe() waited for drain');
    check_error_log('pipe', $off);
}

__DATA__
function rolling(s, buf) {
    for (let i = 0; i < buf.length; i++) {
        s = (Math.imul(s, 31) + buf[i]) >>> 0;
    }
    return s;
}

function hex(s) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
        out += s.charCodeAt(i).toString(16).padStart(2, '0');
    }
    return out;
}

export function info(req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        method: req.method, url: req.url, httpVersion: req.httpVersion,
        headers: req.headers, rawHeaders: req.rawHeaders,
        headersDistinct: req.headersDistinct,
        remoteAddress: req.socket.remoteAddress,
        remotePort: req.socket.remotePort,
        connAddress: req.connection.remoteAddress,
        connPort: req.connection.remotePort,
    }));
}

// every raw header as name=hex(value), one per line
export function hexheaders(req, res) {
    const raw = req.rawHeaders;
    const lines = [];
    for (let i = 0; i < raw.length; i += 2) {
        lines.push(raw[i] + '=' + hex(raw[i + 1]) + ' ' + raw[i + 1].length);
    }
    res.end(lines.join('\n'));
}

// for await: the body back, and what the chunks were
export async function echo(req, res) {
    const parts = [];
    let n = 0, types = new Set();
    for await (const chunk of req) {
        n++;
        types.add(Object.prototype.toString.call(chunk));
        parts.push(chunk);
        if (n === 1) {
            console.log('echo: first chunk ' + chunk.length);
        }
    }
    let len = 0;
    for (const p of parts) len += p.length;
    const all = new Uint8Array(len);
    let off = 0;
    for (const p of parts) { all.set(p, off); off += p.length; }
    res.setHeader('X-Chunks', n);
    res.setHeader('X-Types', [...types].join(','));
    res.setHeader('X-Complete', String(req.complete));
    res.end(all);
}

// counts the bytes and checks byte i == i % 251
export async function count(req, res) {
    let n = 0, bad = -1, chunks = 0;
    for await (const chunk of req) {
        chunks++;
        for (let i = 0; i < chunk.length; i++) {
            if (bad < 0 && chunk[i] !== (n + i) % 251) bad = n + i;
        }
        n += chunk.length;
    }
    console.log('count: ' + n + ' bytes in ' + chunks + ' chunks');
    res.end(JSON.stringify({ n, bad, chunks, v: req.httpVersion }));
}

// rolling sum, through 'data'/'end' events
export function sum(req, res) {
    console.log('sum: handler started');
    let s = 0, n = 0, chunks = 0, u8 = true;
    req.on('data', (c) => {
        chunks++;
        u8 = u8 && c instanceof Uint8Array;
        s = rolling(s, c);
        n += c.length;
    });
    req.on('end', () => {
        res.end(JSON.stringify({ s, n, chunks, u8, complete: req.complete }));
    });
}

export function paused(req, res) {
    let n = 0, during = 0, pauses = 0, s = 0, chunks = 0;
    let inPause = false;
    req.on('data', (c) => {
        if (inPause) during++;
        chunks++;
        s = rolling(s, c);
        n += c.length;
        if (chunks <= 3) {
            req.pause();
            pauses++;
            inPause = true;
            const p = req.isPaused();
            setTimeout(() => {
                inPause = false;
                if (!p) during += 1000;
                req.resume();
            }, 50);
        }
    });
    req.on('end', () => {
        res.end(JSON.stringify({ s, n, chunks, during, pauses }));
    });
}

export async function utf8(req, res) {
    req.setEncoding('utf8');
    const types = [];
    let text = '';
    for await (const chunk of req) {
        types.push(typeof chunk);
        text += chunk;
    }
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ types, text, codes: [...text].map((c) => c.codePointAt(0)) }));
}

export function utf8data(req, res) {
    req.setEncoding('utf8');
    const types = [];
    let text = '';
    req.on('data', (c) => { types.push(typeof c); text += c; });
    req.on('end', () => res.end(JSON.stringify({ types, codes: [...text].map((c) => c.codePointAt(0)) })));
}

export function pipe(req, res) {
    let falses = 0;
    const write = res.write;
    res.write = function (chunk) {
        const ok = write.call(this, chunk);
        if (!ok) falses++;
        return ok;
    };
    res.on('finish', () => console.log('pipe: write returned false ' + falses + ' times'));
    req.pipe(res);
}

export async function limited(req, res) {
    console.log('limited: handler ran');
    try {
        let n = 0;
        for await (const c of req) n += c.length;
        res.end('read ' + n);
    } catch (err) {
        console.log('limited: read failed: ' + err.code);
        res.statusCode = 500;
        res.end('caught ' + err.code);
    }
}

export async function limitedFlushed(req, res) {
    res.setHeader('X-Early', '1');
    res.flushHeaders();
    try {
        for await (const c of req) res.write(c);
        res.end('end');
    } catch (err) {
        console.log('limitedFlushed: read failed: ' + err.code);
        const w = res.write('x');
        console.log('limitedFlushed: write after the failure returned ' + w);
        res.end();
    }
}

export function noread(req, res) {
    res.end('noread ' + req.method + ' ' + req.url);
}

export function noreadlater(req, res) {
    setTimeout(() => res.end('later ' + req.url), 30);
}

export async function late(req, res) {
    const ms = Number(req.url.split('=')[1] || 300);
    const t0 = Date.now();
    console.log('late: handler started');
    await new Promise((r) => setTimeout(r, ms));
    let n = 0;
    for await (const c of req) n += c.length;
    res.end('got ' + n);
}

export async function abortread(req, res) {
    const tag = req.url;
    req.on('aborted', () => console.log(`abortread ${tag}: aborted event, aborted=${req.aborted}`));
    req.on('close', () => console.log(`abortread ${tag}: close event`));
    let n = 0;
    try {
        for await (const c of req) {
            n += c.length;
            console.log(`abortread ${tag}: got ${n}`);
        }
        console.log(`abortread ${tag}: ended normally`);
        res.end('all ' + n);
    } catch (err) {
        console.log(`abortread ${tag}: read failed ${err.code} after ${n}`);
        // writes to the gone request must not crash
        const w = res.write('x');
        console.log(`abortread ${tag}: write after abort returned ${w}`);
        res.end();
    }
}

export function abortdata(req, res) {
    const tag = req.url;
    let n = 0;
    req.on('data', (c) => { n += c.length; });
    req.on('end', () => res.end('all'));
    req.on('aborted', () => console.log(`abortdata ${tag}: aborted after ${n}`));
    req.on('close', () => console.log(`abortdata ${tag}: close aborted=${req.aborted}`));
}
