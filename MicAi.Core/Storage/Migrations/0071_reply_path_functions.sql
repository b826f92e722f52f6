-- The reply path's writes as PL/pgSQL functions, for the reason answer_context (0070) is one: behind a
-- transaction-mode pooler nothing can be prepared, so each statement was parsed, analysed and planned on every call,
-- and a function's statements are planned once per server connection and kept, whichever client the pooler lends it
-- to. The bench's statement profile at 200 replies/s, where each job writes alone, put this planning beside the
-- execution of every reply (µs per reply, planning + execution): the sent mark 175 + 207, the contact touch 163 + 122,
-- the inbound status 132 + 153, the ledger insert 82 + 225, the webhook insert 68 + 231, the turn insert 38 + 138.
-- pgbench (one client, simple protocol as behind the pooler, commits not waited for): the sent mark of one row
-- 0.48-0.55 ms as a statement, 0.38-0.44 ms as this function.
-- The writes that return nothing are procedures, called with CALL: a CALL returns no result set, so the answer's
-- batch still has one (the ledger keys it inserted), and it is not planned at all.
-- Each body is the statement it replaces, unchanged but for its parameters' names. As in 0070: force_generic_plan
-- (else a one-row call is planned afresh each time) and enable_seqscan = off (a plan kept from the first seconds of a
-- deployment, made on empty tables, would otherwise scan them whole as they grow: every row here is found by key).
-- OR REPLACE: the rollback to the Python service (DEPLOYMENT.md §18) moves MicAi's tables aside but not its
-- functions, and a later migrate runs this again.

-- Inbox/InboundStoreInsert.cs: the webhooks' messages, one statement for the webhooks arriving together.
CREATE OR REPLACE FUNCTION store_inbound(p_wamids text[], p_phone_number_ids text[], p_wa_ids text[], p_phones text[],
    p_user_ids text[], p_profile_names text[], p_types text[], p_texts text[], p_context_message_ids text[],
    p_sent_ats timestamptz[], p_payloads jsonb[], p_statuses text[], p_errors text[])
RETURNS TABLE (wamid text, status text)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    INSERT INTO inbound_messages
        (wamid, phone_number_id, wa_id, phone, user_id, profile_name, type, text, context_message_id, sent_at, payload, status, error)
    SELECT * FROM unnest(p_wamids, p_phone_number_ids, p_wa_ids, p_phones, p_user_ids, p_profile_names, p_types,
                         p_texts, p_context_message_ids, p_sent_ats, p_payloads, p_statuses, p_errors)
    ON CONFLICT (wamid) DO NOTHING
    RETURNING inbound_messages.wamid, inbound_messages.status;
END
$$;

-- Agents/ContactStore.cs: the contacts of the answered messages (one row each, in wa_id order: one lock order).
CREATE OR REPLACE PROCEDURE touch_contacts(p_wamids text[])
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
BEGIN
    INSERT INTO contacts (wa_id, phone, user_id, profile_name, last_inbound_at)
    SELECT wa_id,
           (array_agg(phone ORDER BY at DESC) FILTER (WHERE phone IS NOT NULL))[1],
           (array_agg(user_id ORDER BY at DESC) FILTER (WHERE user_id IS NOT NULL))[1],
           (array_agg(profile_name ORDER BY at DESC) FILTER (WHERE profile_name IS NOT NULL))[1],
           max(at)
    FROM (SELECT wa_id, phone, user_id, profile_name, LEAST(COALESCE(sent_at, received_at), received_at) AS at
          FROM inbound_messages WHERE wamid = ANY(p_wamids)) m
    GROUP BY wa_id ORDER BY wa_id
    ON CONFLICT (wa_id) DO UPDATE SET
        last_inbound_at = GREATEST(contacts.last_inbound_at, EXCLUDED.last_inbound_at),
        profile_name = COALESCE(EXCLUDED.profile_name, contacts.profile_name),
        phone = COALESCE(EXCLUDED.phone, contacts.phone),
        user_id = COALESCE(EXCLUDED.user_id, contacts.user_id),
        updated_at = now();
