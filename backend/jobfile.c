/* Reading and writing fio job files; see jobfile.h.
 *
 * A file is read in two steps:
 *  1. pre-processing: lines are checked for binary bytes, comments are cut
 *     (fio cuts a line at its first ';' or '#'), includes spliced, ${VAR}
 *     expanded; every section and key line lands in a side table with its
 *     file, line, spelling and value, in the file's order;
 *  2. sections are applied in order: [global] updates the defaults for the
 *     jobs after it, each other section becomes a job (kb_base first, then
 *     the keys as written) and is validated where it ends.
 * Cost: linear in the bytes read (includes counted each time they are
 * spliced) and in the key lines; a key repeated N times costs N opt_set()s.
 * (Earlier versions handed a normalized copy to iniparser: its dictionary
 * scans every entry on each insert, quadratic in key lines, and its line
 * continuation and quoting had to be worked around; the side table already
 * holds everything it returned.)
 *
 * Extension: a line ";@iolab key=value" is read as "key=value" (fio skips
 * it as a comment); jobfile_save() writes iolab-only options that way so a
 * saved file stays valid for fio and loses nothing for iolab. */
#include "jobfile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/errmsg.h"
#include "../lib/outfile.h"
#include "zbd.h"

#define LINE_MAX_LEN 1000      /* iniparser reads lines of up to 1024 */
#define INCLUDE_DEPTH_MAX 16
#define FILE_MAX_BYTES (16u << 20)
/* A load reads at most this many include directives and this many bytes
 * (the file and everything it includes, counted each time it is
 * included), so an include tree that fans out is refused quickly. */
#define INCLUDES_MAX 1024
#define LOAD_MAX_BYTES (32u << 20)
#define IOLAB_PREFIX ";@iolab "
#define CMDLINE "command line"
/* Warnings kept per list: each new one is compared with those before. */
#define WARNINGS_MAX 64

struct ent {
	char *key;        /* as written */
	char *val;        /* after ${VAR} expansion; NULL for a bare key */
	const char *file; /* interned in struct pp */
	int line;
};

struct sec {
	char *name; /* as written, trimmed */
	const char *file;
	int line;
	bool global;
	size_t first, n; /* entries [first, first + n) */
};

struct pp {
	struct ent *e;
	size_t ne, ce;
	struct sec *s;
	size_t ns, cs;
	char **files;
	size_t nf, cf;
	unsigned nincludes; /* include directives followed so far */
	size_t bytes;       /* bytes read so far, includes counted each time */
	char *err;
	size_t errlen;
};

struct origin {
	const char *file;
	int line;
};

struct loader {
	struct job_list *l;
	struct job_opts global;
	struct origin gorg[OPT_MAX];
	char *err;
	size_t errlen;
	/* engine options from [global]: whether some job's engine took one,
	 * and where and for which engine it first had no effect */
	bool eng_used[OPT_MAX];
	struct origin eng_org[OPT_MAX];
	char eng_engine[OPT_MAX][24];
};

#define fail errmsg_fail

/* "FILE:LINE" or "FILE" (line 0: no line, e.g. the command line). */
static void where(char *buf, size_t len, const char *file, int line)
{
	if (line > 0)
		snprintf(buf, len, "%s:%d", file, line);
	else
		snprintf(buf, len, "%s", file);
}

/* ------------------------------------------------------------ job list */

void job_spec_label(const struct job_spec *s, char *buf, size_t len)
{
	const char *name = s->opts.name && s->opts.name[0] ? s->opts.name : s->section;

	if (!name)
		name = "job";
	if (s->opts.numjobs > 1)
		snprintf(buf, len, "%s.%u", name, s->clone);
	else
		snprintf(buf, len, "%s", name);
}

void job_list_init(struct job_list *l)
{
	memset(l, 0, sizeof(*l));
	opts_init(&l->global);
}

static void spec_free(struct job_spec *s)
{
	opts_free(&s->opts);
	free(s->section);
	free(s->src_file);
	s->section = s->src_file = NULL;
}

