-- wrk script: GET QUERY_PATH (default /search) with each line of the file named by the QUERIES
-- environment variable (one URL-encoded query string per line, "q=...&genre=..."), in turn,
-- forever.
local lines = {}
local index = 0
local path = os.getenv("QUERY_PATH") or "/search"

function init(args)
  for line in io.lines(os.getenv("QUERIES")) do
    lines[#lines + 1] = line
  end
  index = math.random(#lines)
end

function request()
  index = index % #lines + 1
  return wrk.format("GET", path .. "?" .. lines[index])
end
