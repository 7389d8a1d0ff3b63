/* Runstates and job errors; see job.h. */
#include "job.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../lib/atomic.h"

static const char *const rs_names[RS_NR] = {
	[RS_NOT_CREATED] = "not created",
	[RS_CREATED] = "created",
	[RS_INITIALIZED] = "initialized",
	[RS_RAMP] = "ramp",
	[RS_RUNNING] = "running",
	[RS_VERIFYING] = "verifying",
	[RS_FSYNCING] = "fsyncing",
	[RS_FINISHING] = "finishing",
	[RS_EXITED] = "exited",
	[RS_REAPED] = "reaped",
};

char runstate_letter(enum runstate rs, unsigned rw, bool failed)
{
	bool rnd = rw & RW_RAND;

	switch (rs) {
	case RS_NOT_CREATED:
		return 'P';
	case RS_CREATED:
		return 'C';
	case RS_INITIALIZED:
		return 'I';
	case RS_RAMP:
		return '/';
	case RS_RUNNING:
		/* fio's order: mixed, read, write, trim */
		if ((rw & RW_READ) && (rw & RW_WRITE))
			return rnd ? 'm' : 'M';
		if (rw & RW_READ)
			return rnd ? 'r' : 'R';
		if (rw & RW_WRITE)
			return rnd ? 'w' : 'W';
		return rnd ? 'd' : 'D';
	case RS_VERIFYING:
		return 'V';
	case RS_FSYNCING:
		return 'F';
	case RS_FINISHING:
		return 'f';
	case RS_EXITED:
		return 'E';
	case RS_REAPED:
		return failed ? 'X' : '_';
	default:
		return '?';
	}
}

const char *runstate_name(enum runstate rs)
{
	if ((int)rs < 0 || rs >= RS_NR)
		return "unknown";
	return rs_names[rs];
}

static bool rs_skippable(enum runstate rs)
{
	return rs == RS_RAMP || rs == RS_VERIFYING || rs == RS_FSYNCING;
}

bool runstate_can_move(enum runstate from, enum runstate to)
{
	if ((int)from < 0 || from >= RS_NR || (int)to < 0 || to >= RS_NR)
		return false;
	if (to <= from)
		return false;
	if (to == RS_EXITED)
		return true; /* any live state may end, on error or stop */
	if (to == RS_REAPED)
		return from == RS_EXITED;
	for (int s = (int)from + 1; s < (int)to; s++)
		if (!rs_skippable((enum runstate)s))
			return false;
	return true;
}

void job_set_error(struct job *job, int err, const char *fmt, ...)
{
	va_list ap;

	if (ld_relaxed(&job->error))
		return;
	va_start(ap, fmt);
	vsnprintf(job->errmsg, sizeof(job->errmsg), fmt, ap);
	va_end(ap);
	/* errmsg is complete before error becomes visible */
	st_release(&job->error, err > 0 ? err : (err < 0 ? -err : 1));
	job_touch(job);
}

/* Split a ':' list ("\:" escapes a colon) into @out (at most @max names).
 * Returns the count or -ENOMEM. */
int job_split_names(const char *s, char **out, unsigned max)
{
	unsigned n = 0;
	size_t len = strlen(s);
	char *cur = malloc(len + 1);
	size_t k = 0;

	if (!cur)
		return -ENOMEM;
	for (size_t i = 0; i <= len && n < max; i++) {
		if (s[i] == '\\' && s[i + 1] == ':') {
			cur[k++] = ':';
			i++;
			continue;
		}
		if (s[i] == ':' || s[i] == '\0') {
			if (k) {
				cur[k] = '\0';
				out[n] = strdup(cur);
				if (!out[n]) {
					free(cur);
					return -ENOMEM;
				}
				n++;
			}
			k = 0;
			continue;
		}
		cur[k++] = s[i];
	}
	free(cur);
	return (int)n;
}