static void warn_add(struct job_list *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn_add(struct job_list *l, const char *fmt, ...)
{
	size_t have = l->warnings ? strlen(l->warnings) : 0;
	char line[1024], *p;
	va_list ap;
	int n;

	if (l->nwarnings > WARNINGS_MAX)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (strstr(l->warnings ? l->warnings : "", line))
		return; /* numjobs clones and repeated loads say it once */
	if (l->nwarnings == WARNINGS_MAX)
		snprintf(line, sizeof(line), "(more than %d warnings; the rest left out)",
			 WARNINGS_MAX);
	p = realloc(l->warnings, have + strlen(line) + 2);
	if (!p)
		return;
	memcpy(p + have, line, strlen(line));
	p[have + strlen(line)] = '\n';
	p[have + strlen(line) + 1] = '\0';
	l->warnings = p;
	l->nwarnings++;
}

void job_list_free(struct job_list *l)
{
	free(l->warnings);
	for (size_t i = 0; i < l->nr; i++)
		spec_free(&l->jobs[i]);
	free(l->jobs);
	opts_free(&l->global);
	memset(l, 0, sizeof(*l));
}

/* Appends a job, taking ownership of @o's strings. Returns 0 or -ENOMEM. */
static int list_push(struct job_list *l, struct job_opts *o, const char *section,
		     const char *file, int line, unsigned clone)
{
	struct job_spec *s;

	if (l->nr == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct job_spec *n = realloc(l->jobs, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		l->jobs = n;
		l->cap = cap;
	}
	s = &l->jobs[l->nr];
	memset(s, 0, sizeof(*s));
	s->section = strdup(section);
	s->src_file = strdup(file);
	if (!s->section || !s->src_file) {
		free(s->section);
		free(s->src_file);
		return -ENOMEM;
	}
	memcpy(&s->opts, o, sizeof(*o));
	s->src_line = line;
	s->clone = clone;
	l->nr++;
	return 0;
}

/* -------------------------------------------------------- pre-process */

static void pp_free(struct pp *p)
{
	for (size_t i = 0; i < p->ne; i++) {
		free(p->e[i].key);
		free(p->e[i].val);
	}
	for (size_t i = 0; i < p->ns; i++)
		free(p->s[i].name);
	for (size_t i = 0; i < p->nf; i++)
		free(p->files[i]);
	free(p->e);
	free(p->s);
	free(p->files);
	memset(p, 0, sizeof(*p));
}

static const char *pp_intern(struct pp *p, const char *name)
{
	for (size_t i = 0; i < p->nf; i++)
		if (!strcmp(p->files[i], name))
			return p->files[i];
	if (p->nf == p->cf) {
		size_t c = p->cf ? p->cf * 2 : 4;
		char **n = realloc(p->files, c * sizeof(*n));

		if (!n)
			return NULL;
		p->files = n;
		p->cf = c;
	}
	p->files[p->nf] = strdup(name);
	return p->files[p->nf] ? p->files[p->nf++] : NULL;
}

static int pp_oom(struct pp *p)
{
	return fail(p->err, p->errlen, "out of memory reading job file");
}

static int pp_add_sec(struct pp *p, const char *name, const char *file, int line)
{
	struct sec *s;

	if (p->ns == p->cs) {
		size_t c = p->cs ? p->cs * 2 : 8;
		struct sec *n = realloc(p->s, c * sizeof(*n));

		if (!n)
			return pp_oom(p);
		p->s = n;
		p->cs = c;
	}
	s = &p->s[p->ns];
	s->name = strdup(name);
	if (!s->name)
		return pp_oom(p);
	s->file = file;
	s->line = line;
	s->global = !strcasecmp(name, "global");
	s->first = p->ne;
	s->n = 0;
	p->ns++;
	return 0;
}

/* Appends key/@val (NULL: bare) to the last section. */
static int pp_add_ent(struct pp *p, const char *key, size_t keylen, const char *val,
		      const char *file, int line)
{
	struct ent *e;

	if (p->ne == p->ce) {
		size_t c = p->ce ? p->ce * 2 : 32;
		struct ent *n = realloc(p->e, c * sizeof(*n));

		if (!n)
			return pp_oom(p);
		p->e = n;
		p->ce = c;
	}
	e = &p->e[p->ne];
	e->key = strndup(key, keylen);
	e->val = val ? strdup(val) : NULL;
	e->file = file;
	e->line = line;
	if (!e->key || (val && !e->val)) {
		free(e->key);
		free(e->val);
		return pp_oom(p);
	}
	p->ne++;
	p->s[p->ns - 1].n++;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Expands ${VAR} in @in into @out; the expansion is not scanned again.
 * A variable that is unset or holds a control character (tab included) is
 * refused. Returns 0 or -1 with a reason in @why. */
static int expand_env(const char *in, char *out, size_t outlen, char *why, size_t whylen)
{
	size_t o = 0;

	for (const char *p = in; *p;) {
		const char *add = p;
		size_t n = 1;

		if (p[0] == '$' && p[1] == '{') {
			const char *close = strchr(p + 2, '}');
			char name[256];

			if (!close)
				return fail(why, whylen, "'${' without a closing '}'");
			if ((size_t)(close - p - 2) >= sizeof(name) || close == p + 2)
				return fail(why, whylen, "bad variable name in '%.*s'",
					    (int)(close - p + 1), p);
			memcpy(name, p + 2, (size_t)(close - p - 2));
			name[close - p - 2] = '\0';
			add = getenv(name);
			if (!add)
				return fail(why, whylen, "environment variable '%s' is not set", name);
			n = strlen(add);
			/* a newline would start another option line, a
			 * terminal escape would reach the screen: refused */
			for (size_t i = 0; i < n; i++) {
				unsigned char ch = (unsigned char)add[i];

				if (ch < 0x20 || ch == 0x7f)
					return fail(why, whylen, "environment variable '%s' holds "
						    "a control character (0x%02x at byte %zu); "
						    "refused", name, ch, i);
			}
			p = close + 1;
		} else {
			p++;
		}
		if (o + n >= outlen)
			return fail(why, whylen, "line too long after expanding variables");
		memcpy(out + o, add, n);
		o += n;
	}
	out[o] = '\0';
	return 0;
}

/* Reads a whole file. Returns 0 or -errno. A FIFO (iolab <(...)) is read
 * as it comes, but its open never waits for a writer: opened O_NONBLOCK, a
 * FIFO nobody writes reads as empty instead of blocking the caller (the
 * TUI's thread) past any stop. */
static int read_file(const char *path, char **out, size_t *outlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int ret = 0;
	FILE *f;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	if (fcntl(fd, F_SETFL, 0) < 0 || !(f = fdopen(fd, "rb"))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	for (;;) {
		size_t n;

		if (len + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			if (cap > FILE_MAX_BYTES + 8192) {
				ret = -EFBIG;
				goto err;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				ret = -ENOMEM;
				goto err;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				ret = -EIO;
				goto err;
			}
			break;
		}
	}
	fclose(f);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
err:
	fclose(f);
	free(buf);
	return ret;
}

static int pp_text(struct pp *p, const char *file, const char *text, size_t len, int depth,
		   bool in_section);

/* include PATH at @file:@line. */
static int pp_include(struct pp *p, const char *file, int line, const char *arg, int depth,
		      bool in_section)
{
	char path[4096], exp[4096], why[300], at[512];
	const char *slash = strrchr(file, '/');
	const char *name;
	char *text = NULL;
	size_t len = 0;
	int ret;

	where(at, sizeof(at), file, line);
	if (!*arg)
		return fail(p->err, p->errlen, "%s: include: needs a file name", at);
	if (expand_env(arg, exp, sizeof(exp), why, sizeof(why)))
		return fail(p->err, p->errlen, "%s: include: %s", at, why);
	{
		int n;

		if (exp[0] != '/' && slash)
			n = snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - file), file, exp);
		else
			n = snprintf(path, sizeof(path), "%s", exp);
		if (n < 0 || (size_t)n >= sizeof(path))
			return fail(p->err, p->errlen, "%s: include %s: path too long", at, exp);
	}
	if (depth >= INCLUDE_DEPTH_MAX)
		return fail(p->err, p->errlen, "%s: include %s: nested more than %d deep (does "
				 "it include itself?)", at, exp, INCLUDE_DEPTH_MAX);
	if (++p->nincludes > INCLUDES_MAX)
		return fail(p->err, p->errlen, "%s: include %s: more than %d includes in one "
				 "load (files that include each other many times?)", at, exp,
			    INCLUDES_MAX);
	ret = read_file(path, &text, &len);
	if (ret)
		return fail(p->err, p->errlen, "%s: include %s: %s", at, path, strerror(-ret));
	p->bytes += len;
	if (p->bytes > LOAD_MAX_BYTES) {
		free(text);
		return fail(p->err, p->errlen, "%s: include %s: the job file and its includes "
				 "add up to more than %u MiB", at, exp, LOAD_MAX_BYTES >> 20);
	}
	name = pp_intern(p, path);
	if (!name) {
		free(text);
		return pp_oom(p);
	}
	ret = pp_text(p, name, text, len, depth + 1, in_section);
	free(text);
	return ret;
}

static bool key_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Pre-processes @text (the contents of @file) into @p. */
static int pp_text(struct pp *p, const char *file, const char *text, size_t len, int depth,
		   bool in_section)
{
	const char *s = text, *end = text + len;
	bool have_section = in_section;
	int lineno = 0;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3; /* UTF-8 byte order mark */
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char raw[LINE_MAX_LEN + 2], at[512], *line, *c;

		lineno++;
		where(at, sizeof(at), file, lineno);
		for (size_t i = 0; i < l; i++) {
			unsigned char ch = (unsigned char)s[i];

			if (ch == 0)
				return fail(p->err, p->errlen, "%s: binary data (a NUL byte): not a "
						 "job file", at);
			if ((ch < 0x20 && ch != '\t' && !(ch == '\r' && i + 1 == l)) || ch == 0x7f)
				return fail(p->err, p->errlen, "%s: binary data (control byte 0x%02x):"
						 " not a job file", at, ch);
		}
		if (l > LINE_MAX_LEN)
			return fail(p->err, p->errlen, "%s: line is %zu characters long (at most %d)",
				    at, l, LINE_MAX_LEN);
		memcpy(raw, s, l);
		raw[l] = '\0';
		s = nl ? nl + 1 : end;
		if (l && raw[l - 1] == '\r')
			raw[l - 1] = '\0';

		line = trim(raw);
		if (!strncmp(line, IOLAB_PREFIX, strlen(IOLAB_PREFIX)))
			line += strlen(IOLAB_PREFIX);
		c = strpbrk(line, ";#");
		if (c)
			*c = '\0';
		line = trim(line);
		if (!*line)
			continue;

		if (*line == '[') {
			char *close = strchr(line, ']'), *name;

			if (!close)
				return fail(p->err, p->errlen, "%s: malformed section header '%s' (no "
						 "closing ']')", at, line);
			if (close[1])
				return fail(p->err, p->errlen, "%s: malformed section header '%s' (text "
						 "after ']')", at, line);
			*close = '\0';
			name = trim(line + 1);
			if (!*name)
				return fail(p->err, p->errlen, "%s: empty section name '[]'", at);
			if (strchr(name, '['))
				return fail(p->err, p->errlen, "%s: malformed section header '[%s]'",
					    at, name);
			if (in_section)
				return fail(p->err, p->errlen, "%s: [%s]: a file included inside a "
						 "section cannot start sections", at, name);
			if (pp_add_sec(p, name, file, lineno))
				return -1;
			have_section = true;
			continue;
		}

		/* key, key=value, or include PATH */
		{
			char *k = line, *v = NULL, exp[LINE_MAX_LEN * 4 + 1], why[300];
			size_t kl = 0;

			while (key_char(k[kl]))
				kl++;
			if (!kl)
				return fail(p->err, p->errlen, "%s: '%s' is not an option line (expected "
						 "key=value)", at, line);
			c = k + kl;
			while (*c == ' ' || *c == '\t')
				c++;
			if (kl == 7 && !strncasecmp(k, "include", 7) && (!*c || *c == '='))
				return fail(p->err, p->errlen, "%s: include: needs a file name "
						 "(include FILE)", at);
			if (*c == '=') {
				v = trim(c + 1);
			} else if (*c) {
				if (kl == 7 && !strncasecmp(k, "include", 7) && c > k + kl) {
					/* inside a section, the included keys join
					 * it; at top level it may bring sections */
					if (pp_include(p, file, lineno, c, depth, have_section))
						return -1;
					continue;
				}
				return fail(p->err, p->errlen, "%s: '%s' is not an option line (expected "
						 "key=value)", at, line);
			}
			if (!have_section)
				return fail(p->err, p->errlen, "%s: %.*s: option outside any [section]",
					    at, (int)kl, k);
			if (v) {
				if (expand_env(v, exp, sizeof(exp), why, sizeof(why)))
					return fail(p->err, p->errlen, "%s: %.*s: %s", at, (int)kl, k,
						    why);
				if (strlen(exp) > LINE_MAX_LEN - 24)
					return fail(p->err, p->errlen, "%s: %.*s: value too long after "
							 "expanding variables", at, (int)kl, k);
			}
			if (pp_add_ent(p, k, kl, v ? exp : NULL, file, lineno))
				return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ applying */

/* Replaces "" placeholders of bare log options with @name. */
static void resolve_bare_names(struct job_opts *o, const char *name)
{
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];
		char **p = (char **)((char *)o + d->off);

		if (d->type != OPT_STR || !(d->flags & OPTF_BARE_NAME) || !*p || **p)
			continue;
		free(*p);
		*p = strdup(name);
	}
}

/* Applies the entries of @s to @o (kb_base first, then in order), noting
 * where each option came from in @org. */
static int apply_section(struct loader *ld, struct job_opts *o, struct origin *org,
			 const struct pp *p, const struct sec *s, const char *const *vals)
{
	const struct opt_def *kb = opt_find("kb_base");

	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = s->first; k < s->first + s->n; k++) {
			const struct ent *e = &p->e[k];
			const struct opt_def *d = opt_find(e->key);
			char why[512], at[512];

			if ((pass == 0) != (d == kb))
				continue;
			where(at, sizeof(at), e->file, e->line);
			if (!d) {
				const char *sug = opt_suggest(e->key);

				if (sug)
					return fail(ld->err, ld->errlen, "%s: %s: unknown option (did "
							 "you mean '%s'?)", at, e->key, sug);
				return fail(ld->err, ld->errlen, "%s: %s: unknown option", at, e->key);
			}
			why[0] = '\0';
			if (opt_set(o, e->key, vals[k], why, sizeof(why)))
				return fail(ld->err, ld->errlen, "%s: %s: %s", at, e->key,
					    why[0] ? why : "invalid value");
			if (d->flags & OPTF_COMPAT)
				warn_add(ld->l, "%s: %s: accepted for fio compatibility, no "
					 "effect (%s)", at, e->key, d->help);
			org[opt_index(d)].file = e->file;
			org[opt_index(d)].line = e->line;
		}
	}
	return 0;
}

