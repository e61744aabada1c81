// The WPT URL cases (url/resources/urltestdata.json and setters_tests.json,
// copied into fixtures/) against the global URL, checked the way
// url-constructor.any.js and url-setters.any.js check them.  Prints the pass
// counts and every failure; the .out file records the real result.
import { readFile } from 'node:fs/promises';

function esc(v) {
    return JSON.stringify(v).replace(/[^ -~]/g,
        (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

const fields = ['href', 'protocol', 'username', 'password', 'host',
                'hostname', 'port', 'pathname', 'search', 'hash'];

const data = JSON.parse(await readFile('fixtures/urltestdata.json', 'utf8'));
let pass = 0;
let total = 0;
const failures = [];
for (const t of data) {
    if (typeof t === 'string') {
        continue;
    }
    total++;
    const what = `${esc(t.input)} base ${esc(t.base)}`;
    let url;
    try {
        url = t.base === null ? new URL(t.input) : new URL(t.input, t.base);
    } catch (e) {
        if (t.failure && e instanceof TypeError) {
            pass++;
        } else {
            failures.push(`${what}: threw ${e}`);
        }
        continue;
    }
    if (t.failure) {
        failures.push(`${what}: parsed as ${esc(url.href)}, want failure`);
        continue;
    }
    const bad = [];
    for (const f of fields) {
        if (url[f] !== t[f]) {
            bad.push(`${f} ${esc(url[f])} want ${esc(t[f])}`);
        }
    }
    if ('origin' in t && url.origin !== t.origin) {
        bad.push(`origin ${esc(url.origin)} want ${esc(t.origin)}`);
    }
    if ('searchParams' in t && url.searchParams.toString() !==
        t.searchParams) {
        bad.push(`searchParams ${esc(url.searchParams.toString())}`);
    }
    if (bad.length === 0) {
        pass++;
    } else {
        failures.push(`${what}: ${bad.join(', ')}`);
    }
}
console.log(`urltestdata: ${pass}/${total} passed`);
for (const f of failures) {
    console.log(`FAIL ${f}`);
}

const setters = JSON.parse(await readFile('fixtures/setters_tests.json',
                                          'utf8'));
pass = 0;
total = 0;
failures.length = 0;
for (const [attr, cases] of Object.entries(setters)) {
    if (attr === 'comment') {
        continue;
    }
    for (const t of cases) {
        total++;
        const url = new URL(t.href);
        url[attr] = t.new_value;
        const bad = [];
        for (const [f, want] of Object.entries(t.expected)) {
            if (url[f] !== want) {
                bad.push(`${f} ${esc(url[f])} want ${esc(want)}`);
            }
        }
        if (bad.length === 0) {
            pass++;
        } else {
            failures.push(`${attr} ${esc(t.href)} = ${esc(t.new_value)}: ` +
                          bad.join(', '));
        }
    }
}
console.log(`setters: ${pass}/${total} passed`);
for (const f of failures) {
    console.log(`FAIL ${f}`);
}
