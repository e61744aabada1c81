// A CommonJS entry file requiring files and packages: the body is
// fixtures/cjs-main.js, next to fixtures/node_modules.

const main = require('./fixtures/cjs-main.js');

console.log('entry is require.main:', require.main === module,
            main.parentIsEntry(module));
