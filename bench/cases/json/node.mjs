import http from 'node:http';
// the 20-field object every peer builds (the same bytes as json/expect)
function build(n) {
    const obj = {};
    for (let i = 0; i < n; i++) {
        obj[`field${i}`] = i % 3 === 0 ? i * 1000 + 7
                         : i % 3 === 1 ? `value ${i}` : i % 2 === 0;
    }
    return obj;
}

http.createServer((req, res) => {
    const q = req.url.indexOf('?');
    const params = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
    const obj = build(Number(params.get('n') ?? 20));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(obj));
}).listen(Number(process.argv[2]), '127.0.0.1', 16384);
