#include "forms/hts.h"
#include "tables.h"

enum db_err
tables_load_hts(struct db *db)
{
	sqlite3_stmt	*st;
	const char	*code, *group, *desc, *lo, *hi;
	size_t		 i;
	enum db_err	 e;

	if ((e = db_begin(db)) != DB_OK)
		return e;
	for (i = 0; i < hts_aluminum_count(); i++) {
		hts_aluminum_row(i, &code, &group, &desc);
		st = db_stmt(db, ST_HTS_UPSERT);
		db_bind_text(st, 1, code);
		db_bind_text(st, 2, "aluminum");
		db_bind_text(st, 3, group);
		db_bind_text(st, 4, desc);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			goto fail;
	}
	for (i = 0; i < hts_steel_range_count(); i++) {
		hts_steel_range(i, &lo, &hi);
		st = db_stmt(db, ST_STEEL_RANGE_UPSERT);
		db_bind_text(st, 1, lo);
		db_bind_text(st, 2, hi);
		if ((e = db_exec_stmt(db, st)) != DB_OK)
			goto fail;
	}
	return db_commit(db);
fail:
	db_rollback(db);
	return e;
}
