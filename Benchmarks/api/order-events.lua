-- wrk script: every request places a new one-line order for one of 10,000 customers (enrolled on first order).
local counter = 0
local key = os.getenv("PATRON_KEY")

function setup(thread)
  -- PATRON_PREFIX keeps the ids of several wrk processes apart (each seeds its random numbers alike).
  thread:set("prefix", (os.getenv("PATRON_PREFIX") or "") .. tostring(math.random(1, 1000000000)))
end

function request()
  counter = counter + 1
  local id = prefix .. "-" .. counter
  local body = '{"id":"e' .. id .. '","kind":"placed","orderId":"O' .. id .. '","order":{"id":"O' .. id ..
    '","member":{"kind":"customer","value":"c' .. (counter % 10000) .. '"},"lines":[{"sku":"A","quantity":1,"unitPrice":1500}]}}'
  return wrk.format("POST", "/v1/orders/events", {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end
