// js_header_filter_handler: runs on the final response of any location,
// synchronously, before the headers are sent.

export default function (req, res) {
    res.setHeader('Strict-Transport-Security', 'max-age=63072000');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');

    if ((res.getHeader('content-type') ?? '').startsWith('text/html')) {
        res.setHeader('Content-Security-Policy', "default-src 'self'");
    }

    // do not tell the world what runs behind
    res.removeHeader('X-Powered-By');
}
