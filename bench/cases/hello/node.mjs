import http from 'node:http';
const port = Number(process.argv[2]);
http.createServer((req, res) => { res.end('hello world\n'); }).listen(port, '127.0.0.1', 16384);
