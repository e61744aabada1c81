# node:fs in nginx: a handler streams a file with createReadStream().pipe(res)
# (whole, ranges, back-pressure), log-style appends from concurrent requests
# (appendFile and a shared WriteStream), a client that goes away mid-file,
# a FileHandle left to the garbage collector, a pool read that blocks on a
# FIFO while the worker goes on serving, and js_fs_root holding every kind
# of operation inside data/.  The worker's descriptors (/proc/PID/fd) must
# come back to what they were.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use IO::Select;
use POSIX ();
use Time::HiRes qw(sleep time);

require_module();

my $p = prefix_dir();

my $big = join '', map { sprintf "line %07d\n", $_ } 0 .. 999_999;   # 13 MB
write_file('data/big.txt', $big);
write_file('data/small.txt', "small file\n");
write_file('data/logs/.keep', '');
write_file('secret.txt', "SECRET\n");
write_file('keep/precious.txt', "precious\n");
write_file('data/tree/a/b/file.txt', "x\n");
symlink('../../../keep', "$p/data/tree/a/out") or die "symlink: $!";
symlink('../secret.txt', "$p/data/link-out") or die "symlink: $!";
POSIX::mkfifo("$p/data/fifo", 0600) or die "mkfifo: $!";

my $app = <<'EOF';
import fs from 'node:fs';
import fsp from 'node:fs/promises';

const root = new URL('data/', import.meta.url).pathname;
const top = new URL('./', import.meta.url).pathname;
const log = fs.createWriteStream(root + 'logs/stream.log', { flags: 'a' });

function q(req) {
    return new URLSearchParams(req.url.split('?')[1] ?? '');
}

async function code(f) {
    try {
        await f();
        return 'ok';
    } catch (e) {
        return `${e.code} ${e.syscall}`;
    }
}

const ops = {
    read: () => fsp.readFile(top + 'secret.txt'),
    readDots: () => fsp.readFile(root + '../secret.txt'),
    readLink: () => fsp.readFile(root + 'link-out'),
    readSync: () => fs.readFileSync(top + 'secret.txt'),
    write: () => fsp.writeFile(top + 'written.txt', 'x'),
    writeSync: () => fs.writeFileSync(top + 'written.txt', 'x'),
    append: () => fsp.appendFile(root + 'link-out', 'x'),
    renameOut: () => fsp.rename(root + 'small.txt', top + 'moved.txt'),
    renameIn: () => fsp.rename(top + 'secret.txt', root + 'stolen.txt'),
    copyOut: () => fsp.copyFile(root + 'small.txt', top + 'copy.txt'),
    copyIn: () => fsp.copyFile(top + 'secret.txt', root + 'copy.txt'),
    linkIn: () => fsp.link(top + 'secret.txt', root + 'hard.txt'),
    symlinkOut: () => fsp.symlink('../secret.txt', root + 'l2'),
    symlinkAbs: () => fsp.symlink(top + 'secret.txt', root + 'l3'),
    mkdirOut: () => fsp.mkdir(top + 'newdir/x', { recursive: true }),
    unlinkOut: () => fsp.unlink(top + 'secret.txt'),
    rmRoot: () => fsp.rm(root, { recursive: true, force: true }),
    rmKeep: () => fs.rmSync(root + 'tree/a/out/precious.txt'),
    streamOut: () => new Promise((resolve, reject) => {
        fs.createWriteStream(top + 'ws.txt').on('error', reject)
            .on('close', resolve).end('x');
    }),
    rmTree: () => fsp.rm(root + 'tree', { recursive: true }),
};

export default async function (req, res) {
    const path = req.url.split('?')[0];
    const a = q(req);
    if (path === '/file') {
        const name = root + a.get('p');
        let st;
        try {
            st = await fsp.stat(name);
        } catch (e) {
            res.statusCode = e.code === 'ENOENT' ? 404 : 403;
            res.end(e.code);
            return;
        }
        const opts = {};
        if (a.has('start')) {
            opts.start = Number(a.get('start'));
            opts.end = Number(a.get('end'));
        }
        const len = a.has('start') ? opts.end - opts.start + 1 : st.size;
        res.setHeader('Content-Length', len);
        const rs = fs.createReadStream(name, opts);
        rs.on('close', () => console.log(`stream ${a.get('p')} closed, ` +
                                         `read ${rs.bytesRead}`));
        rs.pipe(res);
    } else if (path === '/append') {
        await fsp.appendFile(root + 'logs/append.log',
                             `${a.get('line')} ${'.'.repeat(200)}\n`);
        res.end('ok');
    } else if (path === '/stream-log') {
        log.write(`${a.get('line')}\n`, () => res.end('ok'));
    } else if (path === '/fifo') {
        res.end(await fsp.readFile(root + 'fifo', 'utf8'));
    } else if (path === '/ping') {
        res.end('pong');
    } else if (path === '/leak') {
        const fh = await fsp.open(root + 'small.txt');
        res.end(`opened ${fh.fd > 2}`);
    } else if (path === '/gc') {
        globalThis.gc();
        setTimeout(() => res.end('gc'), 50);
    } else if (path === '/op') {
        res.end(await code(ops[a.get('op')]));
    } else if (path === '/sync') {
        const s = fs.readFileSync(root + 'small.txt', 'utf8');
        fs.appendFileSync(root + 'logs/sync.log', 'sync\n');
        res.end(`${s.trim()} ${fs.existsSync(top + 'secret.txt')}`);
    } else {
        res.statusCode = 404;
        res.end();
    }
}
EOF

