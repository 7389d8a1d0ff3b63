/* fio I/O logs: write_iolog and read_iolog; see iolog.h. */
#include "iolog.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/atomic.h"
#include "../lib/clock.h"
#include "../lib/outfile.h"
#include "job.h"

#define WAIT_MIN_US 100                 /* v2 waits below this are ignored (fio) */

static const char *const hdr_v2 = "fio version 2 iolog";
static const char *const hdr_v3 = "fio version 3 iolog";

static const char *const act_names[] = {
	[DDIR_READ] = "read",  [DDIR_WRITE] = "write",	  [DDIR_TRIM] = "trim",
	[DDIR_SYNC] = "sync", [DDIR_DATASYNC] = "datasync",
};

const char *iolog_ddir_name(int ddir)
{
	if (ddir < 0 || ddir > DDIR_DATASYNC)
		return NULL;
	return act_names[ddir];
}

static int ddir_of(const char *s)
{
	for (int d = 0; d <= DDIR_DATASYNC; d++)
		if (!strcmp(s, act_names[d]))
			return d;
	return DDIR_INVAL;
}

void iolog_free(struct iolog *log)
{
	for (unsigned i = 0; i < log->nr_files; i++)
		free(log->files[i]);
	free(log->files);
	free(log->ents);
	for (unsigned i = 0; log->paths && i < log->nr_files; i++)
		free(log->paths[i]);
	free(log->paths);
	memset(log, 0, sizeof(*log));
}

static int perr(char *err, size_t errlen, const char *name, unsigned long line, const char *fmt,
		...) __attribute__((format(printf, 5, 6)));
static int perr(char *err, size_t errlen, const char *name, unsigned long line, const char *fmt,
		...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%lu: %s", name, line, why);
	return -EINVAL;
}

/* Unsigned decimal (or 0x hex) filling the whole token. */
static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return !errno && !*end;
}

static int find_file(const struct iolog *log, const char *name)
{
	for (unsigned i = 0; i < log->nr_files; i++)
		if (!strcmp(log->files[i], name))
			return (int)i;
	return -1;
}

