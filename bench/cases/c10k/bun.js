Bun.serve({
    hostname: '127.0.0.1',
    port: Number(process.argv[2]),
    async fetch() {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return new Response('hello world\n');
    },
});
