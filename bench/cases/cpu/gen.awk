# Writes the cpu case's fixed 50 KB request body (body.json) and the
# expected response (expect) into the directory OUT.  The transform every
# peer does: keep the active items, NAME upper-cased, the number of tags,
# total = price * qty; count and sum of the totals.
BEGIN {
    body = OUT "/body.json"; expf = OUT "/expect"
    s = "{\"items\":["; o = ""; count = 0; sum = 0
    for (i = 0; length(s) < 51200 - 200; i++) {
        price = (i * 37) % 1000 + 1; qty = (i * 7) % 10 + 1; active = (i % 3 != 0)
        it = sprintf("{\"id\":%d,\"name\":\"item-%d\",\"price\":%d,\"qty\":%d,\"active\":%s,\"tags\":[\"t%d\",\"t%d\"],\"note\":\"lorem ipsum dolor sit amet %d\"}",
                     i, i, price, qty, active ? "true" : "false", i % 5, i % 7, i * 13)
        s = s (i ? "," : "") it
        if (active) {
            total = price * qty; sum += total
            o = o (count ? "," : "") sprintf("{\"id\":%d,\"name\":\"ITEM-%d\",\"tags\":2,\"total\":%d}", i, i, total)
            count++
        }
    }
    s = s "],\"meta\":{\"source\":\"nv8 bench\",\"version\":1}}"
    printf "%s", s > body
    printf "{\"count\":%d,\"sum\":%d,\"items\":[%s]}", count, sum, o > expf
}
