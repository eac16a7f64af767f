/*
 * The INI configuration file.
 */
#include <sys/stat.h>

#include <stddef.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "config.h"

enum ktype {
	K_PATH,
	K_INT,
	K_BOOL,
	K_TEXT,
};

static const struct key {
	const char	*section;
	const char	*name;
	enum ktype	 type;
	size_t		 off;
	size_t		 size;
	long		 min, max;
} keys[] = {
	{ "database", "path", K_PATH, offsetof(struct config, db_path),
	  CONFIG_PATH_MAX, 0, 0 },
	{ "gateway", "socket", K_PATH, offsetof(struct config, socket_path),
	  CONFIG_PATH_MAX, 0, 0 },
	{ "gateway", "workers", K_INT, offsetof(struct config, workers), 0,
	  1, 64 },
	{ "gateway", "group_commit", K_BOOL,
	  offsetof(struct config, group_commit), 0, 0, 1 },
	{ "gateway", "secure_cookies", K_BOOL,
	  offsetof(struct config, secure_cookies), 0, 0, 1 },
	{ "gateway", "session_idle_minutes", K_INT,
	  offsetof(struct config, session_idle_minutes), 0, 1, 1440 },
	{ "gateway", "session_max_hours", K_INT,
	  offsetof(struct config, session_max_hours), 0, 1, 168 },
	{ "gateway", "secret_file", K_PATH,
	  offsetof(struct config, secret_file), CONFIG_PATH_MAX, 0, 0 },
	{ "gateway", "base_url", K_TEXT, offsetof(struct config, base_url),
	  CONFIG_PATH_MAX, 0, 0 },
	{ "mail", "domain", K_TEXT, offsetof(struct config, mail_domain),
	  128, 0, 0 },
#define TEXT(k, f, n) { "mail", k, K_TEXT, offsetof(struct config, f), n, 0, 0 }
#define NUM(k, f, lo, hi) { "mail", k, K_INT, offsetof(struct config, f), 0, lo, hi }
	TEXT("imap_host", imap_host, 128),
	NUM("imap_port", imap_port, 1, 65535),
	TEXT("imap_tls", imap_tls, 16),
	TEXT("imap_pin", imap_pin, 96),
	TEXT("aluminum_user", aluminum_user, 192),
	TEXT("aluminum_password_file", aluminum_password_file,
	    CONFIG_PATH_MAX),
	TEXT("steel_user", steel_user, 192),
	TEXT("steel_password_file", steel_password_file, CONFIG_PATH_MAX),
	TEXT("smtp_host", smtp_host, 128),
	NUM("smtp_port", smtp_port, 1, 65535),
	TEXT("smtp_tls", smtp_tls, 16),
	TEXT("smtp_pin", smtp_pin, 96),
	TEXT("smtp_user", smtp_user, 128),
	TEXT("smtp_password_file", smtp_password_file, CONFIG_PATH_MAX),
	TEXT("from_name", from_name, 128),
	TEXT("authserv_id", authserv_id, 128),
	TEXT("templates_dir", templates_dir, CONFIG_PATH_MAX),
	NUM("max_attempts", max_attempts, 1, 100),
	NUM("sandbox_cpu_seconds", sandbox_cpu_seconds, 1, 600),
	NUM("sandbox_memory_mb", sandbox_memory_mb, 16, 4096),
	NUM("replies_per_hour", replies_per_hour, 1, 1000),
	NUM("poll_seconds", poll_seconds, 5, 3600),
#undef TEXT
#undef NUM
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static void
defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->db_path, sizeof(c->db_path), "var/aim.db");
	snprintf(c->socket_path, sizeof(c->socket_path),
	    "var/run/aim-gateway.sock");
	c->workers = 4;
	c->group_commit = 1;
	c->secure_cookies = 1;
	c->session_idle_minutes = 30;
	c->session_max_hours = 12;
	snprintf(c->secret_file, sizeof(c->secret_file), "var/secret.key");
	snprintf(c->base_url, sizeof(c->base_url), "http://127.0.0.1:8080");
	snprintf(c->mail_domain, sizeof(c->mail_domain), "aim.test");
	snprintf(c->imap_host, sizeof(c->imap_host), "127.0.0.1");
	c->imap_port = 1143;
	snprintf(c->imap_tls, sizeof(c->imap_tls), "starttls");
	snprintf(c->smtp_host, sizeof(c->smtp_host), "127.0.0.1");
	c->smtp_port = 2525;
	snprintf(c->smtp_tls, sizeof(c->smtp_tls), "starttls");
	snprintf(c->from_name, sizeof(c->from_name), "AIM Licensing");
	snprintf(c->templates_dir, sizeof(c->templates_dir),
	    "mail/templates");
	c->max_attempts = 5;
	c->sandbox_cpu_seconds = 10;
	c->sandbox_memory_mb = 256;
	c->replies_per_hour = 10;
	c->poll_seconds = 60;
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int
set(struct config *c, const struct key *k, const char *v, char *why,
    size_t whysz)
{
	char	*end, *dst = (char *)c + k->off;
	long	 n;

	switch (k->type) {
	case K_PATH:
	case K_TEXT:
		if (*v == '\0' || strlen(v) >= k->size) {
			snprintf(why, whysz, "%s must be 1 to %zu characters",
			    k->name, k->size - 1);
			return -1;
		}
		memcpy(dst, v, strlen(v) + 1);
		return 0;
	case K_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno || n < k->min ||
		    n > k->max) {
			snprintf(why, whysz, "%s must be a whole number from "
			    "%ld to %ld", k->name, k->min, k->max);
			return -1;
		}
		*(int *)(void *)dst = (int)n;
		return 0;
	case K_BOOL:
		if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
		    strcmp(v, "1") == 0)
			*(int *)(void *)dst = 1;
		else if (strcasecmp(v, "no") == 0 ||
		    strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
			*(int *)(void *)dst = 0;
		else {
			snprintf(why, whysz, "%s must be yes or no", k->name);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* Defaults that follow other settings (the mailboxes follow the
 * domain). */
static void
config_finish(struct config *c)
{
	if (c->aluminum_user[0] == '\0')
		snprintf(c->aluminum_user, sizeof(c->aluminum_user),
		    "aluminum.license@%s", c->mail_domain);
	if (c->steel_user[0] == '\0')
		snprintf(c->steel_user, sizeof(c->steel_user),
		    "steel.license@%s", c->mail_domain);
}

int
config_load(const char *path, struct config *c, char *err, size_t errsz)
{
	FILE		*f;
	char		 line[1024], section[64] = "", why[256], *p, *eq;
	unsigned char	 seen[NKEYS];
	size_t		 i, lineno = 0, total = 0;
	int		 rc = -1;

	defaults(c);
	if (path == NULL) {
		config_finish(c);
		return 0;
	}
	memset(seen, 0, sizeof(seen));
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		total += strlen(line);
		if (total > CONFIG_FILE_MAX) {
			snprintf(err, errsz, "%s: larger than %d bytes", path,
			    CONFIG_FILE_MAX);
			goto out;
		}
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errsz, "%s:%zu: line too long", path,
			    lineno);
			goto out;
		}
		line[strcspn(line, "\n")] = '\0';
		p = trim(line);
		if (*p == '\0' || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			if (p[strlen(p) - 1] != ']' || strlen(p) - 2 >=
			    sizeof(section)) {
				snprintf(err, errsz, "%s:%zu: a section is "
				    "written [name]", path, lineno);
				goto out;
			}
			memcpy(section, p + 1, strlen(p) - 2);
			section[strlen(p) - 2] = '\0';
			for (i = 0; i < NKEYS; i++)
				if (strcmp(keys[i].section, section) == 0)
					break;
			if (i == NKEYS) {
				snprintf(err, errsz, "%s:%zu: unknown section "
				    "[%s]", path, lineno, section);
				goto out;
			}
			continue;
		}
		if ((eq = strchr(p, '=')) == NULL) {
			snprintf(err, errsz, "%s:%zu: expected name = value",
			    path, lineno);
			goto out;
		}
		*eq = '\0';
		p = trim(p);
		for (i = 0; i < NKEYS; i++)
			if (strcmp(keys[i].section, section) == 0 &&
			    strcmp(keys[i].name, p) == 0)
				break;
		if (i == NKEYS) {
			snprintf(err, errsz, "%s:%zu: unknown setting %s in "
			    "[%s]", path, lineno, p, section);
			goto out;
		}
		if (seen[i]++) {
			snprintf(err, errsz, "%s:%zu: %s is set twice", path,
			    lineno, p);
			goto out;
		}
		if (set(c, &keys[i], trim(eq + 1), why, sizeof(why)) == -1) {
			snprintf(err, errsz, "%s:%zu: %s", path, lineno, why);
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err, errsz, "%s: read error", path);
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	config_finish(c);
	return rc;
}


