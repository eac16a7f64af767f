/*
 * The license registry: the one core call every channel ends in.  Each
 * call validates (forms/rules.c), numbers, flags, stores and queues its
 * confirmation emails in a single transaction: a failure anywhere leaves
 * nothing behind.
 */
#ifndef AIM_REGISTRY_H
#define AIM_REGISTRY_H

#include <stdint.h>

#include "forms/form.h"
#include "forms/license.h"
#include "forms/licnum.h"
#include "forms/rules.h"
#include "db.h"

enum reg_err {
	REG_OK,
	REG_INVALID,		/* the form has errors: see the report */
	REG_NOT_FOUND,		/* no such license for this account */
	REG_CANCELED,		/* the license is canceled */
	REG_CONFLICT,		/* not possible in the license's state */
	REG_ACCOUNT,		/* account unknown, unverified or locked */
	REG_DB,			/* database failure; nothing was stored */
	REG_NOMEM,
	REG_UNSURE,		/* handed to the writer, which died before it
				 * answered: it may have been stored */
	REG__MAX
};

const char *reg_strerror(enum reg_err);

enum lic_status {
	STATUS_ISSUED,
	STATUS_ACTION_REQUIRED,
	STATUS_CANCELED,
	STATUS__MAX
};

extern const char *const status_names[STATUS__MAX];

/* Who acts and how: recorded on every version and event. */
struct actor {
	int64_t		 account_id;	/* the filer; -1: staff or operator */
	const char	*who;		/* "filer@x.com", "staff:ann", "aimctl" */
	const char	*channel;	/* "web", "api", "cli", "email", ... */
	int		 synthetic;	/* generated history, not a filing */
};

struct reg_result {
	char		 number[LICNUM_LEN + 1];
	enum lic_status	 status;
	int		 version;
	char		 valid_from[11];
	char		 valid_through[11];	/* "" when it never expires */
	struct report	 report;		/* errors or flags */
	enum db_err	 dberr;			/* with REG_DB */
};

void		 reg_result_init(struct reg_result *);
void		 reg_result_free(struct reg_result *);

/* Files a new license as of the application date (days). */
enum reg_err	 reg_submit(struct db *, const struct actor *,
		    const struct form *, int app_date, struct reg_result *);
/*
 * The same after rules_check has turned the form into lic: what a
 * group-committing writer runs for a worker that checked the form
 * (gateway/writer.c).  Inside an open transaction it is a savepoint.
 */
enum reg_err	 reg_submit_checked(struct db *, const struct actor *,
		    const struct license *, int app, struct reg_result *);
/* Corrects a license: a new version, re-validated and re-flagged. */
enum reg_err	 reg_correct(struct db *, const struct actor *,
		    const char *number, const struct form *, int app_date,
		    struct reg_result *);
/* Cancels for good. */
enum reg_err	 reg_cancel(struct db *, const struct actor *,
		    const char *number, struct reg_result *);
/* Clears Action Required without a change. */
enum reg_err	 reg_confirm(struct db *, const struct actor *,
		    const char *number, struct reg_result *);
/* A new application prefilled from any license (canceled too). */
enum reg_err	 reg_duplicate(struct db *, const struct actor *,
		    const char *number, struct form **out);

/* One version of a license as stored. */
struct reg_version {
	int		 version;
	struct license	*lic;
	char		 created_at[24];
	char		 channel[16];
	char		*actor;
	struct report	 flags;
};

struct reg_event {
	char		 at[24];
	char		*actor;
	char		 channel[16];
	char		 action[24];
	char		*detail;
};

/* A license with every version and event, for show pages. */
struct reg_view {
	int64_t		 id;
	char		 number[LICNUM_LEN + 1];
	int64_t		 account_id;
	enum product	 product;
	enum ltype	 ltype;
	enum lic_status	 status;
	int		 version;		/* current */
	char		 valid_from[11];
	char		 valid_through[11];	/* "" never expires */
	char		 channel[16];
	char		 created_at[24];
	char		 canceled_at[24];
	int		 synthetic;
	struct reg_version *versions;		/* oldest first */
	size_t		 nversions;
	struct reg_event *events;
	size_t		 nevents;
};

enum reg_err	 reg_show(struct db *, const struct actor *,
		    const char *number, struct reg_view *);
void		 reg_view_free(struct reg_view *);

/* entry_value_cents < 0: not given.  Returns REG_OK or REG_DB. */
enum reg_err	 reg_check(struct db *, const char *number,
		    const char *importer, int import_date,
		    int64_t entry_value_cents, enum check_result *);

#endif
