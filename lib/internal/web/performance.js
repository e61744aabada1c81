// Copyright (C) nv8 contributors
//
// High Resolution Time and User Timing: performance.now() on libuv's
// monotonic clock (uv_hrtime), relative to timeOrigin, the wall-clock time
// at which the isolate started; marks and measures in one buffer per
// isolate.  A worker lives long: entries stay until clearMarks() or
// clearMeasures(), and a warning is logged once when the buffer passes a
// million entries (as Node does).  There is no PerformanceObserver and
// no resource or navigation timing.

import { structuredClone } from 'internal/web/clone';
import { DOMException } from 'internal/web/domexception';
import { EventTarget } from 'internal/web/events';
import { webidlInterface } from 'internal/web/webidl';
import process from 'process';

const os = import.meta.binding('os');

const originNow = os.now();
const timeOrigin = os.realtime();

const MAX_ENTRIES = 1e6;

/** @returns {number} milliseconds since timeOrigin */
export function now() {
    return os.now() - originNow;
}

const kName = Symbol('name');
const kType = Symbol('entryType');
const kStart = Symbol('startTime');
const kDuration = Symbol('duration');
const kDetail = Symbol('detail');

let constructing = false;

function entry(self) {
    if (self === null || typeof self !== 'object' || !(kType in self)) {
        throw new TypeError('Illegal invocation');
    }
    return self;
}

/** W3C PerformanceEntry: made by the platform only. */
export class PerformanceEntry {
    constructor() {
        if (!constructing) {
            throw new TypeError('Illegal constructor');
        }
    }

    /** @returns {string} */
    get name() { return entry(this)[kName]; }

    /** @returns {string} 'mark' or 'measure' */
    get entryType() { return entry(this)[kType]; }

    /** @returns {number} */
    get startTime() { return entry(this)[kStart]; }

    /** @returns {number} */
    get duration() { return entry(this)[kDuration]; }

    /** @returns {object} */
    toJSON() {
        entry(this);
        return {
            name: this.name, entryType: this.entryType,
            startTime: this.startTime, duration: this.duration,
        };
    }
}

function init(self, name, type, start, duration, detail) {
    self[kName] = name;
    self[kType] = type;
    self[kStart] = start;
    self[kDuration] = duration;
    self[kDetail] = detail === undefined || detail === null
        ? null : structuredClone(detail);
}

function timestamp(value, what) {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) {
        throw new TypeError(`${what} cannot be negative`);
    }
    return n;
}

/** User Timing PerformanceMark. */
export class PerformanceMark extends PerformanceEntry {
    /**
     * @param {string} name
     * @param {{startTime?: number, detail?: *}} [options]
     */
    constructor(name, options = undefined) {
        if (arguments.length === 0) {
            throw new TypeError('Failed to construct \'PerformanceMark\': ' +
                                '1 argument required, but only 0 present.');
        }
        constructing = true;
        try {
            super();
        } finally {
            constructing = false;
        }
        if (options !== undefined && options !== null &&
            typeof options !== 'object') {
            throw new TypeError('The "options" argument must be of type ' +
                                'object');
        }
        const start = options?.startTime === undefined
            ? now() : timestamp(options.startTime, 'startTime');
        init(this, String(name), 'mark', start, 0, options?.detail);
    }

    /** @returns {*} the clone of options.detail, or null */
    get detail() { return entry(this)[kDetail]; }

    /** @returns {object} */
    toJSON() {
        return { ...super.toJSON(), detail: this.detail };
    }
}

/** User Timing PerformanceMeasure: made by performance.measure(). */
export class PerformanceMeasure extends PerformanceEntry {
    /** @returns {*} the clone of options.detail, or null */
    get detail() { return entry(this)[kDetail]; }

    /** @returns {object} */
    toJSON() {
        return { ...super.toJSON(), detail: this.detail };
    }
}

const entries = [];
let warned = false;

function add(e) {
    entries.push(e);
    if (entries.length > MAX_ENTRIES && !warned) {
        warned = true;
        process.emitWarning('Possible perf_hooks memory leak detected. ' +
                            `${entries.length} entries in the performance ` +
                            'timeline; use performance.clearMarks() and ' +
                            'clearMeasures()',
                            'MaxPerformanceEntryBufferExceededWarning');
    }
}

function markTime(name) {
    if (typeof name === 'number') {
        return timestamp(name, 'Timestamp');
    }
    const s = String(name);
    for (let i = entries.length - 1; i >= 0; i--) {
        if (entries[i][kType] === 'mark' && entries[i][kName] === s) {
            return entries[i][kStart];
        }
    }
    throw new DOMException(`The mark '${s}' does not exist.`, 'SyntaxError');
}

