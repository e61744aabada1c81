// node:events: npm events' EventEmitter (require('events') is the class)
import EventEmitter, { once, EventEmitter as EE2 } from 'node:events';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));

const cjs = require('events');
show(cjs === EventEmitter, EE2 === EventEmitter, cjs.EventEmitter === cjs,
     typeof cjs.once);
const e = new EventEmitter();
const log = [];
e.on('x', (a) => log.push('on ' + a));
e.prependListener('x', (a) => log.push('first ' + a));
e.once('x', (a) => log.push('once ' + a));
show(e.emit('x', 1), e.emit('x', 2), e.emit('nothing'), log);
show(e.listenerCount('x'), e.eventNames(), e.getMaxListeners());
const f = () => {};
e.on('y', f);
e.off('y', f);
show(e.listenerCount('y'));
try {
    e.emit('error', new Error('unhandled'));
} catch (err) {
    show(err.message);
}
try {
    e.emit('error', 'just a string');
} catch (err) {
    show(err.message, err.code);
}
setTimeout(() => e.emit('ready', 'a', 'b'), 1);
show(await once(e, 'ready'));
class Sub extends EventEmitter {}
const s = new Sub();
s.on('z', function () {
    show(this === s);
});
s.emit('z');
s.removeAllListeners();
show(s.eventNames());

const it = new EventEmitter();
setTimeout(() => {
    it.emit('n', 1, 'a');
    it.emit('n', 2);
    it.emit('error', new Error('stop'));
}, 1);
const got = [];
try {
    for await (const args of EventEmitter.on(it, 'n')) {
        got.push(args);
    }
} catch (err) {
    show(got, err.message, it.listenerCount('n'), it.listenerCount('error'));
}
const ac = new AbortController();
const it2 = new EventEmitter();
setTimeout(() => {
    it2.emit('m', 'x');
    ac.abort();
}, 1);
try {
    for await (const [v] of EventEmitter.on(it2, 'm', { signal: ac.signal })) {
        show('m', v);
    }
} catch (err) {
    show(err.name, it2.listenerCount('m'));
}
const it3 = new EventEmitter();
setTimeout(() => it3.emit('k', 'first'), 1);
for await (const [v] of EventEmitter.on(it3, 'k')) {
    show('k', v);
    break;
}
show('after break', it3.listenerCount('k'));
