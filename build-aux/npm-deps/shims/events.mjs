// Copyright (C) nv8 contributors
//
// Stands in for the npm "events" package inside a bundle: the bundle uses
// nv8's node:events, so streams and http share one EventEmitter.

import EventEmitter from 'node:events';

export { EventEmitter, EventEmitter as default };
export const once = EventEmitter.once;
