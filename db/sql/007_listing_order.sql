-- License lists again: within an account, status, product and day the
-- index now runs in filing order (id) before the number.  Numbers are
-- random, so ordered by them a new license landed on a random page of
-- the day's range: a page written per filing; now the filings of a
-- group commit share the last one.  The count still reads this index
-- alone (the number filter reads the number from it).
DROP INDEX license_listing;
CREATE INDEX license_listing ON license(account_id, status, product,
    issued_on, id, number, version);
