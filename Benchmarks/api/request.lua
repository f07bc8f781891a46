-- wrk script for one read-shaped route: PATRON_METHOD (GET) PATRON_PATH, where {n} becomes 0…PATRON_SPREAD-1 in turn
-- (default 1,000), with PATRON_BODY as a JSON body when given and the key PATRON_KEY.
local counter = 0
local key = os.getenv("PATRON_KEY")
local method = os.getenv("PATRON_METHOD") or "GET"
local path = os.getenv("PATRON_PATH")
local body = os.getenv("PATRON_BODY")
local spread = tonumber(os.getenv("PATRON_SPREAD") or "1000")
local headers = {["Authorization"] = "Bearer " .. key}
if body then headers["Content-Type"] = "application/json" end

function request()
  counter = counter + 1
  local target = path:gsub("{n}", tostring(counter % spread))
  return wrk.format(method, target, headers, body)
end
