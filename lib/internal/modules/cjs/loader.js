// Copyright (C) nv8 contributors
//
// CommonJS, as Node's lib/internal/modules/cjs/loader.js: Module,
// require(), require.resolve, require.cache, the function wrapper, JSON,
// cycles (a module required while it loads gives its partial exports).
// The wrapper is compiled by the shim (v8.compileFunction, V8's
// ScriptCompiler::CompileFunction); files are read synchronously, at
// start-up, by the "modules" binding.

import { codedError } from 'internal/errors';
import {
    basename, builtinModules, cjsResolve, dirname, formatOf, isBuiltin,
    missingBuiltinHint, nodeModulePaths, globalPaths, readFile,
    unknownBuiltin,
} from 'internal/modules/resolve';

const v8 = import.meta.binding('v8');

const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename',
                        '__dirname'];

// V8's messages for ES module syntax in a CommonJS wrapper: a .js file
// with no "type" that fails with one of them is an ES module (Node's
// syntax detection).
const ESM_SYNTAX = [
    'Cannot use import statement outside a module',
    'Unexpected token \'export\'',
    'Cannot use \'import.meta\' outside a module',
    'await is only valid in async functions and the top level bodies of ' +
        'modules',
];
const CJS_NAMES = new RegExp('^Identifier \'(module|exports|require|' +
                             '__filename|__dirname)\' has already been ' +
                             'declared');

// compiled by the import path (hooks.js) before the module runs
const compiled = new Map();

// .js files without "type" found to be ES modules by their syntax
const detectedESM = new Set();

// ES modules require() is evaluating: requiring one again is a cycle
const esmLoading = new Set();

const builtinCache = new Map();

let mainModule;
let mainCandidate;

function stripBOM(s) {
    return s.charCodeAt(0) === 0xFEFF ? s.slice(1) : s;
}

function isESMSyntaxError(e) {
    return e instanceof SyntaxError &&
           (ESM_SYNTAX.includes(e.message) || CJS_NAMES.test(e.message));
}

/*
 * Top-level await in sloppy code can fail with other messages ("missing )
 * after argument list" for `f(await x)`): as Node does, the code counts as
 * an ES module if it compiles inside an async function.
 */
function usesTopLevelAwait(e, source, filename) {
    if (!(e instanceof SyntaxError) || !source.includes('await')) {
        return false;
    }
    try {
        v8.compileFunction(`return (async () => {\n${source}\n});`,
                           filename, []);
        return true;
    } catch {
        return false;
    }
}

/**
 * Compiles a file as a CommonJS module, once; the function is kept until
 * the module runs.  For format 'detect' returns null when the file is an
 * ES module.
 * @param {string} filename
 * @param {string} format 'commonjs' or 'detect'
 * @returns {{fn: Function, source: string}|null}
 */
export function compileCJS(filename, format) {
    let c = compiled.get(filename);
    if (c !== undefined) {
        return c;
    }
    if (detectedESM.has(filename)) {
        return null;
    }
    const source = readSource(filename);
    let fn;
    try {
        fn = v8.compileFunction(source, filename, WRAPPER_PARAMS);
    } catch (e) {
        if (format === 'detect' &&
            (isESMSyntaxError(e) || usesTopLevelAwait(e, source, filename))) {
            detectedESM.add(filename);
            return null;
        }
        throw e;
    }
    c = { fn, source };
    compiled.set(filename, c);
    return c;
}

/**
 * @param {string} filename
 * @returns {boolean} a .js file without "type" was found to be an ES module
 */
export function isDetectedESM(filename) {
    return detectedESM.has(filename);
}

function readSource(filename) {
    const text = readFile(filename);
    if (text === undefined) {
        throw codedError(Error, 'MODULE_NOT_FOUND',
                         `Cannot read module '${filename}'`);
    }
    return stripBOM(text);
}

function requireStack(parent) {
    const stack = [];
    for (let m = parent; m; m = m.parent) {
        stack.push(m.filename ?? m.id);
    }
    return stack;
}

function requireAsync(filename, parent) {
    return codedError(Error, 'ERR_REQUIRE_ASYNC_MODULE',
                      'require() cannot be used on an ESM graph with ' +
                      'top-level await. Use import() instead.\n' +
                      (parent?.filename ? `  From ${parent.filename}\n`
                                        : '') +
                      `  Requiring ${filename}`);
}

