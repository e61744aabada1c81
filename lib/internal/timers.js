// Copyright (C) nv8 contributors
//
// JS timers in one binary heap; the runtime arms a single uv timer for the
// earliest one (binding 'timers').  Immediates run from a uv check handle.

import { invalidArgType } from 'internal/errors';

const binding = import.meta.binding('timers');
const v8 = import.meta.binding('v8');

const TIMEOUT_MAX = 2 ** 31 - 1;

const heap = [];
const active = new Map();
let nextId = 1;
let seq = 0;
let refed = 0;
let armed = -1;

function less(a, b) {
    return a.when < b.when || (a.when === b.when && a.seq < b.seq);
}

function push(t) {
    let i = heap.length;
    heap.push(t);
    while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(heap[i], heap[p])) {
            break;
        }
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
    }
}

function pop() {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0) {
        heap[0] = last;
        let i = 0;
        for (;;) {
            const l = 2 * i + 1;
            const r = l + 1;
            let m = i;
            if (l < heap.length && less(heap[l], heap[m])) {
                m = l;
            }
            if (r < heap.length && less(heap[r], heap[m])) {
                m = r;
            }
            if (m === i) {
                break;
            }
            [heap[i], heap[m]] = [heap[m], heap[i]];
            i = m;
        }
    }
    return top;
}

function live(e) {
    return e.timer._entry === e;
}

function arm() {
    while (heap.length > 0 && !live(heap[0])) {
        pop();
    }
    if (heap.length === 0) {
        if (armed !== -1) {
            binding.schedule(-1);
            armed = -1;
        }
        return;
    }
    const when = heap[0].when;
    if (when !== armed) {
        binding.schedule(when);
        armed = when;
    }
}

function setRefed(delta) {
    const before = refed;
    refed += delta;
    if (before === 0 && refed > 0) {
        binding.ref(1);
    } else if (before > 0 && refed === 0) {
        binding.ref(0);
    }
}

/** A timer handle, as Node's Timeout. */
export class Timeout {
    constructor(cb, ms, args, repeat) {
        ms = Number(ms);
        if (!(ms >= 1 && ms <= TIMEOUT_MAX)) {
            ms = 1;
        }
        this._id = nextId++;
        this._cb = cb;
        this._args = args;
        this._ms = Math.trunc(ms);
        this._repeat = repeat;
        this._ref = true;
        this._ctx = v8.getContext();
        this._entry = null;
        active.set(this._id, this);
        setRefed(1);
        this._schedule(binding.now());
    }

    _schedule(now) {
        const e = { timer: this, when: now + this._ms, seq: seq++ };
        this._entry = e;
        push(e);
        if (heap[0] === e) {
            arm();
        }
    }

    _clear() {
        if (this._id === 0) {
            return;
        }
        if (this._ref) {
            setRefed(-1);
        }
        this._entry = null;
        active.delete(this._id);
        this._id = 0;
    }

    /** @returns {Timeout} */
    ref() {
        if (!this._ref && this._id !== 0) {
            setRefed(1);
        }
        this._ref = true;
        return this;
    }

    /** @returns {Timeout} */
    unref() {
        if (this._ref && this._id !== 0) {
            setRefed(-1);
        }
        this._ref = false;
        return this;
    }

    /** @returns {boolean} */
    hasRef() {
        return this._ref;
    }

    /** @returns {Timeout} */
    refresh() {
        if (this._id !== 0) {
            this._schedule(binding.now());
        }
        return this;
    }

    [Symbol.toPrimitive]() {
        return this._id;
    }
}

/*
 * A callback a limit stopped ends processTimers() where it is: the runtime
 * calls it again for the rest.  What the stopped call left undone is done
 * then: the timer it ran is cleared, and the uv timer, which fired, is no
 * longer armed.
 */
let running = null;

function processTimers(now) {
    if (running !== null) {
        if (running._entry === null && running._id !== 0) {
            running._clear();
        }
        running = null;
    }
    armed = -1;
    while (heap.length > 0) {
        const e = heap[0];
        if (!live(e)) {
            pop();
            continue;
        }
        if (e.when > now) {
            break;
        }
        pop();
        const t = e.timer;
        if (t._repeat) {
            t._schedule(now);
        } else {
            t._entry = null;
        }
        const saved = v8.getContext();
        v8.setContext(t._ctx);
        running = t;
        try {
            t._cb(...t._args);
        } catch (err) {
            v8.reportError(err);
        } finally {
            running = null;
            if (t._entry === null && t._id !== 0) {
                t._clear();
            }
        }
        v8.runMicrotasks();
        v8.setContext(saved);
        now = binding.now();
    }
    armed = -1;
    arm();
    return 0;
}

function check(cb) {
    if (typeof cb !== 'function') {
        throw invalidArgType('callback', 'of type function', cb);
    }
}

/**
 * @param {Function} cb
 * @param {number} [ms]
 * @param {...*} args
 * @returns {Timeout}
 */
export function setTimeout(cb, ms, ...args) {
    check(cb);
    return new Timeout(cb, ms, args, false);
}

/**
 * @param {Function} cb
 * @param {number} [ms]
 * @param {...*} args
 * @returns {Timeout}
 */
export function setInterval(cb, ms, ...args) {
    check(cb);
    return new Timeout(cb, ms, args, true);
}

/** @param {Timeout|number} t */
export function clearTimeout(t) {
    if (t instanceof Timeout) {
        t._clear();
    } else if (typeof t === 'number' || typeof t === 'string') {
        active.get(Number(t))?._clear();
    }
}

export const clearInterval = clearTimeout;

/** An immediate handle, as Node's Immediate. */
export class Immediate {
    constructor(cb, args) {
        this._cb = cb;
        this._args = args;
        this._ctx = v8.getContext();
        this._cleared = false;
    }

    ref() {
        return this;
    }

    unref() {
        return this;
    }

    hasRef() {
        return true;
    }
}

let immediates = [];

/* the batch being run, kept across a call a limit stopped (see above) */
let batch = null;
let next = 0;

function processImmediates() {
    if (batch === null) {
        batch = immediates;
        immediates = [];
        next = 0;
    }
    while (next < batch.length) {
        const im = batch[next++];
        if (im._cleared) {
            continue;
        }
        im._cleared = true;
        const saved = v8.getContext();
        v8.setContext(im._ctx);
        try {
            im._cb(...im._args);
        } catch (err) {
            v8.reportError(err);
        }
        v8.runMicrotasks();
        v8.setContext(saved);
    }
    batch = null;
    if (immediates.length === 0) {
        binding.immediate(0);
    }
}

/**
 * @param {Function} cb
 * @param {...*} args
 * @returns {Immediate}
 */
export function setImmediate(cb, ...args) {
    check(cb);
    const im = new Immediate(cb, args);
    if (immediates.length === 0) {
        binding.immediate(1);
    }
    immediates.push(im);
    return im;
}

/** @param {Immediate} im */
export function clearImmediate(im) {
    if (im instanceof Immediate) {
        im._cleared = true;
    }
}

/** @param {Function} cb */
export function queueMicrotask(cb) {
    check(cb);
    Promise.resolve().then(() => {
        try {
            cb();
        } catch (err) {
            v8.reportError(err);
        }
    });
}

export const hooks = { processTimers, processImmediates };
