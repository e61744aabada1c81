// Copyright (C) nv8 contributors
//
// node:timers: the timer functions (also globals) and timers/promises.

import {
    setTimeout, clearTimeout, setInterval, clearInterval, setImmediate,
    clearImmediate,
} from 'internal/timers';
import promises from 'timers/promises';

export {
    setTimeout, clearTimeout, setInterval, clearInterval, setImmediate,
    clearImmediate, promises,
};
export default {
    setTimeout, clearTimeout, setInterval, clearInterval, setImmediate,
    clearImmediate, promises,
};
