// Copyright (C) nv8 contributors
//
// Stands in for npm "qs" inside the url bundle: url only calls parse(str)
// and stringify(obj, { arrayFormat: 'repeat' }), which is what
// node:querystring does (its second argument is a separator, so it is not
// passed on).

import * as querystring from 'node:querystring';

/**
 * @param {string} str
 * @returns {object}
 */
export function parse(str) {
    return querystring.parse(str);
}

/**
 * @param {object} obj
 * @returns {string}
 */
export function stringify(obj) {
    return querystring.stringify(obj);
}
