// The globals nv8 adds to ECMAScript's: exactly the web platform and Node
// names of docs/api/http.md, nothing from lib/internal leaking out.
const ecma = new Set([
    'AggregateError', 'Array', 'ArrayBuffer', 'Atomics', 'BigInt',
    'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date',
    'Error', 'EvalError', 'FinalizationRegistry', 'Float32Array',
    'Float64Array', 'Function', 'Infinity', 'Int16Array', 'Int32Array',
    'Int8Array', 'Intl', 'JSON', 'Map', 'Math', 'NaN', 'Number', 'Object',
    'Promise', 'Proxy', 'RangeError', 'ReferenceError', 'Reflect', 'RegExp',
    'Set', 'SharedArrayBuffer', 'String', 'Symbol', 'SyntaxError',
    'TypeError', 'URIError', 'Uint16Array', 'Uint32Array', 'Uint8Array',
    'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'WebAssembly',
    'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent',
    'escape', 'eval', 'globalThis', 'isFinite', 'isNaN', 'parseFloat',
    'parseInt', 'undefined', 'unescape',
]);
const ours = Object.getOwnPropertyNames(globalThis)
    .filter((n) => !ecma.has(n)).sort();
for (let i = 0; i < ours.length; i += 6) {
    console.log(ours.slice(i, i + 6).join(' '));
}
