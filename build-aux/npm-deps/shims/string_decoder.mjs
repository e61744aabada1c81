// Copyright (C) nv8 contributors
//
// Stands in for the npm "string_decoder" package inside a bundle.

export { StringDecoder } from 'node:string_decoder';
