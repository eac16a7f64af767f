-- The public monitor's roll-ups (db/monitor.c, DOMAIN.md section 10).
-- License lines summed by month of expected import, product and
-- dimensions, with each importer's share; the registry moves them in
-- the same transaction as every submit, correction and cancel.

-- Importers as disclosure control tells them apart
-- (forms/disclosure.c, disc_importer_key).
CREATE TABLE mon_importer (
	id		INTEGER PRIMARY KEY,
	key		TEXT NOT NULL UNIQUE
);

-- One row per view and cell.  A view keeps some dimensions and sums
-- over the others (stored as ''): view 0 keeps them all, view 2 all but
-- the HTS-6 subheading, a smaller copy the monitor reads quickly
-- (db/monitor.c views[]).
-- Months are 'YYYY-MM'; a dimension a product does not have is ''.
-- shares holds each importer's value, what distinct importers and the
-- largest share are counted from: 12 bytes an importer, its id
-- (4 bytes) and cents (8 bytes) little-endian, ordered by id.  Packed
-- into the cell's own row (by the SQL function mon_shares), a license
-- line moves one row of each view, in one statement; an answer reads
-- its view's cells month by month.
CREATE TABLE mon_cell (
	view				INTEGER NOT NULL,
	product				TEXT NOT NULL,
	month				TEXT NOT NULL,
	product_group			TEXT NOT NULL,
	hts6				TEXT NOT NULL,
	country_of_origin		TEXT NOT NULL,
	country_of_largest_smelt	TEXT NOT NULL,
	country_of_most_recent_cast	TEXT NOT NULL,
	country_of_melt_and_pour	TEXT NOT NULL,
	grams		INTEGER NOT NULL,
	cents		INTEGER NOT NULL,
	lines		INTEGER NOT NULL,
	shares		BLOB NOT NULL,
	PRIMARY KEY (view, product, month, product_group, country_of_origin,
	    hts6, country_of_largest_smelt, country_of_most_recent_cast,
	    country_of_melt_and_pour)
) WITHOUT ROWID;

-- A database that had licenses before this migration is rolled up by
-- the first change (rebuild = 1) or by aimctl history rebuild; each
-- rebuild counts a generation (readers key the answers they keep by it
-- and by the last event).
CREATE TABLE mon_state (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	generation	INTEGER NOT NULL,
	rebuild		INTEGER NOT NULL
);
INSERT INTO mon_state (id, generation, rebuild)
    VALUES (1, 0, (SELECT count(*) > 0 FROM license));
