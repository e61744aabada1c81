# Timers, microtasks, ordering, node:fs/promises on the thread pool.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use Fcntl qw(O_RDWR O_WRONLY O_NONBLOCK);
use IO::Select;
use POSIX ();
use Time::HiRes qw(sleep time);

require_module();

# Fixtures read by the blocks below.
write_file('data/hello.txt', 'file contents');
write_file('data/big.bin', 'z' x (16 << 20));

run_tests();

# ------------------------------------------------------------------------
# Many concurrent requests on one worker, each waiting on a timer: they are
# served concurrently and every response belongs to its own request.

{
    ok(start_nginx({workers => 1, config => 'location /t { js_handler app.js; }'},
                   'app.js' => <<'EOF'), 'start: concurrency') or diag(last_start_output());
export default async function (req, res) {
    const id = req.url.slice(req.url.indexOf('=') + 1);
    await new Promise((r) => setTimeout(r, 100 + (id * 7) % 50));
    res.end('id=' + id);
}
EOF
    my $off = log_offset();
    my $t0 = time;
    my @h = map { http_start('GET', "/t?id=$_") } 1 .. 50;
    my @bodies = map { (http_finish($_))[2] } @h;
    my $elapsed = time - $t0;
    is_deeply(\@bodies, [map { "id=$_" } 1 .. 50],
              'concurrent: each response matches its request');
    ok($elapsed < 2, "concurrent: 50 x 100-150 ms timers served in parallel"
                     . sprintf(' (%.2fs)', $elapsed));
    check_error_log('concurrent', $off);
}

# ------------------------------------------------------------------------
# A short timer armed while a longer one is pending fires on time: nginx
# keeps a set timer that is due within 300 ms of a new time (its "lazy"
# timers), which once made setTimeout(fn, 1) wait for the 280 ms one.

{
    ok(start_nginx({workers => 1, config => 'location / { js_handler app.js; }'},
                   'app.js' => <<'EOF'), 'start: short after long') or diag(last_start_output());
export default async function (req, res) {
    const t = Date.now();
    await new Promise((r) => setTimeout(r, req.url === '/long' ? 280 : 1));
    res.end(String(Date.now() - t));
}
EOF
    my $off = log_offset();
    my $long = http_start('GET', '/long');
    sleep 0.02;
    my (undef, undef, $short) = http_request('GET', '/short');
    my (undef, undef, $took) = http_finish($long);
    ok(defined $short && $short =~ /^\d+$/ && $short < 150,
       "a 1 ms timer beside a 280 ms one fires on time (${\($short // '?')} ms)");
    ok(defined $took && $took >= 280, 'the 280 ms timer: not early');
    check_error_log('short after long', $off);
}

# ------------------------------------------------------------------------
# The thread pool does not block the event loop: readFile on a FIFO with no
# writer blocks a pool thread in open(2); meanwhile other requests on the
# same (single) worker are answered. Then the test writes to the FIFO and
# the first request completes with what was written.

