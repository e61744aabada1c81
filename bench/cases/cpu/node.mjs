import http from 'node:http';
// parse -> transform -> serialise; the output is the bytes of cpu/expect
function transform(data) {
    const items = [];
    let sum = 0;
    for (const it of data.items) {
        if (!it.active) continue;
        const total = it.price * it.qty;
        sum += total;
        items.push({ id: it.id, name: it.name.toUpperCase(), tags: it.tags.length, total });
    }
    return { count: items.length, sum, items };
}

http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const out = transform(JSON.parse(Buffer.concat(chunks).toString()));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(out));
}).listen(Number(process.argv[2]), '127.0.0.1', 16384);
