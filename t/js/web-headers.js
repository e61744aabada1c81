// Headers per the Fetch Standard.
function show(fn) {
    try {
        console.log('ok', JSON.stringify(fn()));
    } catch (e) {
        console.log('threw', e.name, e.message);
    }
}

const h = new Headers({ 'Content-Type': 'text/html', 'X-B': ' padded\t' });
h.append('x-a', '1');
h.append('X-A', '2');
h.append('Set-Cookie', 'a=1');
h.append('set-cookie', 'b=2');
console.log(JSON.stringify([...h]));
console.log(h.get('x-a'), h.get('X-B'), h.get('missing'), h.has('CONTENT-type'),
            h.get('set-cookie'));
console.log(JSON.stringify(h.getSetCookie()));
console.log(JSON.stringify([...h.keys()]), JSON.stringify([...h.values()]));
h.set('X-A', '3');
h.delete('content-type');
console.log(JSON.stringify([...h.entries()]));
const each = [];
h.forEach((v, k, self) => each.push(`${k}=${v}:${self === h}`));
console.log(each.join(' '));

console.log(JSON.stringify([...new Headers([['b', '1'], ['a', '2'],
                                            ['B', '3']])]));
console.log(JSON.stringify([...new Headers(h)]));
console.log(JSON.stringify([...new Headers()]), String(new Headers()));

// the iterator sees changes made while iterating
const live = new Headers({ a: '1', c: '3' });
const it = live[Symbol.iterator]();
console.log(JSON.stringify(it.next().value));
live.append('b', '2');
console.log(JSON.stringify(it.next().value), String(it));

show(() => new Headers({ 'bad name': 'x' }));
show(() => new Headers({ '': 'x' }));
show(() => new Headers({ 'x-\u00e9': 'x' }));
show(() => new Headers({ a: 'line\nbreak' }));
show(() => new Headers({ a: 'carriage\rreturn' }));
show(() => new Headers({ a: 'nul\0byte' }));
show(() => new Headers({ a: '\u0100' }));
show(() => new Headers({ a: ' \r\n trimmed \r\n ' }).get('a'));
show(() => new Headers([['a']]));
show(() => new Headers([['a', 'b', 'c']]));
show(() => new Headers('a: b'));
show(() => new Headers([1]));
show(() => h.get());
show(() => h.append('a'));
