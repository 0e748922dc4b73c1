-- wrk script: GET /search for each line of the file named by the QUERIES environment variable
-- (one URL-encoded query string per line, "q=...&genre=..."), in turn, forever.
local lines = {}
local index = 0

function init(args)
  for line in io.lines(os.getenv("QUERIES")) do
    lines[#lines + 1] = line
  end
  index = math.random(#lines)
end

function request()
  index = index % #lines + 1
  return wrk.format("GET", "/search?" .. lines[index])
end
