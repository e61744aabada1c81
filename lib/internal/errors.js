// Copyright (C) nv8 contributors
//
// Errors with Node's stable codes.

const fs = import.meta.binding('fs');

/**
 * A TypeError with code ERR_INVALID_ARG_TYPE, as Node throws it.
 * @param {string} name argument name
 * @param {string} expected what was expected
 * @param {*} actual the value received
 * @returns {TypeError}
 */
export function invalidArgType(name, expected, actual) {
    const err = new TypeError(`The "${name}" argument must be ${expected}.` +
                              ` Received ${describeReceived(actual)}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    return err;
}

/**
 * An Error for a failed system call, as Node's uvException builds it.
 * @param {number} errno negative libuv error number
 * @param {string} syscall the failed call
 * @param {string} [path]
 * @param {string} [dest] the second path (rename, link, copyfile, ...)
 * @returns {Error}
 */
export function uvException(errno, syscall, path, dest) {
    const code = fs.errname(errno);
    let msg = `${code}: ${fs.strerror(errno)}, ${syscall}`;
    if (path !== undefined) {
        msg += ` '${path}'`;
    }
    if (dest !== undefined) {
        msg += ` -> '${dest}'`;
    }
    const err = new Error(msg);
    err.errno = errno;
    err.code = code;
    err.syscall = syscall;
    if (path !== undefined) {
        err.path = path;
    }
    if (dest !== undefined) {
        err.dest = dest;
    }
    return err;
}

/**
 * What Node's messages say after "Received": the value's type and, for a
 * primitive, the value (strings quoted, cut at 25 characters).
 * @param {*} v
 * @returns {string}
 */
export function describeReceived(v) {
    if (v === null || v === undefined) {
        return String(v);
    }
    switch (typeof v) {
    case 'function':
        return `function ${v.name}`;
    case 'object':
        return v.constructor?.name
            ? `an instance of ${v.constructor.name}`
            : '[Object: null prototype]';
    case 'string': {
        const s = v.length > 28 ? `${v.slice(0, 25)}...` : v;
        return `type string (${s.includes("'") ? JSON.stringify(s)
                                               : `'${s}'`})`;
    }
    case 'number':
        return `type number (${Object.is(v, -0) ? '-0' : String(v)})`;
    case 'bigint':
        return `type bigint (${v}n)`;
    default:
        return `type ${typeof v} (${String(v)})`;
    }
}

/**
 * An error with a stable Node code, as Node's internal/errors builds them.
 * @param {Function} Base Error, TypeError, ...
 * @param {string} code e.g. 'ERR_MODULE_NOT_FOUND'
 * @param {string} message
 * @returns {Error}
 */
export function codedError(Base, code, message) {
    const err = new Base(message);
    err.code = code;
    return err;
}
