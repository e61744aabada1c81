// ES modules importing packages from node_modules, CommonJS and JSON: the
// body is fixtures/esm-main.js, next to fixtures/node_modules.

import './fixtures/esm-main.js';