static int add_file(struct iolog *log, const char *name)
{
	char **nf;

	if (find_file(log, name) >= 0)
		return 0;
	nf = realloc(log->files, (log->nr_files + 1) * sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	log->files = nf;
	nf[log->nr_files] = strdup(name);
	if (!nf[log->nr_files])
		return -ENOMEM;
	log->nr_files++;
	return 0;
}

static int add_ent(struct iolog *log, const struct iolog_entry *e)
{
	if (log->nr == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 256;
		struct iolog_entry *n = realloc(log->ents, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		log->ents = n;
		log->cap = cap;
	}
	log->ents[log->nr++] = *e;
	return 0;
}

/* Split @s in place on blanks; at most @max tokens. Returns the count, or
 * max + 1 when there are more. */
static unsigned tokens(char *s, char **tok, unsigned max)
{
	unsigned n = 0;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			return n;
		if (n == max)
			return max + 1;
		tok[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
}

int iolog_parse(struct iolog *log, FILE *f, const char *name, char *err, size_t errlen)
{
	char *line = NULL, *tok[6];
	size_t cap = 0;
	unsigned long lno = 0;
	uint64_t wait_us = 0, last_t = 0;
	int ret = 0;

	memset(log, 0, sizeof(*log));
	log->scale_pct = 100;
	for (;;) {
		ssize_t len = getline(&line, &cap, f);
		struct iolog_entry e;
		unsigned n, first = 0;
		const char *fname, *act;
		int fi, d;

		if (len < 0)
			break;
		lno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (lno == 1) {
			if (!strcmp(line, hdr_v2)) {
				log->version = 2;
			} else if (!strcmp(line, hdr_v3)) {
				log->version = 3;
				log->timed = true;
			} else {
				ret = perr(err, errlen, name, lno,
					   "not an iolog: the first line is '%.60s', not '%s' or '%s'",
					   line, hdr_v2, hdr_v3);
				goto out;
			}
			continue;
		}
		n = tokens(line, tok, 6);
		if (!n)
			continue; /* blank line */
		memset(&e, 0, sizeof(e));
		if (log->version == 3) {
			if (!parse_u64(tok[0], &e.t_us)) {
				ret = perr(err, errlen, name, lno,
					   "'%.40s' is not a timestamp (a version 3 line starts with "
					   "microseconds)", tok[0]);
				goto out;
			}
			if (e.t_us > IOLOG_MAX_T_US) {
				ret = perr(err, errlen, name, lno, "timestamp %" PRIu64 " us is "
					   "more than 100 years", e.t_us);
				goto out;
			}
			/* out of order stamps (merged traces) keep the order of the lines */
			if (e.t_us < last_t)
				e.t_us = last_t;
			last_t = e.t_us;
			first = 1;
			n--;
		}
		if (n != 2 && n != 4) {
			ret = perr(err, errlen, name, lno,
				   "%u fields; expected '%sFILE ACTION' or '%sFILE ACTION OFFSET LENGTH'",
				   n > 5 ? 5 : n, first ? "TIME " : "", first ? "TIME " : "");
			goto out;
		}
		fname = tok[first];
		act = tok[first + 1];
		if (n == 2 && (!strcmp(act, "add") || !strcmp(act, "open") || !strcmp(act, "close"))) {
			if (act[0] == 'a') {
				ret = add_file(log, fname);
				if (ret) {
					snprintf(err, errlen, "%s: out of memory", name);
					goto out;
				}
				continue;
			}
			/* open/close: iolab opens every file for the whole replay */
			if (find_file(log, fname) < 0) {
				ret = perr(err, errlen, name, lno, "%s of '%.200s' before it was added",
					   act, fname);
				goto out;
			}
			continue;
		}
		if (!strcmp(act, "wait")) {
			uint64_t us;

			if (log->version == 3) {
				ret = perr(err, errlen, name, lno,
					   "'wait' is not allowed in a version 3 iolog (timestamps "
					   "give the timing)");
				goto out;
			}
			if (n != 4 || !parse_u64(tok[first + 2], &us)) {
				ret = perr(err, errlen, name, lno,
					   "wait needs 'FILE wait MICROSECONDS LENGTH'");
				goto out;
			}
			if (us >= WAIT_MIN_US) {
				if (us > IOLOG_MAX_T_US - wait_us) {
					ret = perr(err, errlen, name, lno, "the waits add up to more "
						   "than 100 years");
					goto out;
				}
				wait_us += us;
				log->timed = true;
			}
			continue;
		}
		d = ddir_of(act);
		if (d == DDIR_INVAL) {
			ret = perr(err, errlen, name, lno,
				   "unknown action '%.40s' (add, open, close, read, write, trim, "
				   "sync, datasync%s)", act, log->version == 2 ? ", wait" : "");
			goto out;
		}
		if (n == 2 && d < DDIR_RWDIR_CNT) {
			ret = perr(err, errlen, name, lno, "%s needs an offset and a length", act);
			goto out;
		}
		fi = find_file(log, fname);
		if (fi < 0) {
			ret = perr(err, errlen, name, lno,
				   "%s on '%.200s', a file the log never added", act, fname);
			goto out;
		}
		if (n == 4) {
			uint64_t len64;

			if (!parse_u64(tok[first + 2], &e.offset)) {
				ret = perr(err, errlen, name, lno, "offset '%.40s' is not a number",
					   tok[first + 2]);
				goto out;
			}
			if (!parse_u64(tok[first + 3], &len64)) {
				ret = perr(err, errlen, name, lno, "length '%.40s' is not a number",
					   tok[first + 3]);
				goto out;
			}
			if (d < DDIR_RWDIR_CNT && !len64) {
				ret = perr(err, errlen, name, lno, "%s of length 0", act);
				goto out;
			}
			if (len64 > IOLOG_MAX_LEN) {
				ret = perr(err, errlen, name, lno,
					   "length %" PRIu64 " is above the %u MiB limit", len64,
					   IOLOG_MAX_LEN >> 20);
				goto out;
			}
			if (e.offset + len64 < e.offset || e.offset + len64 > (uint64_t)INT64_MAX) {
				ret = perr(err, errlen, name, lno, "offset %" PRIu64 " + length %"
					   PRIu64 " is past the largest file offset", e.offset, len64);
				goto out;
			}
			e.len = d < DDIR_RWDIR_CNT ? (uint32_t)len64 : 0;
			if (d >= DDIR_RWDIR_CNT)
				e.offset = 0;
		}
		e.ddir = d;
		e.file = (uint32_t)fi;
		if (log->version == 2)
			e.t_us = wait_us;
		ret = add_ent(log, &e);
		if (ret) {
			snprintf(err, errlen, "%s: out of memory", name);
			goto out;
		}
	}
	if (ferror(f)) {
		ret = -errno ? -errno : -EIO;
		snprintf(err, errlen, "%s: read error: %s", name, strerror(-ret));
		goto out;
	}
	if (lno == 0) {
		ret = perr(err, errlen, name, 1, "empty file, not an iolog (no '%s' line)", hdr_v2);
		goto out;
	}
out:
	free(line);
	if (ret) {
		iolog_free(log);
		log->scale_pct = 100;
	}
	return ret;
}

int iolog_load(struct iolog *log, const char *path, char *err, size_t errlen)
{
	FILE *f = infile_open(path, NULL, err, errlen);
	int ret;

	if (!f) {
		memset(log, 0, sizeof(*log));
		return -errno;
	}
	ret = iolog_parse(log, f, path, err, errlen);
	fclose(f);
	return ret;
}

/* ---- writing ---- */

struct iolog_writer {
	FILE *f;
	const struct job_file *files;
	unsigned nr;
};

struct iolog_writer *iolog_writer_open(const char *path, const struct job_file *files,
				       unsigned nr)
{
	return iolog_writer_open_flags(path, OUTF_NAMED, files, nr, NULL, 0);
}

struct iolog_writer *iolog_writer_open_flags(const char *path, unsigned flags,
					     const struct job_file *files, unsigned nr,
					     char *err, size_t errlen)
{
	struct iolog_writer *w = calloc(1, sizeof(*w));
	int fd, e;

	if (!w) {
		snprintf(err, errlen, "write_iolog: %s: out of memory", path);
		errno = ENOMEM;
		return NULL;
	}
	fd = outfile_open(path, flags, 0644, NULL, err, errlen);
	w->f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!w->f) {
		e = fd < 0 ? -fd : errno;
		if (fd >= 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(e));
			close(fd);
		}
		free(w);
		errno = e;
		return NULL;
	}
	setvbuf(w->f, NULL, _IOFBF, 1 << 16);
	w->files = files;
	w->nr = nr;
	fprintf(w->f, "%s\n", hdr_v2);
	for (unsigned i = 0; i < nr; i++)
		fprintf(w->f, "%s add\n", files[i].path);
	for (unsigned i = 0; i < nr; i++)
		fprintf(w->f, "%s open\n", files[i].path);
	return w;
}

void iolog_writer_io(struct iolog_writer *w, const struct io_u *u)
{
	const char *act = iolog_ddir_name(u->ddir);

	if (!act || !u->file)
		return;
	fprintf(w->f, "%s %s %" PRIu64 " %u\n", u->file->path, act, u->offset, u->buflen);
}

int iolog_writer_close(struct iolog_writer *w)
{
	int ret = 0;

	if (!w)
		return 0;
	for (unsigned i = 0; i < w->nr; i++)
		fprintf(w->f, "%s close\n", w->files[i].path);
	if (fflush(w->f) || ferror(w->f))
		ret = errno ? -errno : -EIO;
	if (fclose(w->f) && !ret)
		ret = -errno;
	free(w);
	return ret;
}

/* ---- worker glue ---- */

/* Name @want of the ':' list @s, or its last when shorter; NULL when
 * empty or out of memory. */
static char *list_name(const char *s, unsigned want)
{
	unsigned cap = 1;
	char **names, *pick = NULL;
	int n;

	for (const char *p = s; *p; p++)
		cap += *p == ':';
	names = calloc(cap, sizeof(*names));
	if (!names)
		return NULL;
	n = job_split_names(s, names, cap);
	for (int i = 0; i < n; i++) {
		if (i == (int)want || (i == n - 1 && !pick))
			pick = names[i];
		else
			free(names[i]);
	}
	free(names);
	return pick;
}

/* Where log file @i is replayed: the logged path if it exists, else the
 * job's own file. malloc'd or NULL on ENOMEM. */
static char *replay_path(const struct job_opts *o, const char *jobname, const char *logged,
			 unsigned i, unsigned clone)
{
	struct stat st;
	char *name = NULL, *p;

	if (!stat(logged, &st))
		return strdup(logged);
	if (o->filename && o->filename[0])
		name = list_name(o->filename, i);
	if (!name && asprintf(&name, "%s.%u.%u", o->name ? o->name : jobname, clone, i) < 0)
		return NULL;
	if (!name)
		return NULL;
	p = job_join_path(o->directory, name);
	free(name);
	return p;
}

int iolog_job_setup(struct job *job, unsigned clone)
{
	struct job_opts *o = &job->o;
	struct iolog *log;
	char err[512], **paths;
	uint64_t ext = 0, total = 0;
	uint32_t maxlen[DDIR_RWDIR_CNT] = { 0 };
	unsigned rw = 0;
	int ret;

	if (job->iolog_replay) {
		iolog_free(job->iolog_replay);
		free(job->iolog_replay);
		job->iolog_replay = NULL;
	}
	if (!o->read_iolog || !o->read_iolog[0])
		return 0;
	log = calloc(1, sizeof(*log));
	if (!log) {
		job_set_error(job, ENOMEM, "read_iolog: out of memory");
		return -ENOMEM;
	}
	ret = iolog_load(log, o->read_iolog, err, sizeof(err));
	if (ret) {
		job_set_error(job, -ret, "read_iolog: %s", err);
		free(log);
		return ret;
	}
	if (!log->nr_files) {
		job_set_error(job, EINVAL, "read_iolog: %s: the log adds no file", o->read_iolog);
		iolog_free(log);
		free(log);
		return -EINVAL;
	}
	for (size_t i = 0; i < log->nr; i++) {
		const struct iolog_entry *e = &log->ents[i];

		if (e->ddir >= DDIR_RWDIR_CNT)
			continue;
		rw |= 1u << e->ddir;
		if (e->len > maxlen[e->ddir])
			maxlen[e->ddir] = e->len;
		if (e->offset + e->len > ext)
			ext = e->offset + e->len;
		total += e->len;
	}
	paths = calloc(log->nr_files, sizeof(*paths));
	for (unsigned i = 0; paths && i < log->nr_files; i++) {
		paths[i] = replay_path(o, job->name, log->files[i], i, clone);
		if (!paths[i]) {
			for (unsigned k = 0; k < i; k++)
				free(paths[k]);
			free(paths);
			paths = NULL;
		}
	}
	if (!paths) {
		iolog_free(log);
		free(log);
		job_set_error(job, ENOMEM, "read_iolog: out of memory");
		return -ENOMEM;
	}
	log->paths = paths;
	o->nrfiles = log->nr_files;
	o->size = 0;
	o->size_pct = 0;
	o->offset = 0;
	o->offset_pct = 0;
	o->offset_increment = 0;
	o->filesize = ext ? ext : 4096;
	o->io_size = total;
	o->loops = 1;
	o->rw = rw ? rw : RW_READ;
	o->rw_seq_nr = 0;
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		if (maxlen[d])
			o->bs[d] = maxlen[d];
		o->bs_min[d] = o->bs_max[d] = 0;
		o->nr_bssplit[d] = 0;
		o->blockalign[d] = 0;
	}
	log->scale_pct = o->replay_time_scale >= 1 ? (unsigned)o->replay_time_scale : 100;
	log->no_stall = o->replay_no_stall;
	job->iolog_replay = log;
	return 0;
}

