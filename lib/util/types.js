// Copyright (C) nv8 contributors
//
// node:util/types: type checks by internal class ([[Class]] tags and
// brand-checking getters), not instanceof, so values from other realms
// or with a changed prototype answer as in Node.

const { toString } = Object.prototype;
const TypedArray = Object.getPrototypeOf(Uint8Array);
const taTag = Object.getOwnPropertyDescriptor(TypedArray.prototype,
                                              Symbol.toStringTag).get;
const abByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype,
                                                     'byteLength').get;
const sabByteLength = typeof SharedArrayBuffer === 'function'
    ? Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype,
                                      'byteLength').get
    : null;

function tag(v) {
    return toString.call(v).slice(8, -1);
}

function brand(getter) {
    return (v) => {
        try {
            getter.call(v);
            return true;
        } catch {
            return false;
        }
    };
}

function typed(name) {
    return (v) => taTag.call(v) === name;
}

function tagged(name, type = 'object') {
    return (v) => typeof v === type && v !== null && tag(v) === name;
}

/** @type {function(*): boolean} */
export const isArrayBuffer = brand(abByteLength);
export const isSharedArrayBuffer = sabByteLength ? brand(sabByteLength)
                                                 : () => false;
export const isAnyArrayBuffer = (v) => isArrayBuffer(v) ||
                                       isSharedArrayBuffer(v);
export const isArrayBufferView = (v) => ArrayBuffer.isView(v);
export const isTypedArray = (v) => taTag.call(v) !== undefined;
export const isUint8Array = typed('Uint8Array');
export const isUint8ClampedArray = typed('Uint8ClampedArray');
export const isUint16Array = typed('Uint16Array');
export const isUint32Array = typed('Uint32Array');
export const isInt8Array = typed('Int8Array');
export const isInt16Array = typed('Int16Array');
export const isInt32Array = typed('Int32Array');
export const isFloat32Array = typed('Float32Array');
export const isFloat64Array = typed('Float64Array');
export const isBigInt64Array = typed('BigInt64Array');
export const isBigUint64Array = typed('BigUint64Array');
export const isDataView = (v) => ArrayBuffer.isView(v) && !isTypedArray(v);
export const isDate = brand(Date.prototype.getTime);
export const isRegExp = brand(Object.getOwnPropertyDescriptor(
    RegExp.prototype, 'source').get);
export const isMap = brand(Object.getOwnPropertyDescriptor(
    Map.prototype, 'size').get);
export const isSet = brand(Object.getOwnPropertyDescriptor(
    Set.prototype, 'size').get);
export const isWeakMap = brand(WeakMap.prototype.has);
export const isWeakSet = brand(WeakSet.prototype.has);
export const isPromise = tagged('Promise');
export const isMapIterator = tagged('Map Iterator');
export const isSetIterator = tagged('Set Iterator');
export const isGeneratorObject = tagged('Generator');
export const isAsyncFunction = (v) => typeof v === 'function' &&
    (tag(v) === 'AsyncFunction' || tag(v) === 'AsyncGeneratorFunction');
export const isGeneratorFunction = (v) => typeof v === 'function' &&
    (tag(v) === 'GeneratorFunction' || tag(v) === 'AsyncGeneratorFunction');
export const isNativeError = (v) => v instanceof Error ||
    (tag(v) === 'Error' && Object.prototype.hasOwnProperty.call(v, 'stack'));
function boxed(Type) {
    const check = brand(Type.prototype.valueOf);
    return (v) => typeof v === 'object' && v !== null && check(v);
}

export const isNumberObject = boxed(Number);
export const isStringObject = boxed(String);
export const isBooleanObject = boxed(Boolean);
export const isBigIntObject = boxed(BigInt);
export const isSymbolObject = boxed(Symbol);
export const isBoxedPrimitive = (v) => isNumberObject(v) ||
    isStringObject(v) || isBooleanObject(v) || isBigIntObject(v) ||
    isSymbolObject(v);
export const isArgumentsObject = tagged('Arguments');
export const isProxy = () => false;
export const isModuleNamespaceObject = tagged('Module');
export const isExternal = () => false;

export default {
    isArrayBuffer, isSharedArrayBuffer, isAnyArrayBuffer, isArrayBufferView,
    isTypedArray, isUint8Array, isUint8ClampedArray, isUint16Array,
    isUint32Array, isInt8Array, isInt16Array, isInt32Array, isFloat32Array,
    isFloat64Array, isBigInt64Array, isBigUint64Array, isDataView, isDate,
    isRegExp, isMap, isSet, isWeakMap, isWeakSet, isPromise, isMapIterator,
    isSetIterator, isGeneratorObject, isAsyncFunction, isGeneratorFunction,
    isNativeError, isBoxedPrimitive, isNumberObject, isStringObject,
    isBooleanObject, isBigIntObject, isSymbolObject, isArgumentsObject,
    isProxy, isModuleNamespaceObject, isExternal,
};
