-- wrk script for make bench's spread runs: each request asks for another
-- address of one kind of page, read from a file (one a line, most visited
-- first). Arguments: the file, then "even" (every address once, in an order
-- that owes nothing to popularity, as a crawler reads them) or "zipf"
-- (address k with weight 1/k, as readers do).
-- Counts the page cache's X-Cache answers and prints one JSON line, like
-- wrk_report.lua, with the hits and misses.
local threads = {}

-- Who reads, as the User-Agent says it: a search engine's crawler reads
-- every address once (and, like any robot, counts no view), one reader's
-- browser the popular ones.
local agents = {
  even = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  zipf = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then table.insert(paths, line) end
  end
  mode = args[2] or "zipf"
  hits, misses = 0, 0
  position = 0
  math.randomseed(tonumber(args[3] or "1"))
  if mode == "even" then
    -- Shuffled (Fisher-Yates, seeded): a short run read in list order would
    -- only ever meet the most popular, heaviest pages at the head of the list.
    for k = #paths, 2, -1 do
      local j = math.random(k)
      paths[k], paths[j] = paths[j], paths[k]
    end
  elseif mode == "zipf" then
    cumulative = {}
    local total = 0
    for k = 1, #paths do
      total = total + 1 / k
      cumulative[k] = total
    end
    weight = total
  end
end

local function zipf_index()
  local target = math.random() * weight
  local low, high = 1, #paths
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < target then low = middle + 1 else high = middle end
  end
  return low
end

function request()
  local index
  if mode == "even" then
    index = position % #paths + 1
    position = position + 1
  else
    index = zipf_index()
  end
  -- Browsers and crawlers alike ask for compressed pages (bench/report.py).
  return wrk.format("GET", paths[index], {
    ["User-Agent"] = agents[mode],
    ["Accept-Encoding"] = "gzip, deflate, br, zstd",
  })
end

function response(status, headers, body)
  local state = headers["X-Cache"]
  if state == "hit" then hits = hits + 1 elseif state == "miss" then misses = misses + 1 end
end

done = function(summary, latency, requests)
  local h, m = 0, 0
  for _, thread in ipairs(threads) do
    h = h + (thread:get("hits") or 0)
    m = m + (thread:get("misses") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"hits": %d, "misses": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout, h, m))
end
