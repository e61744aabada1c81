// Copyright (C) nv8 contributors
//
// The handlers the fuzzer drives (see README.md).  They touch every part of
// the request bridge with values taken from the input (method, URL,
// headers, body) and send values derived from the input back through the
// response bridge (status, header names and values, body).  Errors JS is
// expected to throw on hostile values (a TypeError for a CR in a header
// value) are caught, so the log shows what is not expected.

const echoName = (h) => String(h['x-name'] ?? 'x-echo');

function pick(req) {
    const out = {
        method: req.method,
        url: req.url,
        version: req.httpVersion,
        headers: req.headers,
        raw: req.rawHeaders.length,
        addr: req.socket.remoteAddress,
    };
    return out;
}

function tryHeader(res, name, value) {
    try {
        res.setHeader(name, value);
    } catch (e) {
        if (!(e instanceof TypeError)) {
            throw e;
        }
    }
}

export default async function node(req, res) {
    const info = pick(req);
    let size = 0;
    if (req.headers['x-encoding']) {
        try {
            req.setEncoding(req.headers['x-encoding']);
        } catch (e) {
            if (e.code !== 'ERR_UNKNOWN_ENCODING') throw e;
        }
    }
    for await (const chunk of req) {
        size += chunk.length;
    }
    info.size = size;
    const status = Number(req.headers['x-status'] ?? 200);
    tryHeader(res, echoName(req.headers), req.headers['x-value'] ?? 'v');
    tryHeader(res, 'x-url', req.url);
    if (req.headers['x-multi']) {
        tryHeader(res, 'set-cookie', req.headers['x-multi'].split(','));
    }
    try {
        res.writeHead(status, req.headers['x-message']);
    } catch (e) {
        if (e.code !== 'ERR_HTTP_INVALID_STATUS_CODE' && !(e instanceof TypeError)) {
            throw e;
        }
        res.writeHead(400);
    }
    if (req.headers['x-chunks']) {
        for (const part of String(req.headers['x-chunks']).split(',')) {
            res.write(part);
        }
    }
    res.end(JSON.stringify(info));
}

export const fetchy = {
    async fetch(request) {
        const url = new URL(request.url);
        const headers = new Headers();
        for (const [k, v] of request.headers) {
            try {
                headers.append('x-in-' + k, v);
            } catch (e) {
                if (!(e instanceof TypeError)) throw e;
            }
        }
        let body = '';
        if (request.method !== 'GET' && request.method !== 'HEAD') {
            body = await request.text();
        }
        const form = url.searchParams.get('form');
        if (form !== null) {
            try {
                await new Response(body, {
                    headers: { 'content-type': request.headers.get('content-type') ?? '' },
                }).formData();
            } catch (e) {
                if (!(e instanceof TypeError)) throw e;
            }
        }
        const status = Number(url.searchParams.get('status') ?? 200);
        let init;
        try {
            init = new Response(null, { status, headers });
        } catch (e) {
            if (!(e instanceof RangeError) && !(e instanceof TypeError)) throw e;
            init = null;
        }
        if (url.searchParams.has('json')) {
            return Response.json({ path: url.pathname, q: [...url.searchParams], n: body.length });
        }
        if (url.searchParams.has('stream')) {
            const parts = body.split('\n');
            return new Response(new ReadableStream({
                pull(c) {
                    if (parts.length === 0) { c.close(); return; }
                    c.enqueue(new TextEncoder().encode(parts.shift()));
                },
            }), { headers: init ? init.headers : undefined });
        }
        return new Response(init && status >= 200 && status !== 204 && status !== 304 ? body : null,
                            init ? { status, headers } : { status: 400 });
    },
};

// rewrite phase: the input chooses the new URL and a header to set
export function rewrite(req, res) {
    const to = req.headers['x-rewrite'];
    if (to !== undefined) {
        try {
            req.url = to;
        } catch (e) {
            if (!(e instanceof TypeError)) throw e;
        }
    }
    const name = req.headers['x-set'];
    if (name !== undefined) {
        try {
            req.headers[name] = req.headers['x-value'] ?? '';
        } catch (e) {
            if (!(e instanceof TypeError)) throw e;
        }
    }
    if (req.headers['x-drop'] !== undefined) {
        delete req.headers[String(req.headers['x-drop'])];
    }
}

// access phase: async, may deny
export async function access(req, res) {
    await null;
    if (req.headers['x-deny'] !== undefined) {
        res.writeHead(403);
        res.end();
        return;
    }
    try {
        req.variables.fuzz_var = String(req.headers['x-var'] ?? '');
    } catch (e) {
        if (!(e instanceof TypeError)) throw e;
    }
}

export function headers(req, res) {
    tryHeader(res, 'x-filtered', String(res.statusCode));
    const v = req.headers['x-header-filter'];
    if (v !== undefined) {
        tryHeader(res, 'x-hf', v);
    }
}

export function body(req, res, chunk, last) {
    const mode = req.headers['x-body-filter'];
    if (mode === 'drop') return null;
    if (mode === 'upper') return chunk.toString('latin1').toUpperCase();
    return last ? Buffer.concat([chunk, Buffer.from('\n')]) : chunk;
}

export function variable(req) {
    return req.headers['x-var'] ?? req.url;
}

export async function sub(req, res) {
    const to = req.headers['x-sub'] ?? '/node' + req.url;
    let r;
    try {
        r = await req.subrequest(to, { method: req.method === 'POST' ? 'POST' : 'GET' });
    } catch (e) {
        if (!(e instanceof TypeError) && !(e instanceof RangeError)) throw e;
        res.writeHead(400);
        res.end();
        return;
    }
    const text = await r.text();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(r.status + ' ' + text.length);
}
