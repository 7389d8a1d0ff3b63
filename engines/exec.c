/* exec engine: the job is a program, run for the job's runtime (fio's
 * "exec": a monitoring tool beside other jobs, a sleep between batches).
 *
 * The first unit starts program= with arguments= (split on spaces; %r is
 * the runtime in whole seconds, %n the job's name), in a process group of
 * its own, its stdout and stderr in <name>.stdout and <name>.stderr when
 * std_redirect (the default; written through lib/outfile). Every later unit
 * looks at the child and idles 50 ms, and the worker's thinktime adds 50 ms
 * more, as fio's engine does: about ten units a second, each one I/O of no
 * bytes (ENG_NO_DATA). The job runs until its runtime or a stop, whether
 * or not the program ended before, as fio's; with no runtime it ends when
 * the program does. At the end a program still running gets SIGTERM (its
 * process group), then SIGKILL after grace_time seconds.
 *
 * Programs from job files run only with --allow-exec (opts_exec_check): a
 * job file is refused at load without it, and the worker asks again. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../backend/worker.h"
#include "../lib/atomic.h"
#include "../lib/clock.h"
#include "../lib/outfile.h"
#include "engine.h"

#define EXEC_ARGS_MAX 256         /* words in program= and arguments= */
#define EXEC_POLL_NS (50 * NS_PER_MS) /* fio's 50 ms pause per unit */

/* job->engine_data */
struct exec_data {
	char *line;            /* program and expanded arguments, split in place */
	char *argv[EXEC_ARGS_MAX + 1];
	int outfd, errfd;      /* std_redirect, else -1 */
	pid_t pid;             /* 0: not started; -1: reaped */
	bool started;
};

static int exec_check(const struct job_opts *o, char *err, size_t errlen)
{
	if (!o->program || !o->program[strspn(o->program, " ")]) {
		snprintf(err, errlen, "program: not set; ioengine=exec needs the program to run");
		return -1;
	}
	return 0;
}

/* A program has no bytes to move: it runs for the runtime, paced by a
 * 50 ms thinktime per unit, as fio sets it. Idempotent. */
static int exec_setup(struct job *job)
{
	struct job_opts *o = &job->o;
	char err[160];

	if (exec_check(o, err, sizeof(err))) {
		job_set_error(job, EINVAL, "exec: %s", err);
		return -EINVAL;
	}
	o->time_based = true;
	o->thinktime_us = EXEC_POLL_NS / NS_PER_US;
	o->thinktime_spin_us = 0;
	o->thinktime_blocks = 1;
	if (!o->size && !o->filesize && !o->size_pct)
		o->size = 1u << 20; /* a nominal region: there are no bytes */
	return 0;
}

