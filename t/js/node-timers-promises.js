// node:timers/promises: setTimeout, setImmediate, setInterval, AbortSignal
import { setTimeout as sleep, setImmediate as immediate, setInterval,
         scheduler } from 'node:timers/promises';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));

const t0 = Date.now();
show(await sleep(20, 'value'), Date.now() - t0 >= 15);
show(await immediate('imm'));
await scheduler.wait(1);

// the immediate runs on the next loop turn and the 10 ms timer last; where
// the 1 ms timer falls against the immediate depends on how long this turn
// took (as in Node), so only the 10 ms timer's place is asserted
const order = [];
await Promise.all([sleep(10).then(() => order.push('10')),
                   sleep(1).then(() => order.push('1')),
                   immediate().then(() => order.push('immediate'))]);
show([...order.slice(0, 2)].sort(), order[2]);

const ac = new AbortController();
const p = sleep(1000, 'never', { signal: ac.signal });
ac.abort();
try {
    await p;
} catch (e) {
    show(e.name, e.code, e.message);
}
try {
    await immediate('x', { signal: AbortSignal.abort('why') });
} catch (e) {
    show(e.name, e.cause);
}
try {
    await sleep(1, 'x', { signal: 'nope' });
} catch (e) {
    show(e.code);
}

let n = 0;
for await (const v of setInterval(5, 'tick')) {
    show(v, ++n);
    if (n === 3) {
        break;
    }
}
const ac2 = new AbortController();
try {
    for await (const v of setInterval(5, 'iv', { signal: ac2.signal })) {
        show(v);
        ac2.abort();
    }
} catch (e) {
    show(e.name);
}
show('done');
