// Copyright (C) nv8 contributors
//
// Runs once per isolate before any user code: installs the globals and
// registers the hooks native code calls.

import * as timers from 'internal/timers';
import { console } from 'internal/console';
import { TextEncoder, TextDecoder } from 'internal/encoding';
import * as http from 'internal/http';
import * as modules from 'internal/modules/hooks';

const v8 = import.meta.binding('v8');

const HOOK_TIMERS = 0;
const HOOK_IMMEDIATES = 1;
const HOOK_HTTP_REGISTER = 2;
const HOOK_HTTP_DISPATCH = 3;
const HOOK_MODULE_RESOLVE = 4;
const HOOK_MODULE_LOAD = 5;
const HOOK_MODULE_EVALUATE = 6;

v8.setHook(HOOK_TIMERS, timers.hooks.processTimers);
v8.setHook(HOOK_IMMEDIATES, timers.hooks.processImmediates);
v8.setHook(HOOK_HTTP_REGISTER, http.register);
v8.setHook(HOOK_HTTP_DISPATCH, http.dispatch);
v8.setHook(HOOK_MODULE_RESOLVE, modules.resolve);
v8.setHook(HOOK_MODULE_LOAD, modules.load);
v8.setHook(HOOK_MODULE_EVALUATE, modules.evaluate);

function define(name, value) {
    Object.defineProperty(globalThis, name, {
        value, writable: true, configurable: true, enumerable: false,
    });
}

define('global', globalThis);
define('console', console);
define('setTimeout', timers.setTimeout);
define('clearTimeout', timers.clearTimeout);
define('setInterval', timers.setInterval);
define('clearInterval', timers.clearInterval);
define('setImmediate', timers.setImmediate);
define('clearImmediate', timers.clearImmediate);
define('queueMicrotask', timers.queueMicrotask);
define('TextEncoder', TextEncoder);
define('TextDecoder', TextDecoder);
