/*
 * Real I/O errors for the fault tests (tests/fault/ioerror.test.sh),
 * preloaded into aim-gateway: while the file named by AIM_FAULT_FILE
 * exists, writes or syncs of files whose path holds AIM_FAULT_MATCH
 * (the database, its WAL) fail with EIO, as a dying disk would make
 * them.  SQLite then takes its own error paths; nothing in the program
 * is changed or faked.  The file says what fails and after how many
 * calls that would fail have passed (per process, counted afresh
 * whenever the file changes):
 *   write N    write, pwrite, pwrite64 and ftruncate
 *   sync N     fsync and fdatasync
 * Never built into the programs: the test compiles it with
 *   cc -shared -fPIC -o eio.so tests/fault/eio.c -ldl
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { K_WRITE, K_SYNC };

static struct timespec	 seen;		/* the control file's mtime */
static ino_t		 seen_ino;
static long		 passed;	/* matching calls let through */

/* Whether this call on fd fails: armed for KIND, past the skip, on a
 * file whose path holds the match.  errno is kept when it does not. */
static int
fails(int fd, enum kind kind)
{
	const char	*ctl = getenv("AIM_FAULT_FILE");
	const char	*match = getenv("AIM_FAULT_MATCH");
	struct stat	 st;
	char		 buf[64], link[64], path[PATH_MAX], *end;
	ssize_t		 n;
	long		 skip;
	int		 c, save = errno, hit = 0;

	if (ctl == NULL || match == NULL || stat(ctl, &st) == -1)
		goto out;
	if (st.st_mtim.tv_sec != seen.tv_sec ||
	    st.st_mtim.tv_nsec != seen.tv_nsec || st.st_ino != seen_ino) {
		seen = st.st_mtim;
		seen_ino = st.st_ino;
		passed = 0;
	}
	if ((c = open(ctl, O_RDONLY | O_CLOEXEC)) == -1)
		goto out;
	n = read(c, buf, sizeof(buf) - 1);
	close(c);
	if (n <= 0)
		goto out;
	buf[n] = '\0';
	if (strncmp(buf, kind == K_WRITE ? "write" : "sync",
	    kind == K_WRITE ? 5 : 4) != 0)
		goto out;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof(path) - 1)) <= 0)
		goto out;
	path[n] = '\0';
	if (strstr(path, match) == NULL)
		goto out;
	skip = strtol(buf + (kind == K_WRITE ? 5 : 4), &end, 10);
	if (end == buf + (kind == K_WRITE ? 5 : 4) || skip < 0)
		skip = 0;
	if (passed < skip) {
		passed++;
		goto out;
	}
	hit = 1;
out:
	errno = hit ? EIO : save;
	return hit;
}

/* The next definition of NAME (libc's). */
static void *
real(const char *name)
{
	void	*f = dlsym(RTLD_NEXT, name);

	if (f == NULL)
		abort();
	return f;
}

ssize_t
write(int fd, const void *p, size_t n)
{
	static ssize_t	(*f)(int, const void *, size_t);

	if (fails(fd, K_WRITE))
		return -1;
	if (f == NULL)
		f = real("write");
	return f(fd, p, n);
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	static ssize_t	(*f)(int, const void *, size_t, off_t);

	if (fails(fd, K_WRITE))
		return -1;
	if (f == NULL)
		f = real("pwrite");
	return f(fd, p, n, off);
}

ssize_t
pwrite64(int fd, const void *p, size_t n, off64_t off)
{
	static ssize_t	(*f)(int, const void *, size_t, off64_t);

	if (fails(fd, K_WRITE))
		return -1;
	if (f == NULL)
		f = real("pwrite64");
	return f(fd, p, n, off);
}

int
ftruncate64(int fd, off64_t len)
{
	static int	(*f)(int, off64_t);

	if (fails(fd, K_WRITE))
		return -1;
	if (f == NULL)
		f = real("ftruncate64");
	return f(fd, len);
}

int
fsync(int fd)
{
	static int	(*f)(int);

	if (fails(fd, K_SYNC))
		return -1;
	if (f == NULL)
		f = real("fsync");
	return f(fd);
}

int
fdatasync(int fd)
{
	static int	(*f)(int);

	if (fails(fd, K_SYNC))
		return -1;
	if (f == NULL)
		f = real("fdatasync");
	return f(fd);
}