/* A validation message "option: reason" placed at the line that set the
 * option (else at @file:@line). */
static int validate_at(struct loader *ld, const struct job_opts *o, const struct origin *org,
		       const char *file, int line)
{
	char why[512], at[512], name[64];
	const struct opt_def *d;
	size_t n;

	if (!opts_validate(o, why, sizeof(why)))
		return 0;
	n = strcspn(why, ":="); /* "option: why" or "option=value: why" */
	snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) ? n : sizeof(name) - 1),
		 why);
	d = opt_find(name);
	if (d && org[opt_index(d)].file)
		where(at, sizeof(at), org[opt_index(d)].file, org[opt_index(d)].line);
	else
		where(at, sizeof(at), file, line);
	return fail(ld->err, ld->errlen, "%s: %s", at, why);
}

/* True when one of the first @nr jobs is called @name. */
static bool job_named(const struct job_list *l, size_t nr, const char *name)
{
	for (size_t i = 0; i < nr && i < l->nr; i++) {
		const struct job_spec *s = &l->jobs[i];

		if ((s->opts.name && !strcmp(s->opts.name, name)) ||
		    (s->section && !strcmp(s->section, name)))
			return true;
	}
	return false;
}

static void engine_option_warn_at(struct loader *ld, const struct opt_def *d, const char *at,
				  const char *engine)
{
	char eng[128];
	size_t n = 0;

	for (const char *e = d->engines; *e && n + 5 < sizeof(eng); e++)
		n += (size_t)snprintf(eng + n, sizeof(eng) - n, "%s", *e == ':' ? " or " :
				      (char[2]){ *e, 0 });
	eng[n] = '\0';
	warn_add(ld->l, "%s: %s: no effect with ioengine=%s (it applies to %s)", at, d->name,
		 engine, eng);
}

