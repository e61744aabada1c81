// Copyright (C) nv8 contributors
//
// Fetch-style handlers, as on Cloudflare Workers, Deno and Bun:
// `export default { fetch(request, ctx) { return new Response(...) } }`.
// The request is a WHATWG Request over what nginx received, its body a
// ReadableStream pulled from nginx one chunk at a time; the Response goes
// back through the same host binding as Node-style responses, in one call
// when its body is in memory, streamed with back-pressure otherwise.

import * as http from 'internal/http';
import { AbortController } from 'internal/web/abort';
import { DOMException } from 'internal/web/domexception';
import { newServerRequest, responseParts } from 'internal/web/fetch';
import { ReadableStream } from 'internal/web/streams';
import { URL } from 'internal/web/url';

const v8 = import.meta.binding('v8');

function bodyError(err) {
    return Array.isArray(err) ? new Error(String(err[1])) : err;
}

/** the request body as a stream that reads nothing until asked */
function bodyStream(id) {
    return new ReadableStream({
        pull(controller) {
            return http.readBody(id).then((chunk) => {
                if (chunk.length === 0) {
                    controller.close();
                } else {
                    controller.enqueue(chunk);
                }
            }, (err) => controller.error(bodyError(err)));
        },
    }, { highWaterMark: 0 });
}

/** the second argument of fetch(): Workers' ExecutionContext */
class ExecutionContext {
    constructor() {
        this._pending = null;
    }

    /**
     * Keeps a promise's failure from going unnoticed after the response:
     * the work runs on like any promise, and a rejection is logged with
     * the request it came from.
     * @param {Promise<*>} promise
     */
    waitUntil(promise) {
        Promise.resolve(promise).then(undefined, (err) => {
            v8.reportError(err);
        });
    }

    /** Accepted for compatibility: nginx has no origin to fall back to. */
    passThroughOnException() {}
}

function clientClosed() {
    return new DOMException('The client closed the connection', 'AbortError');
}

function fail(id, err) {
    http.binding().fail(id, v8.formatError(err));
}

/** resolves true on 'drain', false when the request is gone */
function drained(id) {
    return new Promise((resolve) => {
        const ok = http.watchRequest(id, {
            onDrain: () => resolve(true),
            onClose: () => resolve(false),
        });
        if (!ok) {
            resolve(false);
        }
    });
}

/*
 * The head goes out with the first chunk (nginx would hold it back until
 * then anyway): a stream that fails before yielding anything gets a 500,
 * not a closed connection with nothing on it.
 */
async function pump(id, stream, head) {
    const binding = http.binding();
    const reader = stream.getReader();
    try {
        for (;;) {
            const { value, done } = await reader.read();
            if (head !== null) {
                const h = head;
                head = null;
                if (!h()) {
                    reader.cancel().then(undefined, () => {});
                    return;
                }
            }
            if (done) {
                binding.write(id, '', 1);
                return;
            }
            if (!ArrayBuffer.isView(value)) {
                throw new TypeError('A response body stream must yield ' +
                                    'Uint8Array chunks (got ' +
                                    `${typeof value})`);
            }
            if (!binding.write(id, value, 0) && !(await drained(id))) {
                // the client went away
                reader.cancel().then(undefined, () => {});
                return;
            }
        }
    } catch (err) {
        reader.cancel(err).then(undefined, () => {});
        fail(id, err);
    }
}

/**
 * Sends a handler's Response.
 * @returns {boolean} true if the response was completed now
 */
function send(id, response) {
    let parts;
    try {
        parts = responseParts(response);
    } catch (err) {
        fail(id, err);
        return true;
    }
    const { status, statusText, headers, body, length } = parts;
    const binding = http.binding();
    if (body === null || typeof body === 'string' ||
        body instanceof Uint8Array) {
        binding.respond(id, status, headers, body ?? '', statusText);
        return true;
    }
    if (length >= 0) {
        headers.push('content-length', String(length));
    }
    pump(id, body, () => binding.head(id, status, headers, statusText));
    return false;
}

function dispatch(id, h, method, url, version, hasBody) {
    const binding = http.binding();
    const [scheme, host, server] = binding.origin(id);
    // checked when request.url is first read: parsing it costs more than
    // the rest of a small handler's request, and many never read it
    const href = () => {
        const u = `${scheme}://${host}${url}`;
        // a Host header nginx accepts but WHATWG URL does not ("a|b")
        return URL.canParse(u) ? u : `${scheme}://${server}${url}`;
    };
    // request.signal is made when first read (few handlers do): an abort
    // that comes first is kept for it
    let controller = null;
    let aborted = false;
    http.watchRequest(id, {
        onAbort: () => {
            aborted = true;
            controller?.abort(clientClosed());
        },
    });
    const signal = () => {
        controller = new AbortController();
        if (aborted) {
            controller.abort(clientClosed());
        }
        return controller.signal;
    };
    const ctx = new ExecutionContext();
    let r;
    try {
        const request = newServerRequest(method, href, binding.headers(id),
                                         hasBody ? bodyStream(id) : null,
                                         signal);
        // (request, ctx), and ctx third too, where Workers puts it
        r = h.fn.call(h.obj, request, ctx, ctx);
    } catch (err) {
        fail(id, err);
        return 1;
    }
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
        r.then((response) => send(id, response), (err) => fail(id, err));
        return 0;
    }
    return send(id, r) ? 1 : 0;
}

http.setFetchDispatcher(() => dispatch);
