// Copyright (C) nv8 contributors
//
// Stands in for the npm "buffer" package inside a bundle: the bundle uses
// nv8's node:buffer, so there is one Buffer class, not one per bundle.

export {
    Buffer, SlowBuffer, kMaxLength, INSPECT_MAX_BYTES,
} from 'node:buffer';
