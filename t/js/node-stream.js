// node:stream (readable-stream) and node:stream/promises
import { Readable, Writable, Duplex, Transform, PassThrough, pipeline,
         finished, Stream } from 'node:stream';
import { pipeline as pipelineP, finished as finishedP }
    from 'stream/promises';
import EventEmitter from 'events';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));

show(new Readable() instanceof EventEmitter, new Readable() instanceof
     Stream, typeof Duplex);

const upper = () => new Transform({
    transform(chunk, enc, cb) {
        cb(null, chunk.toString().toUpperCase());
    },
});
function sink(out) {
    return new Writable({
        write(chunk, enc, cb) {
            out.push([Buffer.isBuffer(chunk), chunk.toString()]);
            cb();
        },
    });
}

let out = [];
await pipelineP(Readable.from(['ab', 'cd'], { objectMode: false }), upper(),
                sink(out));
show('pipeline', out);

out = [];
const r = new Readable({ read() {} });
r.push('x');
r.push(Buffer.from('y'));
r.push(null);
r.setEncoding('utf8');
r.on('data', (c) => out.push(c));
await finishedP(r);
show('data', out);

out = [];
await new Promise((resolve, reject) => {
    pipeline(Readable.from(['1', '2', '3']), new PassThrough(), upper(),
             sink(out), (err) => (err ? reject(err) : resolve()));
});
show('callback pipeline', out.map((x) => x[1]).join(''));

try {
    await pipelineP(Readable.from(['a']), new Transform({
        transform(c, e, cb) {
            cb(new Error('transform failed'));
        },
    }), sink([]));
} catch (e) {
    show('error', e.message);
}

const objs = [];
for await (const o of Readable.from([{ a: 1 }, { b: 2 }])) {
    objs.push(o);
}
show('objectMode', objs);

const w = new Writable({
    highWaterMark: 2,
    write(c, e, cb) {
        setTimeout(cb, 1);
    },
});
show('backpressure', w.write('abc'));
w.on('drain', () => show('drain'));
await new Promise((resolve) => finished(w.end(), resolve));
show('ended', w.writableEnded, w.writableFinished);

const d = new Duplex({
    read() {
        this.push('from duplex');
        this.push(null);
    },
    write(c, e, cb) {
        show('duplex got', c.toString());
        cb();
    },
});
d.end('to duplex');
let txt = '';
for await (const c of d) {
    txt += c;
}
show(txt);
const piped = [];
const src = Readable.from(['p', 'q']);
const dst = sink(piped);
src.pipe(dst);
await finishedP(dst);
show('pipe', piped.map((x) => x[1]));