/* An engine's own option (opt_def.engines) set for a job whose engine
 * does not take it has no effect: say so, at the line that set it. One
 * from [global] is meant for the jobs whose engine takes it (fio's own
 * files set donorname there beside libaio jobs): it is only said when no
 * job took it (engine_options_unused). */
static void engine_options_warn(struct loader *ld, const struct job_opts *o,
				const struct origin *org, const struct sec *s)
{
	for (size_t i = 0; i < opt_count && i < OPT_MAX; i++) {
		const struct opt_def *d = &opt_table[i];
		bool inherited = org[i].file == ld->gorg[i].file && org[i].line == ld->gorg[i].line;
		char at[512];

		if (!d->engines || !o->set[i])
			continue;
		if (opt_for_engine(d, o->ioengine)) {
			ld->eng_used[i] = ld->eng_used[i] || inherited;
			continue;
		}
		if (inherited) {
			if (!ld->eng_org[i].file) {
				ld->eng_org[i] = org[i];
				snprintf(ld->eng_engine[i], sizeof(ld->eng_engine[i]), "%s",
					 o->ioengine ? o->ioengine : "psync");
			}
			continue;
		}
		where(at, sizeof(at), org[i].file ? org[i].file : s->file,
		      org[i].file ? org[i].line : s->line);
		engine_option_warn_at(ld, d, at, o->ioengine ? o->ioengine : "psync");
	}
}

