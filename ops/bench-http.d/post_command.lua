-- wrk script: POST /api/v1/commands, each request registering a network on a
-- stream of its own (distinct streams, so appends never queue on one stream).
-- WAYMARK_BENCH_TOKEN: an officer's token.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local token = os.getenv("WAYMARK_BENCH_TOKEN")
local n = 0
function request()
  n = n + 1
  local body = string.format(
    '{"stream":"network-w%d-%d-%d","type":"RegisterNetwork","data":{"name":"Bench %d","region":"Bench"}}',
    tid, os.time(), n, n)
  return wrk.format("POST", "/api/v1/commands",
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
                    body)
end
