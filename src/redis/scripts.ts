/**
 * The Lua scripts of the Redis store. Each runs atomically in Redis, so a create is one round trip
 * and replicas never see half of one: the id counter, the event, its unique-id index, the calendar
 * and age indexes, eviction beyond --max-events and the session's expiry move together.
 * Every script takes the seven keys of a session (keys.ts, in that order) and refreshes the expiry
 * of all of them, so a session lives while it is used and goes as a whole once idle.
 */

/**
 * Helpers every session script starts with. `ev` values are `<calendarId>|<n>|<field><record JSON>`:
 * the calendar, and the n-byte unique-id index field, readable without decoding the JSON (an update
 * or an eviction needs them, at the rate of the creates once a session is full).
 */
const PRELUDE = `
local function pad(id) return string.format('%012d', tonumber(id)) end
local function touch(ttl) for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ttl) end end
local function fieldOf(value)
  local first = string.find(value, '|', 1, true)
  local second = string.find(value, '|', first + 1, true)
  local length = tonumber(string.sub(value, first + 1, second - 1))
  return string.sub(value, second + 1, second + length)
end
local function forget(id)
  redis.call('ZREM', KEYS[4], id)
  redis.call('ZREM', KEYS[5], pad(id))
  local value = redis.call('HGET', KEYS[2], id)
  if not value then return end
  redis.call('HDEL', KEYS[2], id)
  local field = fieldOf(value)
  if redis.call('HGET', KEYS[3], field) == id then redis.call('HDEL', KEYS[3], field) end
end
local function evict(max)
  while redis.call('HLEN', KEYS[2]) > max do
    local oldest = redis.call('ZRANGE', KEYS[4], 0, 0)[1]
    if not oldest then break end
    forget(oldest)
  end
end
local function put(id, calendar, field, body)
  redis.call('HSET', KEYS[2], id, calendar .. '|' .. string.len(field) .. '|' .. field .. body)
  redis.call('HSET', KEYS[3], field, id)
  redis.call('ZADD', KEYS[5], calendar, pad(id))
end
local function newId()
  local id = tostring(redis.call('HINCRBY', KEYS[1], 'event', 1))
  redis.call('ZADD', KEYS[4], id, id)
  return id
end
`;

export const SESSION_KEY_COUNT = 7;

/**
 * ARGV: unique-id field, calendar id, record, max events, ttl ms. The owner's event of that unique
 * id is replaced in place and keeps its calendar; else a new one gets the next id.
 * Returns {objectId, calendarId, updated (0 or 1)}.
 */
export const SAVE_BY_UNIQUE_ID = `${PRELUDE}
local field, calendar = ARGV[1], ARGV[2]
local id = redis.call('HGET', KEYS[3], field)
local updated = 0
if id then
  local old = redis.call('HGET', KEYS[2], id)
  if old then
    calendar = string.sub(old, 1, string.find(old, '|', 1, true) - 1)
    updated = 1
  else
    id = false
  end
end
if not id then id = newId() end
put(id, calendar, field, ARGV[3])
evict(tonumber(ARGV[4]))
touch(ARGV[5])
return {id, calendar, updated}
`;

/**
 * ARGV: object id ('' for a new event), unique-id field, calendar id, record, max events, ttl ms.
 * Replaces the event in place, or adds it under the next id. Returns the object id.
 */
export const SAVE = `${PRELUDE}
local id = ARGV[1]
local old = false
if id ~= '' then old = redis.call('HGET', KEYS[2], id) end
if old then
  local oldField = fieldOf(old)
  if oldField ~= ARGV[2] and redis.call('HGET', KEYS[3], oldField) == id then redis.call('HDEL', KEYS[3], oldField) end
else
  id = newId()
end
put(id, ARGV[3], ARGV[2], ARGV[4])
evict(tonumber(ARGV[5]))
touch(ARGV[6])
return id
`;

/** ARGV: object id, ttl ms. Returns 1 when there was such an event, else 0. */
export const DELETE = `${PRELUDE}
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return 0 end
forget(ARGV[1])
touch(ARGV[2])
return 1
`;