/* @s with every %r and %n replaced, malloc'd; NULL when out of memory. */
static char *expand(const struct job *job, const char *s)
{
	char rt[24];
	const char *name = job->name ? job->name : "";
	size_t len = 1, rl, nl = strlen(name);
	char *out, *p;

	snprintf(rt, sizeof(rt), "%" PRIu64, job->o.runtime_us / 1000000);
	rl = strlen(rt);
	for (const char *q = s; *q; q++) {
		if (q[0] == '%' && (q[1] == 'r' || q[1] == 'n')) {
			len += q[1] == 'r' ? rl : nl;
			q++;
		} else {
			len++;
		}
	}
	out = p = malloc(len);
	if (!out)
		return NULL;
	for (; *s; s++) {
		if (s[0] == '%' && (s[1] == 'r' || s[1] == 'n')) {
			const char *w = s[1] == 'r' ? rt : name;

			memcpy(p, w, strlen(w));
			p += strlen(w);
			s++;
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return out;
}

/* "program arguments" expanded and split on spaces into d->argv. */
static int build_argv(struct job *job, struct exec_data *d)
{
	const char *args = job->o.arguments ? job->o.arguments : "";
	char *x = expand(job, args);
	unsigned n = 0;
	char *p;

	if (!x || asprintf(&d->line, "%s %s", job->o.program, x) < 0) {
		free(x);
		d->line = NULL;
		job_set_error(job, ENOMEM, "exec: out of memory");
		return -ENOMEM;
	}
	free(x);
	for (p = d->line; *p;) {
		p += strspn(p, " ");
		if (!*p)
			break;
		if (n == EXEC_ARGS_MAX) {
			job_set_error(job, E2BIG, "exec: arguments: more than %d words",
				      EXEC_ARGS_MAX - 1);
			return -E2BIG;
		}
		d->argv[n++] = p;
		p += strcspn(p, " ");
		if (*p)
			*p++ = '\0';
	}
	d->argv[n] = NULL;
	return 0;
}

static int open_redirect(struct job *job, const char *ext, int *fd)
{
	char path[4096], err[1024];
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s.%s", job->name ? job->name : "exec", ext) >=
	    sizeof(path)) {
		job_set_error(job, ENAMETOOLONG, "exec: std_redirect: the job's name is too long "
				 "for a file name");
		return -ENAMETOOLONG;
	}
	r = outfile_open(path, 0, 0644, NULL, err, sizeof(err));
	if (r < 0) {
		job_set_error(job, -r, "exec: std_redirect: %s", err);
		return r;
	}
	*fd = r;
	return 0;
}

static void exec_cleanup(struct job *job);

static int exec_init(struct job *job)
{
	struct worker *w = job->priv;
	struct exec_data *d;
	char why[512];
	int r;

	if (opts_exec_check(&job->o, w && w->allow_exec, why, sizeof(why))) {
		job_set_error(job, EPERM, "%s", why);
		return -EPERM;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		job_set_error(job, ENOMEM, "exec: out of memory");
		return -ENOMEM;
	}
	d->outfd = d->errfd = -1;
	job->engine_data = d;
	r = build_argv(job, d);
	if (!r && job->o.std_redirect)
		r = open_redirect(job, "stdout", &d->outfd);
	if (!r && job->o.std_redirect)
		r = open_redirect(job, "stderr", &d->errfd);
	if (r)
		exec_cleanup(job);
	return r;
}

/* The program ended (or was never started): nothing left to wait for. */
static bool child_gone(struct exec_data *d)
{
	int st;

	if (d->pid <= 0)
		return true;
	if (waitpid(d->pid, &st, WNOHANG) == d->pid) {
		d->pid = -1;
		return true;
	}
	return false;
}

static void exec_cleanup(struct job *job)
{
	struct exec_data *d = job->engine_data;

	if (!d)
		return;
	if (!child_gone(d)) {
		static const int now = 1;
		bool stopped;

		/* SIGTERM to its group, SIGKILL after grace_time */
		exec_wait_child(d->pid, &now, (uint64_t)job->o.grace_time * NS_PER_SEC, &stopped);
	}
	if (d->outfd >= 0)
		close(d->outfd);
	if (d->errfd >= 0)
		close(d->errfd);
	free(d->line);
	free(d);
	job->engine_data = NULL;
}

static int exec_queue(struct job *job, struct io_u *u)
{
	struct exec_data *d = job->engine_data;

	u->buflen = 0;
	u->resid = 0;
	u->error = 0;
	if (!d->started) {
		int r = exec_spawn(&d->pid, d->argv[0], d->argv, d->outfd, d->errfd);

		d->started = true;
		if (r) {
			d->pid = -1;
			job_set_error(job, -r, "exec: program '%s': %s", d->argv[0], strerror(-r));
			u->error = -r;
		}
		return Q_COMPLETED;
	}
	if (child_gone(d) && !job->o.runtime_us)
		st_relaxed(&job->stop, 1); /* no runtime: the program's end is the job's */
	else
		clock_wait(clock_now_ns() + EXEC_POLL_NS, &job->stop, -1);
	return Q_COMPLETED;
}

const struct engine_ops engine_exec = {
	.name = "exec",
	.flags = ENG_SYNC | ENG_NO_FILE_IO | ENG_DISKLESS | ENG_NO_DATA | ENG_NO_OFFLOAD,
	.setup = exec_setup,
	.check = exec_check,
	.init = exec_init,
	.cleanup = exec_cleanup,
	.queue = exec_queue,
};
