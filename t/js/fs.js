import { readFile, stat } from 'node:fs/promises';
import fs from 'fs';
import fsp from 'node:fs/promises';

// fs/promises and FileHandle, without roots.  Runs in a scratch directory
// under /tmp; paths are printed relative to it.  Compared with Node 20.

const me = import.meta.url.slice('file://'.length);
const text = await readFile(me, 'utf8');
console.log(text.split('\n')[0]);
const bytes = await fs.promises.readFile(me);
console.log(bytes instanceof Uint8Array, bytes.length === text.length);
const st0 = await stat(me);
console.log(st0.isFile(), st0.isDirectory(), st0.size === bytes.length);
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

const tmp = await fsp.mkdtemp('/tmp/nv8-fs-');
const rel = (p) => (typeof p === 'string' ? p.split(tmp).join('<tmp>') : p);
const show = async (label, f) => {
    try {
        const v = await f();
        console.log(label, rel(v));
    } catch (e) {
        console.log(label, e.name, e.code, e.syscall ?? '', rel(e.message));
    }
};
const T = (name) => `${tmp}/${name}`;

console.log('mkdtemp', /^\/tmp\/nv8-fs-[A-Za-z0-9]{6}$/.test(tmp));

// whole files
await fsp.writeFile(T('a.txt'), 'hello');
await fsp.appendFile(T('a.txt'), ' world');
await fsp.appendFile(T('a.txt'), Buffer.from('!'));
await show('readFile', () => fsp.readFile(T('a.txt'), 'utf8'));
await show('readFile buffer', async () =>
    (await fsp.readFile(T('a.txt'))).toString('hex'));
await show('readFile base64', () =>
    fsp.readFile(T('a.txt'), { encoding: 'base64' }));
await fsp.writeFile(T('latin1.txt'), 'caf\u00e9', 'latin1');
await show('writeFile latin1', async () =>
    (await fsp.readFile(T('latin1.txt'))).length);
await fsp.writeFile(T('mode.txt'), 'x', { mode: 0o600 });
await show('writeFile mode', async () =>
    ((await fsp.stat(T('mode.txt'))).mode & 0o777).toString(8));
await show('writeFile flag wx', () =>
    fsp.writeFile(T('a.txt'), 'no', { flag: 'wx' }));
await fsp.writeFile(T('iter.txt'), (async function* () {
    yield 'one ';
    yield Buffer.from('two');
})());
await show('writeFile iterable', () => fsp.readFile(T('iter.txt'), 'utf8'));
await show('readFile missing', () => fsp.readFile(T('missing')));
await show('readFile dir', () => fsp.readFile(tmp));
await show('readFile URL', async () =>
    (await fsp.readFile(new URL('file://' + T('a.txt')))).length);
await show('readFile Buffer path', async () =>
    (await fsp.readFile(Buffer.from(T('a.txt')))).length);
await show('readFile bad path', () => fsp.readFile({}));
await show('readFile NUL', () =>
    fsp.readFile('a\u0000b').catch((e) => `${e.name} ${e.code}`));
await show('readFile bad encoding', () => fsp.readFile(T('a.txt'), 'bogus'));
await show('readFile bad flag', () => fsp.readFile(T('a.txt'), { flag: 'q' }));
const ac = new AbortController();
ac.abort();
await show('readFile aborted', () =>
    fsp.readFile(T('a.txt'), { signal: ac.signal }));

// stat
const st = await fsp.stat(T('a.txt'));
console.log('stat', st.isFile(), st.isDirectory(), st.isSymbolicLink(),
            st.size, st.nlink, typeof st.ino, typeof st.dev,
            st.mtime instanceof Date, st.mtimeMs === st.mtime.getTime() ||
            Math.abs(st.mtimeMs - st.mtime.getTime()) < 1,
            st.blksize > 0, st.uid === process.getuid?.() || st.uid >= 0);
const bst = await fsp.stat(T('a.txt'), { bigint: true });
console.log('stat bigint', typeof bst.size, bst.size, typeof bst.mtimeNs,
            bst.mtimeNs / 1000000n === bst.mtimeMs, bst.isFile());
await show('stat missing', () => fsp.stat(T('missing')));
await show('stat ENOTDIR', () => fsp.stat(T('a.txt/x')));

// directories
await show('mkdir', () => fsp.mkdir(T('d')));
await show('mkdir again', () => fsp.mkdir(T('d')));
await show('mkdir -p', () => fsp.mkdir(T('d/e/f'), { recursive: true }));
await show('mkdir -p existing', () => fsp.mkdir(T('d/e'), { recursive: true }));
await show('mkdir -p over a file', () =>
    fsp.mkdir(T('a.txt'), { recursive: true }));
