// Copyright (C) nv8 contributors
//
// node:string_decoder: npm "string_decoder" (Node's own, as a package),
// vendored in internal/deps/string_decoder.

import { StringDecoder } from 'internal/deps/string_decoder';

export { StringDecoder };
export default { StringDecoder };
