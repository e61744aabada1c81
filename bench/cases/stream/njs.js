// njs 0.7.9 has no back-pressure in r.send(): nginx keeps what the client
// has not read yet in memory.
const CHUNKS = 160;
const chunk = ('x'.repeat(63) + '\n').repeat(1024);

function stream(r) {
    r.status = 200;
    r.sendHeader();
    for (let i = 0; i < CHUNKS; i++) r.send(chunk);
    r.finish();
}

export default { stream };
