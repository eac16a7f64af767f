/*
 * The configuration file shared by every program (INI):
 *
 *   [database]  path
 *   [gateway]   socket, workers, secure_cookies, session_idle_minutes,
 *               session_max_hours, secret_file, base_url, hash_slots
 *   [mail]      domain
 *
 * Unknown sections or keys, bad values and duplicate keys are errors
 * naming the line, so a typo never silently falls back to a default.
 */
#ifndef AIM_CONFIG_H
#define AIM_CONFIG_H

#include <stddef.h>

#define CONFIG_PATH_MAX	512
#define CONFIG_FILE_MAX	(64 * 1024)	/* bytes of a config file */
#define CONFIG_SECRET_LEN 32		/* bytes of the server secret */

struct config {
	char	 db_path[CONFIG_PATH_MAX];	/* default var/aim.db */
	char	 socket_path[CONFIG_PATH_MAX];	/* var/run/aim-gateway.sock */
	int	 workers;			/* 1..64, default 4 */
	int	 secure_cookies;		/* default 1 */
	int	 session_idle_minutes;		/* 1..1440, default 30 */
	int	 session_max_hours;		/* 1..168, default 12 */
	char	 secret_file[CONFIG_PATH_MAX];	/* var/secret.key */
	char	 base_url[CONFIG_PATH_MAX];	/* http://127.0.0.1:8080 */
	char	 mail_domain[128];		/* aim.test */
	/* Loaded from secret_file by config_load_secret. */
	unsigned char secret[CONFIG_SECRET_LEN];
};

/* Defaults, then the file (NULL: defaults only; relative paths in the
 * file stay relative to the working directory).  Returns 0, or -1 with
 * "FILE:LINE: what is wrong" in err. */
int	 config_load(const char *path, struct config *, char *err,
	    size_t errsz);
/* Reads the secret (exactly CONFIG_SECRET_LEN bytes, file mode 0600 or
 * stricter); creates it from the CSPRNG if missing and create is set. */
int	 config_load_secret(struct config *, int create, char *err,
	    size_t errsz);

#endif
