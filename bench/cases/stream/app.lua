-- 10 MiB: the same 64 KiB chunk 160 times; ngx.flush(true) waits until
-- nginx has sent each chunk (back-pressure).
local chunk = string.rep(string.rep("x", 63) .. "\n", 1024)
local _M = {}

function _M.stream()
    for _ = 1, 160 do
        ngx.print(chunk)
        ngx.flush(true)
    end
end

return _M
