// Bad input gives Node's errors: a module or export nv8 lacks fails at
// import naming it; wrong argument types throw ERR_INVALID_ARG_TYPE with
// Node's message ("The "x" argument must be ... Received ...").
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function show(what, fn) {
    try {
        fn();
        console.log(what, 'no error');
    } catch (e) {
        console.log(what, '->', e.name, e.code, e.message.split('\n')[0]);
    }
}

async function showAsync(what, fn) {
    try {
        await fn();
        console.log(what, 'no error');
    } catch (e) {
        console.log(what, '->', e.name, e.code, e.message.split('\n')[0]);
    }
}

const here = new URL('.', import.meta.url).pathname;
const rel = (s) => s.split(here).join('./');

// modules nv8 does not have
for (const m of ['node:http2', 'http2', 'child_process', 'node:child_process',
                 'worker_threads', 'node:vm', 'node:nope', 'no-such-package']) {
    show(`require('${m}')`, () => require(m));
}
for (const m of ['node:http2', 'child_process', 'node:nope',
                 'no-such-package']) {
    try {
        await import(m);
        console.log(`import('${m}') no error`);
    } catch (e) {
        console.log(`import('${m}') ->`, e.code, rel(e.message));
    }
}
for (const f of ['needs-http2.mjs', 'needs-cp.cjs', 'needs-export.mjs']) {
    try {
        await import(`./fixtures/errors/${f}`);
        console.log(f, 'no error');
    } catch (e) {
        console.log(f, '->', e.name, e.code,
                    rel(e.message.split('\n')[0]));
    }
}
console.log('builtin list', require('node:module').isBuiltin('fs'),
            require('node:module').isBuiltin('http2'));

// ERR_INVALID_ARG_TYPE, Node's wording
const fs = require('node:fs');
const path = require('node:path');
const EventEmitter = require('node:events');
show('fs.readFileSync(null)', () => fs.readFileSync(null));
show('fs.statSync({})', () => fs.statSync({}));
show('fs.writeFileSync(p, 5)', () => fs.writeFileSync('/nonexistent/x', 5));
show('fs.readFile(p, "x")', () => fs.readFile('/x', 'utf8', 'x'));
show('path.join(1)', () => path.join('a', 1));
show('path.resolve(null)', () => path.resolve('/a', null));
show('path.relative(1, "a")', () => path.relative(1, 'a'));
show('path.basename("a", 5)', () => path.basename('a', 5));
show('path.dirname()', () => path.dirname());
show('path.format(null)', () => path.format(null));
show('path.posix.join(true)', () => path.posix.join(true));
show('Buffer.from(5)', () => Buffer.from(5));
show('Buffer.from(undefined)', () => Buffer.from(undefined));
show('Buffer.alloc("10")', () => Buffer.alloc('10'));
show('Buffer.allocUnsafe({})', () => Buffer.allocUnsafe({}));
show('Buffer.concat("ab")', () => Buffer.concat('ab'));
show('Buffer.concat([1])', () => Buffer.concat([1]));
show('emitter.on(x, 5)', () => new EventEmitter().on('x', 5));
show('emitter.once(x, "f")', () => new EventEmitter().once('x', 'f'));
show('emitter.off(x, null)', () => new EventEmitter().off('x', null));
console.log('on === addListener', EventEmitter.prototype.on ===
            EventEmitter.prototype.addListener);
show('util.promisify(5)', () => require('node:util').promisify(5));
show('crypto.createHash(5)', () => require('node:crypto').createHash(5));
show('setTimeout("x")', () => setTimeout('x'));
show('a long string', () => Buffer.alloc('a rather long string, yes it is'));
show('a string with a quote', () => Buffer.alloc("it's"));
show('-0', () => path.join(-0));
show('bigint', () => path.join(10n));
show('symbol', () => path.join(Symbol('s')));
show('a function', () => path.join(function named() {}));
show('null prototype', () => path.join(Object.create(null)));
await showAsync('fsp.readFile(5)',
                () => fs.promises.readFile(5));
