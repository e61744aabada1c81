// Copyright (C) nv8 contributors
//
// node:events: the EventEmitter core (on/once/off/emit and friends).

/** Node's EventEmitter, the commonly used part. */
export class EventEmitter {
    constructor() {
        // made on the first listener: most emitters (a request's req and
        // res) never get one
        this._events = null;
    }

    /**
     * @param {string|symbol} name
     * @param {Function} fn
     * @returns {this}
     */
    on(name, fn) {
        if (typeof fn !== 'function') {
            const err = new TypeError('The "listener" argument must be of ' +
                                      'type function');
            err.code = 'ERR_INVALID_ARG_TYPE';
            throw err;
        }
        this._events ??= new Map();
        const list = this._events.get(name);
        if (list) {
            list.push(fn);
        } else {
            this._events.set(name, [fn]);
        }
        return this;
    }

    /**
     * @param {string|symbol} name
     * @param {Function} fn
     * @returns {this}
     */
    once(name, fn) {
        const wrapped = (...args) => {
            this.off(name, wrapped);
            return fn.apply(this, args);
        };
        wrapped.listener = fn;
        return this.on(name, wrapped);
    }

    /**
     * @param {string|symbol} name
     * @param {Function} fn
     * @returns {this}
     */
    off(name, fn) {
        const list = this._events?.get(name);
        if (list) {
            const i = list.findIndex((f) => f === fn || f.listener === fn);
            if (i !== -1) {
                list.splice(i, 1);
            }
            if (list.length === 0) {
                this._events.delete(name);
            }
        }
        return this;
    }

    /**
     * @param {string|symbol} name
     * @param {...*} args
     * @returns {boolean} whether there were listeners
     */
    emit(name, ...args) {
        const list = this._events?.get(name);
        if (!list) {
            if (name === 'error') {
                throw args[0] instanceof Error ? args[0]
                                               : new Error(String(args[0]));
            }
            return false;
        }
        for (const fn of [...list]) {
            fn.apply(this, args);
        }
        return true;
    }

    /**
     * @param {string|symbol} [name]
     * @returns {this}
     */
    removeAllListeners(name) {
        if (name === undefined) {
            this._events?.clear();
        } else {
            this._events?.delete(name);
        }
        return this;
    }

    /**
     * @param {string|symbol} name
     * @returns {number}
     */
    listenerCount(name) {
        return this._events?.get(name)?.length ?? 0;
    }

    /**
     * @param {string|symbol} name
     * @returns {Function[]}
     */
    listeners(name) {
        return (this._events?.get(name) ?? []).map((f) => f.listener ?? f);
    }
}

EventEmitter.prototype.addListener = EventEmitter.prototype.on;
EventEmitter.prototype.removeListener = EventEmitter.prototype.off;

// require('events') is the class itself, as in Node
EventEmitter.EventEmitter = EventEmitter;

export default EventEmitter;
