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

Bun.serve({
    hostname: '127.0.0.1',
    port: Number(process.argv[2]),
    async fetch(request) {
        return Response.json(transform(await request.json()));
    },
});
