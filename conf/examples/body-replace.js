// js_body_filter_handler: (req, res, chunk, last) for each chunk of the
// body; return what to send instead (a string or Uint8Array), null to drop
// the chunk, undefined to send it as it is.  Content-Length is removed.
//
// Chunks split the body anywhere: in the middle of the text to replace, or
// of a UTF-8 character.  So each request keeps the bytes of an incomplete
// character and the end of its text (where a match may begin) for the next
// call.  The state lives in a WeakMap keyed by req: every call of one
// request gets the same req.

const FROM = 'Example Corp';
const TO = 'ACME';

const state = new WeakMap();
const decoder = new TextDecoder();

// bytes at the end of "b" that begin a UTF-8 character "b" does not complete
function incomplete(b) {
    for (let i = 1; i <= 3 && i <= b.length; i++) {
        const c = b[b.length - i];
        if ((c & 0xc0) !== 0x80) {
            const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            return need > i ? i : 0;
        }
    }
    return 0;
}

export default function (req, res, chunk, last) {
    if (!(res.getHeader('content-type') ?? '').startsWith('text/')) {
        return undefined;
    }

    let s = state.get(req);
    if (s === undefined) {
        s = { carry: new Uint8Array(0), tail: '' };
        state.set(req, s);
    }

    const bytes = new Uint8Array(s.carry.length + chunk.length);
    bytes.set(s.carry);
    bytes.set(chunk, s.carry.length);

    const n = last ? 0 : incomplete(bytes);
    s.carry = bytes.slice(bytes.length - n);

    let text = s.tail + decoder.decode(bytes.subarray(0, bytes.length - n));
    text = text.replaceAll(FROM, TO);

    // hold back what could be the start of a match cut by the chunk's end
    const keep = last ? 0 : Math.min(text.length, FROM.length - 1);
    s.tail = text.slice(text.length - keep);
    text = text.slice(0, text.length - keep);

    return last ? text + '<!-- filtered by nv8 -->\n' : text;
}
