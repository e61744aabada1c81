console.log('%s is %d years', 'Bob', 42, { extra: [1, 'two'] });
console.log(new Map([[1, 2]]), new Set(['a']), null, undefined, -0);
console.info({ nested: { deep: { deeper: { deepest: 1 } } } });
console.log(new TextDecoder().decode(new TextEncoder().encode('h\u00e9llo')));
console.log(typeof globalThis.global, typeof setImmediate);
const m = await import('./fixtures/dyn.js');
console.log(m.value, import.meta.url.startsWith('file:///'));
console.log('nul:a\0b', 'c\0');
