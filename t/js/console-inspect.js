// console.log()'s formatting of values in Node's shapes: Node 20 prints
// the same for every line here but the Headers (nv8 iterates them sorted,
// as the Fetch Standard says); and the console methods' bookkeeping.
console.log(Object.create(null), { __proto__: null, a: 1 });
console.log(class Foo {}, class extends Array {}, class Bar extends Map {});
console.log([function named() {}, () => {}, async () => {},
             function* gen() {}, async function* agen() {}]);
console.log([1, , 3], new Array(3), [, 'a', , , 'b']);
console.log({ get g() { return 1; }, set s(v) {},
              get gs() { return 1; }, set gs(v) {} });
const circ = { name: 'c', list: [] };
circ.list.push(circ);
circ.self = circ;
console.log(circ);
console.log(Promise.resolve(1), new Promise(() => {}),
            Promise.resolve({ a: [1] }));
const rejected = Promise.reject(new Error('no'));
rejected.catch(() => {});
console.log(String(console.log.length), new WeakMap(), new WeakSet());
console.log(new ArrayBuffer(3), new Uint8Array(new ArrayBuffer(60)).buffer);
console.log({ [Symbol('k')]: 1, s: Symbol('v') });
console.log(new URL('http://example.com/a?b=1#c'));
console.log(new URLSearchParams('a=1&b=%20'), new URLSearchParams(''));
console.log(new Headers([['b', '2'], ['a', '1'], ['a', '3']]));
console.log(new Blob(['abc'], { type: 'text/plain' }));
console.log(new AbortController().signal.aborted);
console.log(new Array(101).fill(0).length, [new Array(102).fill(1)]
    .map((a) => a.length));
console.group('group');
console.log('inside\nboth lines');
console.group();
console.log('deeper');
console.groupEnd();
console.groupEnd();
console.log('outside');
console.count();
console.count();
console.countReset();
console.count();
console.time('t');
console.time('t');
console.timeEnd('nope');
console.timeLog('nope');
