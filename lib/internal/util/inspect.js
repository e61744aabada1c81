// Copyright (C) nv8 contributors
//
// A compact util.inspect/util.format: enough of Node's output shape for
// console.* and error messages.

const v8 = import.meta.binding('v8');

/**
 * Renders a value for humans, as Node's util.inspect does (a subset).
 * @param {*} value
 * @param {{depth?: number}} [opts]
 * @returns {string}
 */
export function inspect(value, opts = {}) {
    return fmt(value, opts?.depth ?? 2, new Set(), new Map());
}

/** Objects with a method under this key render themselves. */
inspect.custom = Symbol.for('nodejs.util.inspect.custom');

const functionToString = Function.prototype.toString;
const objectToString = Object.prototype.toString;

function key(k) {
    if (typeof k === 'symbol') {
        return `[${k.toString()}]`;
    }
    return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

function quote(s) {
    return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")
                  .replace(/\n/g, '\\n') + "'";
}

function fmtFunction(v) {
    let src = '';
    try {
        src = functionToString.call(v);
    } catch {
        // a revoked proxy
    }
    if (src.startsWith('class') && /^class\b/.test(src)) {
        const base = Object.getPrototypeOf(v);
        return `[class ${v.name || '(anonymous)'}` +
               (base !== Function.prototype && base?.name
                   ? ` extends ${base.name}` : '') + ']';
    }
    const kind = objectToString.call(v).slice(8, -1);
    const type = kind === 'AsyncFunction' || kind === 'GeneratorFunction' ||
                 kind === 'AsyncGeneratorFunction' ? kind : 'Function';
    return v.name ? `[${type}: ${v.name}]` : `[${type} (anonymous)]`;
}

// the value of an own or WebIDL (enumerable prototype) property
function property(v, obj, k, depth, seen, refs) {
    const d = Object.getOwnPropertyDescriptor(obj, k);
    if (d !== undefined && d.get === undefined && d.set === undefined) {
        return fmt(d.value, depth, seen, refs);
    }
    if (obj !== v) {
        try {
            return fmt(Reflect.get(obj, k, v), depth, seen, refs);
        } catch {
            return undefined;
        }
    }
    return d.get && d.set ? '[Getter/Setter]'
                          : d.get ? '[Getter]' : '[Setter]';
}

// enumerable accessors of the prototype chain: WebIDL attributes
function attributes(v) {
    const names = [];
    const chain = [];
    for (let p = Object.getPrototypeOf(v); p !== null &&
         p !== Object.prototype; p = Object.getPrototypeOf(p)) {
        chain.unshift(p);
    }
    // the base interface's attributes first
    for (const p of chain) {
        for (const k of Object.keys(p)) {
            const d = Object.getOwnPropertyDescriptor(p, k);
            const i = names.findIndex(([n]) => n === k);
            if (d.get !== undefined) {
                // an override keeps the base's place
                names.splice(i === -1 ? names.length : i, i === -1 ? 0 : 1,
                             [k, p]);
            }
        }
    }
    return names;
}

function arrayItems(v, depth, seen, refs) {
    const items = [];
    let holes = 0;
    const n = Math.min(v.length, 100);
    for (let i = 0; i < n; i++) {
        if (!Object.prototype.hasOwnProperty.call(v, i)) {
            holes++;
            continue;
        }
        if (holes > 0) {
            items.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
            holes = 0;
        }
        items.push(fmt(v[i], depth, seen, refs));
    }
    if (holes > 0) {
        items.push(`<${holes} empty item${holes > 1 ? 's' : ''}>`);
    }
    if (v.length > 100) {
        items.push(`... ${v.length - 100} more item${v.length > 101
                                                      ? 's' : ''}`);
    }
    return items;
}

function bytes(ab) {
    const u8 = new Uint8Array(ab, 0, Math.min(ab.byteLength, 100));
    let hex = Array.from(u8, (b) => b.toString(16).padStart(2, '0'))
        .join(' ');
    if (ab.byteLength > 100) {
        hex += ` ... ${ab.byteLength - 100} more byte` +
               (ab.byteLength > 101 ? 's' : '');
    }
    return `<${hex}>`;
}

function fmt(v, depth, seen, refs) {
    switch (typeof v) {
    case 'string':
        return quote(v);
    case 'number':
        return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
        return `${v}n`;
    case 'undefined':
        return 'undefined';
    case 'boolean':
        return String(v);
    case 'symbol':
        return v.toString();
    case 'function':
        return fmtFunction(v);
    }
    if (v === null) {
        return 'null';
    }
    if (v instanceof Error) {
        return v8.formatError(v);
    }
    if (seen.has(v)) {
        if (!refs.has(v)) {
            refs.set(v, refs.size + 1);
        }
        return `[Circular *${refs.get(v)}]`;
    }
    if (typeof v[inspect.custom] === 'function' &&
        v[inspect.custom] !== inspect) {
        const out = v[inspect.custom](depth, { depth }, inspect);
        return typeof out === 'string' ? out : fmt(out, depth, seen, refs);
    }
    if (v instanceof Date) {
        return isNaN(v) ? 'Invalid Date' : v.toISOString();
    }
    if (v instanceof RegExp) {
        return String(v);
    }
    if (v instanceof Promise) {
        const [state, result] = v8.promiseState(v);
        return state === 0 ? 'Promise { <pending> }'
            : `Promise { ${state === 2 ? '<rejected> ' : ''}` +
              `${fmt(result, depth - 1, seen, refs)} }`;
    }
    if (v instanceof WeakMap || v instanceof WeakSet) {
        return `${v instanceof WeakMap ? 'WeakMap' : 'WeakSet'} ` +
               '{ <items unknown> }';
    }
    if (depth < 0) {
        return Array.isArray(v) ? '[Array]' : '[Object]';
    }
    seen.add(v);
    let out;
    try {
        if (Array.isArray(v)) {
            out = wrap('[', arrayItems(v, depth - 1, seen, refs), ']');
        } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
            const items = Array.from(v.slice(0, 100), (x) => fmt(x, 0));
            if (v.length > 100) {
                items.push(`... ${v.length - 100} more item` +
                           (v.length > 101 ? 's' : ''));
            }
            out = `${v.constructor.name}(${v.length}) ` +
                  wrap('[', items, ']');
        } else if (v instanceof ArrayBuffer) {
            out = 'ArrayBuffer ' + wrap('{', [
                `[Uint8Contents]: ${bytes(v)}`,
                `byteLength: ${v.byteLength}`,
            ], '}');
        } else if (v instanceof Map) {
            const items = [...v].map(([k, x]) =>
                `${fmt(k, depth - 1, seen, refs)} => ` +
                fmt(x, depth - 1, seen, refs));
            out = `Map(${v.size}) ` + wrap('{', items, '}');
        } else if (v instanceof Set) {
            const items = [...v].map((x) => fmt(x, depth - 1, seen, refs));
            out = `Set(${v.size}) ` + wrap('{', items, '}');
        } else {
            const proto = Object.getPrototypeOf(v);
            // a WebIDL object shows its attributes, not its internals
            const attrs = proto === null ? [] : attributes(v);
            const keys = attrs.length > 0 ? [] : Object.keys(v);
            for (const s of attrs.length > 0
                ? [] : Object.getOwnPropertySymbols(v)) {
                if (Object.prototype.propertyIsEnumerable.call(v, s)) {
                    keys.push(s);
                }
            }
            const items = [];
            for (const k of keys) {
                items.push(`${key(k)}: ` +
                           property(v, v, k, depth - 1, seen, refs));
            }
            for (const [k, p] of attrs) {
                if (!Object.prototype.hasOwnProperty.call(v, k)) {
                    const s = property(v, p, k, depth - 1, seen, refs);
                    if (s !== undefined) {
                        items.push(`${key(k)}: ${s}`);
                    }
                }
            }
            let prefix;
            if (proto === null) {
                prefix = '[Object: null prototype] ';
            } else {
                const name = v.constructor?.name;
                prefix = !name || name === 'Object' ? '' : `${name} `;
            }
            out = items.length === 0 ? prefix + '{}'
                                     : prefix + wrap('{', items, '}');
        }
    } finally {
        seen.delete(v);
    }
    if (refs.has(v)) {
        out = `<ref *${refs.get(v)}> ${out}`;
    }
    return out;
}

