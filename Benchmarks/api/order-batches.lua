-- wrk script: every request is a batch of PATRON_BATCH (default 1,000) new one-line orders for 10,000 customers,
-- sent to POST /v1/orders/events/batch. Events per second = requests per second × the batch size.
local counter = 0
local key = os.getenv("PATRON_KEY")
local size = tonumber(os.getenv("PATRON_BATCH") or "1000")

function setup(thread)
  thread:set("prefix", tostring(math.random(1, 1000000000)))
end

function request()
  local events = {}
  for i = 1, size do
    counter = counter + 1
    local id = prefix .. "-" .. counter
    events[i] = '{"id":"e' .. id .. '","kind":"placed","orderId":"O' .. id .. '","order":{"id":"O' .. id ..
      '","member":{"kind":"customer","value":"c' .. (counter % 10000) .. '"},"lines":[{"sku":"A","quantity":1,"unitPrice":1500}]}}'
  end
  local body = '{"events":[' .. table.concat(events, ",") .. ']}'
  return wrk.format("POST", "/v1/orders/events/batch", {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end
