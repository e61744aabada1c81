# Modules: packages from node_modules next to the handler, CommonJS
# handlers (module.exports is the default export), require() and import of
# packages, JSON, and start-up checks of CommonJS files.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;

run_tests();

__DATA__

=== TEST 1: ES handler imports a CommonJS package from node_modules
--- user_files
>>> node_modules/greet/package.json
{ "name": "greet", "main": "lib/greet" }
>>> node_modules/greet/lib/greet.js
exports.greet = (who) => `hello, ${who}`;
--- js
import { greet } from 'greet';
export default (req, res) => res.end(greet('esm'));
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
hello, esm

=== TEST 2: CommonJS handler: module.exports is the handler
--- user_files
>>> node_modules/greet/package.json
{ "name": "greet", "main": "lib/greet" }
>>> node_modules/greet/lib/greet.js
exports.greet = (who) => `hello, ${who}`;
>>> handler.cjs
const { greet } = require('greet');
module.exports = (req, res) => res.end(greet('cjs'));
--- config
    location /t { js_handler handler.cjs; }
--- request
GET /t
--- response_body
hello, cjs

=== TEST 3: CommonJS .js handler (no "type"), exports condition require
--- user_files
>>> node_modules/dual/package.json
{ "name": "dual",
  "exports": { "nv8": { "require": "./nv8.cjs", "import": "./nv8.mjs" },
               "default": "./other.js" } }
>>> node_modules/dual/nv8.cjs
module.exports = 'nv8 require';
>>> node_modules/dual/nv8.mjs
export default 'nv8 import';
>>> node_modules/dual/other.js
module.exports = 'default';
>>> handler.js
const dual = require('dual');
const config = require('./config.json');
module.exports = function (req, res) {
    res.end(`${dual} ${config.name} ${require.main === module}`);
};
>>> config.json
{ "name": "from json" }
--- config
    location /t { js_handler handler.js; }
--- request
GET /t
--- response_body
nv8 require from json true

=== TEST 4: named export of a CommonJS handler file
--- user_files
>>> handlers.js
exports.hello = (req, res) => res.end('named cjs');
--- config
    location /t { js_handler handlers.js hello; }
--- request
GET /t
--- response_body
named cjs

=== TEST 5: import of an ES package and import() of CommonJS at request time
--- user_files
>>> node_modules/esm-pkg/package.json
{ "name": "esm-pkg", "type": "module", "exports": "./index.js" }
>>> node_modules/esm-pkg/index.js
export const where = 'esm-pkg';
>>> lazy.cjs
module.exports = { lazy: 'lazy cjs' };
--- js
import { where } from 'esm-pkg';
export default async (req, res) => {
    const { default: m } = await import('./lazy.cjs');
    res.end(`${where} ${m.lazy}`);
};
--- config
    location /t { js_handler app.js; }
--- request
GET /t
--- response_body
esm-pkg lazy cjs

