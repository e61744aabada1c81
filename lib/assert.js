// Copyright (C) nv8 contributors
//
// node:assert: npm "assert" 2 (Node's assert, as a package), vendored in
// internal/deps/assert with its own copy of npm "util" for messages.

import assert from 'internal/deps/assert';

export const {
    AssertionError, deepEqual, deepStrictEqual, doesNotMatch,
    doesNotReject, doesNotThrow, equal, fail, ifError, match, notDeepEqual,
    notDeepStrictEqual, notEqual, notStrictEqual, ok, rejects, strict,
    strictEqual, throws,
} = assert;
export default assert;
