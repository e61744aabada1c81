// DOMException, Event, EventTarget, AbortController and AbortSignal.
function show(fn) {
    try {
        console.log('ok', fn());
    } catch (e) {
        console.log('threw', e.name, e.message);
    }
}

const e = new DOMException('boom', 'AbortError');
console.log(e instanceof DOMException, e instanceof Error, e.name, e.code,
            e.message, String(e), Object.prototype.toString.call(e));
console.log(new DOMException().name, new DOMException('x').code,
            new DOMException('m', 'NoSuchError').code,
            DOMException.ABORT_ERR, DOMException.TIMEOUT_ERR,
            new DOMException('m', { name: 'DataCloneError' }).code);
console.log(e.stack.split('\n')[0]);

const t = new EventTarget();
const ev = new Event('ping', { cancelable: true });
console.log(ev.type, ev.bubbles, ev.cancelable, ev.eventPhase,
            ev.defaultPrevented, ev.isTrusted, ev.target);
const seen = [];
const obj = { handleEvent(x) { seen.push(`obj:${x.type}`); } };
const fn = function (x) {
    seen.push(`fn:${this === t}:${x.target === t}:${x.eventPhase}`);
    x.preventDefault();
};
t.addEventListener('ping', fn);
t.addEventListener('ping', fn);
t.addEventListener('ping', obj, { once: true });
t.addEventListener('ping', () => seen.push('capture'), { capture: true });
console.log(t.dispatchEvent(ev), ev.defaultPrevented, ev.eventPhase,
            ev.currentTarget);
t.dispatchEvent(new Event('ping'));
console.log(seen.join(' '));
t.removeEventListener('ping', fn);
seen.length = 0;
t.addEventListener('ping', (x) => {
    seen.push('a');
    x.stopImmediatePropagation();
});
t.addEventListener('ping', () => seen.push('b'));
t.dispatchEvent(new Event('ping'));
console.log(seen.join(' '));
const passive = new Event('p', { cancelable: true });
t.addEventListener('p', (x) => x.preventDefault(), { passive: true });
console.log(t.dispatchEvent(passive), passive.defaultPrevented);
show(() => t.dispatchEvent({ type: 'x' }));
show(() => new Event());

const ac = new AbortController();
const s = ac.signal;
console.log(s instanceof EventTarget, s.aborted, s.reason, s.onabort);
const order = [];
s.onabort = (x) => order.push(`onabort:${x.isTrusted}`);
s.addEventListener('abort', () => order.push('listener'));
const removed = new AbortController();
s.addEventListener('abort', () => order.push('removed'),
                   { signal: removed.signal });
removed.abort();
show(() => s.throwIfAborted());
ac.abort();
ac.abort('again');
console.log(order.join(' '), s.aborted, s.reason.name, s.reason.message);
show(() => s.throwIfAborted());
const custom = new AbortController();
custom.abort(42);
console.log(custom.signal.reason);
show(() => new AbortSignal());

const pre = AbortSignal.abort();
console.log(pre.aborted, pre.reason.name, AbortSignal.abort('r').reason);

const a = new AbortController();
const b = new AbortController();
const any = AbortSignal.any([a.signal, b.signal]);
const nested = AbortSignal.any([any]);
any.onabort = () => console.log('any aborted', any.reason);
nested.onabort = () => console.log('nested aborted', nested.reason);
b.abort('b-reason');
a.abort('a-reason');
console.log(AbortSignal.any([pre]).reason === pre.reason);
show(() => AbortSignal.any([1]));

const to = AbortSignal.timeout(10);
const t0 = Date.now();
to.addEventListener('abort', () => {
    console.log('timeout', to.reason.name, to.reason.code,
                Date.now() - t0 >= 9);
});
show(() => AbortSignal.timeout(-1));