{
    my $fifo = prefix_dir() . '/fifo';
    POSIX::mkfifo($fifo, 0600) or die "mkfifo: $!";
    ok(start_nginx({workers => 1, config => <<'EOF'},
        location /slow { js_handler app.js slow; }
        location /fast { js_handler app.js fast; }
        location /fastfs { js_handler app.js fastfs; }
EOF
                   'app.js' => <<"EOF"), 'start: fifo') or diag(last_start_output());
import { readFile } from 'node:fs/promises';
export async function slow(req, res) {
    const data = await readFile('$fifo', 'utf8');
    res.end('got:' + data);
}
export function fast(req, res) { res.end('fast'); }
export async function fastfs(req, res) {
    res.end(await readFile('${\ prefix_dir()}/data/hello.txt', 'utf8'));
}
EOF
    my $off = log_offset();
    my $slow = http_start('GET', '/slow', timeout => 15);
    sleep 0.3;

    my ($st, $h, $body, $m) = http_request('GET', '/fast', timeout => 1);
    is($body, 'fast', 'fifo: a plain request is answered meanwhile');
    ok($m->{elapsed} < 1, sprintf('fifo: ... within 1 s (%.3fs)', $m->{elapsed}));

    ($st, $h, $body, $m) = http_request('GET', '/fastfs', timeout => 1);
    is($body, 'file contents', 'fifo: another readFile is served meanwhile');
    ok($m->{elapsed} < 1, sprintf('fifo: ... within 1 s (%.3fs)', $m->{elapsed}));

    ok(!IO::Select->new($slow->{sock} || ())->can_read(0),
       'fifo: the FIFO request is still pending');

    # Open the write end without blocking; ENXIO until the reader has it open.
    my $w;
    my $deadline = time + 5;
    until (sysopen($w, $fifo, O_WRONLY | O_NONBLOCK) || time > $deadline) {
        sleep 0.02;
    }
    ok($w, 'fifo: the handler opened the FIFO for reading');
    if ($w) {
        syswrite($w, 'fifo data');
        close $w;
    } else {
        # Unblock a reader stuck in open(2) so that nginx can still stop.
        my $rw;
        close $rw if sysopen($rw, $fifo, O_RDWR);
    }
    ($st, $h, $body, $m) = http_finish($slow);
    is($st, 200, 'fifo: status');
    is($body, 'got:fifo data', 'fifo: the FIFO request completes with the data');
    check_error_log('fifo', $off);
}

__DATA__

