-- outbox_recent_auto reads created_at, template and state of one
-- recipient's newest rows: with them in the index it reads no row of
-- the table (each holds its JSON parameters), which took a watcher
-- a page read per row of the hour for every message it answered.
DROP INDEX outbox_by_recipient;
CREATE INDEX outbox_by_recipient ON outbox(to_addr COLLATE NOCASE, id,
    created_at, template, state);
