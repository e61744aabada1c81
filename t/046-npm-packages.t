# Real npm packages, unmodified: hono (a fetch-style js_handler with
# routes, params, a middleware and its 404), zod (validating a JSON body),
# lodash and uuid from both import and require() (uuid 14 is ESM only).
#
# The versions are pinned by t/npm/package.json and package-lock.json.
# npm installs them at test time ("npm ci", never committed) into
# build/npm-test/<hash of the lock>/, reused while the lock is unchanged,
# and the test prefix gets a node_modules symlink to it, next to the app.
# Without npm, or when the install fails (no registry), the file is
# skipped and says why.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;
use Cwd qw(abs_path);
use Digest::SHA qw(sha256_hex);
use File::Basename qw(dirname);
use File::Path qw(make_path remove_tree);
use File::Temp qw(tempdir);

require_module();

my $root = abs_path(dirname(__FILE__) . '/..');
my $src = "$root/t/npm";

sub slurp {
    open my $fh, '<', $_[0] or die "$_[0]: $!";
    local $/;
    return <$fh>;
}

# the installed node_modules, or undef and why not
sub npm_install {
    my $npm = `sh -c 'command -v npm' 2>/dev/null`;
    chomp $npm;
    return (undef, 'npm not found: these tests install real packages '
                   . 'with npm (from the registry, once)') unless $npm;

    my $hash = substr(sha256_hex(slurp("$src/package.json")
                                 . slurp("$src/package-lock.json")), 0, 16);
    my $dir = "$root/build/npm-test/$hash";
    return ("$dir/node_modules") if -f "$dir/.installed";

    my $tmp = "$dir.tmp.$$";
    remove_tree($tmp);
    make_path($tmp);
    for my $f ('package.json', 'package-lock.json') {
        write_file("$tmp/$f", slurp("$src/$f"));
    }
    my $out = `cd '$tmp' && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline 2>&1`;
    if ($? != 0) {
        my @lines = grep { /\S/ && !/complete log of this run/ }
                    split /\n/, $out;
        my @errors = grep { /^npm (error|ERR!)/ } @lines;
        remove_tree($tmp);
        my @why = grep { defined } (@errors ? @errors : @lines)[0 .. 1];
        return (undef, 'npm ci failed: '
                       . (@why ? join(' / ', @why) : "exit $?"));
    }
    write_file("$tmp/.installed", '');
    remove_tree($dir);
    rename $tmp, $dir or return (undef, "rename $tmp: $!");
    return ("$dir/node_modules");
}

my ($modules, $why) = npm_install();
plan(skip_all => $why) unless $modules;

symlink $modules, prefix_dir() . '/node_modules'
    or die "symlink: $!";
$ENV{TEST_NGINX_NPM_MODULES} = $modules;

# an app with no node_modules above it, for js_module_path
my $away = tempdir('nv8-npm-away-XXXXXX', TMPDIR => 1,
                   CLEANUP => !$ENV{TEST_NGINX_LEAVE});