END
$$;

-- Agents/ConversationStoreAnswers.cs: the answers' turns.
CREATE OR REPLACE PROCEDURE record_turns(p_wa_ids text[], p_agent_ids bigint[], p_inbound_wamids text[],
    p_inbound_texts text[], p_reply_texts text[], p_matched_rule_ids bigint[], p_responders text[])
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
BEGIN
    INSERT INTO conversation_turns (wa_id, agent_id, inbound_wamid, inbound_text, reply_text, matched_rule_id, responder)
    SELECT * FROM unnest(p_wa_ids, p_agent_ids, p_inbound_wamids, p_inbound_texts, p_reply_texts, p_matched_rule_ids, p_responders)
    ON CONFLICT (inbound_wamid) DO NOTHING;
END
$$;

-- Inbox/InboundStore.cs: the answered messages' status, in wamid order.
CREATE OR REPLACE PROCEDURE mark_inbound(p_wamids text[], p_status text)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
BEGIN
    UPDATE inbound_messages m SET status = p_status, error = NULL, processed_at = now()
    FROM (SELECT DISTINCT u.wamid FROM unnest(p_wamids) AS u(wamid) ORDER BY u.wamid) u WHERE m.wamid = u.wamid;
END
$$;

-- Outbox/OutboundLedger.cs: the answers' ledger rows, in key order; returns the keys it inserted.
CREATE OR REPLACE FUNCTION insert_outbound(p_keys text[], p_wa_ids text[], p_phone_number_ids text[], p_kinds text[],
    p_bodies text[], p_context_message_ids text[], p_template_names text[], p_template_languages text[],
    p_template_params text[], p_statuses text[], p_attempts int[], p_authors text[], p_request_hashes text[],
    p_resends_of text[], p_contents text[])
RETURNS SETOF text
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
BEGIN
    RETURN QUERY
    INSERT INTO outbound_messages (idempotency_key, wa_id, phone_number_id, kind, body, context_message_id,
                                   template_name, template_language, template_params, status, attempts,
                                   author, request_hash, resend_of, content)
    SELECT k, w, p, kind, body, ctx, tn, tl, tp::jsonb, st, att, au, rh, ro, co::jsonb
    FROM unnest(p_keys, p_wa_ids, p_phone_number_ids, p_kinds, p_bodies, p_context_message_ids, p_template_names,
                p_template_languages, p_template_params, p_statuses, p_attempts, p_authors, p_request_hashes,
                p_resends_of, p_contents)
        AS d(k, w, p, kind, body, ctx, tn, tl, tp, st, att, au, rh, ro, co)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING outbound_messages.idempotency_key;
END
$$;

-- Outbox/OutboundLedgerSentMarks.cs: the sends' responses. A status webhook may already have moved a row further
-- (delivered, read): then only the provider id is filled in.
CREATE OR REPLACE PROCEDURE mark_sent(p_keys text[], p_provider_ids text[], p_kinds text[], p_template_names text[],
    p_template_languages text[])
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
BEGIN
    UPDATE outbound_messages o SET provider_message_id = COALESCE(o.provider_message_id, m.provider_id),
        status = CASE WHEN o.status IN ('sending', 'unknown', 'retrying', 'pending') THEN 'sent' ELSE o.status END,
        kind = COALESCE(m.kind, o.kind), template_name = COALESCE(m.template_name, o.template_name),
        template_language = COALESCE(m.template_language, o.template_language),
        sent_at = COALESCE(o.sent_at, now()), error_code = NULL, error_text = NULL, updated_at = now()
    FROM unnest(p_keys, p_provider_ids, p_kinds, p_template_names, p_template_languages)
        AS m(idempotency_key, provider_id, kind, template_name, template_language)
    WHERE o.idempotency_key = m.idempotency_key;
END
$$;
