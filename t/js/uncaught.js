// An uncaught exception in a timer ends the runner with status 1.
console.log('before');
setTimeout(() => {
    throw new Error('boom');
}, 1);
setTimeout(() => console.log('never'), 50);
