// every Node core module nv8 has: import 'node:x', import 'x', require('x')
import { createRequire, builtinModules, isBuiltin } from 'node:module';

const require = createRequire(import.meta.url);
const ids = ['assert', 'assert/strict', 'buffer', 'events', 'os', 'path',
             'path/posix', 'process', 'querystring', 'stream',
             'stream/promises', 'string_decoder', 'timers',
             'timers/promises', 'url', 'util', 'util/types'];
for (const id of ids) {
    const a = await import(`node:${id}`);
    const b = await import(id);
    const c = require(id);
    const d = require(`node:${id}`);
    console.log(id, a === b, c === d, builtinModules.includes(id),
                isBuiltin(id), typeof c,
                c === (a.default ?? a) || c === a);
}
console.log(require('buffer').Buffer === Buffer,
            require('process') === process,
            require('stream').Readable === require('stream').Stream.Readable,
            require('util').promisify === require('node:util').promisify);
try {
    require('internal/deps/buffer');
} catch (e) {
    console.log(e.code);
}