/* [global] engine options that no job's engine took. */
static void engine_options_unused(struct loader *ld)
{
	for (size_t i = 0; i < opt_count && i < OPT_MAX; i++) {
		char at[512];

		if (!ld->eng_org[i].file || ld->eng_used[i])
			continue;
		where(at, sizeof(at), ld->eng_org[i].file, ld->eng_org[i].line);
		engine_option_warn_at(ld, &opt_table[i], at, ld->eng_engine[i]);
	}
}

/* OPTF_ENGINE_STRICT options @o inherited from [global]: fio parses them
 * with [global]'s engine, so one that engine does not take is refused at
 * its line (whatever the job's engine); one it takes is ignored by a job
 * whose engine does not, so it goes back to its default there (neither
 * refused nor warned about). Set in the job's own section they stay for
 * opts_validate to refuse at their line. Returns 0 or -1 (ld->err set). */
static int engine_strict_drop(struct loader *ld, struct job_opts *o, const struct origin *org)
{
	const char *geng = ld->global.ioengine ? ld->global.ioengine : "psync";

	for (size_t i = 0; i < opt_count && i < OPT_MAX; i++) {
		const struct opt_def *d = &opt_table[i];
		char def[64], why[128], at[512];

		if (!(d->flags & OPTF_ENGINE_STRICT) || !o->set[i] || !org[i].file ||
		    org[i].file != ld->gorg[i].file || org[i].line != ld->gorg[i].line)
			continue;
		if (!opt_for_engine(d, geng)) {
			where(at, sizeof(at), org[i].file, org[i].line);
			return fail(ld->err, ld->errlen, "%s: %s: [global] has ioengine=%s, which does "
				    "not take it (set ioengine=libaio or io_uring there, or move it "
				    "to the job's section)", at, d->name, geng);
		}
		if (opt_for_engine(d, o->ioengine))
			continue;
		opt_default_text(d, def, sizeof(def));
		if (!opt_set(o, d->name, *def ? def : d->type == OPT_STR ? "" : "0", why,
			     sizeof(why)))
			o->set[i] = 0;
	}
	return 0;
}

