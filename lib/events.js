// Copyright (C) nv8 contributors
//
// node:events: npm "events" (the browserify port of Node's EventEmitter,
// vendored in internal/deps/events) plus the helpers Node exports beside it.

import EventEmitter from 'internal/deps/events';

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

// require('events') is the class itself, as in Node
EventEmitter.getEventListeners = getEventListeners;

export const once = EventEmitter.once;
export const listenerCount = EventEmitter.listenerCount;
export { EventEmitter };
export default EventEmitter;