ok(start_nginx({workers => 1,
                http_config => 'js_v8_flags "--expose-gc"; js_fs_root data;',
                config => 'location / { js_handler app.js; }'},
               'app.js' => $app), 'start') or diag(last_start_output());

my ($worker) = worker_pids();

sub fds {
    opendir my $d, "/proc/$worker/fd" or return -1;
    my $n = grep { !/^\./ } readdir $d;
    return $n;
}

# the count settles once the connections of earlier requests are gone
sub fds_back_to {
    my ($want, $secs) = @_;
    my $end = time + $secs;
    my $n;
    while (time < $end) {
        $n = fds();
        return $n if $n == $want;
        sleep 0.05;
    }
    return $n;
}

sub slurp {
    my ($f) = @_;
    open my $fh, '<', $f or return undef;
    local $/;
    return scalar <$fh>;
}

sub get {
    my ($uri, %o) = @_;
    my ($st, $h, $body) = http_request('GET', $uri, %o);
    return wantarray ? ($st, $h, $body) : $body;
}

# the base: the count once it has not changed for 0.5 s (on a loaded
# machine the worker may not yet have closed the warm-up's connection,
# which made the base one too high)
sub fds_settled {
    my ($n, $same, $end) = (fds(), 0, time + 5);
    while ($same < 10 && time < $end) {
        sleep 0.05;
        my $m = fds();
        $same = $m == $n ? $same + 1 : 0;
        $n = $m;
    }
    return $n;
}

is(get('/ping'), 'pong', 'warm up');
my $base = fds_settled();
ok($base > 0, "worker $worker has $base descriptors");
my $off = log_offset();

# ------------------------------------------------------------ streaming

{
    my ($st, $h, $body) = get('/file?p=big.txt', timeout => 60);
    is($st, 200, 'createReadStream().pipe(res): 200');
    is(length $body, length $big, 'the whole file');
    ok($body eq $big, 'byte for byte');
    ok(wait_for_log('stream big.txt closed, read ' . length($big), $off, 5),
       'the stream ends and closes');

    ($st, $h, $body) = get('/file?p=big.txt&start=13&end=38');
    is($body, substr($big, 13, 26), 'start/end: the range');
    is($h->{'content-length'}, 26, 'start/end: its length');
    is(get('/file?p=small.txt'), "small file\n", 'a small file');
    ($st) = get('/file?p=none');
    is($st, 404, 'a missing file: ENOENT from stat');
    ($st, undef, $body) = get('/file?p=../secret.txt');
    is("$st $body", '403 EACCES', 'a file outside the root: EACCES');
    is(fds_back_to($base, 5), $base, 'streams: descriptors back to the start');
}

# ------------------------------------------------------------ slow client

