#include "events.h"

enum db_err
event_add(struct db *db, int64_t account_id, int64_t license_id,
    const char *actor, const char *channel, const char *action,
    const char *detail)
{
	sqlite3_stmt	*st = db_stmt(db, ST_EVENT_INSERT);

	if (account_id > 0)
		db_bind_int(st, 1, account_id);
	if (license_id > 0)
		db_bind_int(st, 2, license_id);
	db_bind_text(st, 3, actor);
	db_bind_text(st, 4, channel);
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, detail);
	return db_exec_stmt(db, st);
}
