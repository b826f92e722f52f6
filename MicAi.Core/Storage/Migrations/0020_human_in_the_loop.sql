-- Human in the loop (issue 15): handover to a person, operator sends, a timeline per contact, a useful default agent.

-- A contact handed over to a person: the bot sends nothing to them while the row is active (until IS NULL: until
-- released). Released = the row is deleted. reason: an operator started it, the customer asked (a handover
-- keyword), or a person answered from the WhatsApp Business app (coexistence echo).
CREATE TABLE handovers (
    wa_id       text PRIMARY KEY,
    reason      text        NOT NULL CHECK (reason IN ('operator', 'customer', 'business_app')),
    started_at  timestamptz NOT NULL DEFAULT now(),
    until       timestamptz,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Per-agent words that ask for a person, and what the customer is told then.
ALTER TABLE agents ADD COLUMN handover_keywords text[] NOT NULL DEFAULT '{agent,human}';
ALTER TABLE agents ADD COLUMN handover_reply text NOT NULL
    DEFAULT 'Thanks, a person from our team will answer you here shortly.';

-- The default agent says what it can do (as the Python service did) and can do it: weather and reminders.
UPDATE agents
SET fallback_reply = 'I heard: {text}. I can help with weather or reminders. Say "help" to see what I can do.',
    allowed_tools = CASE WHEN allowed_tools = '{}' THEN '{weather,remind}' ELSE allowed_tools END
WHERE is_default AND fallback_reply = 'Sorry, I did not understand that. Try "help".';

-- The ledger says who wrote each row and when each delivery status came; operator sends remember their request.
ALTER TABLE outbound_messages ADD COLUMN author text;            -- rule, tool:weather, llm, fallback, help, handover, operator, schedule, remind, business_app
ALTER TABLE outbound_messages ADD COLUMN delivered_at timestamptz;
ALTER TABLE outbound_messages ADD COLUMN read_at timestamptz;
ALTER TABLE outbound_messages ADD COLUMN failed_at timestamptz;
ALTER TABLE outbound_messages ADD COLUMN request_hash text;      -- operator sends: SHA-256 of the request, for Idempotency-Key
ALTER TABLE outbound_messages ADD COLUMN resend_of text;         -- an operator's explicit resend of an 'unknown' row

-- The timeline: a contact's messages newest first, keyset-paged on (time, key) in both tables.
CREATE INDEX inbound_by_contact ON inbound_messages (wa_id, received_at DESC, wamid DESC);
DROP INDEX outbound_by_recipient;
CREATE INDEX outbound_by_recipient ON outbound_messages (wa_id, created_at DESC, idempotency_key DESC);
-- The attention list: unknown and failed sends.
CREATE INDEX outbound_needing_attention ON outbound_messages (updated_at) WHERE status IN ('unknown', 'failed');

-- Schedules carry template parameters (body and header, positional text).
ALTER TABLE schedules ADD COLUMN template_body_params jsonb;
ALTER TABLE schedules ADD COLUMN template_header_params jsonb;
-- An 'unknown' row's explicit resend (at most one is looked for).
CREATE INDEX outbound_by_resend_of ON outbound_messages (resend_of) WHERE resend_of IS NOT NULL;
-- The attention list: inbound messages of the last 24 hours that nobody answered.
CREATE INDEX inbound_by_received_at ON inbound_messages (received_at);