=== TEST 1: await a 50 ms timer
--- js
export default async function (req, res) {
    const t0 = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const dt = Date.now() - t0;
    res.end(dt >= 45 && dt < 1000 ? 'waited' : 'bad delay ' + dt);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
waited

=== TEST 2: handler returns before res.end; a timer ends the response
--- js
export default function (req, res) {
    setTimeout(() => res.end('from timer'), 20);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
from timer

=== TEST 3: write, wait, end
--- js
export default async function (req, res) {
    res.write('a');
    await new Promise((r) => setTimeout(r, 30));
    res.write('b');
    await new Promise((r) => setImmediate(r));
    res.end('c');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
abc

=== TEST 4: sync, then microtasks in queue order, then timer and immediate
--- js
export default function (req, res) {
    const order = [];
    let pending = 2;
    const done = () => { if (--pending === 0) res.end(order.join(',')); };
    setTimeout(() => { order.push('timeout'); done(); }, 0);
    setImmediate(() => { order.push('immediate'); done(); });
    queueMicrotask(() => order.push('micro1'));
    Promise.resolve().then(() => order.push('promise'));
    queueMicrotask(() => order.push('micro2'));
    order.push('sync');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body_like
\Async,micro1,promise,micro2,(?:timeout,immediate|immediate,timeout)\z

=== TEST 5: microtasks queued by a timer run before the next timer
--- js
export default function (req, res) {
    const order = [];
    setTimeout(() => {
        order.push('t1');
        queueMicrotask(() => order.push('t1-micro'));
        Promise.resolve().then(() => order.push('t1-promise'));
    }, 0);
    setTimeout(() => {
        order.push('t2');
        res.end(order.join(','));
    }, 0);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
t1,t1-micro,t1-promise,t2

=== TEST 6: timers fire in order of expiry; equal delays in creation order
--- js
export default function (req, res) {
    const order = [];
    setTimeout(() => order.push('c30'), 30);
    setTimeout(() => order.push('b20'), 20);
    setTimeout(() => order.push('a10'), 10);
    setTimeout(() => order.push('d0-1'), 0);
    setTimeout(() => order.push('d0-2'), 0);
    setTimeout(() => res.end(order.join(',')), 80);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
d0-1,d0-2,a10,b20,c30

=== TEST 7: setImmediate callbacks run in order
--- js
export default function (req, res) {
    const order = [];
    setImmediate(() => order.push(1));
    setImmediate(() => order.push(2));
    setImmediate(() => { order.push(3); res.end(order.join(',')); });
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
1,2,3

=== TEST 8: setTimeout passes extra arguments
--- js
export default function (req, res) {
    setTimeout((a, b) => res.end(a + '+' + b), 1, 'x', 'y');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
x+y

=== TEST 9: clearTimeout cancels a timer
--- js
export default function (req, res) {
    const t = setTimeout(() => res.end('cancelled timer fired'), 10);
    clearTimeout(t);
    setTimeout(() => res.end('ok'), 50);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
ok

=== TEST 10: setInterval ticks until clearInterval, then never again
--- js
export default function (req, res) {
    let n = 0;
    const iv = setInterval(() => { if (++n === 3) clearInterval(iv); }, 10);
    setTimeout(() => res.end('ticks=' + n), 150);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
ticks=3

=== TEST 11: clearInterval from outside the callback
--- js
export default function (req, res) {
    let n = 0;
    const iv = setInterval(() => { n++; }, 5);
    setTimeout(() => {
        clearInterval(iv);
        const at = n;
        setTimeout(() => res.end(at > 0 && n === at ? 'stopped' : `bad ${at} ${n}`), 50);
    }, 60);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
stopped

=== TEST 12: an interval left running after res.end does not break anything
--- js
export default function (req, res) {
    const iv = setInterval(() => {}, 5);
    setTimeout(() => clearInterval(iv), 100);
    res.end('left running');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
left running
--- wait
0.2

=== TEST 13: readFile with an encoding returns a string
--- js
import { readFile } from 'node:fs/promises';
export default async function (req, res) {
    const s = await readFile('$TEST_NGINX_PREFIX/data/hello.txt', 'utf8');
    res.end(typeof s + ':' + s);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
string:file contents

=== TEST 14: readFile without an encoding returns bytes
--- js
import { readFile } from 'node:fs/promises';
export default async function (req, res) {
    const b = await readFile('$TEST_NGINX_PREFIX/data/hello.txt');
    res.end([b instanceof Uint8Array, b.length, String.fromCharCode(...b)].join(' '));
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
true 13 file contents

=== TEST 15: stat
--- js
import { stat } from 'node:fs/promises';
export default async function (req, res) {
    const s = await stat('$TEST_NGINX_PREFIX/data/hello.txt');
    const b = await stat('$TEST_NGINX_PREFIX/data/big.bin');
    res.end(s.size + ' ' + b.size);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
13 16777216

=== TEST 16: readFile of a missing file rejects with ENOENT
--- js
import { readFile } from 'node:fs/promises';
export default async function (req, res) {
    try {
        await readFile('$TEST_NGINX_PREFIX/data/missing.txt');
        res.end('resolved?');
    } catch (e) {
        res.end([e instanceof Error, e.code].join(' '));
    }
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
true ENOENT

=== TEST 17: stat of a missing file rejects with ENOENT
--- js
import { stat } from 'node:fs/promises';
export default function (req, res) {
    stat('$TEST_NGINX_PREFIX/data/missing.txt').then(
        () => res.end('resolved?'),
        (e) => res.end(String(e.code)));
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
ENOENT

=== TEST 18: 16 MiB readFile
--- js
import { readFile } from 'node:fs/promises';
export default async function (req, res) {
    const b = await readFile('$TEST_NGINX_PREFIX/data/big.bin');
    res.end(b.length + ' ' + b[0] + ' ' + b[b.length - 1]);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
16777216 122 122

=== TEST 19: parallel readFile calls
--- js
import { readFile } from 'node:fs/promises';
export default async function (req, res) {
    const p = '$TEST_NGINX_PREFIX/data/hello.txt';
    const all = await Promise.all(Array.from({ length: 20 }, () => readFile(p, 'utf8')));
    res.end(all.length + ' ' + all.every((s) => s === 'file contents'));
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
20 true

=== TEST 20: namespace import of node:fs/promises
--- js
import * as fsp from 'node:fs/promises';
export default function (req, res) {
    res.end(typeof fsp.readFile + ' ' + typeof fsp.stat);
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
function function

=== TEST 21: js_v8_thread_pool_size
--- http_config
    js_v8_thread_pool_size 2;
--- js
import { readFile } from 'node:fs/promises';
export default async function (req, res) {
    const p = '$TEST_NGINX_PREFIX/data/hello.txt';
    const all = await Promise.all([readFile(p, 'utf8'), readFile(p, 'utf8'),
                                   readFile(p, 'utf8')]);
    res.end(all.join('|'));
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
file contents|file contents|file contents
