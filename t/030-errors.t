# JS exceptions, js_handler_timeout, broken JS at configuration time,
# directive contexts and arguments.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use Time::HiRes qw(sleep time);

require_module();

run_tests();

# ------------------------------------------------------------------------
# Errors after the headers were sent close the connection: the client sees
# a truncated body. The worker survives all of the errors below.

my $handlers = <<'EOF';
const tick = (ms) => new Promise((r) => setTimeout(r, ms));
export function syncAfterWrite(req, res) {
    res.write('partial');
    throw new Error('boom after write');
}
export async function asyncAfterWrite(req, res) {
    res.write('partial');
    await tick(20);
    throw new Error('async boom after write');
}
export function sync(req, res) { throw new Error('plain boom'); }
export function ok(req, res) { res.end('ok'); }
export async function slowOk(req, res) {
    await tick(300);
    res.end('slow ok');
}
export function hang(req, res) {}
export function hangAfterWrite(req, res) { res.write('partial'); }
export function lateEnd(req, res) { setTimeout(() => res.end('too late'), 1500); }
export function interval(req, res) { setInterval(() => {}, 10); }
export function timerThrows(req, res) {
    setTimeout(() => { throw new Error('thrown in a timer'); }, 10);
}
export function floating(req, res) {
    Promise.reject(new Error('floating rejection'));
    res.end('ok');
}
EOF

my $conf = {config => <<'EOF'};
        js_handler_timeout 1s;
        location /syncAfterWrite { js_handler app.js syncAfterWrite; }
        location /asyncAfterWrite { js_handler app.js asyncAfterWrite; }
        location /sync { js_handler app.js sync; }
        location /ok { js_handler app.js ok; }
        location /slowOk { js_handler app.js slowOk; }
        location /hang { js_handler app.js hang; }
        location /hangAfterWrite { js_handler app.js hangAfterWrite; }
        location /lateEnd { js_handler app.js lateEnd; }
        location /interval { js_handler app.js interval; }
        location /timerThrows { js_handler app.js timerThrows; }
        location /floating { js_handler app.js floating; }
        location /long {
            js_handler_timeout 3s;
            js_handler app.js hang;
        }
EOF

ok(start_nginx($conf, 'app.js' => $handlers), 'start: error handlers')
    or diag(last_start_output());
my ($master, @workers) = nginx_pids();

for my $loc (qw(syncAfterWrite asyncAfterWrite)) {
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', "/$loc", timeout => 5);
    is($st, 200, "$loc: headers were sent");
    is($body, 'partial', "$loc: body so far");
    ok(!$m->{complete}, "$loc: response is truncated") or diag($m->{raw});
    ok($m->{closed}, "$loc: connection closed");
    ok(wait_for_log(qr/js exception:.*boom after write/, $off, 2),
       "$loc: js exception logged");
    like(error_log_since($off), qr/app\.js:\d+/, "$loc: stack has app.js:LINE");
    check_error_log($loc, $off, allow_js_exception => 1);
    is((http_request('GET', '/ok'))[2], 'ok', "$loc: next request works");
}

{
    # An exception in one request does not disturb a concurrent one.
    my $off = log_offset();
    my $slow = http_start('GET', '/slowOk');
    sleep 0.05;
    my ($st) = http_request('GET', '/sync');
    is($st, 500, 'concurrent: the throwing request gets 500');
    my ($st2, undef, $body) = http_finish($slow);
    is("$st2 $body", '200 slow ok', 'concurrent: the pending request completes');
    check_error_log('exception beside a pending request', $off,
                    allow_js_exception => 1);
}

# js_handler_timeout: a handler that never ends is answered or closed at
# the timeout, and the error says "timed out".
for my $case (['hang', 1], ['interval', 1], ['long', 3]) {
    my ($loc, $t) = @$case;
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', "/$loc", timeout => $t + 5);
    ok($m->{elapsed} > $t - 0.2 && $m->{elapsed} < $t + 2,
       sprintf("timeout $loc: ended after about $t s (%.2fs)", $m->{elapsed}));
    ok((defined $st && $st >= 500) || (!defined $st && $m->{closed}),
       "timeout $loc: 5xx or closed") or diag($m->{raw});
    ok(wait_for_log('timed out', $off, 1), "timeout $loc: logged 'timed out'");
    check_error_log("timeout $loc", $off);
    is((http_request('GET', '/ok'))[2], 'ok', "timeout $loc: next request works");
}

