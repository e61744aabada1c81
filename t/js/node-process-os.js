// node:process (the global too) and node:os: shapes, not host values
import proc, { env, nextTick, hrtime } from 'node:process';
import os from 'node:os';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));

show(proc === process, env === process.env, nextTick === process.nextTick,
     hrtime === process.hrtime);
show(process.env.NV8_TEST_VAR, process.env.NV8_NOT_SET, typeof process.env);
process.env.NV8_NUM = 42;
show(process.env.NV8_NUM, typeof process.env.NV8_NUM);
show(process.platform === os.platform(), process.arch === os.arch(),
     ['linux', 'darwin', 'freebsd'].includes(process.platform),
     typeof process.arch);
show(process.argv, /^v\d+\.\d+\.\d+$/.test(process.version),
     typeof process.versions.node, typeof process.versions.v8,
     Number.isInteger(process.pid), process.cwd().startsWith('/'));
const [s, ns] = process.hrtime();
const d = process.hrtime([s, ns]);
show(Number.isInteger(s), ns < 1e9, d[0] >= 0, typeof process.hrtime.bigint());
const mu = process.memoryUsage();
show(Object.keys(mu), mu.rss > 0, mu.heapUsed > 0,
     mu.heapTotal >= mu.heapUsed, process.uptime() >= 0);
try {
    process.exit(3);
} catch (e) {
    show(e.code, e.exitCode);
}
try {
    process.nextTick('no');
} catch (e) {
    show(e.code);
}
const order = [];
Promise.resolve().then(() => order.push('promise 1'));
process.nextTick((a, b) => order.push(`tick ${a}${b}`), 'x', 'y');
process.nextTick(() => {
    order.push('tick 2');
    process.nextTick(() => order.push('tick nested'));
});
Promise.resolve().then(() => order.push('promise 2'));
setTimeout(() => show(order), 5);
show(process.stdout.write('stdout line\n'), typeof process.stderr.write,
     process instanceof (await import('events')).EventEmitter);

show(os.EOL, os.platform(), typeof os.hostname(), os.homedir().length > 0,
     os.tmpdir().startsWith('/'), typeof os.type(), typeof os.release());
const cpus = os.cpus();
show(cpus.length > 0, Object.keys(cpus[0]), Object.keys(cpus[0].times),
     os.availableParallelism() === cpus.length);
show(os.totalmem() > os.freemem(), os.freemem() > 0, os.uptime() > 0,
     os.loadavg().length, os.loadavg().every((x) => x >= 0),
     os.endianness(), typeof os.constants.signals.SIGTERM);
