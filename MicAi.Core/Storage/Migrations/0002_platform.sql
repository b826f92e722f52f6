-- Agent platform: reminders are one-off schedules created by the remind tool, once per inbound message.
ALTER TABLE schedules ADD COLUMN origin text NOT NULL DEFAULT 'admin' CHECK (origin IN ('admin', 'remind'));
ALTER TABLE schedules ADD COLUMN source_wamid text UNIQUE;
CREATE INDEX schedules_by_contact ON schedules (wa_id, next_run_at);

-- LLM calls per contact and day (the day in UTC), for MICAI_LLM_DAILY_LIMIT_PER_CONTACT.
CREATE TABLE llm_usage (
    wa_id  text    NOT NULL,
    day    date    NOT NULL,
    calls  integer NOT NULL,
    PRIMARY KEY (wa_id, day)
);
