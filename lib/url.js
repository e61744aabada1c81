// Copyright (C) nv8 contributors
//
// node:url: the WHATWG URL classes nv8 has as globals, file URL helpers,
// and the legacy parse/format/resolve from npm "url" (vendored in
// internal/deps/url; its query strings go through node:querystring).

import * as legacy from 'internal/deps/url';
import { URL, URLSearchParams } from 'internal/web/url';
import { codedError, invalidArgType } from 'internal/errors';
import { resolve as resolvePath } from 'path';

/**
 * The absolute path a file: URL names.
 * @param {string|URL} url
 * @returns {string}
 */
export function fileURLToPath(url) {
    if (typeof url === 'string') {
        url = new URL(url);
    } else if (!(url instanceof URL)) {
        throw invalidArgType('path', 'of type string or an instance of URL',
                             url);
    }
    if (url.protocol !== 'file:') {
        throw codedError(TypeError, 'ERR_INVALID_URL_SCHEME',
                         'The URL must be of scheme file');
    }
    if (url.hostname !== '') {
        throw codedError(TypeError, 'ERR_INVALID_FILE_URL_HOST',
                         'File URL host must be "localhost" or empty on ' +
                         'linux');
    }
    const pathname = url.pathname;
    if (/%2f/i.test(pathname)) {
        throw codedError(TypeError, 'ERR_INVALID_FILE_URL_PATH',
                         'File URL path must not include encoded / ' +
                         'characters');
    }
    return decodeURIComponent(pathname);
}

/**
 * The file: URL of a path, resolved against the working directory.
 * @param {string} filepath
 * @returns {URL}
 */
export function pathToFileURL(filepath) {
    if (typeof filepath !== 'string') {
        throw invalidArgType('path', 'of type string', filepath);
    }
    let resolved = resolvePath(filepath);
    if (filepath.endsWith('/') && !resolved.endsWith('/')) {
        resolved += '/';
    }
    const url = new URL('file://');
    url.pathname = resolved.replace(/%/g, '%25').replace(/\\/g, '%5C')
        .replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/\t/g, '%09')
        .replace(/\?/g, '%3F').replace(/#/g, '%23');
    return url;
}

/**
 * Legacy url.format(); a URL object formats as its href.
 * @param {string|object|URL} obj
 * @returns {string}
 */
export function format(obj) {
    if (obj instanceof URL) {
        return obj.href;
    }
    return legacy.format(obj);
}

/**
 * An object with the parts of a URL for http.request()-style options.
 * @param {URL} url
 * @returns {object}
 */
export function urlToHttpOptions(url) {
    const options = {
        protocol: url.protocol,
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1)
                                               : url.hostname,
        hash: url.hash,
        search: url.search,
        pathname: url.pathname,
        path: `${url.pathname || ''}${url.search || ''}`,
        href: url.href,
    };
    if (url.port !== '') {
        options.port = Number(url.port);
    }
    if (url.username || url.password) {
        options.auth = `${decodeURIComponent(url.username)}:` +
                       `${decodeURIComponent(url.password)}`;
    }
    return options;
}

export const { parse, resolve, resolveObject, Url } = legacy;
export { URL, URLSearchParams };
export default {
    URL, URLSearchParams, fileURLToPath, pathToFileURL, format, parse,
    resolve, resolveObject, Url, urlToHttpOptions,
};
