/*
 * The configuration file (lib/config.c), given to config_load by a
 * path as the programs are: the bytes go into a memory file first.  A
 * file that loads has every number within its documented range.
 */
#include <sys/mman.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/config.h"
#include "fuzz.h"

static int	 fd = -1;
static char	 path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if ((fd = memfd_create("aim-fuzz-config", 0)) == -1) {
		perror("memfd_create");
		exit(1);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

static int
in(int v, int lo, int hi)
{
	return v >= lo && v <= hi;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 c;
	char		 err[1024];

	if (ftruncate(fd, 0) == -1 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	if (config_load(path, &c, err, sizeof(err)) == -1)
		return 0;
	FUZZ_ASSERT(in(c.workers, 1, 64) && in(c.secure_cookies, 0, 1) &&
	    in(c.session_idle_minutes, 1, 1440) &&
	    in(c.session_max_hours, 1, 168) && in(c.imap_port, 1, 65535) &&
	    in(c.smtp_port, 1, 65535) && in(c.max_attempts, 1, 100) &&
	    in(c.sandbox_cpu_seconds, 1, 600) &&
	    in(c.sandbox_memory_mb, 16, 4096) &&
	    in(c.replies_per_hour, 1, 1000) && in(c.poll_seconds, 5, 3600));
	FUZZ_ASSERT(c.db_path[0] != '\0' && c.mail_domain[0] != '\0' &&
	    strlen(c.aluminum_user) < sizeof(c.aluminum_user));
	return 0;
}
