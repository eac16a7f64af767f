/*
 * Group commit for new licenses.  Every license is a durable
 * transaction (synchronous=FULL), and a transaction's cost is mostly
 * the wait for the disk, so the gateway keeps one writer process that
 * takes checked licenses from all workers and commits whatever has
 * arrived together: one fsync for many licenses, each answered only
 * once its batch is on disk.  Each license is its own savepoint, so
 * one refused license never takes another down with it.
 *
 * The master gives each worker a socket pair whose other end goes to
 * the writer over a control socket (SCM_RIGHTS), so no path or name
 * can be reached by anyone else.  A worker whose writer is gone files
 * by itself, as without group commit, and ends after that request so
 * that the master starts it again with a new pair.
 */
#ifndef AIM_WRITER_H
#define AIM_WRITER_H

#include "lib/config.h"
#include "db/registry.h"

/* The writer process's main loop; ctl receives workers' sockets.
 * Returns when ctl closes (the master is stopping). */
void		 writer_main(const struct config *, int ctl);

/* Master: hands the writer's end of a worker's pair over. */
int		 writer_give(int ctl, int fd);

struct gw;
/*
 * A worker's submit: checks the form here (an invalid form never
 * reaches the writer), then has the writer store it; files directly
 * when there is no writer.  Same results as reg_submit.
 */
enum reg_err	 writer_submit(struct gw *, const struct actor *,
		    const struct form *, int app, struct reg_result *);

#endif
