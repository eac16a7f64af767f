#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "log.h"

static const char	*prog = "aim";
static enum log_level	 minimum = LOG_LVL_INFO;
static int		 to_syslog;

static const int prio[LOG_LVL__MAX] = {
	LOG_DEBUG, LOG_INFO, LOG_NOTICE, LOG_WARNING, LOG_ERR,
};
static const char *const names[LOG_LVL__MAX] = {
	"debug", "info", "notice", "warning", "error",
};

void
log_init(const char *progname, enum log_level min, int use_syslog)
{
	prog = progname;
	minimum = min;
	to_syslog = use_syslog;
	if (use_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static void
vlog(enum log_level l, const char *fmt, va_list ap)
{
	if (l < minimum || l >= LOG_LVL__MAX)
		return;
	if (to_syslog) {
		vsyslog(prio[l], fmt, ap);
		return;
	}
	/* One line, whole, when threads log at once. */
	flockfile(stderr);
	fprintf(stderr, "%s: %s: ", prog, names[l]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void
log_msg(enum log_level l, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(l, fmt, ap);
	va_end(ap);
}

void
log_fatal(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
