// js_body_filter_handler: (req, res, chunk, last) for each chunk of the
// body; return what to send instead (a string or Uint8Array), null to drop
// the chunk, undefined to send it as it is.  Content-Length is removed.
//
// A match split across two chunks is not seen; keep the tail of a chunk
// for the next call when that matters (see docs/api/edge.md).

const decoder = new TextDecoder();

export default function (req, res, chunk, last) {
    if (!(res.getHeader('content-type') ?? '').startsWith('text/')) {
        return undefined;
    }

    // stream: true keeps a UTF-8 sequence split between chunks intact
    let text = decoder.decode(chunk, { stream: !last });
    text = text.replaceAll('Example Corp', 'ACME');

    return last ? text + '<!-- filtered by nv8 -->\n' : text;
}