write_file("$away/app.mjs", <<'JS');
import { Hono } from 'hono';
import _ from 'lodash';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { validate } = require('uuid');
const app = new Hono();
app.get('/away/:x', (c) => c.json({
    x: _.upperFirst(c.req.param('x')),
    uuid: validate(require('uuid').v4()),
    hono: require.resolve('hono').replace(/.*\/node_modules\//, ''),
}));
export default app;
JS
$ENV{TEST_NGINX_AWAY} = $away;

run_tests();

__DATA__

=== TEST 1: hono: a route with params, JSON, and the middleware's header
--- js
import { Hono } from 'hono';
import { z } from 'zod';

const app = new Hono();

app.use('*', async (c, next) => {
    await next();
    c.header('X-Powered-By', 'nv8 + hono');
});

app.get('/users/:id', (c) => c.json({
    id: c.req.param('id'),
    q: c.req.query('q') ?? null,
}));

app.get('/posts/:post/comments/:n{[0-9]+}', (c) => c.json(c.req.param()));

const User = z.object({
    name: z.string().min(1),
    age: z.number().int().nonnegative(),
});

app.post('/users', async (c) => {
    let body;
    try {
        body = await c.req.json();
    } catch {
        return c.json({ error: 'body is not JSON' }, 400);
    }
    const r = User.safeParse(body);
    if (!r.success) {
        return c.json({ error: r.error.issues.map((i) => ({
            path: i.path.join('.'), code: i.code,
        })) }, 400);
    }
    return c.json({ created: r.data }, 201);
});

export default app;
--- config
    location / { js_handler app.js; }
--- request
GET /users/42?q=hello%20world
--- response_headers
Content-Type: application/json
X-Powered-By: nv8 + hono
--- response_body
{"id":"42","q":"hello world"}

=== TEST 2: hono: a route with a regexp param
--- js
import { Hono } from 'hono';

const app = new Hono();
app.get('/posts/:post/comments/:n{[0-9]+}', (c) => c.json(c.req.param()));
export default app;
--- config
    location / { js_handler app.js; }
--- request
GET /posts/hello/comments/7
--- response_body
{"n":"7","post":"hello"}

=== TEST 3: hono: no route gives its 404, with the middleware's header
--- js
import { Hono } from 'hono';

const app = new Hono();
app.use('*', async (c, next) => {
    await next();
    c.header('X-Powered-By', 'nv8 + hono');
});
app.get('/posts/:post/comments/:n{[0-9]+}', (c) => c.json(c.req.param()));
export default app;
--- config
    location / { js_handler app.js; }
--- request
GET /posts/hello/comments/seven
--- error_code
404
--- response_headers
X-Powered-By: nv8 + hono
--- response_body
404 Not Found

=== TEST 4: zod validates a JSON body: a valid one is created
--- js
import { Hono } from 'hono';
import { z } from 'zod';

const User = z.object({
    name: z.string().min(1),
    age: z.number().int().nonnegative(),
});
const app = new Hono();
app.post('/users', async (c) => {
    const r = User.safeParse(await c.req.json());
    if (!r.success) {
        return c.json({ error: r.error.issues }, 400);
    }
    return c.json({ created: r.data }, 201);
});
export default app;
--- config
    location / { js_handler app.js; }
--- more_headers
Content-Type: application/json
--- request
POST /users
{"name":"Ada","age":36,"extra":"stripped"}
--- error_code
201
--- response_body
{"created":{"name":"Ada","age":36}}

=== TEST 5: zod: a bad body is a 400 with zod's issues
--- js
import { Hono } from 'hono';
import { z } from 'zod';

const User = z.object({
    name: z.string().min(1),
    age: z.number().int().nonnegative(),
});
const app = new Hono();
app.post('/users', async (c) => {
    const r = User.safeParse(await c.req.json());
    if (!r.success) {
        return c.json({ error: r.error.issues }, 400);
    }
    return c.json({ created: r.data }, 201);
});
export default app;
--- config
    location / { js_handler app.js; }
--- more_headers
Content-Type: application/json
--- request
POST /users
{"name":"","age":1.5}
--- error_code
400
--- response_body_like
^\{"error":\[\{"origin":"string","code":"too_small","minimum":1,"inclusive":true,"path":\["name"\],"message":"[^"]+"\},\{"expected":"int","format":"safeint","code":"invalid_type","path":\["age"\],"message":"[^"]+"\}\]\}$

=== TEST 6: lodash and uuid from ES module imports
--- js
import _ from 'lodash';
import chunk from 'lodash/chunk.js';
import { v4, v7, validate, version } from 'uuid';

export default (req, res) => {
    const a = v4();
    const b = v7();
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        chunk: chunk([1, 2, 3, 4, 5], 2),
        groupBy: _.groupBy(['one', 'two', 'three'], 'length'),
        template: _.template('hi <%= who %>')({ who: 'nginx' }),
        uuids: [validate(a), version(a), validate(b), version(b), a !== v4()],
    }));
};
--- config
    location / { js_handler app.js; }
--- request
GET /esm
--- response_body
{"chunk":[[1,2],[3,4],[5]],"groupBy":{"3":["one","two"],"5":["three"]},"template":"hi nginx","uuids":[true,4,true,7,true]}

=== TEST 7: lodash and uuid from CommonJS require() (uuid 14 is ESM only)
--- user_files
>>> cjs/package.json
{ "type": "commonjs" }
>>> cjs/handler.js
const _ = require('lodash');
const { v4, validate, version } = require('uuid');

module.exports = (req, res) => {
    const id = v4();
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        sum: _.sumBy([{ n: 1 }, { n: 2 }], 'n'),
        kebab: _.kebabCase('Hello World'),
        uuid: [validate(id), version(id)],
        sameLodash: require('lodash') === _,
    }));
};
--- config
    location / { js_handler cjs/handler.js; }
--- request
GET /cjs
--- response_body
{"sum":3,"kebab":"hello-world","uuid":[true,4],"sameLodash":true}

=== TEST 8: the same packages through js_module_path, no node_modules near the app
--- http_config
    js_module_path $TEST_NGINX_NPM_MODULES;
--- config
    location / { js_handler $TEST_NGINX_AWAY/app.mjs; }
--- request
GET /away/nginx
--- response_body
{"x":"Nginx","uuid":true,"hono":"hono/dist/cjs/index.js"}
