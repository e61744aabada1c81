import http from 'node:http';
// 10 MiB: the same 64 KiB chunk (1024 lines of 63 'x' and a newline) 160 times
const CHUNKS = 160;
const chunk = Buffer.from(('x'.repeat(63) + '\n').repeat(1024));

function send(res) {
    let i = 0;
    const more = () => {
        while (i < CHUNKS) {
            i++;
            if (!res.write(chunk)) { res.once('drain', more); return; }
        }
        res.end();
    };
    more();
}

http.createServer((req, res) => { send(res); }).listen(Number(process.argv[2]), '127.0.0.1', 16384);
