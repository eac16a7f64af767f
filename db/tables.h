/* Reference tables copied into the database from forms/ (HTS codes). */
#ifndef AIM_TABLES_H
#define AIM_TABLES_H

#include "db.h"

/* Loads the aluminum HTS table and the steel ranges; idempotent. */
enum db_err	 tables_load_hts(struct db *);

#endif