int iolog_written_paths(const struct job_opts *o, const char *jobname, unsigned clone,
			char ***out)
{
	struct iolog log;
	char err[512], **paths;
	bool *writes;
	unsigned n = 0;
	int ret;

	*out = NULL;
	if (!o->read_iolog || !o->read_iolog[0])
		return 0;
	ret = iolog_load(&log, o->read_iolog, err, sizeof(err));
	if (ret)
		return ret;
	writes = calloc(log.nr_files ? log.nr_files : 1, sizeof(*writes));
	paths = calloc(log.nr_files ? log.nr_files : 1, sizeof(*paths));
	if (!writes || !paths) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < log.nr; i++)
		if ((log.ents[i].ddir == DDIR_WRITE || log.ents[i].ddir == DDIR_TRIM) &&
		    log.ents[i].file < log.nr_files)
			writes[log.ents[i].file] = true;
	for (unsigned i = 0; i < log.nr_files; i++) {
		if (!writes[i])
			continue;
		paths[n] = replay_path(o, jobname, log.files[i], i, clone);
		if (!paths[n]) {
			ret = -ENOMEM;
			goto out;
		}
		n++;
	}
	*out = paths;
	paths = NULL;
	ret = (int)n;
out:
	if (paths)
		for (unsigned i = 0; i < n; i++)
			free(paths[i]);
	free(paths);
	free(writes);
	iolog_free(&log);
	return ret;
}

