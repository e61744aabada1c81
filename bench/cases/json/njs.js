// njs 0.7.9: the same build() as the other JavaScript peers
function build(n) {
    const obj = {};
    for (let i = 0; i < n; i++) {
        obj['field' + i] = i % 3 === 0 ? i * 1000 + 7
                         : i % 3 === 1 ? 'value ' + i : i % 2 === 0;
    }
    return obj;
}

function json(r) {
    const n = r.args.n !== undefined ? Number(r.args.n) : 20;
    r.headersOut['Content-Type'] = 'application/json';
    r.return(200, JSON.stringify(build(n)));
}

export default { json };
