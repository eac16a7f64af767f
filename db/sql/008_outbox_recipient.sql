-- The rate limit on automatic replies (outbox_recent_auto) counts one
-- recipient's rows of the last hour: by this index it reads only
-- theirs, not every row of the hour (each emailed form read them all
-- again, so a busy hour cost the square of its mail).
CREATE INDEX outbox_by_recipient ON outbox(to_addr COLLATE NOCASE, id);
