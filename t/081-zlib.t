# node:zlib and CompressionStream in nginx workers: a Node-style handler
# gzips (and Brotli-compresses) its response through stream.pipeline, a
# fetch handler answers with body.pipeThrough(new CompressionStream(...)),
# request bodies are inflated on the way in; the responses are checked with
# Perl's own zlib (IO::Uncompress::*) and, when Node.js is installed, with
# Node's (Brotli too).  Clients that go away in the middle of a compression
# leave no alert, no sanitizer report, and a worker that serves on.
# The codecs themselves are covered by t/js/zlib-*.js.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use IO::Compress::Gzip qw(gzip $GzipError);
use IO::Uncompress::Gunzip qw(gunzip $GunzipError);
use IO::Uncompress::Inflate qw(inflate $InflateError);
use IO::Uncompress::RawInflate qw(rawinflate $RawInflateError);
use MIME::Base64 qw(decode_base64 encode_base64);
use JSON::PP ();
use Time::HiRes qw(sleep);

require_module();

my $APP = do { local $/; <DATA> };

my $CONF = <<'EOF';
        location /gzip { js_handler app.js gzip; js_handler_timeout 300s; }
        location /brotli { js_handler app.js brotli; }
        location /echo-gzip { js_handler app.js echoGzip; }
        location /unzip-body { js_handler app.js unzipBody; }
        location /decompress { js_handler app.js decompress; }
        location /endless { js_handler app.js endless; js_handler_timeout 60s; }
        location /endless-web { js_handler app.js endlessWeb; js_handler_timeout 60s; }
        location /vectors { js_handler app.js vectors; }
        location /ok { js_handler app.js ok; }
EOF

# under valgrind, streaming a few hundred KB through JS takes more than
# the default js_cpu_limit's second
my $VALGRIND = $ENV{TEST_NGINX_VALGRIND} || $ENV{TEST_NGINX_USE_VALGRIND};

ok(start_nginx({ config => $CONF,
                 http_config => $VALGRIND ? '    js_cpu_limit 60s;' : '' },
               'app.js' => $APP), 'nginx started')
    or diag(last_start_output());

# the text the handlers send: "line N\n" for N = 0 .. n-1
sub lines {
    my ($n) = @_;
    return join('', map { "line $_\n" } 0 .. $n - 1);
}

my $NODE = `sh -c 'command -v node' 2>/dev/null`;
chomp $NODE;

# Node.js decodes: format (gunzip, inflate, inflateRaw, brotliDecompress)
sub node_decode {
    my ($format, $bytes) = @_;
    my $in = prefix_dir() . '/node.in';
    open my $fh, '>:raw', $in or die $!;
    print $fh $bytes;
    close $fh;
    my $out = `'$NODE' -e 'process.stdout.write(require("zlib").${format}Sync(require("fs").readFileSync(process.argv[1])))' '$in'`;
    return $? == 0 ? $out : undef;
}

# -------------------------------------------------------------- responses

{
    my $off = log_offset();
    my ($st, $hd, $body) = http_request('GET', '/gzip?n=30000',
        headers => ['Accept-Encoding: gzip']);
    is($st, 200, 'pipeline(Readable, createGzip(), res): 200');
    is($hd->{'content-encoding'}, 'gzip', '... Content-Encoding: gzip');
    is($hd->{'transfer-encoding'}, 'chunked', '... streamed (chunked)');
    my $plain;
    ok(gunzip(\$body, \$plain), 'the body is gzip') or diag($GunzipError);
    ok(defined $plain && $plain eq lines(30000),
       'it inflates to the 340 KB the handler sent');
    ok(length($body) < length(lines(30000)) / 3, 'and it is compressed');
    ok(wait_for_log('gzip pipeline done: ok', $off, 3),
       "the pipeline's callback saw no error");
    check_error_log('gzip response', $off);

    # curl decodes it too
    my $curl = `curl -sS --compressed 'http://127.0.0.1:@{[port()]}/gzip?n=1000'`;
    is($curl, lines(1000), 'curl --compressed decodes it');
}

{
    my $off = log_offset();
    my ($st, $hd, $body) = http_request('GET', '/brotli?n=50000');
    is($st, 200, 'pipeline(Readable, createBrotliCompress(), res): 200');
    is($hd->{'content-encoding'}, 'br', '... Content-Encoding: br');
    SKIP: {
        skip 'no node to decode Brotli', 1 unless $NODE;
        my $plain = node_decode('brotliDecompress', $body);
        ok(defined $plain && $plain eq lines(50000),
           'Node.js decodes the Brotli body');
    }
    check_error_log('brotli response', $off);
}