{
    # the client reads nothing: back-pressure stops the file reads
    my $o = log_offset();
    my $h = http_start('GET', '/file?p=big.txt');
    sleep 1;
    my $during = fds();
    ok($during >= $base + 2, "while the client waits: the socket and the file "
       . "are open ($during vs $base)");
    my $rd = 0;
    {
        # what the stream has read so far is bounded by the socket buffers,
        # not the file: nginx stopped asking
        my $sel = IO::Select->new($h->{sock});
        my $buf;
        while ($rd < 64 * 1024 && $sel->can_read(2)) {
            my $n = sysread($h->{sock}, $buf, 16384);
            last unless $n;
            $rd += $n;
        }
    }
    ok($rd > 0, "the client reads a little ($rd bytes)");
    http_abort($h);
    ok(wait_for_log(qr/stream big\.txt closed, read \d+/, $o, 5),
       'client gone mid-file: the stream is destroyed');
    my ($read) = error_log_since($o) =~ /stream big\.txt closed, read (\d+)/;
    ok(defined $read && $read < length $big,
       'it had not read the whole file (' . ($read // '?') . ' of '
       . length($big) . ')');
    is(fds_back_to($base, 5), $base, 'client gone: the file is closed');

    # and with a reset
    $o = log_offset();
    $h = http_start('GET', '/file?p=big.txt');
    sleep 0.5;
    http_abort($h, rst => 1);
    ok(wait_for_log(qr/stream big\.txt closed/, $o, 5), 'RST mid-file: closed');
    is(fds_back_to($base, 5), $base, 'RST mid-file: descriptors back');
    is(get('/ping'), 'pong', 'the worker serves on');
}

# ------------------------------------------------------------ logs

{
    my @h = map { http_start('GET', "/append?line=r$_") } 1 .. 40;
    my @ok = grep { (http_finish($_))[2] eq 'ok' } @h;
    is(scalar @ok, 40, '40 concurrent appendFile() requests');
    my @lines = split /\n/, slurp("$p/data/logs/append.log");
    is(scalar @lines, 40, 'forty lines');
    is(scalar(grep { /^r\d+ \.{200}$/ } @lines), 40, 'none torn or mixed');
    is_deeply([sort { $a <=> $b } map { /^r(\d+)/ } @lines], [1 .. 40],
              'each request once');

    @h = map { http_start('GET', "/stream-log?line=s$_") } 1 .. 40;
    @ok = grep { (http_finish($_))[2] eq 'ok' } @h;
    is(scalar @ok, 40, '40 requests write to one shared WriteStream');
    @lines = split /\n/, slurp("$p/data/logs/stream.log");
    is_deeply([sort { $a <=> $b } map { /^s(\d+)$/ } @lines], [1 .. 40],
              'every line, whole');

    is(get('/sync'), 'small file false', 'readFileSync, appendFileSync, '
       . 'existsSync outside the root is false');
    like(slurp("$p/data/logs/sync.log"), qr/^(sync\n)+\z/,
         'appendFileSync wrote');
}

# ------------------------------------------------------------ the pool

{
    # a read that blocks (a FIFO with no writer) holds a pool thread,
    # never the worker
    my $o = log_offset();
    my $h = http_start('GET', '/fifo');
    sleep 0.3;
    my $t0 = time;
    is(get('/ping'), 'pong', 'a request while readFile() waits on a FIFO');
    ok(time - $t0 < 1, 'served at once (' . sprintf('%.3f', time - $t0) . ' s)');
    open my $w, '>', "$p/data/fifo" or die "fifo: $!";
    print $w 'through the fifo';
    close $w;
    my (undef, undef, $body) = http_finish($h);
    is($body, 'through the fifo', 'then readFile() completes');
}

# ------------------------------------------------------------ GC

{
    my $o = log_offset();
    my $before = fds_back_to($base, 5);
    is(get('/leak'), 'opened true', 'a FileHandle left open') for 1 .. 3;
    # the request connections close; the three files stay
    is(fds_back_to($base + 3, 5), $base + 3, 'three descriptors more');
    get('/gc');
    get('/ping');
    is(fds_back_to($base, 5), $base, 'after a GC: the handles closed them');
    my @w = error_log_since($o) =~ /Closing file descriptor \d+ on garbage collection/g;
    is(scalar @w, 3, "with Node's warning, once each");
}

# ------------------------------------------------------------ js_fs_root

{
    my %want = (
        read => 'EACCES open', readDots => 'EACCES open',
        readLink => 'EACCES open', readSync => 'EACCES open',
        write => 'EACCES open', writeSync => 'EACCES open',
        append => 'EACCES open', renameOut => 'EACCES rename',
        renameIn => 'EACCES rename', copyOut => 'EACCES copyfile',
        copyIn => 'EACCES copyfile', linkIn => 'EACCES link',
        symlinkOut => 'EACCES symlink', symlinkAbs => 'EACCES symlink',
        mkdirOut => 'EACCES mkdir', unlinkOut => 'EACCES unlink',
        rmRoot => 'EACCES lstat', rmKeep => 'EACCES lstat',
        streamOut => 'EACCES open',
    );
    for my $op (sort keys %want) {
        is(get("/op?op=$op"), $want{$op}, "js_fs_root: $op refused");
    }
    ok(!-e "$p/written.txt" && !-e "$p/moved.txt" && !-e "$p/copy.txt"
       && !-e "$p/newdir" && !-e "$p/ws.txt", 'nothing appeared outside');
    ok(-e "$p/data/small.txt" && !-e "$p/data/stolen.txt"
       && !-e "$p/data/copy.txt" && !-e "$p/data/hard.txt", 'nothing moved in');
    is(slurp("$p/secret.txt"), "SECRET\n", 'the secret is intact');

    # rm -r of a tree holding a link out: the link goes, not what it points to
    is(get('/op?op=rmTree'), 'ok', 'rm -r of a tree with a symlink out');
    ok(!-e "$p/data/tree", 'the tree is gone');
    is(slurp("$p/keep/precious.txt"), "precious\n",
       'the directory the link pointed to is intact');
}

is(fds_back_to($base, 5), $base, 'at the end: as many descriptors as at the start');
check_error_log('fs', $off);