static int add_job(struct loader *ld, const struct pp *p, const struct sec *s,
		   const char *const *vals)
{
	struct origin org[OPT_MAX];
	struct job_opts o;
	const struct opt_def *nd = opt_find("name");
	char why[256];

	opts_copy(&o, &ld->global);
	memcpy(org, ld->gorg, sizeof(org));
	if (opt_set(&o, "name", s->name, why, sizeof(why))) {
		opts_free(&o);
		return fail(ld->err, ld->errlen, "%s:%d: [%s]: %s", s->file, s->line, s->name, why);
	}
	org[opt_index(nd)].file = s->file;
	org[opt_index(nd)].line = s->line;
	if (apply_section(ld, &o, org, p, s, vals))
		goto err;
	resolve_bare_names(&o, o.name ? o.name : s->name);
	if (engine_strict_drop(ld, &o, org) || validate_at(ld, &o, org, s->file, s->line))
		goto err;
	engine_options_warn(ld, &o, org, s);
	{
		const char *k = zbd_unused_option(&o);

		if (k) {
			const struct origin *ko = &org[opt_index(opt_find(k))];
			char at[512];

			where(at, sizeof(at), ko->file ? ko->file : s->file,
			      ko->file ? ko->line : s->line);
			warn_add(ld->l, "%s: %s: no effect %s", at, k,
				 strcmp(k, "zonerange") ? "without zonemode=zbd" :
							  "with zonemode=zbd (its zones are zonesize)");
		}
	}
	if (o.wait_for && *o.wait_for && !job_named(ld->l, ld->l->nr, o.wait_for)) {
		const struct origin *w = &org[opt_index(opt_find("wait_for"))];
		char at[512];

		where(at, sizeof(at), w->file ? w->file : s->file, w->file ? w->line : s->line);
		fail(ld->err, ld->errlen, "%s: wait_for: no earlier job named '%s'", at, o.wait_for);
		goto err;
	}
	if (list_push(ld->l, &o, s->name, s->file, s->line, 0)) {
		fail(ld->err, ld->errlen, "out of memory");
		goto err;
	}
	return 0;
err:
	opts_free(&o);
	return -1;
}

/* Whether job section @name is to be loaded (job_list.sections). */
static bool section_wanted(const struct job_list *l, const char *name)
{
	if (!l->sections)
		return true;
	for (const char *const *n = l->sections; *n; n++)
		if (!strcmp(*n, name))
			return true;
	return false;
}

/* Applies every section of @p; jobs are appended to ld->l. */
static int apply_all(struct loader *ld, const struct pp *p, const char *const *vals)
{
	for (size_t i = 0; i < p->ns; i++) {
		const struct sec *s = &p->s[i];

		if (s->global) {
			if (apply_section(ld, &ld->global, ld->gorg, p, s, vals))
				return -1;
		} else if (!section_wanted(ld->l, s->name)) {
			continue;
		} else if (add_job(ld, p, s, vals)) {
			return -1;
		}
	}
	engine_options_unused(ld);
	return 0;
}

static void loader_init(struct loader *ld, struct job_list *l, char *err, size_t errlen)
{
	memset(ld, 0, sizeof(*ld));
	ld->l = l;
	ld->err = err;
	ld->errlen = errlen;
	opts_init(&ld->global);
}

/* Keeps the last [global] seen in l->global (for saving and the editor). */
static void loader_done(struct loader *ld, bool keep_global)
{
	if (keep_global) {
		opts_free(&ld->l->global);
		opts_copy(&ld->l->global, &ld->global);
	}
	opts_free(&ld->global);
}

/* Undoes jobs appended after @first (on error: all or nothing). */
static void list_truncate(struct job_list *l, size_t first)
{
	while (l->nr > first)
		spec_free(&l->jobs[--l->nr]);
}

static int load_buffer(struct job_list *l, const char *name, const char *text, size_t len,
		       char *err, size_t errlen)
{
	struct pp p;
	struct loader ld;
	const char **vals = NULL;
	const char *fname;
	size_t first = l->nr, njobs = 0;
	int ret = -1;

	memset(&p, 0, sizeof(p));
	p.err = err;
	p.errlen = errlen;
	fname = pp_intern(&p, name);
	if (!fname) {
		pp_oom(&p);
		goto out_pp;
	}
	p.bytes = len;
	if (pp_text(&p, fname, text, len, 0, false))
		goto out_pp;
	for (size_t i = 0; i < p.ns; i++)
		njobs += !p.s[i].global;
	if (!p.ns) {
		fail(err, errlen, "%s: no jobs defined (the file has no [section])", name);
		goto out_pp;
	}
	if (!njobs) {
		fail(err, errlen, "%s: only [global] sections, no job to run", name);
		goto out_pp;
	}
	vals = calloc(p.ne ? p.ne : 1, sizeof(*vals));
	if (!vals) {
		pp_oom(&p);
		goto out_pp;
	}
	for (size_t i = 0; i < p.ne; i++)
		vals[i] = p.e[i].val;
	loader_init(&ld, l, err, errlen);
	ret = apply_all(&ld, &p, vals);
	loader_done(&ld, ret == 0);
	if (ret)
		list_truncate(l, first);
out_pp:
	free(vals);
	pp_free(&p);
	return ret;
}

