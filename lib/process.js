// Copyright (C) nv8 contributors
//
// node:process: the process global.  An nginx worker is not a Node process:
// argv is empty, exit() throws instead of ending the worker, stdout and
// stderr write to the log through console, and env holds only what
// nginx's "env" directive passes to workers.

import EventEmitter from 'events';
import { console } from 'internal/console';
import { codedError, invalidArgType } from 'internal/errors';

const os = import.meta.binding('os');
const v8 = import.meta.binding('v8');

const startNs = BigInt(os.hrtime());

/** Node's version this runtime follows for its API. */
const NODE_VERSION = 'v18.20.0';

function unameArch() {
    const m = os.uname()[3];
    return { x86_64: 'x64', amd64: 'x64', aarch64: 'arm64', arm64: 'arm64',
             i386: 'ia32', i686: 'ia32', ppc64le: 'ppc64',
             s390x: 's390x' }[m] ?? m;
}

function unamePlatform() {
    return os.uname()[0].toLowerCase();
}

function utf8(s) {
    // the binding hands back bytes as Latin-1
    if (!/[^\x00-\x7f]/.test(s)) {
        return s;
    }
    return v8.decodeUtf8(Uint8Array.from(s, (c) => c.charCodeAt(0)));
}

function makeEnv() {
    const env = {};
    for (const kv of os.environ()) {
        const i = kv.indexOf('=');
        if (i > 0) {
            env[utf8(kv.slice(0, i))] = utf8(kv.slice(i + 1));
        }
    }
    // Node turns every value assigned to process.env into a string
    return new Proxy(env, {
        set(target, key, value) {
            target[key] = String(value);
            return true;
        },
        defineProperty(target, key, desc) {
            target[key] = String(desc.value);
            return true;
        },
    });
}

// nextTick callbacks run in FIFO order from one microtask, so they run
// before promise reactions queued after the first tick, but not before
// those already queued (Node drains ticks before all microtasks).
let ticks = [];

function runTicks() {
    while (ticks.length > 0) {
        const batch = ticks;
        ticks = [];
        for (const [fn, args] of batch) {
            try {
                fn(...args);
            } catch (err) {
                v8.reportError(err);
            }
        }
    }
}

/**
 * Calls fn(...args) soon, ahead of timers and I/O.
 * @param {Function} fn
 * @param {...*} args
 */
function nextTick(fn, ...args) {
    if (typeof fn !== 'function') {
        throw invalidArgType('callback', 'of type function', fn);
    }
    if (ticks.length === 0) {
        queueMicrotask(runTicks);
    }
    ticks.push([fn, args]);
}

/**
 * High-resolution time as [seconds, nanoseconds], optionally relative.
 * @param {number[]} [prev]
 * @returns {number[]}
 */
function hrtime(prev) {
    let ns = BigInt(os.hrtime());
    if (prev !== undefined) {
        if (!Array.isArray(prev)) {
            throw invalidArgType('time', 'an instance of Array', prev);
        }
        if (prev.length !== 2) {
            throw codedError(RangeError, 'ERR_OUT_OF_RANGE',
                             'The value of "time" is out of range. It must ' +
                             `be 2. Received ${prev.length}`);
        }
        ns -= BigInt(prev[0]) * 1000000000n + BigInt(prev[1]);
    }
    return [Number(ns / 1000000000n), Number(ns % 1000000000n)];
}

/** @returns {bigint} nanoseconds from an arbitrary point */
hrtime.bigint = function bigint() {
    return BigInt(os.hrtime());
};

/**
 * @returns {{rss: number, heapTotal: number, heapUsed: number,
 *            external: number, arrayBuffers: number}}
 */
function memoryUsage() {
    const [heapTotal, heapUsed, external] = v8.heapStats();
    return { rss: os.rss(), heapTotal, heapUsed, external,
             arrayBuffers: external };
}

/** @returns {number} resident set size in bytes */
memoryUsage.rss = function rss() {
    return os.rss();
};

function writer(fd) {
    const log = fd === 1 ? console.log : console.error;
    return {
        fd,
        isTTY: false,
        /**
         * Logs the text (a trailing newline is dropped: each write is
         * one log line).
         * @param {string|Uint8Array} chunk
         * @param {string|Function} [encoding]
         * @param {Function} [cb]
         * @returns {boolean}
         */
        write(chunk, encoding, cb) {
            if (typeof encoding === 'function') {
                cb = encoding;
            }
            let s = typeof chunk === 'string' ? chunk
                                              : v8.decodeUtf8(chunk);
            if (s.endsWith('\n')) {
                s = s.slice(0, -1);
            }
            log('%s', s);
            if (typeof cb === 'function') {
                queueMicrotask(cb);
            }
            return true;
        },
    };
}

class Process extends EventEmitter {
    get [Symbol.toStringTag]() {
        return 'process';
    }
}

const process = new Process();

Object.assign(process, {
    title: 'nginx',
    version: NODE_VERSION,
    versions: {
        node: NODE_VERSION.slice(1),
        v8: '10.2',
        nv8: '0.1.0',
    },
    release: { name: 'nv8' },
    arch: unameArch(),
    platform: unamePlatform(),
    argv: [],
    argv0: 'nginx',
    execArgv: [],
    execPath: '',
    exitCode: undefined,
    env: makeEnv(),
    pid: os.pid(),
    ppid: os.ppid(),
    // require() loads synchronous ES modules (Node 22.12+ has the flag)
    features: { require_module: true },
    config: { variables: {} },
    stdout: writer(1),
    stderr: writer(2),
    nextTick,
    hrtime,
    memoryUsage,
    /** @returns {string} the worker's working directory */
    cwd: () => os.cwd(),
    /** @returns {number} seconds since this isolate started */
    uptime: () => Number(BigInt(os.hrtime()) - startNs) / 1e9,
    /**
     * Throws ERR_NV8_PROCESS_EXIT: a handler cannot end the nginx worker.
     * @param {number} [code]
     */
    exit(code) {
        const err = codedError(Error, 'ERR_NV8_PROCESS_EXIT',
                               'process.exit() is not supported in nv8 ' +
                               `(code ${code ?? process.exitCode ?? 0})`);
        err.exitCode = code ?? process.exitCode ?? 0;
        throw err;
    },
    /** Throws ERR_NV8_PROCESS_EXIT, as exit() does. */
    abort() {
        process.exit(134);
    },
    /**
     * Emits a 'warning' event and logs the warning.
     * @param {string|Error} warning
     * @param {string|object} [type]
     * @param {string} [code]
     */
    emitWarning(warning, type, code) {
        if (typeof type === 'object' && type !== null) {
            code = type.code;
            type = type.type;
        }
        const w = typeof warning === 'string' ? new Error(warning) : warning;
        w.name = typeof type === 'string' ? type : (w.name === 'Error' ?
                                                    'Warning' : w.name);
        if (code !== undefined) {
            w.code = code;
        }
        // on the next tick, as Node does
        nextTick(() => {
            process.emit('warning', w);
            console.warn(`(nv8) ${code ? `[${code}] ` : ''}${w.name}: ` +
                         w.message);
        });
    },
    /** @returns {number} */
    umask: () => 0o022,
    binding(name) {
        throw codedError(Error, 'ERR_INVALID_MODULE',
                         `No such module: ${name}`);
    },
});

export default process;
export const {
    env, argv, argv0, execArgv, execPath, version, versions, release, arch,
    pid, ppid, stdout, stderr, cwd, uptime, exit, abort, emitWarning, title,
    features, config, umask, platform,
} = process;
export { nextTick, hrtime, memoryUsage };
