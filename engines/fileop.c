/* The pass bookkeeping of the file-operation engines; see fileop.h. */
#include "fileop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../backend/job.h"
#include "engine.h"

/* Per file: where its current pass stands. */
struct fileop_file {
	uint64_t seen; /* bytes of units that reached it this pass */
	bool done;     /* the operation ran this pass */
	bool existed;  /* the path named something at init */
};

/* job->engine_data */
struct fileop_data {
	struct fileop_file *files; /* one per job->files[] */
	unsigned nr_files;
	int lat_ddir;              /* where the operations' latencies go */
};

int fileop_init(struct job *job)
{
	struct fileop_data *d = calloc(1, sizeof(*d));

	if (d)
		d->files = calloc(job->nr_files ? job->nr_files : 1, sizeof(*d->files));
	if (!d || !d->files) {
		free(d);
		job_set_error(job, ENOMEM, "%s: out of memory for %u files", job->ops->name,
			      job->nr_files);
		return -ENOMEM;
	}
	d->nr_files = job->nr_files;
	d->lat_ddir = (job->o.rw & RW_READ) || !(job->o.rw & RW_WRITE) ? DDIR_READ : DDIR_WRITE;
	for (unsigned i = 0; i < job->nr_files; i++) {
		struct job_file *f = &job->files[i];
		struct stat st;

		d->files[i].existed = lstat(f->path, &st) == 0;
		if (f->is_blockdev || (d->files[i].existed && !S_ISREG(st.st_mode))) {
			job_set_error(job, EINVAL, "%s: %s is not a regular file (only regular files "
				      "are created, stat'ed or deleted)", job->ops->name, f->path);
			free(d->files);
			free(d);
			return -EINVAL;
		}
	}
	job->engine_data = d;
	return 0;
}

void fileop_cleanup(struct job *job)
{
	struct fileop_data *d = job->engine_data;

	if (!d)
		return;
	free(d->files);
	free(d);
	job->engine_data = NULL;
}

int fileop_queue(struct job *job, struct io_u *u, fileop_fn op)
{
	struct fileop_data *d = job->engine_data;
	struct job_file *f = u->file;
	struct fileop_file *s;
	size_t i = (size_t)(f - job->files);

	u->error = 0;
	u->resid = 0;
	if (u->ddir > DDIR_TRIM) {
		/* fsync/fdatasync: there is no open file to sync */
		return Q_COMPLETED;
	}
	if (i >= d->nr_files) {
		u->error = EINVAL;
		u->resid = u->buflen;
		return Q_COMPLETED;
	}
	s = &d->files[i];
	if (!s->done) {
		const char *what = "operation";
		uint64_t ns = 0;
		int e = op(job, f, s->existed, &ns, &what);

		if (e) {
			unsigned coe = u->ddir == DDIR_READ ? COE_READ : COE_WRITE;

			u->error = e;
			u->resid = u->buflen;
			if (!(job->o.continue_on_error & coe))
				job_set_error(job, e, "%s: %s(%s): %s", job->ops->name, what, f->path,
					      strerror(e));
			return Q_COMPLETED;
		}
		engine_op_lat(job, d->lat_ddir, ns);
		s->done = true;
	}
	s->seen += u->buflen;
	if (s->seen >= f->io_size) {
		s->seen = 0;
		s->done = false;
	}
	return Q_COMPLETED;
}