/*
 * require() of an ES module, as Node 22: it runs now, synchronously, and
 * require() returns its namespace (or its "module.exports" export).
 */
function cycleError(filename, parent) {
    return codedError(Error, 'ERR_REQUIRE_CYCLE_MODULE',
                      `Cannot require() ES Module ${filename} in a cycle.` +
                      (parent?.filename ? ` (from ${parent.filename})`
                                        : ''));
}

function requireModule(filename, parent) {
    let ns;
    esmLoading.add(filename);
    try {
        ns = v8.requireModule(filename);
    } finally {
        esmLoading.delete(filename);
    }
    if (ns === 1) {
        throw cycleError(filename, parent);
    }
    if (ns === 2) {
        throw requireAsync(filename, parent);
    }
    return 'module.exports' in ns ? ns['module.exports'] : ns;
}

function loadBuiltin(id) {
    let exports = builtinCache.get(id);
    if (exports === undefined) {
        const ns = v8.builtin(id);
        const d = ns.default;
        exports = d !== null && (typeof d === 'object' ||
                                 typeof d === 'function') ? d : ns;
        builtinCache.set(id, exports);
    }
    return exports;
}

/** A CommonJS module, as Node's Module. */
export class Module {
    /**
     * @param {string} id
     * @param {Module} [parent]
     */
    constructor(id = '', parent) {
        this.id = id;
        this.path = dirname(id);
        this.exports = {};
        this.filename = null;
        this.loaded = false;
        this.children = [];
        this.paths = [];
        Object.defineProperty(this, 'parent', {
            value: parent, writable: true, configurable: true,
            enumerable: false,
        });
        if (parent?.children && !parent.children.includes(this)) {
            parent.children.push(this);
        }
    }

    /**
     * @param {string} id
     * @returns {*} the module's exports
     */
    require(id) {
        if (typeof id !== 'string' || id === '') {
            const err = new TypeError('The argument \'id\' must be a ' +
                                      'non-empty string. Received ' +
                                      (id === '' ? "''" : String(id)));
            err.code = 'ERR_INVALID_ARG_VALUE';
            throw err;
        }
        return Module._load(id, this, false);
    }

    /**
     * Loads the file into this module by its extension.
     * @param {string} filename absolute path
     */
    load(filename) {
        this.filename = filename;
        this.paths = Module._nodeModulePaths(dirname(filename));
        const format = formatOf(filename);
        if (format === 'json') {
            const text = readSource(filename);
            try {
                this.exports = JSON.parse(text);
            } catch (e) {
                e.message = `${filename}: ${e.message}`;
                throw e;
            }
        } else if (format === 'module') {
            this.exports = requireModule(filename, this.parent);
        } else {
            // 'commonjs', 'detect' and unknown extensions run as .js
            const c = compileCJS(filename, format === 'detect' ? 'detect'
                                                                : 'commonjs');
            if (c === null) {
                this.exports = requireModule(filename, this.parent);
            } else {
                compiled.delete(filename);
                this._run(c.fn, filename);
            }
        }
        this.loaded = true;
    }

    /**
     * Compiles and runs CommonJS source in this module.
     * @param {string} content
     * @param {string} filename
     */
    _compile(content, filename) {
        this._run(v8.compileFunction(stripBOM(content), filename,
                                     WRAPPER_PARAMS), filename);
    }

    _run(fn, filename) {
        const require = makeRequire(this);
        const exports = this.exports;
        return fn.call(exports, exports, require, this, filename,
                       dirname(filename));
    }

    /**
     * Resolves a request as require() does.
     * @returns {string} absolute path, or the builtin id
     */
    static _resolveFilename(request, parent, isMain, options) {
        const base = parent?.filename ?? `${process_cwd()}/[eval]`;
        const r = cjsResolve(request, base, options?.paths);
        if (r === undefined && request.startsWith('node:')) {
            throw unknownBuiltin(request);
        }
        if (r === undefined) {
            const stack = requireStack(parent);
            const err = codedError(Error, 'MODULE_NOT_FOUND',
                                   `Cannot find module '${request}'` +
                                   missingBuiltinHint(request) +
                                   (stack.length
                                       ? '\nRequire stack:\n- ' +
                                         stack.join('\n- ')
                                       : ''));
            err.requireStack = stack;
            throw err;
        }
        if (r.startsWith('node:') && !request.startsWith('node:')) {
            return r.slice(5);
        }
        return r;
    }

