-- The operator console reads the ledger by time: its newest page with no filter (ORDER BY created_at DESC,
-- idempotency_key LIMIT n, GET /admin/outbound/messages) and the dashboard's sends in the last hour (created_at >=
-- now() - 1 hour, GET /admin/stats). This index serves both without sorting or scanning the whole table.
CREATE INDEX outbound_by_created ON outbound_messages (created_at DESC, idempotency_key);
