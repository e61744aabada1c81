// Copyright (C) nv8 contributors
//
// DOM Event and EventTarget, as far as they make sense without a document:
// no capture/bubble tree (a target is its own path), listener options
// capture/once/passive/signal, handleEvent objects.  A listener that throws
// is reported on the console and the dispatch goes on (the DOM's "report
// the exception").

import { console } from 'internal/console';
import { DOMException } from 'internal/web/domexception';
import { webidlInterface } from 'internal/web/webidl';

const kType = Symbol('type');
const kFlags = Symbol('flags');
const kTarget = Symbol('target');
const kCurrent = Symbol('currentTarget');
const kPhase = Symbol('eventPhase');
const kStamp = Symbol('timeStamp');
const kListeners = Symbol('listeners');

const BUBBLES = 1;
const CANCELABLE = 2;
const COMPOSED = 4;
const CANCELED = 8;
const STOP = 16;
const STOP_IMMEDIATE = 32;
const DISPATCH = 64;
const IN_PASSIVE = 128;
const TRUSTED = 256;

const origin = Date.now();

function ev(self) {
    if (self === null || typeof self !== 'object' || !(kFlags in self)) {
        throw new TypeError('Illegal invocation');
    }
    return self;
}

/** DOM Event. */
export class Event {
    /**
     * @param {string} type
     * @param {{bubbles?: boolean, cancelable?: boolean,
     *          composed?: boolean}} [init]
     */
    constructor(type, init) {
        if (arguments.length === 0) {
            throw new TypeError('Failed to construct \'Event\': 1 argument ' +
                                'required, but only 0 present.');
        }
        if (init !== undefined && init !== null && typeof init !== 'object') {
            throw new TypeError('Failed to construct \'Event\': The ' +
                                'provided value is not of type \'EventInit\'.');
        }
        this[kType] = String(type);
        this[kFlags] = (init?.bubbles ? BUBBLES : 0) |
                       (init?.cancelable ? CANCELABLE : 0) |
                       (init?.composed ? COMPOSED : 0);
        this[kTarget] = null;
        this[kCurrent] = null;
        this[kPhase] = 0;
        this[kStamp] = Date.now() - origin;
    }

    get type() { return ev(this)[kType]; }
    get target() { return ev(this)[kTarget]; }
    get srcElement() { return ev(this)[kTarget]; }
    get currentTarget() { return ev(this)[kCurrent]; }
    get eventPhase() { return ev(this)[kPhase]; }
    get bubbles() { return (ev(this)[kFlags] & BUBBLES) !== 0; }
    get cancelable() { return (ev(this)[kFlags] & CANCELABLE) !== 0; }
    get composed() { return (ev(this)[kFlags] & COMPOSED) !== 0; }
    get defaultPrevented() { return (ev(this)[kFlags] & CANCELED) !== 0; }
    get isTrusted() { return (ev(this)[kFlags] & TRUSTED) !== 0; }
    get timeStamp() { return ev(this)[kStamp]; }

    get returnValue() {
        return (ev(this)[kFlags] & CANCELED) === 0;
    }

    set returnValue(v) {
        if (!v) {
            this.preventDefault();
        }
    }

    get cancelBubble() {
        return (ev(this)[kFlags] & STOP) !== 0;
    }

    set cancelBubble(v) {
        if (v) {
            this.stopPropagation();
        }
    }

    /** @returns {EventTarget[]} */
    composedPath() {
        return (ev(this)[kFlags] & DISPATCH) && this[kCurrent]
               ? [this[kCurrent]] : [];
    }

    stopPropagation() {
        ev(this)[kFlags] |= STOP;
    }

    stopImmediatePropagation() {
        ev(this)[kFlags] |= STOP | STOP_IMMEDIATE;
    }

    preventDefault() {
        const f = ev(this)[kFlags];
        if ((f & CANCELABLE) && !(f & IN_PASSIVE)) {
            this[kFlags] = f | CANCELED;
        }
    }

    initEvent(type, bubbles = false, cancelable = false) {
        if (ev(this)[kFlags] & DISPATCH) {
            return;
        }
        this[kType] = String(type);
        this[kFlags] = (bubbles ? BUBBLES : 0) |
                       (cancelable ? CANCELABLE : 0);
        this[kTarget] = null;
    }
}

const phases = ['NONE', 'CAPTURING_PHASE', 'AT_TARGET', 'BUBBLING_PHASE'];
for (let i = 0; i < phases.length; i++) {
    const d = { value: i, enumerable: true };
    Object.defineProperty(Event, phases[i], d);
    Object.defineProperty(Event.prototype, phases[i], d);
}
webidlInterface(Event);

/**
 * Marks an event as dispatched by the platform (isTrusted).
 * @param {Event} event
 * @returns {Event}
 */
export function trusted(event) {
    event[kFlags] |= TRUSTED;
    return event;
}

function flatten(options) {
    if (typeof options === 'boolean') {
        return { capture: options, once: false, passive: false,
                 signal: undefined };
    }
    if (options === null || typeof options !== 'object') {
        return { capture: false, once: false, passive: false,
                 signal: undefined };
    }
    return {
        capture: Boolean(options.capture),
        once: Boolean(options.once),
        passive: Boolean(options.passive),
        signal: options.signal,
    };
}

function et(self) {
    if (self === null || typeof self !== 'object' || !(kListeners in self)) {
        throw new TypeError('Illegal invocation');
    }
    return self;
}

