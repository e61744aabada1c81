// js_variable: (req) => string.  nginx asks for the value the first time a
// directive uses $client_kind in a request and keeps it for that request.

export default function (req) {
    const ua = req.headers['user-agent'] ?? '';

    if (ua === '') {
        return 'unknown';
    }

    if (/bot|crawler|spider/i.test(ua)) {
        return 'bot';
    }

    if (/^(curl|wget|httpie)\//i.test(ua)) {
        return 'cli';
    }

    return 'browser';
}
