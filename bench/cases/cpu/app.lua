-- Debian's lua-cjson parses; the output is concatenated in a fixed key
-- order because cjson.encode() does not keep key order.
local cjson = require("cjson")
local _M = {}

function _M.cpu()
    ngx.req.read_body()
    local body = ngx.req.get_body_data()      -- in memory: client_body_buffer_size 128k
    if not body then return ngx.exit(500) end
    local data = cjson.decode(body)
    local parts, n, sum = {}, 0, 0
    for _, it in ipairs(data.items) do
        if it.active then
            local total = it.price * it.qty
            sum = sum + total
            n = n + 1
            parts[n] = '{"id":' .. it.id .. ',"name":' .. cjson.encode(it.name:upper())
                .. ',"tags":' .. #it.tags .. ',"total":' .. total .. '}'
        end
    end
    ngx.print('{"count":', n, ',"sum":', sum, ',"items":[', table.concat(parts, ','), ']}')
end

return _M
