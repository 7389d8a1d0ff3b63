/* Shared by the file-operation engines (filecreate, filestat, filedelete):
 * each times one operation on a file, not transfers.
 *
 * The operation runs in queue(), on the first unit that reaches a file in
 * a pass over it (so the time counts in the job's runtime, and IOPS read as
 * files a second when a file is one block, as in fio). The pass over a
 * file ends once units worth its region (f->io_size) have gone by; the
 * next unit starts a new pass and repeats the operation (loops=,
 * time_based). Every unit completes inline and counts its bytes as fio's
 * do; only the operations carry latency (ENG_OP_LAT), in the job's read
 * direction when it reads, else write.
 *
 * Worker thread only, like every hook. */
#ifndef IOLAB_FILEOP_H
#define IOLAB_FILEOP_H

#include <stdint.h>

#include <stdbool.h>

struct io_u;
struct job;
struct job_file;

/* One operation on @f; @existed: the path named something when the engine
 * was set up. Returns 0, or a positive errno with @what (for the error
 * message, e.g. "stat") set. *@op_ns: the time the operation itself took;
 * checks around it are not counted. */
typedef int (*fileop_fn)(struct job *job, struct job_file *f, bool existed, uint64_t *op_ns,
			 const char **what);

/* init of a file-operation engine: the pass state, and a look at every
 * file (lstat): one that exists and is not a regular file (a block
 * device, a symlink, a FIFO, a directory) fails the job (-EINVAL, job
 * error naming it). Returns 0 or -errno. */
int fileop_init(struct job *job);
void fileop_cleanup(struct job *job);
/* queue of a file-operation engine doing @op. Returns Q_COMPLETED. */
int fileop_queue(struct job *job, struct io_u *u, fileop_fn op);

#endif
