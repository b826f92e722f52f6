-- The answer's read (Agents/ConversationStoreLoad.cs) as a PL/pgSQL function, so that Postgres plans it once per
-- server connection instead of once per call. Behind a transaction-mode pooler (PgBouncer 1.18) nothing can be
-- prepared, and this four-table join cost more to plan than to run: the bench's statement profile at 200 replies/s,
-- where each job reads alone, put 381 µs of planning beside 82 µs of execution on every reply. A PL/pgSQL function
-- keeps the plans of its statements for the life of the server process, whichever client the pooler lends it to;
-- the caller's `SELECT * FROM answer_context(…)` is trivial to plan.
-- force_generic_plan: left to choose, Postgres plans a one-message read afresh each time (its generic plan, costed for
-- ten messages, looks dearer than a custom plan for one), and one-message reads are what a quiet worker does.
-- enable_seqscan = off: a kept plan made while the tables were nearly empty (a new deployment, the bench's first
-- seconds) would scan them whole, and keep doing so as they grow until the next ANALYZE: the bench measured 3.7 ms per
-- read that way. The read is by key, always: with sequential scans priced out the plan is primary-key lookups of the
-- messages and their contacts (and of the agent, the default agent and the handover) whatever the tables held when it
-- was made. Measured (pgbench, one connection, simple protocol as behind the pooler, 100,000 stored messages): 0.64-0.73
-- against 0.31-0.35 ms per one-message read, 1.27-1.42 against 0.67-0.79 ms per 32-message read; a plan made on empty
-- tables, then 200,000 messages stored and not analyzed: 0.38 ms per read (28-35 ms without enable_seqscan = off).
-- The function is the old statement unchanged; its columns keep the names the reader asks for. use_column: the output
-- columns share their names with table columns, and every reference inside is to a table's. OR REPLACE: the rollback
-- to the Python service (DEPLOYMENT.md §18) moves MicAi's tables aside but not its functions, and a later migrate runs
-- this again.
CREATE OR REPLACE FUNCTION answer_context(p_wamids text[], p_media_types text[])
RETURNS TABLE (wamid text, wa_id text, text text, status text, phone_number_id text, opted_out boolean,
               profile_name text, agent_id bigint, agent_name text, persona text, fallback_reply text,
               llm_enabled boolean, allowed_tools text[], handover_keywords text[], handover_reply text,
               rules_version bigint, has_handover boolean, handover_until timestamptz, reply_id text, type text,
               type_object text, time_zone text, last_inbound_at timestamptz)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT m.wamid, m.wa_id, m.text, m.status, m.phone_number_id, coalesce(c.opted_out, false),
           COALESCE(m.profile_name, c.profile_name),
           a.id, a.name, a.persona, a.fallback_reply, a.llm_enabled, a.allowed_tools,
           a.handover_keywords, a.handover_reply, a.rules_version,
           h.wa_id IS NOT NULL, h.until,
           CASE WHEN m.type IN ('interactive', 'button') THEN
               COALESCE(m.payload #>> '{interactive,button_reply,id}', m.payload #>> '{interactive,list_reply,id}',
                        m.payload #>> '{button,payload}') END,
           m.type, CASE WHEN m.type = ANY(p_media_types) THEN (m.payload -> m.type)::text END,
           c.time_zone,
           GREATEST(c.last_inbound_at, LEAST(COALESCE(m.sent_at, m.received_at), m.received_at))
    FROM inbound_messages m
    LEFT JOIN contacts c ON c.wa_id = m.wa_id
    LEFT JOIN handovers h ON h.wa_id = m.wa_id
    JOIN agents a ON a.id = COALESCE(c.agent_id, (SELECT d.id FROM agents d WHERE d.is_default))
    WHERE m.wamid = ANY(p_wamids);
END
$$;
