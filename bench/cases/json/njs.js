// njs 0.7.9's objects do not keep insertion order at this size (its
// JSON.stringify of the build() the other peers use puts field7 first), so
// the same fields are serialised one by one, in order, as the Lua peer does.
function build(n) {
    const parts = [];
    for (let i = 0; i < n; i++) {
        const v = i % 3 === 0 ? i * 1000 + 7
                : i % 3 === 1 ? 'value ' + i : i % 2 === 0;
        parts.push('"field' + i + '":' + JSON.stringify(v));
    }
    return '{' + parts.join(',') + '}';
}

function json(r) {
    const n = r.args.n !== undefined ? Number(r.args.n) : 20;
    r.headersOut['Content-Type'] = 'application/json';
    r.return(200, build(n));
}

export default { json };
