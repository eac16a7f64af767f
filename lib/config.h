/*
 * The configuration file shared by every program (INI):
 *
 *   [database]  path
 *   [gateway]   socket, workers, group_commit, secure_cookies,
 *               session_idle_minutes, session_max_hours, secret_file,
 *               base_url, hash_slots
 *   [mail]      domain, imap_host, imap_port, imap_tls, imap_pin,
 *               aluminum_user, aluminum_password_file, steel_user,
 *               steel_password_file, smtp_host, smtp_port, smtp_tls,
 *               smtp_pin, smtp_user, smtp_password_file, from_name,
 *               authserv_id, templates_dir, max_attempts,
 *               sandbox_cpu_seconds, sandbox_memory_mb,
 *               replies_per_hour, poll_seconds
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
	int	 group_commit;			/* a writer process: 1 */
	int	 secure_cookies;		/* default 1 */
	int	 session_idle_minutes;		/* 1..1440, default 30 */
	int	 session_max_hours;		/* 1..168, default 12 */
	char	 secret_file[CONFIG_PATH_MAX];	/* var/secret.key */
	char	 base_url[CONFIG_PATH_MAX];	/* http://127.0.0.1:8080 */
	char	 mail_domain[128];		/* aim.test */
	/* The mail gateway (aim-maild).  TLS: "starttls", "imaps" (IMAP
	 * only) or "none" (allowed to loopback only); a pin is the SHA-256
	 * of the server certificate, hex, checked before LOGIN/AUTH. */
	char	 imap_host[128];		/* 127.0.0.1 */
	int	 imap_port;			/* 1143 */
	char	 imap_tls[16];			/* starttls */
	char	 imap_pin[96];			/* "" none */
	char	 aluminum_user[192];		/* aluminum.license@DOMAIN */
	char	 aluminum_password_file[CONFIG_PATH_MAX];
	char	 steel_user[192];		/* steel.license@DOMAIN */
	char	 steel_password_file[CONFIG_PATH_MAX];
	char	 smtp_host[128];		/* 127.0.0.1 */
	int	 smtp_port;			/* 2525 */
	char	 smtp_tls[16];			/* starttls */
	char	 smtp_pin[96];
	char	 smtp_user[128];		/* "" no AUTH */
	char	 smtp_password_file[CONFIG_PATH_MAX];
	char	 from_name[128];		/* AIM Licensing */
	char	 authserv_id[128];		/* trusted MTA's authserv-id */
	char	 templates_dir[CONFIG_PATH_MAX];	/* mail/templates */
	int	 max_attempts;			/* 1..100, default 5 */
	int	 sandbox_cpu_seconds;		/* 1..600, default 10 */
	int	 sandbox_memory_mb;		/* 16..4096, default 256 */
	int	 replies_per_hour;		/* 1..1000, default 10 */
	int	 poll_seconds;			/* 5..3600, default 60 */
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
