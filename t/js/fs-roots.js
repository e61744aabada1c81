import fs from 'node:fs';
import fsp from 'node:fs/promises';

// NV8_FS_ROOT=fixtures/fs-root:/dev/shm (fs-roots.env): every operation, in
// both its pool and its Sync form, stays beneath those two directories;
// "..", absolute paths, symlinks that lead out (fixtures/fs-root/link-out,
// link-abs, dir-out) and the second path of rename/copyFile/link/symlink
// are refused with EACCES.  The working directory (t/js) is no root.  The
// second root is /dev/shm, not /tmp: a checkout under /tmp (CI clones one
// there) would be inside a /tmp root.

const here = new URL('.', import.meta.url).pathname;
const root = `${here}fixtures/fs-root`;
const outside = `${here}fixtures/fs-outside.txt`;
const tmp = await fsp.mkdtemp('/dev/shm/nv8-fs-roots-');
const T = (name) => `${tmp}/${name}`;
const R = (name) => `${root}/${name}`;
const clean = (v) => {
    if (v?.isDirectory) {
        return v.isDirectory() ? 'dir' : v.isSymbolicLink() ? 'link' : 'file';
    }
    return String(v).trim().split(tmp).join('<tmp>').split(root)
        .join('<root>');
};

// the pool form and the Sync form must agree; print one line for both
async function both(label, name, ...args) {
    let a;
    let s;
    try {
        a = clean(await fsp[name](...args));
    } catch (e) {
        a = `${e.code} ${e.syscall}`;
    }
    try {
        s = clean(fs[name + 'Sync'](...args));
    } catch (e) {
        s = `${e.code} ${e.syscall}`;
    }
    console.log(label, a === s ? a : `MISMATCH pool: ${a} sync: ${s}`);
}

fs.writeFileSync(T('f.txt'), 'in tmp');

console.log('-- reads');
await both('relative path in a root', 'readFile',
           'fixtures/fs-root/file.txt', 'utf8');
await both('absolute path in a root', 'readFile', R('file.txt'), 'utf8');
await both('deeper', 'readFile', R('sub/deep.txt'), 'utf8');
await both('link inside', 'readFile', R('link-in'), 'utf8');
await both('dir link inside', 'readFile', R('dir-in/deep.txt'), 'utf8');
await both('".." inside', 'readFile', R('sub/../file.txt'), 'utf8');
await both('second root', 'readFile', T('f.txt'), 'utf8');
await both('outside', 'readFile', outside, 'utf8');
await both('".." out', 'readFile', R('../fs-outside.txt'), 'utf8');
await both('deeper ".." out', 'readFile', R('sub/../../fs-outside.txt'),
           'utf8');
await both('relative ".." out', 'readFile', 'fixtures/fs-outside.txt', 'utf8');
await both('relative link out', 'readFile', R('link-out'), 'utf8');
await both('absolute link out', 'readFile', R('link-abs'), 'utf8');
await both('dir link out', 'readFile', R('dir-out/fs-outside.txt'), 'utf8');
await both('/etc/passwd', 'readFile', '/etc/passwd', 'utf8');
await both('/dev/shm/..', 'readFile', '/dev/shm/../etc/passwd', 'utf8');
await both('prefix is not a root', 'readFile', `${root}x/file.txt`, 'utf8');
await both('URL out', 'readFile', new URL(`file://${outside}`), 'utf8');
await both('Buffer path out', 'readFile', Buffer.from(outside), 'utf8');

console.log('-- metadata');
await both('stat root', 'stat', root);
await both('stat outside', 'stat', outside);
await both('stat link out', 'stat', R('link-out'));
await both('lstat link out (the link is inside)', 'lstat', R('link-out'));
await both('readlink link out', 'readlink', R('link-out'));
await both('realpath link in', 'realpath', R('link-in'));
await both('realpath dir link in', 'realpath', R('dir-in/deep.txt'));
await both('realpath link out', 'realpath', R('link-out'));
await both('realpath ".."', 'realpath', R('..'));
await both('access outside', 'access', outside);
await both('access link out', 'access', R('link-out'));
await both('readdir root', 'readdir', R('sub'));
await both('readdir ".."', 'readdir', R('..'));
await both('readdir dir link out', 'readdir', R('dir-out'));
await both('readdir /', 'readdir', '/');
console.log('existsSync', fs.existsSync(R('file.txt')), fs.existsSync(outside),
            fs.existsSync(R('link-out')));

console.log('-- changes, all aimed out');
await both('writeFile outside', 'writeFile', `${here}fixtures/new.txt`, 'x');
await both('writeFile via dir link out', 'writeFile', R('dir-out/new.txt'),
           'x');