int
config_load_secret(struct config *c, int create, char *err, size_t errsz)
{
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(c->secret_file, O_RDONLY | O_NOFOLLOW)) == -1) {
		if (errno != ENOENT || !create) {
			snprintf(err, errsz, "%s: %s", c->secret_file,
			    strerror(errno));
			return -1;
		}
		if (RAND_bytes(c->secret, CONFIG_SECRET_LEN) != 1 ||
		    (fd = open(c->secret_file, O_WRONLY | O_CREAT | O_EXCL,
		    0600)) == -1 ||
		    write(fd, c->secret, CONFIG_SECRET_LEN) !=
		    CONFIG_SECRET_LEN || fsync(fd) == -1) {
			snprintf(err, errsz, "%s: cannot create: %s",
			    c->secret_file, strerror(errno));
			if (fd != -1)
				close(fd);
			return -1;
		}
		close(fd);
		return 0;
	}
	if (fstat(fd, &st) == -1 || (st.st_mode & 077) != 0) {
		snprintf(err, errsz, "%s: must be readable by its owner only "
		    "(chmod 600)", c->secret_file);
		close(fd);
		return -1;
	}
	n = read(fd, c->secret, CONFIG_SECRET_LEN);
	close(fd);
	if (n != CONFIG_SECRET_LEN) {
		snprintf(err, errsz, "%s: must hold %d bytes", c->secret_file,
		    CONFIG_SECRET_LEN);
		return -1;
	}
	return 0;
}
