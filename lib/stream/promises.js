// Copyright (C) nv8 contributors
//
// node:stream/promises: pipeline() and finished() returning promises.

import Stream from 'internal/deps/stream';

export const { pipeline, finished } = Stream.promises;
export default Stream.promises;
