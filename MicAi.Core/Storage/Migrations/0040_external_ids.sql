-- String ids the Python mic.ai service gave agents, rules and schedules ('default-agent', 'greet', 'daily-tip'), kept
-- as a reference: imported rows carry them, and the admin API accepts them where the Python API did (a rule's client
-- id upserts it, a string agent id names the agent). NULL for rows MicAi made itself.
ALTER TABLE agents ADD COLUMN external_id text UNIQUE;
ALTER TABLE agent_rules ADD COLUMN external_id text UNIQUE;
ALTER TABLE schedules ADD COLUMN external_id text UNIQUE;

-- The Python service's admin scripts name the default agent 'default-agent'.
UPDATE agents SET external_id = 'default-agent' WHERE is_default;