await show('mkdir -p under a file', () =>
    fsp.mkdir(T('a.txt/x/y'), { recursive: true }));
await show('mkdir missing parent', () => fsp.mkdir(T('x/y')));
await show('mkdir mode', async () => {
    await fsp.mkdir(T('m'), 0o700);
    return ((await fsp.stat(T('m'))).mode & 0o777).toString(8);
});
await fsp.writeFile(T('d/file'), 'f');
await fsp.symlink('file', T('d/link'));
await show('readdir', async () => (await fsp.readdir(T('d'))).sort().join());
await show('readdir types', async () =>
    (await fsp.readdir(T('d'), { withFileTypes: true }))
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((e) => `${e.name}:${e.isFile() ? 'f' : ''}` +
                    `${e.isDirectory() ? 'd' : ''}` +
                    `${e.isSymbolicLink() ? 'l' : ''}:${rel(e.path)}`)
        .join());
await show('readdir buffer', async () =>
    Buffer.isBuffer((await fsp.readdir(T('d'), 'buffer'))[0]));
await show('readdir file', () => fsp.readdir(T('a.txt')));
await show('readdir missing', () => fsp.readdir(T('missing')));
await show('rmdir not empty', () => fsp.rmdir(T('d')));
await show('rmdir file', () => fsp.rmdir(T('a.txt')));
await show('rmdir', () => fsp.rmdir(T('m')));
await show('rm dir', () => fsp.rm(T('d')));
await show('rm missing', () => fsp.rm(T('missing')));
await show('rm missing force', () => fsp.rm(T('missing'), { force: true }));
await show('rm -r', () => fsp.rm(T('d'), { recursive: true }));
await show('rm -r gone', async () => fs.existsSync(T('d')));

// links
await show('symlink', () => fsp.symlink('a.txt', T('ln')));
await show('symlink exists', () => fsp.symlink('a.txt', T('ln')));
await show('readlink', () => fsp.readlink(T('ln')));
await show('readlink buffer', async () =>
    (await fsp.readlink(T('ln'), 'buffer')).toString());
await show('readlink not a link', () => fsp.readlink(T('a.txt')));
await show('lstat link', async () =>
    (await fsp.lstat(T('ln'))).isSymbolicLink());
await show('stat link', async () => (await fsp.stat(T('ln'))).isFile());
await show('realpath', () => fsp.realpath(T('ln')));
await show('realpath dots', () => fsp.realpath(`${tmp}/./x/../a.txt`));
await show('realpath missing', () => fsp.realpath(T('missing')));
await show('link', () => fsp.link(T('a.txt'), T('hard')));
await show('link nlink', async () => (await fsp.stat(T('a.txt'))).nlink);
await show('link exists', () => fsp.link(T('a.txt'), T('hard')));
await show('unlink', () => fsp.unlink(T('hard')));
await show('unlink missing', () => fsp.unlink(T('hard')));
await show('unlink dir', () => fsp.unlink(tmp));

// rename, copy
await show('rename', () => fsp.rename(T('ln'), T('ln2')));
await show('rename missing', () => fsp.rename(T('ln'), T('ln3')));
await show('copyFile', async () => {
    await fsp.copyFile(T('a.txt'), T('copy.txt'));
    return fsp.readFile(T('copy.txt'), 'utf8');
});
await show('copyFile mode', async () =>
    ((await fsp.stat(T('copy.txt'))).mode & 0o777) ===
    ((await fsp.stat(T('a.txt'))).mode & 0o777));
await show('copyFile excl', () =>
    fsp.copyFile(T('a.txt'), T('copy.txt'), fs.constants.COPYFILE_EXCL));
await show('copyFile onto itself', async () => {
    await fsp.copyFile(T('a.txt'), T('a.txt'));
    return fsp.readFile(T('a.txt'), 'utf8');
});
await show('copyFile missing', () => fsp.copyFile(T('nope'), T('nope2')));
await show('copyFile bad mode', () => fsp.copyFile(T('a.txt'), T('c2'), 8));

// access, truncate, utimes, chmod
await show('access', () => fsp.access(T('a.txt')));
await show('access R_OK|W_OK', () =>
    fsp.access(T('a.txt'), fs.constants.R_OK | fs.constants.W_OK));
