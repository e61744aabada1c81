// Copyright (C) nv8 contributors
//
// node:string_decoder: npm "string_decoder" (Node's own, as a package),
// vendored in internal/deps/string_decoder.  The package throws a plain
// Error for an unknown encoding; Node throws a TypeError with code
// ERR_UNKNOWN_ENCODING, which callers (Readable#setEncoding,
// IncomingMessage#setEncoding) and user code test for.

import { StringDecoder as Decoder } from 'internal/deps/string_decoder';
import { codedError } from 'internal/errors';

export class StringDecoder extends Decoder {
    constructor(encoding) {
        try {
            super(encoding);
        } catch (e) {
            if (e instanceof Error && !e.code &&
                String(e.message).startsWith('Unknown encoding: ')) {
                throw codedError(TypeError, 'ERR_UNKNOWN_ENCODING', e.message);
            }
            throw e;
        }
    }
}

export default { StringDecoder };
