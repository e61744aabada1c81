// js_rewrite_handler: setting req.url acts as "rewrite ... last" (the
// location is found again for the new URI); req.redirect() makes an
// internal redirect to a URI or a named location.

export default function (req, res) {
    const url = new URL(req.url, 'http://localhost');

    if (url.pathname.startsWith('/users/')) {
        url.searchParams.set('src', 'edge');
        req.url = '/api/v2' + url.pathname + url.search;
        return;
    }

    if (url.pathname.startsWith('/legacy/')) {
        req.redirect('@gone');
    }
}
