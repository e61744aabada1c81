import { readFile, stat } from 'node:fs/promises';
import fs from 'fs';

const me = import.meta.url.slice('file://'.length);
const text = await readFile(me, 'utf8');
console.log(text.split('\n')[0]);
const bytes = await fs.promises.readFile(me);
console.log(bytes instanceof Uint8Array, bytes.length === text.length);
const st = await stat(me);
console.log(st.isFile(), st.isDirectory(), st.size === bytes.length);
console.log((await stat('/')).isDirectory());
for (const p of ['/nonexistent/x', '/']) {
    try {
        await readFile(p);
    } catch (e) {
        console.log(e.code, e.syscall, e.message);
    }
}
try {
    await readFile(42);
} catch (e) {
    console.log(e.name, e.code);
}
