// The built-ins V8 10.2 lacks (core-js and the shim, installed by
// lib/internal/bootstrap/language.js): which functions are not V8's own
// (exactly the polyfills, so no native was replaced), then their
// behaviour per the specification, spec errors included.
const fnToString = Function.prototype.toString;
const isNative = (f) => /\{\s*\[native code\]\s*\}$/.test(fnToString.call(f));

function show(label, fn) {
    try {
        const v = fn();
        console.log(label, typeof v === 'string' ? v : JSON.stringify(v));
    } catch (e) {
        console.log(label, 'threw', e.constructor.name, e.message);
    }
}

// 1. every function of the ECMAScript built-ins that is not native code

const roots = {};
for (const n of ['Object', 'Function', 'Array', 'String', 'Number',
                 'Boolean', 'Symbol', 'BigInt', 'Math', 'JSON', 'Reflect',
                 'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef',
                 'FinalizationRegistry', 'Proxy', 'Date', 'RegExp', 'Error',
                 'AggregateError', 'RangeError', 'TypeError', 'ArrayBuffer',
                 'SharedArrayBuffer', 'DataView', 'Uint8Array',
                 'Float64Array', 'BigInt64Array', 'Atomics', 'Intl',
                 'Iterator']) {
    roots[n] = globalThis[n];
}
roots['%TypedArray%'] = Object.getPrototypeOf(Int8Array);
const arrayIterator = Object.getPrototypeOf([][Symbol.iterator]());
roots['%ArrayIteratorPrototype%'] = { prototype: arrayIterator };
roots['%AsyncIteratorPrototype%'] = {
    prototype: Object.getPrototypeOf(Object.getPrototypeOf(
        Object.getPrototypeOf((async function* () {})()))),
};
const notNative = [];
const seen = new Set();
function walk(name, obj, depth) {
    if (seen.has(obj)) {
        return;
    }
    seen.add(obj);
    for (const key of Reflect.ownKeys(obj)) {
        const d = Object.getOwnPropertyDescriptor(obj, key);
        const k = typeof key === 'symbol' ? `[${key.description}]` : key;
        for (const [kind, f] of [['', d.value], ['get ', d.get],
                                 ['set ', d.set]]) {
            if (typeof f === 'function' && !isNative(f)) {
                notNative.push(`${kind}${name}.${k}`);
            }
        }
        if (depth < 2 && d.value !== null && typeof d.value === 'object' &&
            (k === 'prototype' || /^[A-Z]/.test(k))) {
            walk(`${name}.${k}`, d.value, depth + 1);
        }
    }
}
for (const [n, v] of Object.entries(roots)) {
    if (typeof v === 'function' && !isNative(v)) {
        notNative.push(n);
    }
    walk(n, v, 0);
}
console.log('not native:', notNative.sort().join(' '));
console.log('native kept:', [
    Function.prototype.toString, Array.prototype.findLast,
    Array.prototype.findLastIndex, Array.prototype.at, Object.hasOwn,
    Uint8Array.prototype.findLast, Promise.any, String.prototype.replaceAll,
].every(isNative));
console.log('Error cause native:', new Error('x', { cause: 1 }).cause === 1);
console.log('no core-js global:', !('__core-js_shared__' in globalThis));
console.log('shapes:', [
    Array.prototype.toSorted, Array.prototype.with, Set.prototype.union,
    Object.groupBy, Array.fromAsync, Iterator.prototype.map,
].map((f) => `${f.name}/${f.length}`).join(' '),
    Object.getOwnPropertyDescriptor(Array.prototype, 'toSorted').enumerable,
    'prototype' in Array.prototype.toSorted);
console.log('unscopables:', ['toSorted', 'toReversed', 'toSpliced']
    .every((k) => Array.prototype[Symbol.unscopables][k] === true));

// 2. change array by copy (ES2023)

const a = [3, 1, 2];
show('toSorted', () => [a.toSorted(), a]);
show('toSorted cmp', () => a.toSorted((x, y) => y - x));
show('toSorted holes', () => [, 1].toSorted());
show('toSorted bad cmp', () => a.toSorted('x'));
show('toReversed', () => [a.toReversed(), a]);
show('toSpliced', () => [a.toSpliced(1, 1, 'x', 'y'), a]);
show('toSpliced no args', () => a.toSpliced());
show('with', () => [a.with(-1, 9), a]);
show('with range', () => a.with(3, 0));
show('with array-like', () => Array.prototype.with.call({ length: 2, 0: 'a' },
                                                       1, 'b'));
