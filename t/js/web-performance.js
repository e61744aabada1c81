// performance (High Resolution Time, User Timing) and navigator.
import { performance as hooked, PerformanceMark as HookedMark }
    from 'node:perf_hooks';

function show(label, fn) {
    try {
        const v = fn();
        console.log(label, typeof v === 'string' ? v : JSON.stringify(v));
    } catch (e) {
        console.log(label, 'threw', e.constructor.name, e.name, e.message);
    }
}

show('perf_hooks', () => [hooked === performance,
                          HookedMark === PerformanceMark]);
const t0 = performance.now();
const wall = Date.now();
let x = 0;
for (let i = 0; i < 1e6; i++) {
    x += i;
}
const t1 = performance.now();
show('now', () => [typeof t0, t0 >= 0, t1 > t0, t1 - t0 < 1000,
                   t0 !== Math.floor(t0) || t1 !== Math.floor(t1)]);
show('timeOrigin', () => Math.abs(performance.timeOrigin + t0 - wall) < 20);
show('toJSON', () => Object.keys(performance.toJSON()));
show('instanceof', () => [performance instanceof Performance,
                          performance instanceof EventTarget,
                          String(performance)]);
const a = performance.mark('a', { startTime: 10, detail: { k: [1] } });
show('mark', () => a.toJSON());
show('mark detail cloned', () => {
    const d = { v: 1 };
    const m = new PerformanceMark('c', { detail: d });
    return [m.detail !== d, m.detail.v, performance.getEntriesByName('c')
        .length];
});
performance.mark('b', { startTime: 25 });
show('measure marks', () => performance.measure('a-b', 'a', 'b').toJSON());
show('measure start', () => {
    performance.mark('zero', { startTime: 0 });
    const m = performance.measure('from-zero', 'zero');
    return [m.startTime, m.duration > 0];
});
show('measure options', () => performance.measure('o', {
    start: 'a', duration: 5, detail: 'd',
}).toJSON());
show('measure end-duration', () => {
    const m = performance.measure('ed', { end: 30, duration: 10 });
    return [m.startTime, m.duration];
});
show('measure none', () => performance.measure('none').startTime);
show('entries', () => performance.getEntries().map((e) => e.name));
show('by type', () => performance.getEntriesByType('mark')
    .map((e) => e.name));
show('by name', () => performance.getEntriesByName('a', 'measure').length);
show('unknown mark', () => performance.measure('x', 'nope'));
show('detail only', () => performance.measure('x', { detail: 1 }));
show('end and endMark', () => performance.measure('x', { start: 1 }, 'b'));
show('all three', () => performance.measure('x',
                                            { start: 1, end: 2,
                                              duration: 1 }));
show('negative', () => performance.mark('x', { startTime: -1 }));
show('no name', () => performance.mark());
show('new Performance', () => new Performance());
show('new PerformanceMeasure', () => new PerformanceMeasure());
show('new PerformanceEntry', () => new PerformanceEntry());
show('this', () => Performance.prototype.now.call({}));
performance.clearMarks('a');
show('clearMarks(a)', () => performance.getEntriesByType('mark')
    .map((e) => e.name));
performance.clearMarks();
performance.clearMeasures('o');
show('clearMeasures(o)', () => performance.getEntries().map((e) => e.name));
performance.clearMeasures();
show('cleared', () => performance.getEntries().length);
console.log(new PerformanceMark('shown', { startTime: 1 }));

show('navigator', () => [String(navigator), navigator instanceof Navigator,
                         /^nv8\/\d+\.\d+\.\d+$/.test(navigator.userAgent),
                         Number.isInteger(navigator.hardwareConcurrency) &&
                         navigator.hardwareConcurrency >= 1,
                         typeof navigator.language,
                         navigator.platform.startsWith('Linux ')]);
show('new Navigator', () => new Navigator());
const os = await import('node:os');
show('hardwareConcurrency', () => os.availableParallelism() ===
                                  navigator.hardwareConcurrency);
