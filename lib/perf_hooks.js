// Copyright (C) nv8 contributors
//
// node:perf_hooks: the `performance` global and its entry classes.  There
// is no PerformanceObserver, monitorEventLoopDelay, createHistogram or
// timerify.

import {
    Performance, PerformanceEntry, PerformanceMark, PerformanceMeasure,
    performance,
} from 'internal/web/performance';

export {
    Performance, PerformanceEntry, PerformanceMark, PerformanceMeasure,
    performance,
};

export default {
    Performance, PerformanceEntry, PerformanceMark, PerformanceMeasure,
    performance,
};
