// Copyright (C) nv8 contributors
//
// node:stream: npm "readable-stream" 4 (Node's streams, as a package),
// vendored in internal/deps/stream.  Its Buffer, EventEmitter, process and
// StringDecoder are nv8's node: builtins.

import Stream from 'internal/deps/stream';

export const {
    Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished,
    addAbortSignal, compose, destroy, isDisturbed, isErrored, isReadable,
    promises,
} = Stream;
export { Stream };
export default Stream;
