// Copyright (C) nv8 contributors
//
// node:events: npm "events" (the browserify port of Node's EventEmitter,
// vendored in internal/deps/events) plus the helpers Node exports beside it.

import EventEmitter from 'internal/deps/events';
import { inspect } from 'internal/util/inspect';

/**
 * The listeners of an emitter (or EventTarget) for one event.
 * @param {EventEmitter|EventTarget} emitter
 * @param {string|symbol} name
 * @returns {Function[]}
 */
export function getEventListeners(emitter, name) {
    return typeof emitter.listeners === 'function'
        ? emitter.listeners(name) : [];
}

// an unhandled 'error' that is not an Error: Node's message and code
const emit = EventEmitter.prototype.emit;
EventEmitter.prototype.emit = function (type, er) {
    if (type === 'error' && !(er instanceof Error) &&
        this.listenerCount('error') === 0) {
        let what;
        try {
            what = inspect(er);
        } catch {
            what = String(er);
        }
        const err = new Error(`Unhandled error. (${what})`);
        err.code = 'ERR_UNHANDLED_ERROR';
        err.context = er;
        throw err;
    }
    return emit.apply(this, arguments);
};

// require('events') is the class itself, as in Node
EventEmitter.getEventListeners = getEventListeners;

export const once = EventEmitter.once;
export const listenerCount = EventEmitter.listenerCount;
export { EventEmitter };
export default EventEmitter;
