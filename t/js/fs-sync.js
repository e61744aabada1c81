import fs from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

// node:fs: the *Sync functions, the callback functions and the file
// streams, without roots.  Scratch directory under /tmp, printed as
// <tmp>.  Compared with Node 20.

const tmp = fs.mkdtempSync('/tmp/nv8-fs-sync-');
const rel = (v) => (typeof v === 'string' ? v.split(tmp).join('<tmp>') : v);
const T = (name) => `${tmp}/${name}`;
const sync = (label, f) => {
    try {
        console.log(label, rel(f()));
    } catch (e) {
        console.log(label, e.name, e.code, e.syscall ?? '', rel(e.message));
    }
};
// a callback call as a promise, printing what the callback got
const cb = (label, f, show = (...r) => r.map(rel).join(' ')) =>
    new Promise((resolve) => {
        try {
            f((err, ...r) => {
                if (err) {
                    console.log(label, 'cb error', err.code, err.syscall,
                                rel(err.message));
                } else {
                    console.log(label, 'cb', show(...r));
                }
                resolve(r);
            });
        } catch (e) {
            console.log(label, 'throws', e.name, e.code);
            resolve([]);
        }
    });

// Sync
sync('writeFileSync', () => fs.writeFileSync(T('a.txt'), 'hello'));
sync('appendFileSync', () => fs.appendFileSync(T('a.txt'), ' world'));
sync('readFileSync', () => fs.readFileSync(T('a.txt'), 'utf8'));
sync('readFileSync buffer', () => fs.readFileSync(T('a.txt')).length);
sync('readFileSync missing', () => fs.readFileSync(T('missing')));
sync('readFileSync bad', () => fs.readFileSync(true));
sync('existsSync', () => fs.existsSync(T('a.txt')));
sync('existsSync missing', () => fs.existsSync(T('missing')));
sync('existsSync bad', () => fs.existsSync(42));
sync('statSync', () => fs.statSync(T('a.txt')).size);
sync('lstatSync', () => fs.lstatSync(tmp).isDirectory());
sync('statSync missing', () => fs.statSync(T('missing')));
sync('mkdirSync', () => fs.mkdirSync(T('d')));
sync('mkdirSync -p', () => fs.mkdirSync(T('d/e/f'), { recursive: true }));
sync('readdirSync', () => fs.readdirSync(T('d')).join());
sync('readdirSync types', () =>
    fs.readdirSync(T('d'), { withFileTypes: true })
        .map((e) => `${e.name}:${e.isDirectory()}`).join());
sync('rmdirSync', () => fs.rmdirSync(T('d')));
sync('rmSync -r', () => fs.rmSync(T('d'), { recursive: true }));
sync('symlinkSync', () => fs.symlinkSync('a.txt', T('ln')));
sync('readlinkSync', () => fs.readlinkSync(T('ln')));
sync('realpathSync', () => fs.realpathSync(T('ln')));
sync('realpathSync.native', () => fs.realpathSync.native(T('ln')));
sync('linkSync', () => fs.linkSync(T('a.txt'), T('hard')));
sync('renameSync', () => fs.renameSync(T('hard'), T('hard2')));
sync('unlinkSync', () => fs.unlinkSync(T('hard2')));
sync('unlinkSync missing', () => fs.unlinkSync(T('hard2')));
sync('copyFileSync', () => fs.copyFileSync(T('a.txt'), T('b.txt')));
sync('truncateSync', () => fs.truncateSync(T('b.txt'), 2));
sync('readFileSync b', () => fs.readFileSync(T('b.txt'), 'latin1'));
sync('accessSync', () => fs.accessSync(T('b.txt'), fs.constants.W_OK));
sync('accessSync missing', () => fs.accessSync(T('c.txt')));
sync('utimesSync', () => {
    fs.utimesSync(T('b.txt'), 1, 2);
    return fs.statSync(T('b.txt')).mtimeMs;
});
sync('chmodSync', () => {
    fs.chmodSync(T('b.txt'), 0o644);
    return (fs.statSync(T('b.txt')).mode & 0o777).toString(8);
});
sync('mkdtempSync', () => /^<tmp>\/x-.{6}$/.test(rel(fs.mkdtempSync(T('x-')))));

// fds, Sync
const fd = fs.openSync(T('fd.txt'), 'w+');
sync('openSync', () => typeof fd);
sync('writeSync', () => fs.writeSync(fd, Buffer.from('abcdef')));
sync('writeSync string', () => fs.writeSync(fd, 'XY', 1));
sync('writeSync offset', () =>
    fs.writeSync(fd, Buffer.from('0123456789'), 8, 2, 6));
