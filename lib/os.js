// Copyright (C) nv8 contributors
//
// node:os: host facts from libuv (binding 'os', runtime/nv8_binding_os.c).

import process from 'process';

const os = import.meta.binding('os');

/** The end-of-line marker. */
export const EOL = '\n';
/** The null device. */
export const devNull = '/dev/null';

/** @returns {string} the host name */
export function hostname() {
    return os.hostname();
}

/** @returns {string} the home directory of the worker's user */
export function homedir() {
    return os.homedir();
}

/** @returns {string} the temporary files directory ($TMPDIR or /tmp) */
export function tmpdir() {
    return os.tmpdir();
}

/** @returns {number} bytes of memory in all */
export function totalmem() {
    return os.totalmem();
}

/** @returns {number} bytes of memory free */
export function freemem() {
    return os.freemem();
}

/** @returns {number} seconds since boot */
export function uptime() {
    return os.uptime();
}

/** @returns {number[]} 1, 5 and 15 minute load averages */
export function loadavg() {
    return os.loadavg().map(Number);
}

/** @returns {object[]} one {model, speed, times} per CPU */
export function cpus() {
    const a = os.cpus();
    const out = [];
    for (let i = 0; i + 7 <= a.length; i += 7) {
        out.push({
            model: a[i],
            speed: Number(a[i + 1]),
            times: {
                user: Number(a[i + 2]),
                nice: Number(a[i + 3]),
                sys: Number(a[i + 4]),
                idle: Number(a[i + 5]),
                irq: Number(a[i + 6]),
            },
        });
    }
    return out;
}

/** @returns {number} CPUs usable (at least 1) */
export function availableParallelism() {
    return os.parallelism();
}

/** @returns {string} 'Linux', 'Darwin', ... (uname -s) */
export function type() {
    return os.uname()[0];
}

/** @returns {string} the kernel release (uname -r) */
export function release() {
    return os.uname()[1];
}

/** @returns {string} the kernel version (uname -v) */
export function version() {
    return os.uname()[2];
}

/** @returns {string} the machine type (uname -m) */
export function machine() {
    return os.uname()[3];
}

/** @returns {string} as process.arch */
export function arch() {
    return process.arch;
}

/** @returns {string} as process.platform */
export function platform() {
    return process.platform;
}

/** @returns {string} 'LE' or 'BE' */
export function endianness() {
    return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE'
                                                                : 'BE';
}

export const constants = {
    signals: {
        SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10,
        SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
    },
    priority: {
        PRIORITY_LOW: 19, PRIORITY_BELOW_NORMAL: 10, PRIORITY_NORMAL: 0,
        PRIORITY_ABOVE_NORMAL: -7, PRIORITY_HIGH: -14,
        PRIORITY_HIGHEST: -20,
    },
};

export default {
    EOL, devNull, hostname, homedir, tmpdir, totalmem, freemem, uptime,
    loadavg, cpus, availableParallelism, type, release, version, machine,
    arch, platform, endianness, constants,
};