{
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', '/hangAfterWrite', timeout => 6);
    is($st, 200, 'timeout after write: headers were sent');
    ok(!$m->{complete} && $m->{closed}, 'timeout after write: truncated and closed');
    ok($m->{elapsed} > 0.8 && $m->{elapsed} < 3, 'timeout after write: at about 1 s');
    ok(wait_for_log('timed out', $off, 1), "timeout after write: logged 'timed out'");
    check_error_log('timeout after write', $off);
}

{
    # res.end after the timeout already finished the request: no crash.
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', '/lateEnd', timeout => 6);
    ok($m->{elapsed} < 1.45, 'late end: timed out before the late res.end');
    sleep 1;
    check_error_log('late end after timeout', $off);
    is((http_request('GET', '/ok'))[2], 'ok', 'late end: next request works');
}

{
    # Not specified beyond "no crash": an exception thrown in a timer of a
    # pending request, and a floating rejected promise.
    my $off = log_offset();
    my ($st, $h, $body, $m) = http_request('GET', '/timerThrows', timeout => 6);
    ok(defined $st || $m->{closed}, 'timer throws: request finished');
    ($st, $h, $body) = http_request('GET', '/floating');
    is($body, 'ok', 'floating rejection: response unaffected');
    sleep 0.2;
    check_error_log('timer throws / floating', $off, allow_js_exception => 1);
}

is_deeply([nginx_pids()], [$master, @workers], 'same master and workers (none crashed)');

# ------------------------------------------------------------------------
# Broken JS fails `nginx -t` with file and line.

{
    my ($rc, $out) = nginx_test_config('location / { js_handler app.js; }',
                                       'app.js' => <<'EOF');
export default function (req, res) {
    res.end('fine so far');
    let x = ;
}
EOF
    isnt($rc, 0, 'nginx -t: syntax error fails');
    like($out, qr/app\.js:3\b/, 'nginx -t: syntax error names app.js:3') or diag($out);
}

{
    my ($rc, $out) = nginx_test_config('location / { js_handler app.js; }',
                                       'app.js' => <<'EOF');
// a comment
import { missing } from './nope.js';
export default function (req, res) { res.end(missing); }
EOF
    isnt($rc, 0, 'nginx -t: missing import fails');
    like($out, qr/nope\.js/, 'nginx -t: missing import names nope.js') or diag($out);
    like($out, qr/app\.js:2\b/, 'nginx -t: missing import names app.js:2') or diag($out);
}

{
    my ($rc, $out) = nginx_test_config('location / { js_handler app.js; }',
        'app.js' => "import { x } from './lib.js';\n"
                    . "export default function (req, res) { res.end(x); }\n",
        'lib.js' => "export const x = 1;\nexport const y = {;\n");
    isnt($rc, 0, 'nginx -t: syntax error in an imported file fails');
    like($out, qr/lib\.js:2\b/, 'nginx -t: names lib.js:2') or diag($out);
}

{
    my ($rc, $out) = nginx_test_config('location / { js_handler app.js; }',
        'app.js' => "export default function (req, res) { res.end('ok'); }\n");
    is($rc, 0, 'nginx -t: valid JS passes') or diag($out);

    ($rc, $out) = nginx_test_config({
            http_config => "js_handler_timeout 5s;\njs_v8_thread_pool_size 8;\n"
                           . "js_v8_flags \"--max-old-space-size=64\";",
            config => "js_handler_timeout 2s;\n"
                      . 'location / { js_handler_timeout 1s; js_handler app.js; }'},
        'app.js' => "export default function (req, res) { res.end('ok'); }\n");
    is($rc, 0, 'nginx -t: directives accepted in their contexts') or diag($out);
}

__DATA__

