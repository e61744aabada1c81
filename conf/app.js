// The example app for "make run": a Node-style handler.

export default async function (req, res) {
    if (req.url === '/slow') {
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    res.setHeader('Content-Type', 'text/plain');
    res.end(`hello from V8 in nginx: ${req.method} ${req.url}\n`);
}
