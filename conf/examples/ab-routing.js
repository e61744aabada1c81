// js_rewrite_handler: the "ab" cookie decides the upstream; a visitor
// without one is assigned a variant at random and gets the cookie.

export default function (req, res) {
    const m = /(?:^|;\s*)ab=([ab])(?:;|$)/.exec(req.headers.cookie ?? '');
    let variant = m?.[1];

    if (variant === undefined) {
        variant = Math.random() < 0.5 ? 'a' : 'b';
        req.variables.ab_cookie = `ab=${variant}; Path=/; Max-Age=2592000`;
    }

    req.variables.backend = variant === 'b' ? 'variant_b' : 'variant_a';
}