int iolog_output_check(const struct job_opts *o, unsigned clone, char *err, size_t errlen)
{
	char *path = NULL, why[PATH_MAX + 200];
	int ret;

	if (!o->write_iolog || !o->write_iolog[0])
		return 0;
	if (o->numjobs > 1 ? asprintf(&path, "%s.%u", o->write_iolog, clone) < 0
			   : !(path = strdup(o->write_iolog))) {
		snprintf(err, errlen, "write_iolog: out of memory");
		return -ENOMEM;
	}
	ret = outfile_check(path, o->numjobs > 1 ? 0 : OUTF_NAMED, path, why, sizeof(why));
	if (ret)
		snprintf(err, errlen, "write_iolog=%s", why);
	free(path);
	return ret;
}

int iolog_job_files(struct job *job, unsigned clone)
{
	const struct job_opts *o = &job->o;
	char *path = NULL, err[PATH_MAX + 200];

	if (!o->write_iolog || !o->write_iolog[0])
		return 0;
	if (o->numjobs > 1 ? asprintf(&path, "%s.%u", o->write_iolog, clone) < 0
			   : !(path = strdup(o->write_iolog))) {
		job_set_error(job, ENOMEM, "write_iolog: out of memory");
		return -ENOMEM;
	}
	job->iolog_writer = iolog_writer_open_flags(path, o->numjobs > 1 ? 0 : OUTF_NAMED,
						    job->files, job->nr_files, err, sizeof(err));
	if (!job->iolog_writer) {
		int e = errno;

		job_set_error(job, e, "write_iolog: %s", err);
		free(path);
		return -e;
	}
	free(path);
	return 0;
}

