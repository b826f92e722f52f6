-- The columns that carry a message's bytes (the webhook's JSON, the customer's text, the reply) are never in a WHERE,
-- JOIN or ORDER BY: rows are found by their keys, contacts and times. Yet ANALYZE sampled and sorted them: 30,000
-- values of a 1-3 KB jsonb each time autovacuum analyzed inbound_messages, one core busy for a third of a second per
-- 200,000 rows (0.34 s against 0.21 s without them), while webhooks were waiting for that core. With no statistics
-- target the planner keeps its defaults for these columns, which no query's plan depends on. Catalog only: instant.
ALTER TABLE inbound_messages ALTER COLUMN payload SET STATISTICS 0, ALTER COLUMN text SET STATISTICS 0;
ALTER TABLE conversation_turns ALTER COLUMN inbound_text SET STATISTICS 0, ALTER COLUMN reply_text SET STATISTICS 0;
ALTER TABLE outbound_messages ALTER COLUMN body SET STATISTICS 0;
