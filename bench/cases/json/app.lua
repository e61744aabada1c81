-- The 20-field object, serialised by concatenation in a fixed key order:
-- cjson.encode() does not keep key order, so its bytes would differ from
-- the other peers'.  (Cheaper than a generic encoder: flatters Lua a bit.)
local _M = {}
local concat = table.concat

function _M.json()
    local n = tonumber(ngx.var.arg_n) or 20
    local parts = {}
    for i = 0, n - 1 do
        local v
        if i % 3 == 0 then
            v = tostring(i * 1000 + 7)
        elseif i % 3 == 1 then
            v = '"value ' .. i .. '"'
        else
            v = (i % 2 == 0) and 'true' or 'false'
        end
        parts[i + 1] = '"field' .. i .. '":' .. v
    end
    ngx.print('{', concat(parts, ','), '}')
end

return _M