void iolog_job_end(struct job *job)
{
	if (job->iolog_writer) {
		int ret = iolog_writer_close(job->iolog_writer);

		job->iolog_writer = NULL;
		if (ret)
			job_set_error(job, -ret, "write_iolog: %s: %s", job->o.write_iolog,
				      strerror(-ret));
	}
	if (job->iolog_replay) {
		iolog_free(job->iolog_replay);
		free(job->iolog_replay);
		job->iolog_replay = NULL;
	}
}

int iolog_replay_next(struct iolog *log, struct job *job, struct io_u *u)
{
	const struct iolog_entry *e;

	if (log->next >= log->nr || (uint32_t)log->ents[log->next].file >= job->nr_files)
		return 1;
	e = &log->ents[log->next];
	if (!log->start_ns) {
		log->start_ns = clock_now_ns();
	} else if (log->timed && !log->no_stall) {
		uint64_t rel = e->t_us - log->ents[0].t_us;
		/* rel <= 100 years, scale down to 1%: 128 bits, then capped */
		unsigned __int128 d = (unsigned __int128)rel * NS_PER_US * 100 / log->scale_pct;
		uint64_t due = log->start_ns + (d > UINT64_MAX / 2 ? UINT64_MAX / 2 : (uint64_t)d);
		if (clock_wait(due, &job->stop, -1) == CLOCK_WAIT_STOPPED)
			return 1;
	}
	log->next++;
	u->ddir = e->ddir;
	u->file = &job->files[e->file];
	u->offset = e->offset;
	u->buflen = e->len;
	return 0;
}
