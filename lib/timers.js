// Copyright (C) nv8 contributors
//
// node:timers

export {
    setTimeout, clearTimeout, setInterval, clearInterval, setImmediate,
    clearImmediate,
} from 'internal/timers';