=== TEST 6: syntax error in a CommonJS handler: nginx refuses to start
--- user_files
>>> bad.cjs
module.exports = (req, res) => {
    res.end(;
};
--- config
    location /t { js_handler bad.cjs; }
--- must_die
--- error_log
qr/bad\.cjs:2\b/

=== TEST 7: missing package: nginx refuses to start, naming the importer
--- js
import x from 'no-such-package';
export default (req, res) => res.end(x);
--- config
    location /t { js_handler app.js; }
--- must_die
--- error_log
qr/Cannot find package 'no-such-package' imported from \S*app\.js/

=== TEST 8: a CommonJS export the lexer cannot name still works as a handler
--- user_files
>>> handlers.js
Object.assign(module.exports, {
    ['hel' + 'lo']: (req, res) => res.end('dynamic cjs export'),
});
--- config
    location /t { js_handler handlers.js hello; }
--- request
GET /t
--- response_body
dynamic cjs export

=== TEST 9: package.json "type": "module" next to the handler
--- user_files
>>> package.json
{ "type": "module", "imports": { "#lib": "./lib/index.js" } }
>>> lib/index.js
export const lib = 'typed esm';
>>> handler.js
import { lib } from '#lib';
export default (req, res) => res.end(lib);
--- config
    location /t { js_handler handler.js; }
--- request
GET /t
--- response_body
typed esm

=== TEST 10: js_module_path: bare specifiers found there, for import and require()
--- http_config
    js_module_path shared vendor;
--- user_files
>>> shared/mp-greet/package.json
{ "name": "mp-greet",
  "exports": { "import": "./esm.mjs", "require": "./cjs.js" } }
>>> shared/mp-greet/esm.mjs
export const greet = (who) => `esm hello ${who}`;
>>> shared/mp-greet/cjs.js
exports.greet = (who) => `cjs hello ${who}`;
>>> vendor/mp-greet/package.json
{ "name": "mp-greet" }
>>> vendor/mp-greet/index.js
module.exports = 'shadowed: the first js_module_path wins';
>>> vendor/mp-shout/package.json
{ "name": "mp-shout" }
>>> vendor/mp-shout/index.js
module.exports = (s) => s.toUpperCase();
>>> app/node_modules/mp-shout/package.json
{ "name": "mp-shout" }
>>> app/node_modules/mp-shout/index.js
module.exports = (s) => `node_modules first: ${s}`;
>>> vendor/mp-loud/package.json
{ "name": "mp-loud", "main": "lib/loud.js" }
>>> vendor/mp-loud/lib/loud.js
module.exports = (s) => s.toUpperCase();
>>> app/handler.mjs
import { greet } from 'mp-greet';
import { createRequire } from 'node:module';
import shout from 'mp-shout';
import loud from 'mp-loud';
const require = createRequire(import.meta.url);
export default (req, res) => res.end([
    greet('a'), require('mp-greet').greet('b'), shout('x'), loud('y'),
    require.resolve('mp-greet'),
].join('\n'));
--- config
    location /t { js_handler app/handler.mjs; }
--- request
GET /t
--- response_body_like
^esm hello a
cjs hello b
node_modules first: x
Y
/\S+/shared/mp-greet/cjs\.js$

=== TEST 11: js_module_path: the configuration check resolves through it
--- http_config
    js_module_path lib;
--- user_files
>>> lib/mp-only-here/package.json
{ "name": "mp-only-here" }
>>> lib/mp-only-here/index.js
module.exports = 'found';
>>> handler.mjs
import v from 'mp-only-here';
export default (req, res) => res.end(v);
--- config
    location /t { js_handler handler.mjs; }
--- request
GET /t
--- response_body
found

=== TEST 12: without js_module_path the same handler stops nginx
--- user_files
>>> lib/mp-only-here/package.json
{ "name": "mp-only-here" }
>>> lib/mp-only-here/index.js
module.exports = 'found';
>>> handler.mjs
import v from 'mp-only-here';
export default (req, res) => res.end(v);
--- config
    location /t { js_handler handler.mjs; }
--- must_die
--- error_log
qr/Cannot find package 'mp-only-here' imported from \S*handler\.mjs/

=== TEST 13: js_module_path that is not there: nginx -t fails clearly
--- http_config
    js_module_path no/such/dir;
--- config
    location /t { return 200; }
--- must_die
--- error_log
qr/\[emerg\] \d+#\d+: stat\(\) "\S*no\/such\/dir" failed \(2: No such file or directory\)/

=== TEST 14: js_module_path naming a file
--- http_config
    js_module_path nginx.conf;
--- config
    location /t { return 200; }
--- must_die
--- error_log
qr/\[emerg\] \d+#\d+: js_module_path "\S*nginx\.conf" is not a directory/

=== TEST 15: js_module_path after a handler directive is refused
--- js
export default (req, res) => res.end('x');
--- http_config
    js_variable $x app.js;
    js_module_path .;
--- config
    location /t { return 200; }
--- must_die
--- error_log
qr/"js_module_path" must precede the directives that name scripts/
