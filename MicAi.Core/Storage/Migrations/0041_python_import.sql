-- Copies a Python mic.ai database into MicAi's tables, in this script's one transaction. The migrator renamed the
-- Python tables to python_* before the first MicAi script ran (Storage/PythonDatabase.cs); on any other database
-- there is no python_agent_rules and this script does nothing. Every insert skips rows already there, so the Python
-- tables stay as they are (an operator drops them) and copying again would change nothing.
DO $$
DECLARE
    python_fallback CONSTANT text := 'I heard: {text}. I can help with weather or reminders.';
BEGIN
    IF to_regclass('python_agent_rules') IS NULL THEN
        RETURN;
    END IF;

    -- Agents: Python knew them only by name. 'default-agent' is MicAi's default agent (0040); every other name becomes
    -- an agent with that name as its reference. The fallback is the reply Python gave when no rule matched.
    INSERT INTO agents (name, external_id, fallback_reply)
    SELECT n.agent_id, n.agent_id, python_fallback
    FROM (SELECT agent_id FROM python_agent_rules
          UNION SELECT agent_id FROM python_user_agent_bindings
          UNION SELECT agent_id FROM python_schedules) n
    WHERE NOT EXISTS (SELECT 1 FROM agents a WHERE a.external_id = n.agent_id)
    ORDER BY n.agent_id
    ON CONFLICT (external_id) DO NOTHING;
    UPDATE agents SET fallback_reply = python_fallback WHERE external_id = 'default-agent';

    -- Rules: keywords_csv split on '|'; call_weather is the weather tool, which its agents are then allowed.
    INSERT INTO agent_rules (agent_id, rule_type, enabled, priority, keywords, prefix, action, tool, reply_text, external_id)
    SELECT a.id, r.rule_type, r.enabled, r.priority,
           coalesce(array(SELECT trim(k) FROM unnest(string_to_array(r.keywords_csv, '|')) k WHERE trim(k) <> ''), '{}'),
           nullif(r.prefix, ''),
           CASE r.action WHEN 'call_weather' THEN 'tool' ELSE 'reply_text' END,
           CASE r.action WHEN 'call_weather' THEN 'weather' END,
           CASE r.action WHEN 'call_weather' THEN NULL ELSE r.reply_text END,
           r.id
    FROM python_agent_rules r JOIN agents a ON a.external_id = r.agent_id
    ORDER BY r.priority, r.id
    ON CONFLICT (external_id) DO NOTHING;
    UPDATE agents a SET allowed_tools = array_append(a.allowed_tools, 'weather')
    WHERE NOT ('weather' = ANY (a.allowed_tools))
      AND EXISTS (SELECT 1 FROM python_agent_rules r WHERE r.agent_id = a.external_id AND r.action = 'call_weather');

    -- Bindings are contacts: the agent, opt-out and the last message (the 24-hour window).
    INSERT INTO contacts (wa_id, agent_id, opted_out, opted_out_at, last_inbound_at)
    SELECT b.wa_id, a.id, b.opted_out, CASE WHEN b.opted_out THEN now() END, b.last_inbound_at
    FROM python_user_agent_bindings b LEFT JOIN agents a ON a.external_id = b.agent_id
    ON CONFLICT (wa_id) DO NOTHING;

    -- Turns: Python kept no message id, so each gets a reference of its own (one row per Python turn).
    INSERT INTO conversation_turns (wa_id, agent_id, inbound_wamid, inbound_text, reply_text, matched_rule_id, responder, created_at)
    SELECT t.wa_id, c.agent_id, 'python-turn:' || t.id, t.inbound_text, t.outbound_text, r.id,
           CASE WHEN t.matched_rule_id IS NULL THEN 'fallback' ELSE 'rule' END, t.created_at
    FROM python_conversation_turns t
    LEFT JOIN contacts c ON c.wa_id = t.wa_id
    LEFT JOIN agent_rules r ON r.external_id = t.matched_rule_id
    ORDER BY t.id
    ON CONFLICT (inbound_wamid) DO NOTHING;

    -- Message ids Python saw: a redelivery finds its row and is not answered again. One Python answered (its reply
    -- key is in the ledger) is processed; one it never answered is received, so MicAi answers it once (the drained
    -- job or the sweeper) if its gates allow.
    INSERT INTO inbound_messages (wamid, wa_id, type, text, payload, status, received_at, processed_at)
    SELECT d.message_id, d.wa_id, 'text', d.text, jsonb_build_object('imported_from', 'python mic.ai'),
           CASE WHEN s.idempotency_key IS NULL THEN 'received' ELSE 'processed' END, d.created_at,
           CASE WHEN s.idempotency_key IS NOT NULL THEN d.created_at END
    FROM python_inbound_dedup d LEFT JOIN python_outbound_sends s ON s.idempotency_key = 'reply:' || d.message_id
    ON CONFLICT (wamid) DO NOTHING;

    -- The ledger: a key Python used is never sent again. Final states carry over; a send Python may have started
    -- ('sending' or anything unknown) is 'unknown', never repeated blindly; pending and retrying stay sendable.
    INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, template_name, template_language, status, attempts,
                                   provider_message_id, error_text, created_at, updated_at, sent_at)
    SELECT s.idempotency_key, s.wa_id, CASE WHEN s.template_name IS NULL THEN 'text' ELSE 'template' END, s.body,
           s.template_name, CASE WHEN s.template_name IS NOT NULL THEN 'en_US' END,
           CASE WHEN s.status IN ('pending', 'retrying', 'sent', 'delivered', 'read', 'failed', 'suppressed', 'skipped')
                THEN s.status ELSE 'unknown' END,
           s.attempts, s.provider_message_id, s.last_error, s.created_at, s.updated_at,
           CASE WHEN s.status IN ('sent', 'delivered', 'read') THEN s.updated_at END
    FROM python_outbound_sends s
    ON CONFLICT (idempotency_key) DO NOTHING;

    -- Schedules: interval, next run, enabled and template as Python had them.
    INSERT INTO schedules (wa_id, agent_id, message_text, template_name, template_language, interval_minutes, next_run_at,
                           enabled, external_id)
    SELECT s.wa_id, a.id, s.message_text, s.template_name, CASE WHEN s.template_name IS NOT NULL THEN 'en_US' END,
           s.interval_minutes, s.next_run_at, s.enabled, s.id
    FROM python_schedules s LEFT JOIN agents a ON a.external_id = s.agent_id
    ORDER BY s.id
    ON CONFLICT (external_id) DO NOTHING;
END
$$;
