// 10 MiB: the same 64 KiB chunk (1024 lines of 63 'x' and a newline) 160 times
const CHUNKS = 160;
const chunk = new TextEncoder().encode(('x'.repeat(63) + '\n').repeat(1024));

function body() {
    let i = 0;
    return new ReadableStream({
        pull(controller) {
            if (i++ < CHUNKS) controller.enqueue(chunk);
            else controller.close();
        },
    });
}

export default { fetch() { return new Response(body()); } };
