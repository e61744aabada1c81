// Copyright (C) nv8 contributors
//
// Runs once per isolate before any user code: installs the globals and
// registers the hooks native code calls.

// first: the language built-ins V8 10.2 lacks, before any other module runs
import 'internal/bootstrap/language';
import * as timers from 'internal/timers';
import { console } from 'internal/console';
import {
    Crypto, CryptoKey, SubtleCrypto, crypto,
} from 'internal/crypto/subtle';
import { TextEncoder, TextDecoder } from 'internal/encoding';
import * as http from 'internal/http';
import 'internal/http_fetch';
import * as streams from 'internal/web/streams';
import { AbortController, AbortSignal } from 'internal/web/abort';
import { atob, btoa } from 'internal/web/base64';
import { structuredClone } from 'internal/web/clone';
import { Navigator, navigator } from 'internal/web/navigator';
import {
    Performance, PerformanceEntry, PerformanceMark, PerformanceMeasure,
    performance,
} from 'internal/web/performance';
import { Blob, File } from 'internal/web/blob';
import {
    CompressionStream, DecompressionStream,
} from 'internal/web/compression';
import { DOMException } from 'internal/web/domexception';
import { Event, EventTarget } from 'internal/web/events';
import { Request, Response } from 'internal/web/fetch';
import { FormData } from 'internal/web/formdata';
import { Headers } from 'internal/web/headers';
import { URL, URLSearchParams } from 'internal/web/url';
import * as modules from 'internal/modules/hooks';
import { Buffer } from 'buffer';
import process from 'process';

const v8 = import.meta.binding('v8');

const HOOK_TIMERS = 0;
const HOOK_IMMEDIATES = 1;
const HOOK_HTTP_REGISTER = 2;
const HOOK_HTTP_DISPATCH = 3;
const HOOK_HTTP_EVENT = 4;
const HOOK_MODULE_RESOLVE = 5;
const HOOK_MODULE_LOAD = 6;
const HOOK_MODULE_EVALUATE = 7;

v8.setHook(HOOK_TIMERS, timers.hooks.processTimers);
v8.setHook(HOOK_IMMEDIATES, timers.hooks.processImmediates);
v8.setHook(HOOK_HTTP_REGISTER, http.register);
v8.setHook(HOOK_HTTP_DISPATCH, http.dispatch);
v8.setHook(HOOK_HTTP_EVENT, http.onEvent);
v8.setHook(HOOK_MODULE_RESOLVE, modules.resolve);
v8.setHook(HOOK_MODULE_LOAD, modules.load);
v8.setHook(HOOK_MODULE_EVALUATE, modules.evaluate);

function define(name, value) {
    Object.defineProperty(globalThis, name, {
        value, writable: true, configurable: true, enumerable: false,
    });
}

define('global', globalThis);
define('Buffer', Buffer);
define('process', process);
define('console', console);
define('crypto', crypto);
define('Crypto', Crypto);
define('CryptoKey', CryptoKey);
define('SubtleCrypto', SubtleCrypto);
define('setTimeout', timers.setTimeout);
define('clearTimeout', timers.clearTimeout);
define('setInterval', timers.setInterval);
define('clearInterval', timers.clearInterval);
define('setImmediate', timers.setImmediate);
define('clearImmediate', timers.clearImmediate);
define('queueMicrotask', timers.queueMicrotask);
define('structuredClone', structuredClone);
define('performance', performance);
define('Performance', Performance);
define('PerformanceEntry', PerformanceEntry);
define('PerformanceMark', PerformanceMark);
define('PerformanceMeasure', PerformanceMeasure);
define('navigator', navigator);
define('Navigator', Navigator);
define('TextEncoder', TextEncoder);
define('TextDecoder', TextDecoder);
define('DOMException', DOMException);
define('Event', Event);
define('EventTarget', EventTarget);
define('AbortController', AbortController);
define('AbortSignal', AbortSignal);
define('atob', atob);
define('btoa', btoa);
define('Blob', Blob);
define('File', File);
define('FormData', FormData);
define('Headers', Headers);
define('Request', Request);
define('Response', Response);
define('URL', URL);
define('URLSearchParams', URLSearchParams);
// the WHATWG classes; the module's helpers for fetch and Blob are not globals
for (const name of Object.keys(streams)) {
    if (name[0] < 'A' || name[0] > 'Z') {
        continue;
    }
    define(name, streams[name]);
}
define('CompressionStream', CompressionStream);
define('DecompressionStream', DecompressionStream);
