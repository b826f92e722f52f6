-- Media (issue 18): one row per media object a customer sent, keyed by Meta's media id, whose bytes are downloaded
-- soon after arrival (Meta's ids expire) into media_content (Postgres, the default) or a blob; and files operators
-- upload for rules to send (POST /admin/media, ids 'upload-…'), uploaded to Graph once and the Graph id reused.
CREATE TABLE media (
    media_id        text PRIMARY KEY,             -- Meta's media id, as in the webhook and GET /admin/media/{media_id}
    wamid           text,                          -- the inbound message that carried it (NULL: an operator's upload)
    wa_id           text,
    type            text        NOT NULL,          -- image, audio, video, document, sticker
    mime_type       text,
    sha256          text,                          -- as Meta gave it (base64 in webhooks, hex in the lookup)
    file_size       bigint,
    caption         text,
    filename        text,
    voice           boolean     NOT NULL DEFAULT false,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'stored', 'rejected', 'failed')),
    location        text        CHECK (location IN ('postgres', 'blob')),
    attempts        integer     NOT NULL DEFAULT 0,
    error           text,
    transcript      text,
    transcribed_at  timestamptz,
    graph_media_id  text,                          -- an upload's id at Graph, reused until graph_uploaded_at + 29 days
    graph_phone_number_id text,
    graph_uploaded_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    stored_at       timestamptz
);
CREATE INDEX media_by_message ON media (wamid);
CREATE INDEX media_transcribed_by_contact ON media (wa_id, transcribed_at) WHERE transcribed_at IS NOT NULL;

-- The bytes when Postgres keeps them. bytea, not large objects: a file is written and read by one statement (no
-- transaction to hold through PgBouncer's transaction pooling, no lo_unlink/vacuumlo to reclaim space), and the size
-- cap (MICAI_MEDIA_MAX_BYTES) keeps each value far below bytea's 1 GB limit.
CREATE TABLE media_content (
    media_id  text  PRIMARY KEY REFERENCES media (media_id) ON DELETE CASCADE,
    bytes     bytea NOT NULL
);
ALTER TABLE media_content ALTER COLUMN bytes SET STORAGE EXTERNAL; -- media is compressed already: skip pglz