{
    my $off = log_offset();
    my $payload = join('', map { chr(($_ * 7919) % 251) } 0 .. 300000);
    my ($st, $hd, $body) = http_request('POST', '/echo-gzip',
                                        body => $payload);
    is($st, 200, 'fetch: body.pipeThrough(new CompressionStream("gzip"))');
    is($hd->{'content-encoding'}, 'gzip', '... Content-Encoding: gzip');
    my $plain;
    ok(gunzip(\$body, \$plain), 'the echoed body is gzip')
        or diag($GunzipError);
    ok(defined $plain && $plain eq $payload, 'it inflates to the request body');

    ($st, $hd, $body) = http_request('POST', '/echo-gzip?format=deflate',
                                     body => 'deflate me');
    ok(inflate(\$body, \$plain) && $plain eq 'deflate me',
       'CompressionStream("deflate") is zlib format');
    ($st, $hd, $body) = http_request('POST', '/echo-gzip?format=deflate-raw',
                                     body => 'raw me');
    ok(rawinflate(\$body, \$plain) && $plain eq 'raw me',
       'CompressionStream("deflate-raw") is raw deflate');
    check_error_log('CompressionStream response', $off);
}

# -------------------------------------------------------------- request bodies

{
    my $off = log_offset();
    my $plain = lines(20000);
    my $gz;
    gzip(\$plain, \$gz) or die $GzipError;
    my ($st, undef, $body) = http_request('POST', '/unzip-body', body => $gz,
        headers => ['Content-Encoding: gzip']);
    is($body, sprintf('%d bytes, ok', length $plain),
       'req.pipe(createGunzip()): a gzip request body inflated (Perl gzip)');
    ($st, undef, $body) = http_request('POST', '/unzip-body',
                                       body => 'not gzip');
    is($body, 'Z_DATA_ERROR incorrect header check',
       'a body that is not gzip: the stream errors with Node\'s code');

    ($st, undef, $body) = http_request('POST', '/decompress', body => $gz);
    ok($st == 200 && $body eq $plain,
       'fetch: body.pipeThrough(new DecompressionStream("gzip"))');
    ($st, undef, $body) = http_request('POST', '/decompress',
                                       body => substr($gz, 0, 100));
    is($body, 'TypeError: The compressed data was truncated',
       'a truncated body: a TypeError');
    ($st, undef, $body) = http_request('POST', '/decompress',
                                       body => "$gz trailing");
    is($body, 'TypeError: Trailing junk found after the end of the compressed stream',
       'data after the end: a TypeError');
    check_error_log('request bodies', $off);
}

# -------------------------------------------------------------- interop

{
    my $off = log_offset();
    my ($st, undef, $body) = http_request('GET', '/vectors');
    my $v = eval { JSON::PP->new->decode($body) } || {};
    my $want = $v->{text} // '';
    ok(length $want > 1000, 'the worker compressed its text every way');
    for my $k (sort grep { $_ ne 'text' } keys %$v) {
        my $bytes = decode_base64($v->{$k});
        my ($fmt) = $k =~ /^(\w+)/;
        my $plain;
        if ($fmt eq 'gzip') {
            gunzip(\$bytes, \$plain);
        } elsif ($fmt eq 'deflate') {
            inflate(\$bytes, \$plain);
        } elsif ($fmt eq 'raw') {
            rawinflate(\$bytes, \$plain);
        }
        if ($fmt ne 'brotli') {
            ok(defined $plain && $plain eq $want, "$k: Perl's zlib decodes it");
        }
        SKIP: {
            skip 'no node', 1 unless $NODE;
            my %node = (gzip => 'gunzip', deflate => 'inflate',
                        raw => 'inflateRaw', brotli => 'brotliDecompress');
            my $n = node_decode($node{$fmt}, $bytes);
            ok(defined $n && $n eq $want, "$k: Node.js decodes it");
        }
    }
    check_error_log('interop', $off);
}

# -------------------------------------------------------------- aborts

{
    my @workers = worker_pids();
    for my $path ('/endless', '/endless-web') {
        for my $rst (0, 1) {
            my $off = log_offset();
            my $tag = "$path?rst=$rst";
            my $h = http_start('GET', $tag);
            # read 2 MB, so the pool is compressing when the client goes
            my ($got, $buf) = (0, '');
            while ($got < 2 * 1024 * 1024) {
                my $n = sysread($h->{sock}, $buf, 65536);
                last unless $n;
                $got += $n;
            }
            ok($got >= 2 * 1024 * 1024, "$tag: the client read 2 MB");
            http_abort($h, rst => $rst);
            ok(wait_for_log("$path: closed", $off, 10),
               "$tag: the client went away in the middle: the stream closed");
            my ($st, undef, $body) = http_request('GET', '/ok');
            is($body, 'ok', "$tag: the next request is served");
            check_error_log("abort $tag", $off);
        }
    }
    is_deeply([worker_pids()], \@workers, 'aborts: the same worker still runs');
}

