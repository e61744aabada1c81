import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { EventEmitter } from 'node:events';

// What nv8's fs does beyond (or unlike) Node: fd calls take only
// descriptors fs opened, a collected FileHandle closes its fd, close()
// waits for work in flight, and a file stream piped into a destination
// that closes early is destroyed.  Run with --expose-gc (fs-nv8.env).

const tmp = fs.mkdtempSync('/tmp/nv8-fs-nv8-');
const T = (name) => `${tmp}/${name}`;
const fds = () => fs.readdirSync('/proc/self/fd').length;
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
const sync = (label, f) => {
    try {
        console.log(label, f());
    } catch (e) {
        console.log(label, e.code, e.syscall);
    }
};

fs.writeFileSync(T('a.txt'), 'hello world');

// descriptors the process has but fs did not open are out of reach
sync('readSync 0', () => fs.readSync(0, Buffer.alloc(1), 0, 1, null));
sync('writeSync 1', () => fs.writeSync(1, 'not written\n'));
sync('fstatSync 2', () => fs.fstatSync(2).size);
sync('closeSync 2', () => fs.closeSync(2));
await fsp.readFile('/dev/null').then(() => 0);
console.log('stdout still open', fs.existsSync('/proc/self/fd/1'));

// a FileHandle dropped while open: closed when collected (Node's warning
// goes to the log, here stderr)
const before = fds();
let dropped;
await (async () => {
    const fh = await fsp.open(T('a.txt'));
    dropped = fh.fd;
    console.log('open adds one', fds() - before);
})();
for (let i = 0; i < 5 && fds() !== before; i++) {
    globalThis.gc();
    await tick();
}
console.log('collected handle closed', fds() - before);
sync('its number is gone', () => fs.fstatSync(dropped));

// closing while reads are in flight: they complete, then the fd goes
{
    const fd = fs.openSync(T('a.txt'));
    const reads = [];
    for (let i = 0; i < 10; i++) {
        reads.push(new Promise((resolve) => {
            fs.read(fd, Buffer.alloc(5), 0, 5, 6, (err, n, b) => {
                resolve(err ? err.code : b.toString());
            });
        }));
    }
    fs.closeSync(fd);
    sync('after closeSync', () => fs.fstatSync(fd));
    const got = await Promise.all(reads);
    console.log('reads in flight', got.every((s) => s === 'world'));
    await tick();
    console.log('fds back', fds() - before);
}

// a destination that closes mid-stream destroys the file stream
{
    const big = Buffer.alloc(1 << 20, 'x');
    fs.writeFileSync(T('big'), big);
    const dest = new EventEmitter();
    let got = 0;
    dest.write = (chunk) => {
        got += chunk.length;
        if (got >= 65536) {
            queueMicrotask(() => dest.emit('close'));
        }
        return true;
    };
    dest.end = () => console.log('dest end (not expected)');
    const rs = fs.createReadStream(T('big'));
    await new Promise((resolve) => {
        rs.on('close', resolve);
        rs.pipe(dest);
    });
    console.log('stream destroyed', rs.destroyed, got < big.length);
    console.log('fds back', fds() - before);
}

fs.rmSync(tmp, { recursive: true });
console.log('cleaned', fs.existsSync(tmp));