int jobfile_load(struct job_list *l, const char *path, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (!path || !*path)
		return fail(err, errlen, "job file: empty path");
	ret = read_file(path, &text, &len);
	if (ret)
		return fail(err, errlen, "%s: %s", path,
			    ret == -EFBIG ? "larger than 16 MiB, not a job file" : strerror(-ret));
	ret = load_buffer(l, path, text, len, err, errlen);
	free(text);
	return ret;
}

int jobfile_load_text(struct job_list *l, const char *name, const char *text, char *err,
		      size_t errlen)
{
	if (!text)
		return fail(err, errlen, "%s: no text", name ? name : "job text");
	return load_buffer(l, name ? name : "job text", text, strlen(text), err, errlen);
}

/* --------------------------------------------------------- command line */

int jobfile_load_args(struct job_list *l, int argc, char **argv, char *err, size_t errlen)
{
	struct pp p;
	struct loader ld;
	const char **vals = NULL;
	const char *fname;
	size_t first = l->nr, njobs = 0;
	int ret = -1;

	memset(&p, 0, sizeof(p));
	p.err = err;
	p.errlen = errlen;
	fname = pp_intern(&p, CMDLINE);
	if (!fname)
		return pp_oom(&p);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *key, *eq;
		size_t kl;

		if (strncmp(a, "--", 2) || !a[2]) {
			fail(err, errlen, CMDLINE ": '%s' is not a job option (use --key=value)", a);
			goto out;
		}
		key = a + 2;
		eq = strchr(key, '=');
		kl = eq ? (size_t)(eq - key) : strlen(key);
		for (size_t k = 0; k < kl; k++) {
			if (!key_char(key[k])) {
				fail(err, errlen, CMDLINE ": '%s' is not a job option (use "
						  "--key=value)", a);
				goto out;
			}
		}
		if (kl == 4 && !strncasecmp(key, "name", 4)) {
			if (!eq || !eq[1]) {
				fail(err, errlen, CMDLINE ": --name needs a job name (--name=NAME)");
				goto out;
			}
			if (pp_add_sec(&p, eq + 1, fname, 0))
				goto out;
			continue;
		}
		if (!p.ns && pp_add_sec(&p, "global", fname, 0))
			goto out;
		if (pp_add_ent(&p, key, kl, eq ? eq + 1 : NULL, fname, 0))
			goto out;
	}
	for (size_t i = 0; i < p.ns; i++)
		njobs += !p.s[i].global;
	if (!njobs && !first) {
		fail(err, errlen, CMDLINE ": no job: start one with --name=NAME (options before "
				  "the first --name only set defaults)");
		goto out;
	}
	vals = calloc(p.ne ? p.ne : 1, sizeof(*vals));
	if (!vals) {
		pp_oom(&p);
		goto out;
	}
	for (size_t i = 0; i < p.ne; i++)
		vals[i] = p.e[i].val;
	loader_init(&ld, l, err, errlen);
	ret = apply_all(&ld, &p, vals);
	/* options before the first --name are also defaults for jobs read
	 * from job files before: they fill in what those jobs left unset */
	if (!ret && p.ns && p.s[0].global) {
		const struct sec *g = &p.s[0];

		for (size_t j = 0; j < first && !ret; j++) {
			struct job_opts *o = &l->jobs[j].opts;

			for (size_t k = g->first; k < g->first + g->n && !ret; k++) {
				const struct opt_def *d = opt_find(p.e[k].key);
				char why[512];

				if (!d || o->set[opt_index(d)])
					continue;
				if (opt_set(o, p.e[k].key, vals[k], why, sizeof(why)))
					ret = fail(err, errlen, CMDLINE ": %s: %s", p.e[k].key, why);
			}
		}
	}
	loader_done(&ld, ret == 0 && njobs);
	if (ret)
		list_truncate(l, first);
out:
	free(vals);
	pp_free(&p);
	return ret;
}

/* ------------------------------------------------------------ finalize */

