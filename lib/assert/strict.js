// Copyright (C) nv8 contributors
//
// node:assert/strict: assert in strict mode (equal is strictEqual, ...).

import assert from 'assert';

const strict = assert.strict;

export const {
    AssertionError, deepEqual, deepStrictEqual, doesNotMatch,
    doesNotReject, doesNotThrow, equal, fail, ifError, match, notDeepEqual,
    notDeepStrictEqual, notEqual, notStrictEqual, ok, rejects, strictEqual,
    throws,
} = strict;
export { strict };
export default strict;