__DATA__
import zlib from 'node:zlib';
import { Readable, pipeline } from 'node:stream';

function lines(n) {
    let i = 0;
    return new Readable({
        read() {
            let s = '';
            for (let k = 0; k < 1000 && i < n; k++) {
                s += `line ${i++}\n`;
            }
            this.push(s === '' ? null : s);
        },
    });
}

const query = (url) => new URL(url, 'http://x').searchParams;

export function gzip(req, res) {
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Type', 'text/plain');
    pipeline(lines(Number(query(req.url).get('n'))), zlib.createGzip(), res,
             (err) => console.log(`gzip pipeline done: ${err ?? 'ok'}`));
}

export function brotli(req, res) {
    res.setHeader('Content-Encoding', 'br');
    pipeline(lines(Number(query(req.url).get('n'))),
             zlib.createBrotliCompress({ params: {
                 [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }),
             res, (err) => err && console.error(`brotli: ${err}`));
}

export const echoGzip = {
    fetch(request) {
        const format = new URL(request.url).searchParams.get('format') ??
                       'gzip';
        return new Response(
            request.body.pipeThrough(new CompressionStream(format)),
            { headers: { 'content-encoding': format } });
    },
};

export function unzipBody(req, res) {
    let n = 0;
    const g = zlib.createGunzip();
    req.pipe(g);
    g.on('data', (c) => {
        n += c.length;
    });
    g.on('end', () => res.end(`${n} bytes, ok`));
    g.on('error', (e) => res.end(`${e.code} ${e.message}`));
}

export const decompress = {
    async fetch(request) {
        try {
            const text = await new Response(
                request.body.pipeThrough(new DecompressionStream('gzip')))
                .text();
            return new Response(text);
        } catch (e) {
            return new Response(`${e.name}: ${e.message}`);
        }
    },
};

// an endless source of random bytes, compressed at level 9 in 1 MB output
// chunks: most of the time a pool job is running when the client leaves
function endlessSource() {
    return new Readable({
        read() {
            const chunk = Buffer.alloc(1 << 20);
            for (let i = 0; i < chunk.length; i += 4) {
                chunk.writeUInt32LE((Math.random() * 0xffffffff) >>> 0, i);
            }
            this.push(chunk);
        },
    });
}

export function endless(req, res) {
    const gz = zlib.createGzip({ level: 9, chunkSize: 1 << 20 });
    gz.on('close', () => console.log('/endless: closed'));
    pipeline(endlessSource(), gz, res, () => {});
}

export const endlessWeb = {
    fetch(request) {
        const src = endlessSource();
        const body = new ReadableStream({
            async pull(controller) {
                const chunk = src.read() ?? await new Promise((resolve) => {
                    src.once('readable', () => resolve(src.read()));
                });
                controller.enqueue(chunk);
            },
            cancel() {
                console.log('/endless-web: closed');
            },
        });
        return new Response(body.pipeThrough(new CompressionStream('gzip')));
    },
};

export async function vectors(req, res) {
    const text = 'interop text from an nginx worker\n'.repeat(100);
    const b64 = (b) => Buffer.from(b).toString('base64');
    const q = zlib.constants.BROTLI_PARAM_QUALITY;
    const async = (fn, o) => new Promise((resolve, reject) => {
        zlib[fn](text, o ?? {}, (e, r) => (e ? reject(e) : resolve(r)));
    });
    const web = async (format) => new Uint8Array(await new Response(
        new Blob([text]).stream().pipeThrough(new CompressionStream(format)))
        .arrayBuffer());
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        text,
        'gzip sync': b64(zlib.gzipSync(text)),
        'gzip level 1': b64(await async('gzip', { level: 1 })),
        'gzip web': b64(await web('gzip')),
        'deflate sync': b64(zlib.deflateSync(text, { strategy: 1 })),
        'deflate web': b64(await web('deflate')),
        'raw sync': b64(zlib.deflateRawSync(text, { windowBits: 9 })),
        'raw web': b64(await web('deflate-raw')),
        'brotli sync': b64(zlib.brotliCompressSync(text)),
        'brotli q1': b64(await async('brotliCompress',
                                     { params: { [q]: 1 } })),
    }));
}

export function ok(req, res) {
    res.end('ok');
}
