-- The raw bytes of each message in a table of their own, the blob the
-- last (and only) value of its row: SQLite then stores a message given
-- as a zeroblob without building it in memory, and aim-maild writes it
-- in pieces (incremental blob I/O), so a 25 MB attachment never sits
-- whole in memory.  It also keeps the message rows small: reading or
-- updating a message's state no longer walks its raw bytes.
CREATE TABLE mail_raw (
	message_id	INTEGER PRIMARY KEY REFERENCES mail_message(id),
	raw		BLOB NOT NULL
);
INSERT INTO mail_raw (message_id, raw) SELECT id, raw FROM mail_message;
DROP TRIGGER mail_message_raw_fixed;
ALTER TABLE mail_message DROP COLUMN raw;
-- The bytes received are evidence: never rewritten.
CREATE TRIGGER mail_message_raw_fixed BEFORE UPDATE OF mailbox, uidvalidity,
    uid, sha256, size ON mail_message
BEGIN SELECT RAISE(ABORT, 'a stored message is never rewritten'); END;
CREATE TRIGGER mail_raw_fixed BEFORE UPDATE ON mail_raw
BEGIN SELECT RAISE(ABORT, 'a stored message is never rewritten'); END;
CREATE TRIGGER mail_raw_kept BEFORE DELETE ON mail_raw
BEGIN SELECT RAISE(ABORT, 'a stored message is never rewritten'); END;
