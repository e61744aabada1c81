# Node core modules inside nginx workers: Buffer, path, util.format,
# querystring, process.env (from nginx's "env" directive), request body
# chunks as Buffers, stream.Readable piped into res, res.write encodings.
# Module behaviour itself is covered by t/js/node-*.js.

use strict;
use warnings;
use lib 't/lib';
use Test::NginxV8;

require_module();
run_tests();

__DATA__

=== TEST 1: Buffer, path, util.format, querystring and process.env in a handler
--- main_config
env NV8_GREETING=hello;
env NV8_UNSET_IN_NGINX;
--- js
import path from 'node:path';
import { format } from 'util';
import qs from 'querystring';
export default function (req, res) {
    const q = qs.parse(req.url.split('?')[1] ?? '');
    const b = Buffer.from(q.text ?? '', 'utf8');
    res.end(format('%s %s %d %s %s %j', process.env.NV8_GREETING,
                   b.toString('hex'), b.length,
                   path.join('/srv', q.dir ?? '', '../x.txt'),
                   path.extname(q.file ?? ''),
                   [typeof process.env.NV8_UNSET_IN_NGINX,
                    typeof process.env.PATH === 'string']));
}
--- config
    location /t { js_handler app.js; }
--- request
GET /t?text=h%C3%A9&dir=a/b&file=x.tar.gz
--- response_body
hello 68c3a9 3 /srv/a/x.txt .gz ["undefined",false]

=== TEST 2: request body chunks are Buffers (async iteration)
--- js
export default async function (req, res) {
    const chunks = [];
    for await (const c of req) {
        chunks.push(c);
    }
    const all = Buffer.concat(chunks);
    res.end(`${chunks.every((c) => Buffer.isBuffer(c))} ${all.length} ` +
            `${all.toString('base64')} ${all.readUInt16BE(0)}`);
}
--- config
    location / { js_handler app.js; }
--- request
POST /iter
hello body
--- response_body
true 10 aGVsbG8gYm9keQ== 26725

=== TEST 3: request body chunks are Buffers ('data' events)
--- js
export default async function (req, res) {
    const chunks = [];
    await new Promise((resolve) => {
        req.on('data', (c) => chunks.push(c));
        req.on('end', resolve);
    });
    res.end(`${chunks.every((c) => Buffer.isBuffer(c))} ` +
            Buffer.concat(chunks).toString('latin1'));
}
--- config
    location / { js_handler app.js; }
--- request
POST /data
some data
--- response_body
true some data

=== TEST 4: req.setEncoding('hex') decodes through StringDecoder
--- js
export default async function (req, res) {
    req.setEncoding('hex');
    let s = '';
    for await (const c of req) {
        s += typeof c === 'string' ? c : '?';
    }
    res.end(s);
}
--- config
    location / { js_handler app.js; }
--- request
POST /t
AB
--- response_body
4142

=== TEST 5: stream.Readable piped into res, through a Transform
--- js
import { Readable, Transform } from 'node:stream';
export default function (req, res) {
    res.setHeader('content-type', 'text/plain');
    const upper = new Transform({
        transform(chunk, enc, cb) {
            cb(null, chunk.toString().toUpperCase());
        },
    });
    Readable.from(['one ', 'two ', 'three']).pipe(upper).pipe(res);
}
--- config
    location / { js_handler app.js; }
--- request
GET /pipe
--- response_body
ONE TWO THREE

=== TEST 6: stream.pipeline into res
--- js
import { Readable, Transform, pipeline } from 'node:stream';
export default function (req, res) {
    const upper = new Transform({
        transform(chunk, enc, cb) {
            cb(null, chunk.toString().toUpperCase());
        },
    });
    pipeline(Readable.from(['a', 'b', 'c']), upper, res, (err) => {
        if (err) {
            console.error('pipeline failed', err);
        }
    });
}
--- config
    location / { js_handler app.js; }
--- request
GET /pipeline
--- response_body
ABC

=== TEST 7: res.write(chunk, encoding) and res.end(chunk, encoding)
--- js
export default function (req, res) {
    res.write('68656c6c6f', 'hex');
    res.write(' ');
    res.write('d29ybGQ=', 'base64');
    res.write(Buffer.from(' and '));
    res.end('\xe9', 'latin1');
}
--- config
    location / { js_handler app.js; }
--- request
GET /t
--- response_body escaped
hello world and \xe9

=== TEST 8: an unknown encoding throws ERR_UNKNOWN_ENCODING
--- js
export default function (req, res) {
    try {
        res.write('x', 'klingon');
    } catch (e) {
        res.end(e.code);
        return;
    }
    res.end('no error');
}
--- config
    location / { js_handler app.js; }
--- request
GET /t
--- response_body
ERR_UNKNOWN_ENCODING

=== TEST 9: body filter chunks are Buffers
--- js
export function filter(req, res, chunk, last) {
    if (chunk.length === 0) {
        return undefined;
    }
    return `[${Buffer.isBuffer(chunk)}:${chunk.toString('hex')}]`;
}
--- user_files
>>> html/f.txt
AB
--- config
    location /f.txt { js_body_filter_handler app.js filter; }
--- request
GET /f.txt
--- response_body
[true:4142]

=== TEST 10: process and os basics, process.exit() throws
--- js
import os from 'node:os';
export default function (req, res) {
    let code;
    try {
        process.exit(1);
    } catch (e) {
        code = e.code;
    }
    res.end(JSON.stringify([code, process.pid === process.pid,
                            typeof os.hostname(), process.argv,
                            process.memoryUsage().rss > 0,
                            typeof process.hrtime.bigint()]));
}
--- config
    location / { js_handler app.js; }
--- request
GET /t
--- response_body
["ERR_NV8_PROCESS_EXIT",true,"string",[],true,"bigint"]
