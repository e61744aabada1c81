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
    return fmt(value, opts?.depth ?? 2, new Set());
}

/** Objects with a method under this key render themselves. */
inspect.custom = Symbol.for('nodejs.util.inspect.custom');

function key(k) {
    return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

function quote(s) {
    return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")
                  .replace(/\n/g, '\\n') + "'";
}

function fmt(v, depth, seen) {
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
        return v.name ? `[Function: ${v.name}]` : '[Function (anonymous)]';
    }
    if (v === null) {
        return 'null';
    }
    if (v instanceof Error) {
        return v8.formatError(v);
    }
    if (seen.has(v)) {
        return '[Circular *1]';
    }
    if (typeof v[inspect.custom] === 'function' &&
        v[inspect.custom] !== inspect) {
        const out = v[inspect.custom](depth, { depth }, inspect);
        return typeof out === 'string' ? out : fmt(out, depth, seen);
    }
    if (v instanceof Date) {
        return isNaN(v) ? 'Invalid Date' : v.toISOString();
    }
    if (v instanceof RegExp) {
        return String(v);
    }
    if (v instanceof Promise) {
        return 'Promise { <pending> }';
    }
    if (depth < 0) {
        return Array.isArray(v) ? '[Array]' : '[Object]';
    }
    seen.add(v);
    let out;
    try {
        if (Array.isArray(v)) {
            const items = v.slice(0, 100).map((x) => fmt(x, depth - 1, seen));
            if (v.length > 100) {
                items.push(`... ${v.length - 100} more items`);
            }
            out = wrap('[', items, ']');
        } else if (ArrayBuffer.isView(v)) {
            const items = Array.from(v.slice(0, 50), String);
            out = `${v.constructor.name}(${v.length}) ` + wrap('[', items, ']');
        } else if (v instanceof Map) {
            const items = [...v].map(([k, x]) =>
                `${fmt(k, depth - 1, seen)} => ${fmt(x, depth - 1, seen)}`);
            out = `Map(${v.size}) ` + wrap('{', items, '}');
        } else if (v instanceof Set) {
            const items = [...v].map((x) => fmt(x, depth - 1, seen));
            out = `Set(${v.size}) ` + wrap('{', items, '}');
        } else {
            const items = Object.keys(v).map((k) =>
                `${key(k)}: ${fmt(v[k], depth - 1, seen)}`);
            const name = v.constructor?.name;
            const prefix = !name || name === 'Object' ? '' : `${name} `;
            out = items.length === 0 ? prefix + '{}'
                                     : prefix + wrap('{', items, '}');
        }
    } finally {
        seen.delete(v);
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
                    a !== null ? fmt(a, 1, new Set()) : String(a);
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
                s = fmt(args[i++], 4, new Set());
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
               (typeof a === 'string' ? a : fmt(a, 2, new Set()));
    }
    return out;
}
