// njs 0.7.9: the body is in memory (client_body_buffer_size 128k)
function transform(data) {
    const items = [];
    let sum = 0;
    for (let i = 0; i < data.items.length; i++) {
        const it = data.items[i];
        if (!it.active) continue;
        const total = it.price * it.qty;
        sum += total;
        items.push({ id: it.id, name: it.name.toUpperCase(), tags: it.tags.length, total: total });
    }
    return { count: items.length, sum: sum, items: items };
}

function cpu(r) {
    r.headersOut['Content-Type'] = 'application/json';
    r.return(200, JSON.stringify(transform(JSON.parse(r.requestText))));
}

export default { cpu };
