/* Sources: the checks every kind passes and the calls front ends make; see
 * source.h. The local kind is in source_local.c. */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int source_new(const struct source_ops *ops, void *priv, struct source **out)
{
	struct source *s;

	*out = NULL;
	if (!ops || !ops->kind || !ops->njobs || !ops->status || !ops->gen || !ops->samples ||
	    !ops->wake_fd || !ops->drain_wake)
		return -EINVAL;
	if (((ops->caps & SRC_CAP_LOAD) && !ops->load) ||
	    ((ops->caps & SRC_CAP_START) && (!ops->start || !ops->reap)) ||
	    ((ops->caps & SRC_CAP_STOP) && !ops->stop) ||
	    ((ops->caps & SRC_CAP_RESTART) && !ops->restart) ||
	    ((ops->caps & SRC_CAP_KNOBS) && (!ops->set_knobs || !ops->knobs)))
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ops = ops;
	s->priv = priv;
	*out = s;
	return 0;
}

void source_free(struct source *s)
{
	if (!s)
		return;
	if (s->ops->free)
		s->ops->free(s);
	free(s);
}

unsigned source_njobs(struct source *s)
{
	return s->ops->njobs(s);
}

int source_status(struct source *s, unsigned id, struct source_status *out)
{
	if (id >= s->ops->njobs(s))
		return -ENOENT;
	return s->ops->status(s, id, out);
}

uint64_t source_gen(struct source *s)
{
	return s->ops->gen(s);
}

int source_stats(struct source *s, unsigned id, struct job_stats *out)
{
	if (id >= s->ops->njobs(s))
		return -ENOENT;
	return s->ops->stats ? s->ops->stats(s, id, out) : -ENOTSUP;
}

const struct job_opts *source_opts(struct source *s, unsigned id)
{
	return id < s->ops->njobs(s) && s->ops->opts ? s->ops->opts(s, id) : NULL;
}

int source_knobs(struct source *s, unsigned id, struct job_knobs *out)
{
	if (id >= s->ops->njobs(s))
		return -ENOENT;
	return s->ops->knobs ? s->ops->knobs(s, id, out) : -ENOTSUP;
}

struct sample_store *source_samples(struct source *s)
{
	return s->ops->samples(s);
}

int source_report(struct source *s, FILE *f, unsigned formats, const struct job_opts *global)
{
	return s->ops->report ? s->ops->report(s, f, formats, global) : -ENOTSUP;
}

int source_wake_fd(struct source *s)
{
	return s->ops->wake_fd(s);
}

void source_drain_wake(struct source *s)
{
	s->ops->drain_wake(s);
}

uint64_t source_start_ns(struct source *s)
{
	return s->ops->start_ns ? s->ops->start_ns(s) : 0;
}

uint64_t source_run_start_ns(struct source *s)
{
	return s->ops->run_start_ns ? s->ops->run_start_ns(s) : 0;
}

bool source_running(struct source *s)
{
	return s->ops->running ? s->ops->running(s) : false;
}

int source_title(struct source *s, char *buf, size_t len)
{
	if (len)
		buf[0] = '\0';
	return s->ops->title ? s->ops->title(s, buf, len) : -ENOTSUP;
}

int source_hosts(struct source *s, struct source_host *out, int max)
{
	return s->ops->hosts ? s->ops->hosts(s, out, max) : 0;
}

int source_load(struct source *s, const struct job_list *l, char *err, size_t errlen)
{
	if (!source_can(s, SRC_CAP_LOAD)) {
		snprintf(err, errlen, "a %s source does not load jobs", s->ops->kind);
		return -ENOTSUP;
	}
	return s->ops->load(s, l, err, errlen);
}

int source_start(struct source *s)
{
	return source_can(s, SRC_CAP_START) ? s->ops->start(s) : -ENOTSUP;
}

int source_stop(struct source *s, int id)
{
	return source_can(s, SRC_CAP_STOP) ? s->ops->stop(s, id) : -ENOTSUP;
}

int source_restart(struct source *s, unsigned id, const struct job_opts *o, char *err,
		   size_t errlen)
{
	if (!source_can(s, SRC_CAP_RESTART)) {
		snprintf(err, errlen, "a %s source does not restart jobs", s->ops->kind);
		return -ENOTSUP;
	}
	return s->ops->restart(s, id, o, err, errlen);
}

int source_set_knobs(struct source *s, unsigned first, unsigned count, const char *name,
		     const char *val, char *err, size_t errlen)
{
	if (!source_can(s, SRC_CAP_KNOBS)) {
		snprintf(err, errlen, "a %s source has no live knobs", s->ops->kind);
		return -ENOTSUP;
	}
	return s->ops->set_knobs(s, first, count, name, val, err, errlen);
}

int source_reap(struct source *s)
{
	return s->ops->reap ? s->ops->reap(s) : 0;
}