function list(type, name) {
    return entries
        .filter((e) => (type === undefined || e[kType] === type) &&
                       (name === undefined || e[kName] === name))
        .sort((a, b) => a[kStart] - b[kStart]);
}

function clear(type, name) {
    for (let i = entries.length - 1; i >= 0; i--) {
        if (entries[i][kType] === type &&
            (name === undefined || entries[i][kName] === String(name))) {
            entries.splice(i, 1);
        }
    }
}

function perf(self) {
    if (self !== performance) {
        throw new TypeError('Illegal invocation');
    }
    return self;
}

/** W3C Performance: the `performance` global is its only instance. */
export class Performance extends EventTarget {
    constructor() {
        if (!constructing) {
            throw new TypeError('Illegal constructor');
        }
        super();
    }

    /** @returns {number} milliseconds since timeOrigin, sub-ms */
    now() {
        perf(this);
        return now();
    }

    /** @returns {number} the isolate's start, ms since the epoch */
    get timeOrigin() {
        perf(this);
        return timeOrigin;
    }

    /** @returns {object} */
    toJSON() {
        perf(this);
        return { timeOrigin };
    }

    /**
     * @param {string} name
     * @param {{startTime?: number, detail?: *}} [options]
     * @returns {PerformanceMark}
     */
    mark(name, options = undefined) {
        perf(this);
        if (arguments.length === 0) {
            throw new TypeError('The "name" argument must be specified');
        }
        const m = new PerformanceMark(name, options);
        add(m);
        return m;
    }

    /**
     * @param {string} name
     * @param {string|{start?: *, end?: *, duration?: number,
     *                 detail?: *}} [startOrOptions]
     * @param {string} [endMark]
     * @returns {PerformanceMeasure}
     */
    measure(name, startOrOptions = undefined, endMark = undefined) {
        perf(this);
        if (arguments.length === 0) {
            throw new TypeError('The "name" argument must be specified');
        }
        const o = startOrOptions !== null && typeof startOrOptions === 'object'
            ? startOrOptions : null;
        const has = (k) => o !== null && o[k] !== undefined;
        if (o !== null && (has('start') || has('end') || has('duration') ||
                           has('detail'))) {
            if (endMark !== undefined) {
                throw new TypeError('endMark must not be given with a ' +
                                    'non-empty options object');
            }
            if (!has('start') && !has('end')) {
                throw new TypeError('options must have start or end');
            }
            if (has('start') && has('end') && has('duration')) {
                throw new TypeError('options must not have start, end and ' +
                                    'duration together');
            }
        }
        let end;
        if (endMark !== undefined) {
            end = markTime(endMark);
        } else if (has('end')) {
            end = markTime(o.end);
        } else if (has('start') && has('duration')) {
            end = markTime(o.start) + timestamp(o.duration, 'duration');
        } else {
            end = now();
        }
        let start;
        if (has('start')) {
            start = markTime(o.start);
        } else if (has('duration') && has('end')) {
            start = end - timestamp(o.duration, 'duration');
        } else if (o === null && startOrOptions !== undefined &&
                   startOrOptions !== null) {
            start = markTime(String(startOrOptions));
        } else {
            start = 0;
        }
        constructing = true;
        let m;
        try {
            m = new PerformanceMeasure();
        } finally {
            constructing = false;
        }
        init(m, String(name), 'measure', start, end - start,
             o !== null ? o.detail : undefined);
        add(m);
        return m;
    }

    /** @returns {PerformanceEntry[]} every mark and measure, by startTime */
    getEntries() {
        perf(this);
        return list(undefined, undefined);
    }

    /**
     * @param {string} type
     * @returns {PerformanceEntry[]}
     */
    getEntriesByType(type) {
        perf(this);
        return list(String(type), undefined);
    }

    /**
     * @param {string} name
     * @param {string} [type]
     * @returns {PerformanceEntry[]}
     */
    getEntriesByName(name, type = undefined) {
        perf(this);
        return list(type === undefined ? undefined : String(type),
                    String(name));
    }

    /** @param {string} [name] all marks when omitted */
    clearMarks(name = undefined) {
        perf(this);
        clear('mark', name);
    }

    /** @param {string} [name] all measures when omitted */
    clearMeasures(name = undefined) {
        perf(this);
        clear('measure', name);
    }
}

for (const C of [PerformanceEntry, PerformanceMark, PerformanceMeasure,
                 Performance]) {
    webidlInterface(C);
}

constructing = true;
/** The `performance` global. */
export const performance = new Performance();
constructing = false;
