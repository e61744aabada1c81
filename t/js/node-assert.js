// node:assert and node:assert/strict: pass/fail, AssertionError fields
import assert from 'node:assert';
import strict from 'assert/strict';
import { AssertionError } from 'assert';

const show = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));

function fails(name, fn) {
    try {
        fn();
        show(name, 'passed');
    } catch (e) {
        show(name, e.name, e.code, e instanceof AssertionError,
             e.operator, e.generatedMessage);
    }
}

assert(true);
assert.ok(1);
assert.equal(1, '1');
assert.deepEqual({ a: 1 }, { a: '1' });
assert.deepStrictEqual({ a: [1, { b: new Map([[1, 2]]) }] },
                       { a: [1, { b: new Map([[1, 2]]) }] });
assert.notDeepStrictEqual({ a: 1 }, { a: '1' });
assert.strictEqual(NaN, NaN);
assert.match('abc', /b/);
assert.throws(() => {
    throw new TypeError('bad thing');
}, TypeError);
assert.throws(() => {
    throw new TypeError('bad thing');
}, { name: 'TypeError', message: /bad/ });
assert.doesNotThrow(() => {});
show('passing asserts passed');

fails('ok', () => assert.ok(0));
fails('equal', () => assert.equal(1, 2));
fails('strictEqual', () => assert.strictEqual(1, '1'));
fails('deepStrictEqual', () => assert.deepStrictEqual({ a: 1 }, { a: '1' }));
fails('notStrictEqual', () => assert.notStrictEqual(1, 1));
fails('throws', () => assert.throws(() => {}));
fails('match', () => assert.match('abc', /x/));
fails('fail', () => assert.fail('boom'));
fails('ifError', () => assert.ifError(new Error('e')));
fails('strict.equal', () => strict.equal(1, '1'));
fails('strict.deepEqual', () => strict.deepEqual([1], ['1']));
fails('custom message', () => assert.strictEqual(1, 2, 'my message'));

try {
    assert.strictEqual(1, 2, 'my message');
} catch (e) {
    show(e.message, e.actual, e.expected);
}

await assert.rejects(Promise.reject(new Error('no')), /no/);
await assert.doesNotReject(Promise.resolve(1));
try {
    await assert.rejects(Promise.resolve(1));
} catch (e) {
    show('rejects', e.code);
}
show(strict === assert.strict, typeof new AssertionError({ message: 'm' }));