/** DOM EventTarget. */
export class EventTarget {
    constructor() {
        this[kListeners] = new Map();
    }

    /**
     * @param {string} type
     * @param {Function|{handleEvent: Function}|null} callback
     * @param {boolean|{capture?: boolean, once?: boolean,
     *                  passive?: boolean, signal?: AbortSignal}} [options]
     */
    addEventListener(type, callback, options) {
        et(this);
        if (arguments.length < 2) {
            throw new TypeError('Failed to execute \'addEventListener\' on ' +
                                '\'EventTarget\': 2 arguments required.');
        }
        const o = flatten(options);
        if (o.signal !== undefined && !isSignal(o.signal)) {
            throw new TypeError('Failed to execute \'addEventListener\' on ' +
                                '\'EventTarget\': member signal is not of ' +
                                'type AbortSignal.');
        }
        if (callback === null || callback === undefined) {
            return;
        }
        if (typeof callback !== 'function' && typeof callback !== 'object') {
            throw new TypeError('The "callback" argument must be an object ' +
                                'or a function');
        }
        if (o.signal?.aborted) {
            return;
        }
        type = String(type);
        let list = this[kListeners].get(type);
        if (list === undefined) {
            list = [];
            this[kListeners].set(type, list);
        }
        for (const l of list) {
            if (l.callback === callback && l.capture === o.capture) {
                return;
            }
        }
        const l = {
            callback, capture: o.capture, once: o.once, passive: o.passive,
            removed: false,
        };
        list.push(l);
        if (o.signal !== undefined) {
            o.signal.addEventListener('abort', () => {
                this.removeEventListener(type, callback, o.capture);
            }, { once: true });
        }
    }

    /**
     * @param {string} type
     * @param {Function|object|null} callback
     * @param {boolean|{capture?: boolean}} [options]
     */
    removeEventListener(type, callback, options) {
        et(this);
        const capture = flatten(options).capture;
        const list = this[kListeners].get(String(type));
        if (list === undefined) {
            return;
        }
        for (let i = 0; i < list.length; i++) {
            const l = list[i];
            if (l.callback === callback && l.capture === capture) {
                l.removed = true;
                list.splice(i, 1);
                return;
            }
        }
    }

    /**
     * @param {Event} event
     * @returns {boolean} false if a listener cancelled the event
     */
    dispatchEvent(event) {
        et(this);
        if (event === null || typeof event !== 'object' ||
            !(kFlags in event)) {
            throw new TypeError('Failed to execute \'dispatchEvent\' on ' +
                                '\'EventTarget\': parameter 1 is not of ' +
                                'type \'Event\'.');
        }
        if (event[kFlags] & DISPATCH) {
            throw new DOMException('The event is already being ' +
                                   'dispatched.', 'InvalidStateError');
        }
        event[kFlags] = (event[kFlags] | DISPATCH) & ~(STOP | STOP_IMMEDIATE);
        event[kTarget] = this;
        event[kCurrent] = this;
        event[kPhase] = 2;
        const list = this[kListeners].get(event[kType]);
        if (list !== undefined) {
            // capture listeners first, as at a target with no tree
            const snapshot = list.slice();
            for (const pass of [true, false]) {
                for (const l of snapshot) {
                    if (l.capture !== pass || l.removed) {
                        continue;
                    }
                    if (event[kFlags] & STOP_IMMEDIATE) {
                        break;
                    }
                    invoke(this, list, l, event);
                }
            }
        }
        event[kFlags] &= ~(DISPATCH | STOP | STOP_IMMEDIATE);
        event[kCurrent] = null;
        event[kPhase] = 0;
        return (event[kFlags] & CANCELED) === 0;
    }
}

webidlInterface(EventTarget);

function invoke(target, list, l, event) {
    if (l.once) {
        target.removeEventListener(event[kType], l.callback, l.capture);
    }
    if (l.passive) {
        event[kFlags] |= IN_PASSIVE;
    }
    try {
        const cb = l.callback;
        if (typeof cb === 'function') {
            cb.call(target, event);
        } else {
            const h = cb.handleEvent;
            if (typeof h !== 'function') {
                throw new TypeError('\'handleEvent\' property of event ' +
                                    'listener should be a function');
            }
            h.call(cb, event);
        }
    } catch (err) {
        console.error('Uncaught', err);
    }
    event[kFlags] &= ~IN_PASSIVE;
}

function isSignal(v) {
    return v !== null && typeof v === 'object' && 'aborted' in v &&
           typeof v.addEventListener === 'function';
}

/**
 * Defines an on<type> event handler attribute on a prototype.
 * @param {object} proto
 * @param {string} type
 */
export function defineEventHandler(proto, type) {
    const key = Symbol(`on${type}`);
    Object.defineProperty(proto, `on${type}`, {
        get() {
            return this[key]?.handler ?? null;
        },
        set(v) {
            let h = this[key];
            if (h === undefined) {
                h = { handler: null };
                h.listener = (event) => {
                    if (typeof h.handler === 'function') {
                        return h.handler.call(this, event);
                    }
                };
                this[key] = h;
            }
            const on = typeof v === 'function' ||
                       (v !== null && typeof v === 'object');
            if (on && h.handler === null) {
                this.addEventListener(type, h.listener);
            } else if (!on && h.handler !== null) {
                this.removeEventListener(type, h.listener);
            }
            h.handler = on ? v : null;
        },
        enumerable: true,
        configurable: true,
    });
}
