import http from 'node:http';
http.createServer(async (req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    res.end('hello world\n');
}).listen(Number(process.argv[2]), '127.0.0.1', 16384);
