-- One placed-order event as raw SQL, one transaction each: what Patron's write path does for it on PostgreSQL
-- (idempotency check, order row, pending entry, member's pending balance, stored outcome), without Patron.
\set member random(1, 2000)
\set key random(1, 1000000000000)
BEGIN;
SELECT fingerprint, outcome FROM idempotency WHERE key = 'pgbench:' || :key;
SELECT member_id FROM identities WHERE kind = 'customer' AND value = 'B' || :member;
INSERT INTO orders (id, member_id, status, placed_at, amount, kept, discount, points, base, reversed_points, program_version, points_used, lines)
  VALUES ('pgbench-' || :key, :member, 'placed', 1767225600000, 1999, 1999, 0, 19, 1999, 0, 1, 0, '1|SKU|1|1999|1999|0')
  ON CONFLICT DO NOTHING;
INSERT INTO entries (member_id, kind, active_delta, pending_delta, order_id, program_version, occurred_at)
  VALUES (:member, 'pending', 0, 19, 'pgbench-' || :key, 1, 1767225600000);
UPDATE members SET pending = pending + 19 WHERE id = :member;
INSERT INTO idempotency (key, fingerprint, outcome, created_at) VALUES ('pgbench:' || :key, 1, 'outcome', 1767225600000)
  ON CONFLICT DO NOTHING;
COMMIT;
