// Copyright (C) nv8 contributors
//
// Node's module resolution: relative and absolute paths, file: URLs,
// node_modules lookup upward from the importing file, package.json "main",
// "exports" (subpaths, patterns, conditions), "imports" (#specifiers),
// "type", self-reference, then the runtime's search paths (NV8_PATH, the
// nv8_runtime_conf_t module_paths).  Builtins are resolved in C
// (runtime/nv8_modules.c) before anything here is asked.
//
// File access is synchronous (the "modules" binding): modules are
// resolved at start-up, as in Node.  package.json files are read once per
// isolate and cached.

import { codedError } from 'internal/errors';

const binding = import.meta.binding('modules');

const FILE = 0;
const DIR = 1;

/**
 * Conditions of "exports"/"imports" for import and for require();
 * "module-sync" (Node 22.12+) since require() loads ES modules.
 */
export const IMPORT_CONDITIONS = new Set(['nv8', 'node', 'import',
                                          'module-sync', 'default']);
export const REQUIRE_CONDITIONS = new Set(['nv8', 'node', 'require',
                                           'module-sync', 'default']);

const builtinIds = binding.builtins();
const builtinSet = new Set(builtinIds);

/** Ids of the builtins users may import, without 'node:'. */
export const builtinModules = builtinIds.slice();

/**
 * @param {string} id 'fs' or 'node:fs'
 * @returns {boolean}
 */
export function isBuiltin(id) {
    if (typeof id !== 'string') {
        return false;
    }
    return builtinSet.has(id.startsWith('node:') ? id.slice(5) : id);
}

// Node's own built-in modules (22.x), to say so when one nv8 lacks is
// asked for
const nodeBuiltins = new Set([
    'assert', 'assert/strict', 'async_hooks', 'buffer', 'child_process',
    'cluster', 'console', 'constants', 'crypto', 'dgram',
    'diagnostics_channel', 'dns', 'dns/promises', 'domain', 'events', 'fs',
    'fs/promises', 'http', 'http2', 'https', 'inspector',
    'inspector/promises', 'module', 'net', 'os', 'path', 'path/posix',
    'path/win32', 'perf_hooks', 'process', 'punycode', 'querystring',
    'readline', 'readline/promises', 'repl', 'stream', 'stream/consumers',
    'stream/promises', 'stream/web', 'string_decoder', 'sys', 'test',
    'test/reporters', 'timers', 'timers/promises', 'tls', 'trace_events',
    'tty', 'url', 'util', 'util/types', 'v8', 'vm', 'wasi', 'worker_threads',
    'zlib', 'sea', 'sqlite',
]);

/**
 * What to add to a "not found" message for a name that is one of Node's
 * built-in modules nv8 does not provide ('' for any other).
 * @param {string} id 'http2' or 'node:http2'
 * @returns {string}
 */
export function missingBuiltinHint(id) {
    const bare = id.startsWith('node:') ? id.slice(5) : id;
    if (builtinSet.has(bare) || !nodeBuiltins.has(bare)) {
        return '';
    }
    return ` (Node's built-in '${bare}' is not available in nv8; ` +
           'see docs/api/node.md)';
}

/**
 * The error for a 'node:' specifier that names no builtin nv8 has, as
 * Node's ERR_UNKNOWN_BUILTIN_MODULE.
 * @param {string} specifier 'node:...'
 * @param {string} [base] the importing file
 * @returns {Error}
 */
export function unknownBuiltin(specifier, base) {
    return codedError(Error, 'ERR_UNKNOWN_BUILTIN_MODULE',
                      `No such built-in module: ${specifier}` +
                      missingBuiltinHint(specifier) +
                      (base ? ` imported from ${base}` : ''));
}

// paths (POSIX only)

/**
 * @param {string} p absolute path
 * @returns {string} its directory
 */
export function dirname(p) {
    const i = p.lastIndexOf('/');
    return i <= 0 ? '/' : p.slice(0, i);
}

/**
 * @param {string} p
 * @returns {string} the last path segment
 */
