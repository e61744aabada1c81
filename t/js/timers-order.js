// Node's order for code run from the main module.
const log = [];
setTimeout(() => log.push('timeout 50'), 50);
setTimeout((a, b) => log.push(`timeout 40 ${a} ${b}`), 40, 'x', 'y');
setImmediate(() => {
    log.push('immediate');
    let n = 0;
    const i = setInterval(() => {
        log.push(`tick ${++n}`);
        if (n === 3) {
            clearInterval(i);
        }
    }, 1);
});
queueMicrotask(() => log.push('microtask'));
Promise.resolve().then(() => log.push('then'));
log.push('sync');
const t = setTimeout(() => log.push('cleared'), 5);
clearTimeout(t);
setTimeout(() => {
    Promise.resolve().then(() => log.push('micro in timer'));
    log.push('timer a');
}, 70);
setTimeout(() => log.push('timer b'), 70);
setTimeout(() => console.log(log.join('\n')), 120);
