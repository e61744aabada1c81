// Copyright (C) nv8 contributors
//
// node:fs: so far only the promise API (fs.promises).

import promises from 'fs/promises';

export { promises };
export default { promises };