const u8 = new Uint8Array([3, 1, 2]);
show('u8 toSorted', () => [...u8.toSorted(), u8.toSorted() instanceof
                           Uint8Array]);
show('u8 toReversed', () => [...u8.toReversed()]);
show('u8 with', () => [...u8.with(0, 300)]);
show('u8 with range', () => u8.with(5, 1));
show('findLast', () => [1, 2, 3, 4].findLast((x) => x % 2));

// 3. grouping, promises, strings (ES2024)

const inv = [{ t: 'veg', n: 'a' }, { t: 'fruit', n: 'b' },
             { t: 'veg', n: 'c' }];
const g = Object.groupBy(inv, (x) => x.t);
show('Object.groupBy', () => [Object.getPrototypeOf(g), g]);
const mg = Map.groupBy(inv, (x, i) => i % 2);
show('Map.groupBy', () => [...mg].map(([k, v]) => [k, v.map((x) => x.n)]));
show('groupBy not iterable', () => Object.groupBy(1, (x) => x));
show('withResolvers', () => {
    const r = Promise.withResolvers();
    return Object.keys(r).join() + ' ' + (r.promise instanceof Promise);
});
show('isWellFormed', () => ['ab', 'a\uD800', '\uDC00b', '\uD83D\uDE00']
    .map((s) => s.isWellFormed()));
show('toWellFormed', () => 'a\uD800b\uDC00'.toWellFormed() ===
                           'a\uFFFDb\uFFFD');

// 4. Set methods (ES2025): any set-like, including a Map

const s1 = new Set([1, 2, 3]);
const s2 = new Set([3, 4]);
show('union', () => [...s1.union(s2)]);
show('intersection', () => [...s1.intersection(s2)]);
show('difference', () => [...s1.difference(s2)]);
show('symmetricDifference', () => [...s1.symmetricDifference(s2)]);
show('isSubsetOf', () => [new Set([1]).isSubsetOf(s1), s2.isSubsetOf(s1)]);
show('isSupersetOf', () => s1.isSupersetOf(new Set([1, 2])));
show('isDisjointFrom', () => [s1.isDisjointFrom(new Set([7])),
                              s1.isDisjointFrom(s2)]);
show('union with Map', () => [...s1.union(new Map([[9, 'x']]))]);
show('union with array', () => s1.union([1]));
show('set-like NaN size', () => s1.union({ size: NaN, has() {}, keys() {} }));

// 5. iterator helpers (ES2025)

function* nat() {
    for (let i = 1; ; i++) {
        yield i;
    }
}
show('map/filter/take', () => nat().map((x) => x * x).filter((x) => x % 2)
    .take(3).toArray());
show('drop/reduce', () => nat().drop(2).take(3).reduce((s, x) => s + x));
show('flatMap', () => [1, 2].values().flatMap((x) => [x, x * 10])
    .toArray());
show('some/every/find', () => [nat().some((x) => x > 5),
                               [2, 4].values().every((x) => x % 2 === 0),
                               nat().find((x) => x > 3)]);
show('Iterator.from', () => Iterator.from({
    i: 0, next() {
        return { done: this.i > 1, value: this.i++ };
    },
}).toArray());
show('instanceof Iterator', () => [[].values() instanceof Iterator,
                                   nat() instanceof Iterator]);
show('take range', () => nat().take(-1));
show('abstract Iterator', () => new Iterator());
let closed = false;
const closing = {
    __proto__: Iterator.prototype,
    next: () => ({ done: false, value: 1 }),
    return() {
        closed = true;
        return {};
    },
};
show('take closes', () => [closing.take(1).toArray(), closed]);

// 6. newer (ES2025+): Promise.try, RegExp.escape, Error.isError, symbols

show('RegExp.escape', () => RegExp.escape('a.b*c'));
show('Error.isError', () => [Error.isError(new TypeError()),
                             Error.isError({ __proto__: Error.prototype })]);