await show('access missing', () => fsp.access(T('missing')));
await show('access bad mode', () => fsp.access(T('a.txt'), 8));
await show('truncate', async () => {
    await fsp.truncate(T('copy.txt'), 4);
    return fsp.readFile(T('copy.txt'), 'utf8');
});
await show('truncate 0', async () => {
    await fsp.truncate(T('copy.txt'));
    return (await fsp.stat(T('copy.txt'))).size;
});
await show('utimes', async () => {
    await fsp.utimes(T('a.txt'), 1000.5, new Date(2000000));
    const s = await fsp.stat(T('a.txt'));
    return `${s.atimeMs} ${s.mtimeMs} ${s.mtime.toISOString()}`;
});
await show('lutimes', async () => {
    await fsp.lutimes(T('ln2'), 5, 6);
    const l = await fsp.lstat(T('ln2'));
    const f = await fsp.stat(T('ln2'));
    return `${l.mtimeMs} ${f.mtimeMs}`;
});
await show('utimes bad', async () => {
    try {
        await fsp.utimes(T('a.txt'), 'x', 1);
    } catch (e) {
        return e.code;
    }
});
await show('chmod', async () => {
    await fsp.chmod(T('copy.txt'), 0o640);
    return ((await fsp.stat(T('copy.txt'))).mode & 0o777).toString(8);
});
await show('chmod string', async () => {
    await fsp.chmod(T('copy.txt'), '600');
    return ((await fsp.stat(T('copy.txt'))).mode & 0o777).toString(8);
});
await show('chmod no mode', () => fsp.chmod(T('copy.txt')));

// FileHandle
const fh = await fsp.open(T('fh.txt'), 'w+');
console.log('open', typeof fh.fd, fh.fd > 2);
await show('fh.write', async () => {
    const r = await fh.write(Buffer.from('0123456789'));
    return `${r.bytesWritten} ${Buffer.isBuffer(r.buffer)}`;
});
await show('fh.write string', async () => {
    const r = await fh.write('abc', 2);
    return `${r.bytesWritten} ${r.buffer}`;
});
await show('fh.read', async () => {
    const r = await fh.read(Buffer.alloc(4), 0, 4, 0);
    return `${r.bytesRead} ${r.buffer}`;
});
await show('fh.read options', async () => {
    const b = Buffer.alloc(8, '.');
    const r = await fh.read({ buffer: b, offset: 2, length: 3, position: 5 });
    return `${r.bytesRead} ${r.buffer}`;
});
await show('fh.read default', async () => {
    const r = await fh.read();
    return `${r.bytesRead} ${r.buffer.length}`;
});
await show('fh.read at end', async () =>
    (await fh.read(Buffer.alloc(4), 0, 4, 100)).bytesRead);
await show('fh.read bad length', () => fh.read(Buffer.alloc(4), 0, 5, 0));
await show('fh.stat', async () => (await fh.stat()).size);
await show('fh.truncate', async () => {
    await fh.truncate(3);
    return (await fh.stat()).size;
});
await show('fh.writeFile', async () => {
    await fh.truncate(0);
    await fh.writeFile('whole', 'utf8');
    return JSON.stringify(await fsp.readFile(T('fh.txt'), 'utf8'));
});
await show('fh.readFile', async () => {
    const r = await fsp.open(T('fh.txt'));
    const s = await r.readFile('utf8');
    await r.close();
    return JSON.stringify(s);
});
await show('fh.sync', () => fh.sync());
await show('fh.datasync', () => fh.datasync());
await show('fh.utimes', async () => {
    await fh.utimes(10, 20);
    return (await fh.stat()).mtimeMs;
});
await show('fh.chmod', async () => {
    await fh.chmod(0o604);
    return ((await fh.stat()).mode & 0o777).toString(8);
});
let closed = false;
fh.on('close', () => {
    closed = true;
});
await show('fh.close', () => fh.close());
console.log('fh closed', fh.fd, closed);
await show('fh.close again', () => fh.close());
await show('fh.read closed', () => fh.read(Buffer.alloc(1), 0, 1, 0));
await show('fh.stat closed', () => fh.stat());
await show('open missing', () => fsp.open(T('missing')));
await show('open bad flags', () => fsp.open(T('a.txt'), 'rw'));
await show('open append', async () => {
    const h = await fsp.open(T('app.txt'), 'a');
    await h.appendFile('1');
    await h.write('2');
    await h.close();
    const h2 = await fsp.open(T('app.txt'), 'a');
    await h2.appendFile('3');
    await h2.close();
    return fsp.readFile(T('app.txt'), 'utf8');
});

// concurrent work on one handle, then close while it is in flight
await show('concurrent', async () => {
    const h = await fsp.open(T('a.txt'));
    const reads = [];
    for (let i = 0; i < 20; i++) {
        reads.push(h.read(Buffer.alloc(5), 0, 5, 6));
    }
    const closing = h.close();
    const all = await Promise.all(reads);
    await closing;
    return all.every((r) => r.buffer.toString() === 'world');
});

await fsp.rm(tmp, { recursive: true });
await show('cleaned', async () => fs.existsSync(tmp));
