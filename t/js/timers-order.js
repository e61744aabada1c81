// Node's order for code run from the main module.
const log = [];
setTimeout(() => log.push('timeout 20'), 20);
setTimeout((a, b) => log.push(`timeout 10 ${a} ${b}`), 10, 'x', 'y');
setImmediate(() => log.push('immediate'));
queueMicrotask(() => log.push('microtask'));
Promise.resolve().then(() => log.push('then'));
log.push('sync');
const t = setTimeout(() => log.push('cleared'), 5);
clearTimeout(t);
let n = 0;
const i = setInterval(() => {
    log.push(`tick ${++n}`);
    if (n === 3) {
        clearInterval(i);
    }
}, 1);
setTimeout(() => {
    Promise.resolve().then(() => log.push('micro in timer'));
    log.push('timer a');
}, 30);
setTimeout(() => log.push('timer b'), 30);
setTimeout(() => console.log(log.join('\n')), 60);
