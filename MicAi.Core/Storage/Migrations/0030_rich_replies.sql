-- Rich replies (issue 18): rules may answer with reply buttons, a list or a media message; the ledger sends them.
-- agent_rules.content holds the rule's buttons / list (button label, sections) / media / template, as the admin API takes them.
ALTER TABLE agent_rules ADD COLUMN content jsonb;
ALTER TABLE agent_rules DROP CONSTRAINT agent_rules_action_check;
ALTER TABLE agent_rules ADD CONSTRAINT agent_rules_action_check
    CHECK (action IN ('reply_text', 'tool', 'reply_buttons', 'reply_list', 'reply_media', 'reply_template'));

-- A ledger row of kind interactive/image/document/audio/video carries Graph's object for it in content; body keeps
-- the text a reader of the ledger sees (the interactive body, or the caption).
ALTER TABLE outbound_messages ADD COLUMN content jsonb;
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_kind_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check
    CHECK (kind IN ('text', 'template', 'read', 'interactive', 'image', 'document', 'audio', 'video'));
