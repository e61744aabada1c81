// Copyright (C) nv8 contributors
//
// The global console.  Lines go to the host's log (nginx: error.log, with
// the request's context; the nv8 runner: stdout/stderr).

import { format } from 'internal/util/inspect';

const binding = import.meta.binding('console');

const LOG_ERR = 4;
const LOG_WARN = 5;
const LOG_INFO = 7;
const LOG_DEBUG = 8;

const counts = new Map();
const timers = new Map();

function writer(level) {
    return (...args) => binding.write(level, format(...args));
}

export const console = {
    log: writer(LOG_INFO),
    info: writer(LOG_INFO),
    debug: writer(LOG_DEBUG),
    warn: writer(LOG_WARN),
    error: writer(LOG_ERR),
    trace: (...args) => {
        const err = new Error(format(...args));
        err.name = 'Trace';
        binding.write(LOG_ERR, err.stack);
    },
    assert: (ok, ...args) => {
        if (!ok) {
            binding.write(LOG_ERR, 'Assertion failed' +
                          (args.length ? ': ' + format(...args) : ''));
        }
    },
    count: (label = 'default') => {
        const n = (counts.get(label) ?? 0) + 1;
        counts.set(label, n);
        binding.write(LOG_INFO, `${label}: ${n}`);
    },
    countReset: (label = 'default') => counts.delete(label),
    time: (label = 'default') => timers.set(label, Date.now()),
    timeEnd: (label = 'default') => {
        const t = timers.get(label);
        if (t !== undefined) {
            timers.delete(label);
            binding.write(LOG_INFO, `${label}: ${Date.now() - t}ms`);
        }
    },
    dir: (obj) => binding.write(LOG_INFO, format(obj)),
};
