// the 20-field object every peer builds (the same bytes as json/expect)
function build(n) {
    const obj = {};
    for (let i = 0; i < n; i++) {
        obj[`field${i}`] = i % 3 === 0 ? i * 1000 + 7
                         : i % 3 === 1 ? `value ${i}` : i % 2 === 0;
    }
    return obj;
}

Bun.serve({
    hostname: '127.0.0.1',
    port: Number(process.argv[2]),
    fetch(request) {
        const n = new URL(request.url).searchParams.get('n') ?? 20;
        return Response.json(build(Number(n)));
    },
});
