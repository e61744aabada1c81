// node:util: format, inspect, promisify, callbackify, inherits, deprecate,
// types, isDeepStrictEqual
import util, { promisify, types } from 'node:util';
import utilTypes from 'util/types';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));

show(util.format('%s:%d:%i:%f:%j %%', 'a', 42.5, 42.5, '1.5', { x: [1] }),
     util.format('a', 'b', 3), util.format('%s', null), util.format('%d'));
show(util.inspect({ a: 1, b: 'x', c: [1, 2], d: { e: null } }),
     util.inspect('str'), util.inspect(new Map([[1, 2]])));
class Custom {
    [util.inspect.custom]() {
        return 'CUSTOM!';
    }
}
show(util.inspect(new Custom()),
     util.inspect.custom === Symbol.for('nodejs.util.inspect.custom'));

function legacy(a, b, cb) {
    setTimeout(() => (a < 0 ? cb(new Error('neg')) : cb(null, a + b)), 1);
}
const p = promisify(legacy);
show(await p(1, 2), promisify(legacy) !== legacy,
     typeof promisify.custom);
try {
    await p(-1, 0);
} catch (e) {
    show(e.message);
}
function withCustom() {}
withCustom[promisify.custom] = () => Promise.resolve('custom');
show(await promisify(withCustom)());
try {
    promisify(1);
} catch (e) {
    show(e.code);
}
const cbf = util.callbackify(async (x) => {
    if (x === 0) {
        throw null;
    }
    return x * 2;
});
await new Promise((resolve) => cbf(21, (err, v) => {
    show(err, v);
    cbf(0, (err2) => {
        show(err2.code, err2.reason);
        resolve();
    });
}));

function Animal(name) {
    this.name = name;
}
Animal.prototype.hello = function () {
    return 'I am ' + this.name;
};
function Dog(name) {
    Animal.call(this, name);
}
util.inherits(Dog, Animal);
show(new Dog('rex').hello(), Dog.super_ === Animal, new Dog('x') instanceof
     Animal);

const warnings = [];
process.on('warning', (w) => warnings.push([w.name, w.message, w.code]));
const old = util.deprecate(() => 'old result', 'old() is old', 'DEP_X');
show(old(), old());
show(warnings);

show(types === utilTypes, types.isDate(new Date()), types.isDate({}),
     types.isRegExp(/x/), types.isPromise(Promise.resolve()),
     types.isPromise({ then() {} }), types.isTypedArray(new Int8Array(1)),
     types.isTypedArray([]), types.isUint8Array(Buffer.alloc(1)),
     types.isUint8Array(new Uint16Array(1)),
     types.isArrayBuffer(new ArrayBuffer(1)),
     types.isAnyArrayBuffer(new SharedArrayBuffer(1)),
     types.isArrayBuffer(new SharedArrayBuffer(1)));
show(types.isAsyncFunction(async () => {}), types.isAsyncFunction(() => {}),
     types.isGeneratorFunction(function* () {}), types.isMap(new Map()),
     types.isSet(new Set()), types.isWeakMap(new WeakMap()),
     types.isNativeError(new TypeError()), types.isNativeError({}),
     types.isBoxedPrimitive(Object(1)), types.isNumberObject(Object(1)),
     types.isStringObject('s'), types.isDataView(new DataView(
         new ArrayBuffer(1))), types.isArrayBufferView(Buffer.alloc(1)));
show(util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }),
     util.isDeepStrictEqual([1], ['1']), util.isDeepStrictEqual(
         new Set([1]), new Set([1])), util.isDeepStrictEqual(NaN, NaN));
show(new util.TextEncoder().encode('hi').length,
     new util.TextDecoder().decode(new Uint8Array([104, 105])));
