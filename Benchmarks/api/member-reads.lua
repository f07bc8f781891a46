-- wrk script: every request reads one of the first 1,000 members by customer id.
local counter = 0
local key = os.getenv("PATRON_KEY")

function request()
  counter = counter + 1
  return wrk.format("GET", "/v1/members/customer:c" .. (counter % 1000), {["Authorization"] = "Bearer " .. key})
end