char *job_join_path_at(const char *dirs, unsigned idx, const char *name)
{
	unsigned cap = 1;
	char **v, *p = NULL;
	int n;

	if (!dirs || !dirs[0] || name[0] == '/')
		return strdup(name);
	for (const char *c = dirs; *c; c++)
		cap += *c == ':';
	v = calloc(cap, sizeof(*v));
	if (!v)
		return NULL;
	n = job_split_names(dirs, v, cap);
	if (n == 0)
		p = strdup(name);
	else if (n > 0 && asprintf(&p, "%s/%s", v[idx % (unsigned)n], name) < 0)
		p = NULL;
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return p;
}

char *job_join_path(const char *dirs, const char *name)
{
	return job_join_path_at(dirs, 0, name);
}

int job_target_paths(const struct job_opts *o, const char *base, unsigned clone, char ***out)
{
	unsigned cap = 1, want = o->nrfiles ? o->nrfiles : 1;
	char **names = NULL, **paths = NULL;
	bool generated = false;
	int n = 0;

	if (o->filename && o->filename[0]) {
		for (const char *p = o->filename; *p; p++)
			cap += *p == ':';
		names = calloc(cap, sizeof(*names));
		if (!names)
			return -ENOMEM;
		n = job_split_names(o->filename, names, cap);
		if (n < 0) {
			job_paths_free(names, cap);
			return n;
		}
		/* as fio 3.33: an nrfiles below the names uses the first ones
		 * (more files than names is refused when the job is read) */
		if (o->set[opt_index(opt_find("nrfiles"))] && o->nrfiles && o->nrfiles < (unsigned)n) {
			for (unsigned i = o->nrfiles; i < (unsigned)n; i++) {
				free(names[i]);
				names[i] = NULL;
			}
			n = (int)o->nrfiles;
		}
	}
	if (!n) {
		free(names);
		names = calloc(want, sizeof(*names));
		if (!names)
			return -ENOMEM;
		for (unsigned i = 0; i < want; i++) {
			names[i] = job_format_name(o->filename_format, base ? base : "job", clone, i);
			if (!names[i]) {
				job_paths_free(names, want);
				return -ENOMEM;
			}
		}
		n = (int)want;
		generated = true;
	}
	paths = calloc((size_t)n, sizeof(*paths));
	for (int i = 0; paths && i < n; i++) {
		/* directory=a:b as fio: clone k's made-up names in dir k % 2 */
		paths[i] = job_join_path_at(o->directory, generated ? clone : 0, names[i]);
		if (!paths[i]) {
			job_paths_free(paths, (unsigned)n);
			paths = NULL;
		}
	}
	job_paths_free(names, (unsigned)n);
	if (!paths)
		return -ENOMEM;
	*out = paths;
	return n;
}

bool job_target_generated(const struct job_opts *o)
{
	/* job_split_names skips empty names: only ':' names none */
	return !o->filename || !o->filename[strspn(o->filename, ":")];
}

void job_paths_free(char **paths, unsigned n)
{
	if (!paths)
		return;
	for (unsigned i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

char *job_format_name(const char *fmt, const char *jobname, unsigned jobnum, unsigned filenum)
{
	static const char *const keys[] = { "$jobname", "$jobnum", "$filenum", "$clientuid" };
	char num[2][16], *out;
	const char *vals[4];
	size_t cap = 1, n = 0;

	if (!fmt || !*fmt)
		fmt = "$jobname.$jobnum.$filenum";
	snprintf(num[0], sizeof(num[0]), "%u", jobnum);
	snprintf(num[1], sizeof(num[1]), "%u", filenum);
	vals[0] = jobname;
	vals[1] = num[0];
	vals[2] = num[1];
	vals[3] = "";
	/* two passes: measure, then write */
	for (int pass = 0; pass < 2; pass++) {
		out = pass ? malloc(cap) : NULL;
		if (pass && !out)
			return NULL;
		n = 0;
		for (const char *p = fmt; *p;) {
			size_t k;

			for (k = 0; k < 4; k++)
				if (!strncasecmp(p, keys[k], strlen(keys[k])))
					break;
			if (k < 4) {
				size_t l = strlen(vals[k]);

				if (pass)
					memcpy(out + n, vals[k], l);
				n += l;
				p += strlen(keys[k]);
			} else {
				if (pass)
					out[n] = *p;
				n++;
				p++;
			}
		}
		cap = n + 1;
	}
	out[n] = '\0';
	return out;
}
