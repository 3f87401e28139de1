-- cycle.lua — wrk script: each request takes the next target of the file named by the URLS
-- environment variable (one target a line), round robin over all connections, so a run asks
-- thousands of distinct questions instead of one URL again and again. With the mhd target
-- the path is still sent, and ignored by the fixed-body server. Non-2xx answers are counted
-- by wrk itself ("Non-2xx or 3xx responses"); no response() hook, so wrk skips body parsing.
local targets = {}
local n = 0
local i = 0

local f = assert(io.open(os.getenv("URLS"), "r"))
for line in f:lines() do
  if #line > 0 then
    n = n + 1
    targets[n] = line
  end
end
f:close()
-- Each wrk thread starts at a different place (wrk -t1 in our runs: one thread, offset 0).
i = math.random(0, n - 1)

request = function()
  i = i % n + 1
  return wrk.format("GET", targets[i])
end