sync('readSync', () => {
    const b = Buffer.alloc(10, '.');
    const n = fs.readSync(fd, b, 0, 10, 0);
    return `${n} ${b}`;
});
sync('readSync options', () => {
    const b = Buffer.alloc(6, '.');
    const n = fs.readSync(fd, b, { offset: 1, length: 3, position: 2 });
    return `${n} ${b}`;
});
sync('readSync length 0', () => fs.readSync(fd, Buffer.alloc(1), 0, 0, 0));
sync('readSync bad offset', () => fs.readSync(fd, Buffer.alloc(1), 2, 0, 0));
sync('fstatSync', () => fs.fstatSync(fd).size);
sync('ftruncateSync', () => {
    fs.ftruncateSync(fd, 3);
    return fs.fstatSync(fd).size;
});
sync('futimesSync', () => {
    fs.futimesSync(fd, 5, new Date(7000));
    return fs.fstatSync(fd).mtimeMs;
});
sync('fsyncSync', () => fs.fsyncSync(fd));
sync('fdatasyncSync', () => fs.fdatasyncSync(fd));
sync('fchmodSync', () => fs.fchmodSync(fd, 0o600));
sync('readFileSync fd', () => fs.readFileSync(fd, 'utf8'));
sync('writeFileSync fd', () => fs.writeFileSync(fd, '!'));
sync('closeSync', () => fs.closeSync(fd));
sync('closeSync again', () => fs.closeSync(fd));
sync('fstatSync closed', () => fs.fstatSync(fd));
sync('closeSync bad', () => fs.closeSync(null));
sync('closeSync range', () => fs.closeSync(-1));
sync('openSync missing', () => fs.openSync(T('missing')));
sync('openSync wx', () => fs.openSync(T('a.txt'), 'wx'));
sync('constants', () => [fs.constants.O_CREAT, fs.constants.F_OK,
                         fs.constants.R_OK, fs.constants.W_OK,
                         fs.constants.X_OK, fs.constants.COPYFILE_EXCL,
                         fs.F_OK, fs.R_OK].join());

// callbacks
await cb('readFile', (k) => fs.readFile(T('a.txt'), 'utf8', k));
await cb('readFile no options', (k) => fs.readFile(T('a.txt'), k),
         (b) => b.length);
await cb('readFile missing', (k) => fs.readFile(T('missing'), k));
await cb('readFile no callback', () => fs.readFile(T('a.txt')));
await cb('readFile bad path', (k) => fs.readFile(null, k));
await cb('writeFile', (k) => fs.writeFile(T('w.txt'), 'cb', k));
await cb('appendFile', (k) => fs.appendFile(T('w.txt'), '!', 'utf8', k));
await cb('readFile w', (k) => fs.readFile(T('w.txt'), 'utf8', k));
await cb('stat', (k) => fs.stat(T('w.txt'), k), (s) => s.size);
await cb('stat bigint', (k) => fs.stat(T('w.txt'), { bigint: true }, k),
         (s) => s.size);
await cb('lstat', (k) => fs.lstat(T('ln'), k), (s) => s.isSymbolicLink());
await cb('access', (k) => fs.access(T('w.txt'), k));
await cb('access missing', (k) => fs.access(T('missing'), fs.constants.R_OK,
                                            k));
await cb('mkdir', (k) => fs.mkdir(T('cd'), k));
await cb('mkdir -p', (k) => fs.mkdir(T('cd/a/b'), { recursive: true }, k));
await cb('readdir', (k) => fs.readdir(T('cd'), k));
await cb('rm -r', (k) => fs.rm(T('cd'), { recursive: true }, k));
await cb('rmdir missing', (k) => fs.rmdir(T('cd'), k));
await cb('rename', (k) => fs.rename(T('w.txt'), T('w2.txt'), k));
await cb('copyFile', (k) => fs.copyFile(T('w2.txt'), T('w3.txt'), k));
await cb('copyFile excl', (k) => fs.copyFile(T('w2.txt'), T('w3.txt'),
                                             fs.constants.COPYFILE_EXCL, k));
await cb('symlink', (k) => fs.symlink('w2.txt', T('ln2'), k));
await cb('readlink', (k) => fs.readlink(T('ln2'), k));
await cb('realpath', (k) => fs.realpath(T('ln2'), k));
await cb('link', (k) => fs.link(T('w2.txt'), T('h'), k));
await cb('unlink', (k) => fs.unlink(T('h'), k));
await cb('truncate', (k) => fs.truncate(T('w3.txt'), 1, k));
await cb('utimes', (k) => fs.utimes(T('w3.txt'), 3, 4, k));
await cb('chmod', (k) => fs.chmod(T('w3.txt'), 0o600, k));
await cb('mkdtemp', (k) => fs.mkdtemp(T('m-'), k),
         (p) => /^<tmp>\/m-.{6}$/.test(rel(p)));
const [cfd] = await cb('open', (k) => fs.open(T('w2.txt'), 'r+', k),
                       (f) => typeof f);
await cb('read', (k) => fs.read(cfd, Buffer.alloc(8), 0, 8, 0, k),
         (n, b) => `${n} ${b.toString('utf8', 0, n)}`);
await cb('read options', (k) => fs.read(cfd, { buffer: Buffer.alloc(2),
                                              position: 1 }, k),
         (n, b) => `${n} ${b}`);
