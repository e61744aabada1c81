// node:url: WHATWG classes, file URL helpers, legacy parse/format/resolve
import url, { URL as U, fileURLToPath, pathToFileURL } from 'node:url';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));

show(U === URL, url.URLSearchParams === URLSearchParams);
show(fileURLToPath('file:///tmp/a%20b/c'), fileURLToPath(new URL('file:///x')),
     pathToFileURL('/tmp/a b#c?d%e').href, pathToFileURL('/tmp/dir/').href);
for (const bad of ['http://x/y', 'file://host/x', 'file:///a%2fb', 42]) {
    try {
        fileURLToPath(bad);
    } catch (e) {
        show(e.name, e.code);
    }
}
const p = url.parse('https://user:pw@Example.COM:8080/p/a/t/h' +
                  '?query=string&a=1#hash');
show(p.protocol, p.auth, p.host, p.hostname, p.port, p.pathname, p.search,
     p.query, p.hash, p.path, p.href, p.slashes);
const q = url.parse('/x?a=1&a=2&b=%20', true);
show(q.pathname, q.query, q.host);
show(url.parse('//h/p', false, true).host, url.parse('mailto:a@b').protocol);
show(url.format({ protocol: 'http', host: 'a.com', pathname: '/x',
                  query: { a: 1, b: [2, 3] } }),
     url.format(new URL('http://a.com/b?c#d')), url.format(p));
show(url.resolve('/one/two/three', 'four'),
     url.resolve('http://example.com/', '/one'),
     url.resolve('http://example.com/one', '/two'),
     url.resolve('http://a/b/c/d;p?q', '../g'));
show(url.urlToHttpOptions(new URL('http://u:p@[::1]:81/a?b')));
