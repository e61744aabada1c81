// Copyright (C) nv8 contributors
//
// Globals that the vendored bundles look up while they are evaluated, which
// is before bootstrap/main.js runs: whatwg-url makes a TextEncoder and a
// TextDecoder at load, the streams polyfill picks DOMException.  Modules
// that import a bundle import this module first; main.js defines the same
// values again.

import { TextDecoder, TextEncoder } from 'internal/encoding';
import { DOMException } from 'internal/web/domexception';

for (const [name, value] of [['DOMException', DOMException],
                             ['TextEncoder', TextEncoder],
                             ['TextDecoder', TextDecoder]]) {
    if (!Object.prototype.hasOwnProperty.call(globalThis, name)) {
        Object.defineProperty(globalThis, name, {
            value, writable: true, configurable: true, enumerable: false,
        });
    }
}