await cb('read default', (k) => fs.read(cfd, k), (n, b) => `${n} ${b.length}`);
await cb('write', (k) => fs.write(cfd, Buffer.from('AB'), 0, 2, 0, k),
         (n, b) => `${n} ${b}`);
await cb('write string', (k) => fs.write(cfd, 'Z', 2, 'utf8', k),
         (n, s) => `${n} ${s}`);
await cb('fstat', (k) => fs.fstat(cfd, k), (s) => s.size);
await cb('ftruncate', (k) => fs.ftruncate(cfd, 2, k));
await cb('futimes', (k) => fs.futimes(cfd, 1, 1, k));
await cb('fsync', (k) => fs.fsync(cfd, k));
await cb('fdatasync', (k) => fs.fdatasync(cfd, k));
await cb('fchmod', (k) => fs.fchmod(cfd, 0o644, k));
await cb('readFile fd', (k) => fs.readFile(cfd, 'utf8', k));
await cb('close', (k) => fs.close(cfd, k));
await cb('close again', (k) => fs.close(cfd, k));
await cb('read closed', (k) => fs.read(cfd, Buffer.alloc(1), 0, 1, 0, k));
await new Promise((resolve) => {
    fs.exists(T('w2.txt'), (e) => {
        console.log('exists', e);
        fs.exists(T('missing'), (e2) => {
            console.log('exists missing', e2);
            resolve();
        });
    });
});

// streams
const big = Buffer.alloc(300000);
for (let i = 0; i < big.length; i++) {
    big[i] = i % 251;
}
fs.writeFileSync(T('big.bin'), big);

await new Promise((resolve) => {
    const chunks = [];
    const rs = fs.createReadStream(T('big.bin'));
    rs.on('open', (f) => console.log('rs open', typeof f));
    rs.on('ready', () => console.log('rs ready'));
    rs.on('data', (c) => chunks.push(c));
    rs.on('end', () => console.log('rs end', rs.bytesRead));
    rs.on('close', () => {
        const all = Buffer.concat(chunks);
        console.log('rs close', chunks.length, chunks[0].length,
                    all.equals(big));
        resolve();
    });
});

await new Promise((resolve) => {
    let s = '';
    fs.createReadStream(T('a.txt'), { start: 2, end: 6, encoding: 'utf8',
                                      highWaterMark: 2 })
        .on('data', (c) => {
            s += `[${c}]`;
        })
        .on('end', () => {
            console.log('rs range', s);
            resolve();
        });
});

await new Promise((resolve) => {
    const rs = fs.createReadStream(T('missing'));
    rs.on('error', (e) => console.log('rs error', e.code, e.syscall,
                                      rel(e.path)));
    rs.on('close', () => {
        console.log('rs error close');
        resolve();
    });
});

sync('rs bad start', () => fs.createReadStream(T('a.txt'), { start: -1 }));
sync('rs start > end', () => fs.createReadStream(T('a.txt'),
                                                 { start: 5, end: 2 }));

// a slow consumer: back-pressure holds the stream near highWaterMark
{
    let read = 0;
    let most = 0;
    const rs = fs.createReadStream(T('big.bin'), { highWaterMark: 16384 });
    const slow = new Writable({
        highWaterMark: 16384,
        write(chunk, enc, done) {
            read += chunk.length;
            most = Math.max(most, rs.readableLength);
            setTimeout(done, 1);
        },
    });
    await pipeline(rs, slow);
    console.log('pipeline', read, most <= 16384, rs.destroyed);
}

await new Promise((resolve) => {
    const ws = fs.createWriteStream(T('ws.txt'));
    ws.on('open', (f) => console.log('ws open', typeof f));
    for (let i = 0; i < 500; i++) {
        ws.write(`line ${i}\n`);
    }
    ws.end('last\n');
    ws.on('finish', () => console.log('ws finish', ws.bytesWritten));
    ws.on('close', () => {
        const lines = fs.readFileSync(T('ws.txt'), 'utf8').split('\n');
        console.log('ws close', lines.length, lines[499], lines[500]);
        resolve();
    });
});

await new Promise((resolve) => {
    const ws = fs.createWriteStream(T('ws.txt'), { flags: 'a' });
    ws.end('appended', () => {
        console.log('ws append', fs.readFileSync(T('ws.txt'), 'utf8')
            .split('\n').pop());
        resolve();
    });
});

await new Promise((resolve) => {
    const ws = fs.createWriteStream(T('ws.txt'), { flags: 'r+', start: 2 });
    ws.write('**');
    ws.close(() => {
        console.log('ws start', fs.readFileSync(T('ws.txt'), 'utf8')
            .slice(0, 8));
        resolve();
    });
});

await new Promise((resolve) => {
    const ws = fs.createWriteStream(T('nodir/x'));
    ws.on('error', (e) => console.log('ws error', e.code, e.syscall));
    ws.on('close', resolve);
    ws.write('x');
});

fs.rmSync(tmp, { recursive: true, force: true });
console.log('cleaned', fs.existsSync(tmp));
