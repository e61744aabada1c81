import http from 'node:http';
const port = Number(process.argv[2]), backendPort = Number(process.argv[3]);
const agent = new http.Agent({ keepAlive: true });

http.createServer((req, res) => {
    const user = req.headers['x-user'];
    if (!user) { res.writeHead(401); res.end(); return; }
    const headers = { ...req.headers, 'x-user-id': user };
    delete headers.connection;
    const up = http.request({
        host: '127.0.0.1', port: backendPort, method: req.method, agent, headers,
        path: '/backend/' + req.url.slice('/edge/'.length),
    }, (ures) => {
        const h = { ...ures.headers };
        delete h.connection; delete h['keep-alive'];
        res.writeHead(ures.statusCode, h);
        ures.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
}).listen(port, '127.0.0.1', 16384);
