// An unhandled rejection ends the runner with status 1.
Promise.reject(new Error('nobody catches this'));
setTimeout(() => console.log('never'), 50);
