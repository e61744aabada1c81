// Copyright (C) nv8 contributors
//
// URL and URLSearchParams: the WHATWG reference implementation (whatwg-url),
// vendored by build-aux/update-npm-deps.

import 'internal/web/prelude';

export { URL, URLSearchParams } from 'internal/deps/whatwg-url';