    /**
     * require(): the cached module's exports, or a new module loaded.
     * @returns {*}
     */
    static _load(request, parent, isMain) {
        const filename = Module._resolveFilename(request, parent, isMain);
        if (!filename.startsWith('/')) {
            return loadBuiltin(filename.startsWith('node:')
                ? filename.slice(5) : filename);
        }
        const cached = Module._cache[filename];
        if (cached !== undefined) {
            if (esmLoading.has(filename)) {
                throw cycleError(filename, parent);
            }
            if (parent?.children && !parent.children.includes(cached)) {
                parent.children.push(cached);
            }
            return cached.exports;
        }
        const module = new Module(filename, parent);
        if (isMain) {
            mainModule = module;
            module.id = '.';
        }
        Module._cache[filename] = module;
        let ok = false;
        try {
            module.load(filename);
            ok = true;
        } finally {
            if (!ok) {
                delete Module._cache[filename];
                if (parent?.children) {
                    const i = parent.children.indexOf(module);
                    if (i !== -1) {
                        parent.children.splice(i, 1);
                    }
                }
            }
        }
        return module.exports;
    }

    /**
     * @param {string} dir
     * @returns {string[]} node_modules directories searched from dir
     */
    static _nodeModulePaths(dir) {
        return nodeModulePaths(dir);
    }

    /**
     * A require() for files relative to "filename".
     * @param {string|URL} filename absolute path or file: URL
     * @returns {Function}
     */
    static createRequire(filename) {
        let f = filename;
        if (typeof URL === 'function' && f instanceof URL) {
            f = f.href;
        }
        if (typeof f === 'string' && f.startsWith('file://')) {
            f = decodeURIComponent(f.slice(7));
        }
        if (typeof f !== 'string' || !f.startsWith('/')) {
            const err = new TypeError('The argument \'filename\' must be a ' +
                                      'file URL object, file URL string, ' +
                                      'or absolute path string. Received ' +
                                      String(filename));
            err.code = 'ERR_INVALID_ARG_VALUE';
            throw err;
        }
        const m = new Module(f, null);
        m.filename = f;
        m.paths = nodeModulePaths(dirname(f));
        return makeRequire(m);
    }

    /**
     * @param {string} id
     * @returns {boolean}
     */
    static isBuiltin(id) {
        return isBuiltin(id);
    }
}

Module._cache = Object.create(null);
Module._extensions = Object.create(null);
Module.builtinModules = builtinModules;
Module.Module = Module;
Module.globalPaths = globalPaths();
Module.wrap = (script) => '(function (' + WRAPPER_PARAMS.join(', ') +
                          ') { ' + script + '\n});';

function process_cwd() {
    return '/';
}

function makeRequire(mod) {
    const require = (id) => mod.require(id);
    const resolve = (request, options) => {
        if (typeof request !== 'string') {
            const err = new TypeError('The "request" argument must be of ' +
                                      'type string');
            err.code = 'ERR_INVALID_ARG_TYPE';
            throw err;
        }
        return Module._resolveFilename(request, mod, false, options);
    };
    resolve.paths = (request) => {
        if (isBuiltin(request)) {
            return null;
        }
        if (request.startsWith('./') || request.startsWith('../')) {
            return [dirname(mod.filename ?? '/')];
        }
        return [...nodeModulePaths(dirname(mod.filename ?? '/')),
                ...globalPaths()];
    };
    require.resolve = resolve;
    require.cache = Module._cache;
    require.extensions = Module._extensions;
    Object.defineProperty(require, 'main', {
        get: () => mainModule, enumerable: true, configurable: true,
    });
    return require;
}

/**
 * Runs a CommonJS or JSON file for an import (the synthetic module's
 * evaluation): the same cache as require().
 * @param {string} filename
 * @returns {*} module.exports
 */
export function loadForImport(filename) {
    const cached = Module._cache[filename];
    if (cached !== undefined) {
        return cached.exports;
    }
    const module = new Module(filename, null);
    if (filename === mainCandidate) {
        mainModule = module;
        module.id = '.';
    }
    Module._cache[filename] = module;
    let ok = false;
    try {
        module.load(filename);
        ok = true;
    } finally {
        if (!ok) {
            delete Module._cache[filename];
        }
    }
    return module.exports;
}

/**
 * The first file the runtime loads: if it is CommonJS, it becomes
 * require.main, as Node's entry point.
 * @param {string} filename
 */
export function setMainCandidate(filename) {
    mainCandidate ??= filename;
}