static int expand_clones(struct job_list *l)
{
	size_t total = 0;
	struct job_spec *n;
	size_t k = 0;

	for (size_t i = 0; i < l->nr; i++)
		if (l->jobs[i].clone)
			return 0; /* done before */
	for (size_t i = 0; i < l->nr; i++)
		total += l->jobs[i].opts.numjobs ? l->jobs[i].opts.numjobs : 1;
	if (total == l->nr)
		return 0;
	n = calloc(total, sizeof(*n));
	if (!n)
		return -ENOMEM;
	for (size_t i = 0; i < l->nr; i++) {
		const struct job_spec *s = &l->jobs[i];
		unsigned cnt = s->opts.numjobs ? s->opts.numjobs : 1;

		n[k++] = *s;
		for (unsigned c = 1; c < cnt; c++) {
			struct job_spec *d = &n[k++];

			*d = *s;
			opts_copy(&d->opts, &s->opts);
			d->section = strdup(s->section);
			d->src_file = s->src_file ? strdup(s->src_file) : NULL;
			d->clone = c;
			if (!d->section || (s->src_file && !d->src_file)) {
				/* leave a consistent list: drop the partial copies */
				for (size_t x = 0; x < k; x++)
					if (n[x].clone)
						spec_free(&n[x]);
				free(n);
				return -ENOMEM;
			}
		}
	}
	free(l->jobs);
	l->jobs = n;
	l->nr = l->cap = total;
	return 0;
}

int job_list_finalize(struct job_list *l, char *err, size_t errlen)
{
	unsigned group = 0, in_group = 0;
	size_t total = 0;

	/* as fio (REAL_MAX_JOBS): a bound on threads, memory and time */
	for (size_t i = 0; i < l->nr; i++)
		if (!l->jobs[i].clone)
			total += l->jobs[i].opts.numjobs ? l->jobs[i].opts.numjobs : 1;
	if (total > JOBS_MAX)
		return fail(err, errlen, "%zu jobs in all (numjobs counted); at most %d", total,
			    JOBS_MAX);
	if (expand_clones(l))
		return fail(err, errlen, "out of memory expanding numjobs");
	for (size_t i = 0; i < l->nr; i++) {
		struct job_spec *s = &l->jobs[i];
		struct job_opts *o = &s->opts;
		const char *file = s->src_file ? s->src_file : "job";
		char at[512], why[512];

		where(at, sizeof(at), file, s->src_line);
		resolve_bare_names(o, o->name && *o->name ? o->name : s->section);
		/* as fio: batches larger than the queue are capped to it */
		if (o->iodepth_batch_submit > o->iodepth)
			o->iodepth_batch_submit = o->iodepth;
		if (o->iodepth_batch_complete_max > o->iodepth)
			o->iodepth_batch_complete_max = o->iodepth;
		/* as fio: stonewall/new_group start a group unless the
		 * current one is still empty; clones join their parent's */
		if (!s->clone && (o->stonewall || o->new_group) && in_group) {
			group++;
			in_group = 0;
		}
		s->group = group;
		in_group++;
		if (s->clone)
			continue;
		if (opts_validate(o, why, sizeof(why)) || opts_check_host(o, why, sizeof(why)))
			return fail(err, errlen, "%s: [%s]: %s", at, s->section, why);
		if (o->wait_for && *o->wait_for && !job_named(l, i, o->wait_for))
			return fail(err, errlen, "%s: [%s]: wait_for: no earlier job named '%s'", at,
				    s->section, o->wait_for);
	}
	return 0;
}

/* ---------------------------------------------------------------- save */

static bool is_01(const char *s)
{
	return !*s || !strcmp(s, "0") || !strcmp(s, "1");
}

void jobfile_write_job(FILE *f, const char *section, const struct job_opts *o)
{
	bool uring = o->ioengine && !strcasecmp(o->ioengine, "io_uring");
	char *buf = malloc(4096);

	if (!buf)
		return;
	fprintf(f, "[%s]\n", section);
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];
		bool iolab;

		opt_print(d, o, buf, 4096);
		if (!opt_shown(d, o, buf))
			continue;
		if (!strcmp(d->name, "name") && !strcmp(buf, section))
			continue;
		iolab = (d->flags & OPTF_IOLAB) || ((d->flags & OPTF_URING) && !uring) ||
			!opt_for_engine(d, o->ioengine) ||
			((d->flags & OPTF_FIO_BOOL) && !is_01(buf));
		if (iolab)
			fputs(IOLAB_PREFIX, f);
		if (d->type == OPT_STR && (d->flags & OPTF_BARE_NAME) && !buf[0] &&
		    *(char *const *)((const char *)o + d->off))
			fprintf(f, "%s\n", d->name);
		else
			fprintf(f, "%s=%s\n", d->name, buf);
	}
	free(buf);
}

int jobfile_save(const struct job_list *l, const char *path, char *err, size_t errlen)
{
	struct outfile_atomic a;
	FILE *f;

	/* lib/outfile: the user named @path; never a device */
	if (outfile_atomic_begin(&a, path, OUTF_NAMED, NULL, err, errlen))
		return -1;
	f = a.f;
	fprintf(f, "; fio job file written by iolab (lines starting ';@iolab' are iolab\n"
		   "; options fio does not know; fio skips them as comments)\n");
	for (size_t i = 0; i < l->nr; i++) {
		const struct job_spec *s = &l->jobs[i];

		if (s->clone)
			continue; /* numjobs= recreates clones */
		fputc('\n', f);
		jobfile_write_job(f, s->section, &s->opts);
	}
	return outfile_atomic_commit(&a, err, errlen) ? -1 : 0;
}
