const backendPort = Number(process.argv[3]);

Bun.serve({
    hostname: '127.0.0.1',
    port: Number(process.argv[2]),
    async fetch(request) {
        const user = request.headers.get('x-user');
        if (!user) return new Response(null, { status: 401 });
        const url = new URL(request.url);
        const headers = new Headers(request.headers);
        headers.set('x-user-id', user);
        // fetch() keeps connections to the backend alive by default
        return fetch(`http://127.0.0.1:${backendPort}/backend/${url.pathname.slice('/edge/'.length)}${url.search}`,
                     { method: request.method, headers });
    },
});