function wrap(open, items, close) {
    if (items.length === 0) {
        return open + close;
    }
    const one = `${open} ${items.join(', ')} ${close}`;
    if (one.length <= 72 && !one.includes('\n')) {
        return one;
    }
    return `${open}\n  ${items.join(',\n').replace(/\n/g, '\n  ')}\n${close}`;
}

/**
 * printf-like formatting as Node's util.format: %s %d %i %f %j %o %O %%.
 * @param {...*} args
 * @returns {string}
 */
export function format(...args) {
    let out = '';
    let i = 0;
    if (typeof args[0] === 'string') {
        const f = args[0];
        i = 1;
        let last = 0;
        for (let p = 0; p < f.length - 1; p++) {
            if (f[p] !== '%') {
                continue;
            }
            const c = f[p + 1];
            let s;
            if (c === '%') {
                s = '%';
            } else if (i >= args.length) {
                continue;
            } else if (c === 's') {
                const a = args[i++];
                s = typeof a === 'string' ? a : typeof a === 'object' &&
                    a !== null ? fmt(a, 1, new Set(), new Map()) : String(a);
            } else if (c === 'd' || c === 'i') {
                const a = args[i++];
                const n = typeof a === 'bigint' ? a : Number(a);
                s = c === 'i' && typeof n === 'number' ? String(Math.trunc(n))
                                                       : String(n);
            } else if (c === 'f') {
                s = String(parseFloat(args[i++]));
            } else if (c === 'j') {
                try {
                    s = JSON.stringify(args[i++]);
                } catch {
                    s = '[Circular]';
                }
            } else if (c === 'o' || c === 'O') {
                s = fmt(args[i++], 4, new Set(), new Map());
            } else if (c === 'c') {
                i++;
                s = '';
            } else {
                continue;
            }
            out += f.slice(last, p) + s;
            last = p + 2;
            p++;
        }
        out += f.slice(last);
    }
    for (; i < args.length; i++) {
        const a = args[i];
        out += (out.length > 0 || i > 0 ? ' ' : '') +
               (typeof a === 'string' ? a : inspect(a));
    }
    return out;
}