/** ARGV: unique-id field. Returns {objectId, value} or nil. */
export const FIND_BY_UNIQUE_ID = `
local id = redis.call('HGET', KEYS[3], ARGV[1])
if not id then return false end
local value = redis.call('HGET', KEYS[2], id)
if not value then return false end
return {id, value}
`;

/**
 * ARGV: calendar id, offset, count. One page of the calendar's events in order of creation, as
 * {objectId, value, objectId, value, …}; a page is bounded so no script holds Redis long.
 */
export const LIST_BY_CALENDAR = `
local padded = redis.call('ZRANGEBYSCORE', KEYS[5], ARGV[1], ARGV[1], 'LIMIT', ARGV[2], ARGV[3])
local out = {}
for _, p in ipairs(padded) do
  local id = tostring(tonumber(p))
  local value = redis.call('HGET', KEYS[2], id)
  if value then
    out[#out + 1] = id
    out[#out + 1] = value
  end
end
return out
`;

/** Forgets the session's events and starts its ids again at "1" (the journal and seeds stay). */
export const RESET_EVENTS = `
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
redis.call('HDEL', KEYS[1], 'event')
return 1
`;

/**
 * ARGV: the entry's JSON without its opening brace and id, capacity, ttl ms, max bytes. Gives the
 * entry the session's next journal id, puts it first and drops the oldest while the journal holds
 * more than `capacity` entries or more than `max bytes` of entry text (`jbytes` in the counters
 * keeps the sum, so no entry is measured twice). Each call adds one entry, so the loop pops at
 * most what that entry pushed over (the whole list at worst, when the limits were lowered).
 */
export const RECORD = `${PRELUDE}
local id = redis.call('HINCRBY', KEYS[1], 'journal', 1)
local entry = '{"id":"' .. id .. '",' .. ARGV[1]
redis.call('LPUSH', KEYS[6], entry)
local capacity, maxBytes = tonumber(ARGV[2]), tonumber(ARGV[4])
local bytes = redis.call('HINCRBY', KEYS[1], 'jbytes', string.len(entry))
while redis.call('LLEN', KEYS[6]) > capacity or (bytes > maxBytes and redis.call('LLEN', KEYS[6]) > 1) do
  local dropped = redis.call('RPOP', KEYS[6])
  if not dropped then break end
  bytes = redis.call('HINCRBY', KEYS[1], 'jbytes', -string.len(dropped))
end
touch(ARGV[3])
return id
`;

/** Forgets the journal; its ids start again at "1". */
export const CLEAR_JOURNAL = `
redis.call('DEL', KEYS[6])
redis.call('HDEL', KEYS[1], 'journal', 'jbytes')
return 1
`;

/**
 * ARGV: seed, max seeds, ttl ms. The seed's next count; a new seed beyond the maximum pushes out
 * another one, picked at random.
 */
export const NEXT_SEED = `${PRELUDE}
if redis.call('HEXISTS', KEYS[7], ARGV[1]) == 0 and redis.call('HLEN', KEYS[7]) >= tonumber(ARGV[2]) then
  redis.call('HDEL', KEYS[7], redis.call('HRANDFIELD', KEYS[7]))
end
local n = redis.call('HINCRBY', KEYS[7], ARGV[1], 1)
touch(ARGV[3])
return n
`;

/**
 * KEYS: the token's key, the index of live tokens. ARGV: user id, lifetime ms, now ms, max tokens.
 * The token expires in Redis itself; the index drops expired ones and, beyond the maximum, the
 * ones that expire first, so a flood of log-ins stays bounded.
 */
export const ISSUE_TOKEN = `
local lifetime, now, max = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('SET', KEYS[1], ARGV[1], 'PX', lifetime)
redis.call('ZADD', KEYS[2], now + lifetime, KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
while redis.call('ZCARD', KEYS[2]) > max do
  local popped = redis.call('ZPOPMIN', KEYS[2])
  redis.call('DEL', popped[1])
end
redis.call('PEXPIRE', KEYS[2], lifetime)
return 1
`;