export function basename(p) {
    return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * Resolves "p" against directory "dir" and normalizes . and .. away.
 * @param {string} dir absolute directory
 * @param {string} p relative or absolute path
 * @returns {string}
 */
export function resolvePath(dir, p) {
    const full = p.startsWith('/') ? p : `${dir}/${p}`;
    const out = [];
    for (const seg of full.split('/')) {
        if (seg === '' || seg === '.') {
            continue;
        }
        if (seg === '..') {
            out.pop();
        } else {
            out.push(seg);
        }
    }
    return '/' + out.join('/');
}

function statKind(p) {
    return binding.stat(p);
}

function realpath(p) {
    const r = binding.realpath(p);
    return typeof r === 'string' ? r : p;
}

/**
 * @param {string} p
 * @returns {string|undefined} the file's text, undefined if unreadable
 */
export function readFile(p) {
    const r = binding.readFile(p);
    return typeof r === 'string' ? r : undefined;
}

function fileURLToPath(url) {
    let p = url.slice(7);
    if (p.startsWith('localhost/')) {
        p = p.slice(9);
    }
    const q = p.search(/[?#]/);
    if (q !== -1) {
        p = p.slice(0, q);
    }
    return decodeURIComponent(p);
}

// package.json

const packageCache = new Map();

/**
 * Reads and caches a package.json.
 * @param {string} file path of the package.json
 * @returns {object|null} { path, name, main, type, exports, imports }
 */
export function readPackage(file) {
    if (packageCache.has(file)) {
        return packageCache.get(file);
    }
    const text = readFile(file);
    let pkg = null;
    if (text !== undefined) {
        let json;
        try {
            json = JSON.parse(text);
        } catch (e) {
            throw codedError(Error, 'ERR_INVALID_PACKAGE_CONFIG',
                             `Invalid package config ${file}: ${e.message}`);
        }
        json = json !== null && typeof json === 'object' ? json : {};
        pkg = {
            path: file,
            name: typeof json.name === 'string' ? json.name : undefined,
            main: typeof json.main === 'string' ? json.main : undefined,
            type: json.type === 'module' || json.type === 'commonjs'
                ? json.type : 'none',
            exports: json.exports,
            imports: json.imports,
        };
    }
    packageCache.set(file, pkg);
    return pkg;
}

/**
 * The nearest package.json above a file, not looking past a node_modules
 * directory (Node's package scope).
 * @param {string} file absolute path
 * @returns {object|null}
 */
export function packageScope(file) {
    let dir = dirname(file);
    for (;;) {
        if (basename(dir) === 'node_modules') {
            return null;
        }
        const pkg = readPackage(dir === '/' ? '/package.json'
                                            : `${dir}/package.json`);
        if (pkg !== null) {
            return pkg;
        }
        if (dir === '/') {
            return null;
        }
        dir = dirname(dir);
    }
}

/**
 * The format of a file by Node's rules: 'module', 'commonjs', 'json',
 * 'detect' (.js with no "type" in its package scope: CommonJS unless it
 * has ES module syntax, as Node's syntax detection), or null for an
 * unknown extension.
 * @param {string} file
 * @returns {string|null}
 */
export function formatOf(file) {
    const base = basename(file);
    const dot = base.lastIndexOf('.');
    const ext = dot > 0 ? base.slice(dot) : '';
    switch (ext) {
    case '.mjs':
        return 'module';
    case '.cjs':
        return 'commonjs';
    case '.json':
        return 'json';
    case '.js': {
        const type = packageScope(file)?.type ?? 'none';
        return type === 'none' ? 'detect' : type;
    }
    default:
        return null;
    }
}

// "exports" and "imports"

function invalidTarget(pkg, key, target, base) {
    return codedError(Error, 'ERR_INVALID_PACKAGE_TARGET',
                      `Invalid "${key.startsWith('#') ? 'imports'
                                                      : 'exports'}" ` +
                      `target ${JSON.stringify(target)} defined for ` +
                      `'${key}' in the package config ${pkg.path}` +
                      (base ? ` imported from ${base}` : ''));
}

const INVALID_SEGMENT = /(^|\/)(\.\.?|node_modules)(\/|$)/i;

function resolveTarget(pkg, key, target, match, pattern, conditions, base) {
    if (typeof target === 'string') {
        if (!target.startsWith('./')) {
            throw invalidTarget(pkg, key, target, base);
        }
        if (INVALID_SEGMENT.test(target.slice(2)) ||
            (pattern && INVALID_SEGMENT.test(match))) {
            throw invalidTarget(pkg, key, target, base);
        }
        const t = pattern ? target.replaceAll('*', match) : target + match;
        return resolvePath(dirname(pkg.path), t);
    }
    if (Array.isArray(target)) {
        let lastErr;
        for (const t of target) {
            let r;
            try {
                r = resolveTarget(pkg, key, t, match, pattern, conditions,
                                  base);
            } catch (e) {
                lastErr = e;
                if (e.code === 'ERR_INVALID_PACKAGE_TARGET') {
                    continue;
                }
                throw e;
            }
            if (r === undefined) {
                continue;
            }
            return r;
        }
        if (lastErr !== undefined) {
            throw lastErr;
        }
        return null;
    }
    if (target !== null && typeof target === 'object') {
        // the package's key order decides, as in Node
        for (const cond of Object.keys(target)) {
            if (cond === 'default' || conditions.has(cond)) {
                const r = resolveTarget(pkg, key, target[cond], match,
                                        pattern, conditions, base);
                if (r !== undefined) {
                    return r;
                }
            }
        }
        return undefined;
    }
    if (target === null) {
        return null;
    }
    throw invalidTarget(pkg, key, target, base);
}

function patternCompare(a, b) {
    const ai = a.indexOf('*');
    const bi = b.indexOf('*');
    const al = ai === -1 ? a.length : ai + 1;
    const bl = bi === -1 ? b.length : bi + 1;
    if (al !== bl) {
        return bl - al;
    }
    return b.length - a.length;
}

function matchMap(pkg, map, key, conditions, base) {
    if (Object.hasOwn(map, key) && !key.includes('*')) {
        return resolveTarget(pkg, key, map[key], '', false, conditions, base);
    }
    const keys = Object.keys(map).filter((k) => {
        const star = k.indexOf('*');
        return star !== -1 && star === k.lastIndexOf('*') &&
               key.startsWith(k.slice(0, star)) &&
               key.length >= k.length &&
               key.endsWith(k.slice(star + 1));
    }).sort(patternCompare);
    if (keys.length > 0) {
        const k = keys[0];
        const star = k.indexOf('*');
        const match = key.slice(star, key.length - (k.length - star - 1));
        return resolveTarget(pkg, key, map[k], match, true, conditions, base);
    }
    return undefined;
}

function exportsMap(pkg) {
    const e = pkg.exports;
    if (typeof e === 'string' || Array.isArray(e) || e === null ||
        typeof e !== 'object') {
        return { '.': e };
    }
    const keys = Object.keys(e);
    const dots = keys.filter((k) => k.startsWith('.')).length;
    if (dots === 0) {
        return { '.': e };
    }
    if (dots !== keys.length) {
        throw codedError(Error, 'ERR_INVALID_PACKAGE_CONFIG',
                         `Invalid package config ${pkg.path}. "exports" ` +
                         'cannot contain some keys starting with \'.\' and ' +
                         'some not.');
    }
    return e;
}

/**
 * Resolves a subpath ('.' or './x') through a package's "exports".
 * @returns {string} absolute path (not checked for existence)
 */
export function packageExportsResolve(pkg, subpath, conditions, base) {
    const r = matchMap(pkg, exportsMap(pkg), subpath, conditions, base);
    if (r === undefined || r === null) {
        const dir = dirname(pkg.path);
        throw codedError(Error, 'ERR_PACKAGE_PATH_NOT_EXPORTED',
                         subpath === '.'
                             ? `No "exports" main defined in ${dir}/` +
                               `package.json` +
                               (base ? ` imported from ${base}` : '')
                             : `Package subpath '${subpath}' is not ` +
                               `defined by "exports" in ${dir}/` +
                               `package.json` +
                               (base ? ` imported from ${base}` : ''));
    }
    return r;
}

function packageImportsResolve(specifier, base, conditions) {
    const pkg = packageScope(base);
    if (pkg !== null && pkg.imports !== null &&
        typeof pkg.imports === 'object') {
        const r = matchMap(pkg, pkg.imports, specifier, conditions, base);
        if (r !== undefined && r !== null) {
            return r;
        }
    }
    throw codedError(TypeError, 'ERR_PACKAGE_IMPORT_NOT_DEFINED',
                     `Package import specifier "${specifier}" is not ` +
                     `defined${pkg ? ` in package ${pkg.path}` : ''} ` +
                     `imported from ${base}`);
}

function parsePackageName(specifier, base) {
    let end = specifier.indexOf('/');
    if (specifier.startsWith('@')) {
        end = end === -1 ? -1 : specifier.indexOf('/', end + 1);
        if (specifier.indexOf('/') === -1) {
            end = -2;
        }
    }
    const name = end === -1 ? specifier : specifier.slice(0, end);
    if (end === -2 || name === '' || name.startsWith('.') ||
        name.includes('\\') || name.includes('%')) {
        throw codedError(TypeError, 'ERR_INVALID_MODULE_SPECIFIER',
                         `Invalid module "${specifier}" is not a valid ` +
                         `package name imported from ${base}`);
    }
    return { name, subpath: '.' + specifier.slice(name.length) };
}

/**
 * Directories searched for packages from "dir": dir/node_modules and
 * those of every parent, then the runtime's search paths.
 * @param {string} dir absolute directory
 * @returns {string[]}
 */
export function nodeModulePaths(dir) {
    const out = [];
    for (let d = dir; ; d = dirname(d)) {
        if (basename(d) !== 'node_modules') {
            out.push(d === '/' ? '/node_modules' : `${d}/node_modules`);
        }
        if (d === '/') {
            break;
        }
    }
    return out;
}

let searchPaths = null;

/** @returns {string[]} the runtime's extra search paths (NV8_PATH) */
export function globalPaths() {
    searchPaths ??= binding.paths();
    return searchPaths;
}

/**
 * Finds a package by name for "base": self-reference, then node_modules
 * upward, then the search paths.  Calls found(pkgDir, pkg, subpath) for
 * each candidate directory until it returns a value.
 */
function findPackage(specifier, base, conditions, found) {
    const { name, subpath } = parsePackageName(specifier, base);

    // require() errors do not say "imported from", as in Node
    const from = conditions === REQUIRE_CONDITIONS ? undefined : base;

    const self = packageScope(base);
    if (self !== null && self.name === name && self.exports !== undefined &&
        self.exports !== null) {
        return packageExportsResolve(self, subpath, conditions, from);
    }

    for (const dir of [...nodeModulePaths(dirname(base)), ...globalPaths()]) {
        const pkgDir = `${dir}/${name}`;
        if (statKind(pkgDir) !== DIR) {
            continue;
        }
        const pkg = readPackage(`${pkgDir}/package.json`);
        if (pkg !== null && pkg.exports !== undefined &&
            pkg.exports !== null) {
            return packageExportsResolve(pkg, subpath, conditions, from);
        }
        const r = found(pkgDir, pkg, subpath);
        if (r !== undefined) {
            return r;
        }
    }
    return undefined;
}

// import

function notFound(what, specifier, base) {
    return codedError(Error, 'ERR_MODULE_NOT_FOUND',
                      `Cannot find ${what} '${specifier}' imported from ` +
                      base);
}

function legacyMainResolve(pkgDir, pkg, base) {
    const tries = [];
    if (pkg?.main !== undefined) {
        const m = resolvePath(pkgDir, pkg.main);
        tries.push(m, `${m}.js`, `${m}.json`, `${m}/index.js`,
                   `${m}/index.json`);
    }
    tries.push(`${pkgDir}/index.js`, `${pkgDir}/index.json`);
    for (const t of tries) {
        if (statKind(t) === FILE) {
            return t;
        }
    }
    throw notFound('package', pkgDir, base);
}

function checkFile(path, specifier, base) {
    const kind = statKind(path);
    if (kind === DIR) {
        throw codedError(Error, 'ERR_UNSUPPORTED_DIR_IMPORT',
                         `Directory import '${path}' is not supported ` +
                         `resolving ES modules imported from ${base}`);
    }
    if (kind !== FILE) {
        throw notFound('module', path, base);
    }
    return realpath(path);
}

/**
 * Resolves an import (static or dynamic) of "specifier" by the module
 * "base" (an absolute path) as Node's ESM resolver: no extension or index
 * probing for paths; "import" conditions.
 * @returns {string} absolute real path
 */
export function esmResolve(specifier, base) {
    if (specifier.startsWith('file://')) {
        return checkFile(fileURLToPath(specifier), specifier, base);
    }
    if (specifier.startsWith('/') || specifier.startsWith('./') ||
        specifier.startsWith('../') || specifier === '.' ||
        specifier === '..') {
        return checkFile(resolvePath(dirname(base), specifier), specifier,
                         base);
    }
    if (specifier.startsWith('#')) {
        return checkFile(packageImportsResolve(specifier, base,
                                               IMPORT_CONDITIONS),
                         specifier, base);
    }
    if (specifier.startsWith('node:')) {
        // the runtime resolves the builtins it has
        throw unknownBuiltin(specifier, base);
    }
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(specifier)) {
        throw codedError(Error, 'ERR_UNSUPPORTED_ESM_URL_SCHEME',
                         `Only file: and node: URLs are supported; ` +
                         `cannot import '${specifier}' from ${base}`);
    }
    const r = findPackage(specifier, base, IMPORT_CONDITIONS,
                          (pkgDir, pkg, subpath) => {
                              if (subpath === '.') {
                                  return legacyMainResolve(pkgDir, pkg, base);
                              }
                              return resolvePath(pkgDir, subpath);
                          });
    if (r === undefined) {
        const err = notFound('package',
                             parsePackageName(specifier, base).name, base);
        err.message += missingBuiltinHint(specifier);
        throw err;
    }
    return checkFile(r, specifier, base);
}

// require

const EXTENSIONS = ['.js', '.json', '.cjs'];

function tryFile(p) {
    return statKind(p) === FILE ? realpath(p) : undefined;
}

function tryExtensions(p) {
    for (const ext of EXTENSIONS) {
        const r = tryFile(p + ext);
        if (r !== undefined) {
            return r;
        }
    }
    return undefined;
}

function tryDirectory(dir) {
    const pkg = readPackage(`${dir}/package.json`);
    if (pkg?.main !== undefined) {
        const m = resolvePath(dir, pkg.main);
        const r = tryFile(m) ?? tryExtensions(m) ??
                  tryExtensions(`${m}/index`);
        if (r !== undefined) {
            return r;
        }
    }
    return tryExtensions(`${dir}/index`);
}

function tryFileOrDirectory(p, trailingSlash) {
    if (!trailingSlash) {
        const r = tryFile(p) ?? tryExtensions(p);
        if (r !== undefined) {
            return r;
        }
    }
    return tryDirectory(p);
}

/**
 * Resolves require(specifier) from the file "base" as Node's CommonJS
 * resolver: extension (.js, .json, .cjs) and directory (package.json
 * "main", index) probing, "require" conditions.  Builtins are returned as
 * 'node:<id>'.
 * @param {string} specifier
 * @param {string} base absolute path of the requiring file
 * @param {string[]} [paths] overrides the lookup directories
 * @returns {string|undefined} undefined if not found
 */
export function cjsResolve(specifier, base, paths) {
    if (specifier.startsWith('node:')) {
        return isBuiltin(specifier) ? specifier : undefined;
    }
    if (builtinSet.has(specifier)) {
        return `node:${specifier}`;
    }
    const slash = specifier.endsWith('/');
    if (specifier.startsWith('/') || specifier.startsWith('./') ||
        specifier.startsWith('../') || specifier === '.' ||
        specifier === '..') {
        const dirs = paths && !specifier.startsWith('/')
            ? paths : [dirname(base)];
        for (const d of dirs) {
            const r = tryFileOrDirectory(resolvePath(d, specifier), slash);
            if (r !== undefined) {
                return r;
            }
        }
        return undefined;
    }
    if (specifier.startsWith('#')) {
        return tryFile(packageImportsResolve(specifier, base,
                                             REQUIRE_CONDITIONS));
    }
    if (paths) {
        for (const d of paths) {
            const r = cjsResolve(specifier, resolvePath(d, 'x'));
            if (r !== undefined) {
                return r;
            }
        }
        return undefined;
    }
    const r = findPackage(specifier, base, REQUIRE_CONDITIONS,
                          (pkgDir, pkg, subpath) => {
                              if (subpath === '.') {
                                  return tryDirectory(pkgDir);
                              }
                              return tryFileOrDirectory(
                                  resolvePath(pkgDir, subpath), slash);
                          });
    if (r === undefined) {
        return undefined;
    }
    // a target of "exports" must exist as it is
    return tryFile(r);
}
