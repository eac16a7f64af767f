/*
 * Logging with one severity ladder for every program: to stderr, or to
 * syslog for daemons.  Messages below the set level are dropped.
 */
#ifndef AIM_LOG_H
#define AIM_LOG_H

enum log_level {
	LOG_LVL_DEBUG,
	LOG_LVL_INFO,
	LOG_LVL_NOTICE,
	LOG_LVL_WARNING,
	LOG_LVL_ERR,
	LOG_LVL__MAX
};

void	 log_init(const char *progname, enum log_level min, int use_syslog);
void	 log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Logs at LOG_LVL_ERR and exits 1: startup failures only. */
void	 log_fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