await both('appendFile outside', 'appendFile', outside, 'x');
await both('appendFile via link out', 'appendFile', R('link-out'), 'x');
await both('truncate via link out', 'truncate', R('link-out'));
await both('utimes via link out', 'utimes', R('link-out'), 1, 1);
await both('chmod via link out', 'chmod', R('link-out'), 0o777);
await both('unlink outside', 'unlink', outside);
await both('unlink via ".."', 'unlink', R('../fs-outside.txt'));
await both('unlink via dir link out', 'unlink', R('dir-out/fs-outside.txt'));
await both('rmdir root', 'rmdir', root);
await both('rmdir ".."', 'rmdir', R('..'));
await both('rm -r root', 'rm', root, { recursive: true });
await both('rm -r /dev/shm', 'rm', '/dev/shm', { recursive: true, force: true });
await both('rm -r via ".."', 'rm', `${root}/../fs-root`, { recursive: true });
await both('mkdir outside', 'mkdir', `${here}fixtures/newdir`);
await both('mkdir via dir link out', 'mkdir', R('dir-out/newdir'));
await both('mkdir -p out', 'mkdir', '/dev/shm/../var/nv8-newdir',
           { recursive: true });
await both('mkdtemp outside', 'mkdtemp', `${here}fixtures/tmp-`);
await both('rename out -> in', 'rename', outside, T('stolen'));
await both('rename in -> out', 'rename', T('f.txt'), `${here}fixtures/moved`);
await both('rename in -> dir link out', 'rename', T('f.txt'),
           R('dir-out/moved'));
await both('rename a root away', 'rename', root, T('root'));
await both('copyFile out -> in', 'copyFile', outside, T('copy'));
await both('copyFile in -> out', 'copyFile', T('f.txt'),
           `${here}fixtures/copy`);
await both('copyFile link out -> in', 'copyFile', R('link-out'), T('copy'));
await both('link out -> in', 'link', outside, T('hard'));
await both('link in -> out', 'link', T('f.txt'), `${here}fixtures/hard`);
await both('symlink at a path outside', 'symlink', 'x', `${here}fixtures/ln`);
await both('symlink absolute target', 'symlink', '/etc/passwd', T('ln1'));
await both('symlink target climbing out', 'symlink', '../../etc/passwd',
           T('ln2'));
await both('symlink target out, deeper', 'symlink', '../../../x',
           T('ln3'));
await both('open outside', 'open', outside);
await both('open to create outside', 'open', `${here}fixtures/new`, 'w');

console.log('-- changes inside');
// pool, undo, Sync, undo
async function twice(label, name, undo, ...args) {
    let a;
    let s;
    try {
        a = clean(await fsp[name](...args));
        undo();
    } catch (e) {
        a = `${e.code} ${e.syscall}`;
    }
    try {
        s = clean(fs[name + 'Sync'](...args));
        undo();
    } catch (e) {
        s = `${e.code} ${e.syscall}`;
    }
    console.log(label, a === s ? a : `MISMATCH pool: ${a} sync: ${s}`);
}
await twice('symlink target inside', 'symlink',
            () => fs.unlinkSync(T('ok-ln')), 'f.txt', T('ok-ln'));
await twice('symlink ".." up to the root, inside', 'symlink',
            () => fs.unlinkSync(T('ln')), '../nv8', T('ln'));
await twice('mkdir -p in a root', 'mkdir',
            () => fs.rmSync(T('a'), { recursive: true }), T('a/b/c'),
            { recursive: true });
await twice('rename within a root', 'rename',
            () => fs.renameSync(T('g.txt'), T('f.txt')), T('f.txt'),
            T('g.txt'));
await twice('link within a root', 'link', () => fs.unlinkSync(T('h')),
            T('f.txt'), T('h'));
await twice('copyFile within a root', 'copyFile', () => fs.unlinkSync(T('c')),
            T('f.txt'), T('c'));
await both('readFile after', 'readFile', T('f.txt'), 'utf8');

console.log('-- handles and streams');
try {
    await fsp.open(R('link-out'));
} catch (e) {
    console.log('FileHandle via link out', e.code);
}
await new Promise((resolve) => {
    fs.createReadStream(outside).on('error', (e) => {
        console.log('ReadStream outside', e.code, e.syscall);
    }).on('close', resolve);
});
await new Promise((resolve) => {
    const ws = fs.createWriteStream(R('dir-out/ws.txt'));
    ws.on('error', (e) => console.log('WriteStream via link out', e.code,
                                      e.syscall));
    ws.on('close', resolve);
    ws.end('x');
});
fs.rmSync(tmp, { recursive: true });
console.log('cleaned', fs.existsSync(tmp));
