// js_access_handler: 401 without credentials, 403 with wrong ones;
// otherwise the request goes on to proxy_pass with X-User-Id set.

const tokens = new Map([
    ['alice-token', 'alice'],
    ['bob-token', 'bob'],
]);

export default function (req, res) {
    const auth = req.headers.authorization;

    if (auth === undefined) {
        // nginx's own 401 page (or error_page), with this header
        res.writeHead(401, { 'www-authenticate': 'Bearer realm="api"' });
        res.end();
        return;
    }

    const user = tokens.get(auth.replace(/^Bearer\s+/i, ''));

    if (user === undefined) {
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end('forbidden\n');
        return;
    }

    // returning without a response: nginx goes on, the upstream sees these
    req.headers['x-user-id'] = user;
    delete req.headers.authorization;
}