show('Symbol.dispose', () => [typeof Symbol.dispose,
                              typeof Symbol.asyncDispose,
                              Symbol.dispose.description]);

// 7. ArrayBuffer.prototype.transfer (ES2024), in the shim

const buf = new Uint8Array([1, 2, 3, 4]).buffer;
const moved = buf.transfer();
show('transfer', () => [buf.byteLength, buf.detached, moved.byteLength,
                        moved.detached, [...new Uint8Array(moved)]]);
show('transfer detached', () => buf.transfer());
const grown = moved.transfer(6);
show('transfer grow', () => [moved.detached, [...new Uint8Array(grown)]]);
show('transfer shrink', () => [...new Uint8Array(grown.transfer(2))]);
show('transfer length', () => [ArrayBuffer.prototype.transfer.length,
                               ArrayBuffer.prototype.transfer.name]);
show('transferToFixedLength', () => new ArrayBuffer(3)
    .transferToFixedLength(1).byteLength);
show('transfer bad length', () => new ArrayBuffer(1).transfer(-1));
show('transfer SAB', () => ArrayBuffer.prototype.transfer.call(
    new SharedArrayBuffer(1)));
show('detached getter', () => Object.getOwnPropertyDescriptor(
    ArrayBuffer.prototype, 'detached').get.name);

// 8. Array.fromAsync (ES2026), then structuredClone (HTML)

async function* agen() {
    yield 1;
    yield 2;
}
(async () => {
    show('fromAsync gen', await Array.fromAsync(agen()).then((v) => () => v));
    const v = await Array.fromAsync([Promise.resolve(3), 4], (x) => x * 2);
    show('fromAsync sync+map', () => v);
    const w = await Array.fromAsync({ length: 2, 0: 'a', 1: 'b' });
    show('fromAsync array-like', () => w);
    await Array.fromAsync(1, 2).catch((e) => {
        console.log('fromAsync bad map', e.constructor.name);
    });

    const d = new Date(0);
    const src = {
        n: 1, s: 'x', big: 10n, d, re: /a/gi, m: new Map([[1, { d }]]),
        set: new Set(['a']), arr: [1, , 3], err: new RangeError('bad'),
        u8: new Uint8Array([1, 2]), nested: { deep: [{}] },
    };
    src.self = src;
    const c = structuredClone(src);
    show('clone', () => [c !== src, c.self === c, c.big === 10n,
                         c.d instanceof Date && c.d !== d,
                         c.d.getTime(), String(c.re), c.m.get(1).d === c.d,
                         [...c.set], 1 in c.arr, c.arr.length,
                         c.err instanceof RangeError, c.err.message,
                         c.u8 instanceof Uint8Array, [...c.u8]]);
    show('clone function', () => structuredClone(() => {}));
    show('clone symbol', () => structuredClone(Symbol('s')));
    show('clone error name', () => {
        try {
            structuredClone({ f() {} });
        } catch (e) {
            return [e instanceof DOMException, e.name, e.code];
        }
    });
    show('clone no args', () => structuredClone());
    show('clone class', () => {
        class P {
            constructor() {
                this.x = 1;
            }
        }
        const p = structuredClone(new P());
        return [p instanceof P, p.x];
    });
    const ab = new Uint8Array([7, 8]).buffer;
    const view = new Uint8Array(ab, 1);
    const t = structuredClone({ ab, view }, { transfer: [ab] });
    show('clone transfer', () => [ab.byteLength, ab.detached,
                                  [...new Uint8Array(t.ab)],
                                  t.view.buffer === t.ab, [...t.view]]);
    show('clone transfer twice', () => {
        const b = new ArrayBuffer(1);
        return structuredClone(b, { transfer: [b, b] });
    });
    const cloneWith = (transfer) => () => structuredClone(1, { transfer });
    show('clone transfer detached', cloneWith([ab]));
    show('clone transfer non-buffer', cloneWith([{}]));
    show('clone transfer not iterable', cloneWith(1));
    const sab = new SharedArrayBuffer(2);
    const sc = structuredClone({ sab });
    new Uint8Array(sab)[0] = 5;
    show('clone SAB shared', () => new Uint8Array(sc.sab)[0]);
})();
