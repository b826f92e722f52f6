-- Issue 14 (hardening).

-- A message Meta sent that MicAi cannot use (a bad timestamp, a missing or malformed id or sender, wrong types) is
-- stored as 'invalid', with the reason in error and the raw entry in payload: never answered, never lost.
ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_status_check;
ALTER TABLE inbound_messages ADD CONSTRAINT inbound_messages_status_check
    CHECK (status IN ('received', 'queued', 'processed', 'ignored', 'failed', 'invalid'));

-- Each agent's rules carry a version that every change to them raises, in the same transaction: a worker reads it
-- with the message (no extra round trip) and compiles the agent's rules again only when it moved (Agents/AgentRuleCache).
ALTER TABLE agents ADD COLUMN rules_version bigint NOT NULL DEFAULT 0;

-- OR REPLACE: the Python switch-over rollback (DEPLOYMENT.md §18) moves the tables aside but leaves functions, and a
-- later migrate runs this script again.
CREATE OR REPLACE FUNCTION agent_rules_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE agents SET rules_version = rules_version + 1 WHERE id = OLD.agent_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.agent_id IS DISTINCT FROM OLD.agent_id) THEN
        UPDATE agents SET rules_version = rules_version + 1 WHERE id = NEW.agent_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER agent_rules_version AFTER INSERT OR UPDATE OR DELETE ON agent_rules
    FOR EACH ROW EXECUTE FUNCTION agent_rules_changed();
