// Copyright (C) nv8 contributors
//
// The global console.  Lines go to the host's log (nginx: error.log, with
// the request's context; the nv8 runner: stdout/stderr).  Values are
// formatted by internal/util/inspect, Node's shapes; console.group()
// indents, console.time() counts on the monotonic clock.

import { format } from 'internal/util/inspect';

const binding = import.meta.binding('console');
const os = import.meta.binding('os');

const LOG_ERR = 4;
const LOG_WARN = 5;
const LOG_INFO = 7;
const LOG_DEBUG = 8;

const counts = new Map();
const timers = new Map();
let indent = '';

function write(level, text) {
    binding.write(level, indent === ''
        ? text : indent + text.replace(/\n/g, `\n${indent}`));
}

function writer(level) {
    return (...args) => write(level, format(...args));
}

// as Node: 'Warning: ...' for a label that is not there
function warn(message) {
    write(LOG_WARN, `Warning: ${message}`);
}

function elapsed(label) {
    const ms = os.now() - timers.get(label);
    return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
}

export const console = {
    log: writer(LOG_INFO),
    info: writer(LOG_INFO),
    debug: writer(LOG_DEBUG),
    warn: writer(LOG_WARN),
    error: writer(LOG_ERR),
    dirxml: writer(LOG_INFO),
    // no table drawing: the data as console.log() shows it
    table: writer(LOG_INFO),
    trace: (...args) => {
        const err = new Error(format(...args));
        err.name = 'Trace';
        write(LOG_ERR, err.stack);
    },
    assert: (ok, ...args) => {
        if (!ok) {
            write(LOG_ERR, 'Assertion failed' +
                           (args.length ? ': ' + format(...args) : ''));
        }
    },
    count: (label = 'default') => {
        label = `${label}`;
        const n = (counts.get(label) ?? 0) + 1;
        counts.set(label, n);
        write(LOG_INFO, `${label}: ${n}`);
    },
    countReset: (label = 'default') => {
        label = `${label}`;
        if (!counts.delete(label)) {
            warn(`Count for '${label}' does not exist`);
        }
    },
    time: (label = 'default') => {
        label = `${label}`;
        if (timers.has(label)) {
            warn(`Label '${label}' already exists for console.time()`);
            return;
        }
        timers.set(label, os.now());
    },
    timeLog: (label = 'default', ...data) => {
        label = `${label}`;
        if (!timers.has(label)) {
            warn(`No such label '${label}' for console.timeLog()`);
            return;
        }
        write(LOG_INFO, format(`${label}: ${elapsed(label)}`, ...data));
    },
    timeEnd: (label = 'default') => {
        label = `${label}`;
        if (!timers.has(label)) {
            warn(`No such label '${label}' for console.timeEnd()`);
            return;
        }
        write(LOG_INFO, `${label}: ${elapsed(label)}`);
        timers.delete(label);
    },
    group: (...label) => {
        if (label.length > 0) {
            write(LOG_INFO, format(...label));
        }
        indent += '  ';
    },
    groupCollapsed: (...label) => console.group(...label),
    groupEnd: () => {
        indent = indent.slice(2);
    },
    dir: (obj) => write(LOG_INFO, format(obj)),
};