=== TEST 1: sync throw gives 500 and a logged stack
--- js
export default function (req, res) {
    res.setHeader('X-Before', 'throw');
    throw new Error('sync boom');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*sync boom/
qr/app\.js:3\b/

=== TEST 2: rejection after await gives 500
--- js
export default async function (req, res) {
    await new Promise((r) => setTimeout(r, 10));
    throw new Error('async boom');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*async boom/
qr/app\.js:3\b/

=== TEST 3: returned rejected promise gives 500
--- js
export default function (req, res) {
    return Promise.reject(new Error('rejected promise'));
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*rejected promise/
qr/app\.js:2\b/

=== TEST 4: throw a string
--- js
export default function (req, res) {
    throw 'a plain string';
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*a plain string/

=== TEST 5: throw undefined
--- js
export default function (req, res) {
    throw undefined;
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
js exception:

=== TEST 6: reject with null from an async handler
--- js
export default async function (req, res) {
    await null;
    throw null;
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
js exception:

=== TEST 7: throw an object whose toString throws
--- js
export default function (req, res) {
    throw { toString() { throw new Error('nested'); } };
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
js exception:

=== TEST 8: exception from an imported module names both files
--- user_files
>>> lib/fail.js
export function fail() {
    throw new TypeError('deep failure');
}
--- js
import { fail } from './lib/fail.js';
export default function (req, res) {
    fail();
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
qr/js exception:.*TypeError: deep failure/
qr/fail\.js:2\b/
qr/app\.js:3\b/

=== TEST 9: statusCode set before the throw does not leak into the 500
--- js
export default function (req, res) {
    res.statusCode = 201;
    throw new Error('after statusCode');
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- error_code
500
--- error_log
js exception:

=== TEST 10: a second res.end is harmless
--- js
export default function (req, res) {
    res.end('first');
    try { res.end('second'); } catch (e) {}
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
first

=== TEST 11: syntax error: nginx refuses to start
--- js
export default function (req, res) {
    res.end('x');
    if (;
}
--- config
    location /t { js_handler app.js; }
--- must_die
--- error_log
qr/app\.js:3\b/

=== TEST 12: missing import: nginx refuses to start
--- js
import x from './missing-module.js';
export default (req, res) => res.end(x);
--- config
    location /t { js_handler app.js; }
--- must_die
--- error_log
missing-module.js

=== TEST 13: missing handler file: nginx refuses to start
--- config
    location /t { js_handler does-not-exist.js; }
--- must_die
--- error_log
does-not-exist.js

=== TEST 14: js_handler is not allowed in server
--- js
export default (req, res) => res.end('x');
--- config
    js_handler app.js;
--- must_die
--- error_log
"js_handler" directive is not allowed here

=== TEST 15: js_handler is not allowed in http
--- js
export default (req, res) => res.end('x');
--- http_config
    js_handler app.js;
--- must_die
--- error_log
"js_handler" directive is not allowed here

=== TEST 16: js_handler takes one or two arguments
--- js
export default (req, res) => res.end('x');
--- config
    location /t { js_handler app.js a b; }
--- must_die
--- error_log
invalid number of arguments in "js_handler"

=== TEST 17: js_v8_thread_pool_size is not allowed in location
--- js
export default (req, res) => res.end('x');
--- config
    location /t { js_v8_thread_pool_size 2; js_handler app.js; }
--- must_die
--- error_log
"js_v8_thread_pool_size" directive is not allowed here

=== TEST 18: js_v8_thread_pool_size needs a number
--- js
export default (req, res) => res.end('x');
--- http_config
    js_v8_thread_pool_size many;
--- config
    location /t { js_handler app.js; }
--- must_die
--- error_log
js_v8_thread_pool_size

=== TEST 19: js_handler_timeout needs a time
--- js
export default (req, res) => res.end('x');
--- config
    location /t { js_handler_timeout soon; js_handler app.js; }
--- must_die
--- error_log
js_handler_timeout

=== TEST 20: js_v8_flags is not allowed in server
--- js
export default (req, res) => res.end('x');
--- config
    js_v8_flags "--no-expose-wasm";
    location /t { js_handler app.js; }
--- must_die
--- error_log
"js_v8_flags" directive is not allowed here

=== TEST 21: after all that, a good config starts and serves
--- js
export default (req, res) => res.end('recovered');
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
recovered
