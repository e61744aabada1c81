// Copyright (C) nv8 contributors
//
// The module loader's hooks, called by the shim (runtime/nv8_v8.cc) while
// it fetches and evaluates module graphs:
//   resolve(specifier, referrer, type)  -> key (absolute path)
//   load(key)                            -> [format, ...export names]
//   evaluate(key)                        -> { name: value } of a
//                                           synthetic (CommonJS, JSON)
//                                           module
// ES modules are compiled by the shim; CommonJS and JSON files become
// synthetic modules whose "default" is module.exports, plus the named
// exports cjs-module-lexer finds (as Node does).

import { codedError } from 'internal/errors';
import { parse as lexCJS } from 'internal/deps/cjs-module-lexer';
import {
    basename, cjsResolve, esmResolve, formatOf, readFile,
} from 'internal/modules/resolve';
import {
    Module, compileCJS, isDetectedESM, loadForImport, setMainCandidate,
} from 'internal/modules/cjs/loader';

const formats = new Map();
const exportNames = new Map();

/**
 * Resolves an import and checks its import assertion (V8 10.2 parses
 * "assert { type: 'json' }"; JSON needs it, as in Node).
 * @param {string} specifier
 * @param {string} referrer absolute path of the importing module
 * @param {string} type the asserted type, '' if none
 * @returns {string} the module's key
 */
export function resolve(specifier, referrer, type) {
    const key = esmResolve(specifier, referrer);
    const format = formatOf(key);
    const url = `file://${key}`;
    if (type !== '' && type !== 'json') {
        throw codedError(TypeError, 'ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED',
                         `Import assertion type "${type}" is unsupported`);
    }
    if (format === 'json' && type !== 'json') {
        throw codedError(TypeError, 'ERR_IMPORT_ASSERTION_TYPE_MISSING',
                         `Module "${url}" needs an import assertion of ` +
                         'type "json"');
    }
    if (format !== 'json' && type === 'json') {
        throw codedError(TypeError, 'ERR_IMPORT_ASSERTION_TYPE_FAILED',
                         `Module "${url}" is not of type "json"`);
    }
    return key;
}

/**
 * Tells the shim how to build the module for "key".
 * @param {string} key absolute path
 * @returns {string[]} ['module'], or ['commonjs'|'json', ...export names]
 */
export function load(key) {
    setMainCandidate(key);
    let format = formatOf(key);
    if (format === null) {
        const base = basename(key);
        const dot = base.lastIndexOf('.');
        throw codedError(TypeError, 'ERR_UNKNOWN_FILE_EXTENSION',
                         `Unknown file extension "${dot > 0
                             ? base.slice(dot) : ''}" for ${key}`);
    }
    if (format === 'json') {
        formats.set(key, format);
        return ['json', 'default'];
    }
    if (format === 'module') {
        return ['module'];
    }
    let source;
    if (format === 'detect' && isDetectedESM(key)) {
        return ['module'];
    }
    if (Module._cache[key] !== undefined) {
        source = readFile(key) ?? '';
    } else {
        // compiled once here (a syntax error fails nv8_module_check()),
        // run later by evaluate()
        const c = compileCJS(key, format);
        if (c === null) {
            return ['module'];
        }
        source = c.source;
    }
    format = 'commonjs';
    formats.set(key, format);
    const names = cjsExportNames(key, source, new Set());
    exportNames.set(key, names);
    return ['commonjs', 'default', ...names];
}

/**
 * Runs a CommonJS or JSON module (shared with require()'s cache).
 * @param {string} key
 * @returns {object} its exports by name
 */
export function evaluate(key) {
    const exports = loadForImport(key);
    const ns = { __proto__: null, default: exports };
    if (formats.get(key) === 'commonjs' && exports !== null &&
        (typeof exports === 'object' || typeof exports === 'function')) {
        for (const name of exportNames.get(key) ?? []) {
            try {
                ns[name] = exports[name];
            } catch {
                // a throwing getter leaves the export undefined
            }
        }
    }
    return ns;
}

function cjsExportNames(filename, source, seen) {
    seen.add(filename);
    let lexed;
    try {
        lexed = lexCJS(source);
    } catch {
        return [];
    }
    const names = new Set(lexed.exports);
    for (const re of lexed.reexports) {
        let f;
        try {
            f = cjsResolve(re, filename);
        } catch {
            continue;
        }
        if (f === undefined || f.startsWith('node:') || seen.has(f)) {
            continue;
        }
        const fmt = formatOf(f);
        if (fmt !== 'commonjs' && fmt !== 'detect') {
            continue;
        }
        const src = readFile(f);
        if (src !== undefined) {
            for (const n of cjsExportNames(f, src, seen)) {
                names.add(n);
            }
        }
    }
    names.delete('default');
    return [...names];
}
