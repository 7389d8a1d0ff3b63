/* iolab's settings file: one table of keys, read through iniparser.
 *
 * iniparser (Debian's libiniparser-dev) reads the file; this module vets
 * what it found against settings_table[] and fills struct settings. The
 * library gives neither line numbers nor a way to tell "set twice" from
 * "set once", so the text is also scanned here, only to locate a section or
 * key for a message (locate()). Its dictionary grows quadratically in the
 * number of keys, which is why a settings file is capped at
 * SETTINGS_MAX_BYTES (and why fio job files are not read with it; see
 * backend/jobfile.c).
 *
 * The file is opened once (infile_open: a regular file only, never a
 * FIFO or device) and read whole (size, NUL bytes checked); iniparser,
 * which reads only by path, is given those very bytes in a memfd
 * (/proc/self/fd/N): a file changed or swapped after the checks is never
 * the one parsed. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser.h>

#include "../backend/diagnose.h"
#include "../backend/fioproto.h"
#include "../backend/options.h"
#include "../lib/errmsg.h"
#include "../lib/outfile.h"
#include "settings.h"

enum set_type { T_TIME_MS, T_TIME_S, T_ENUM, T_BOOL, T_DIR, T_PORT };

struct setting_def {
	const char *section, *key;
	enum set_type type;
	uint64_t min, max;          /* T_TIME_*: in the type's unit; T_PORT */
	const char *const *names;   /* T_ENUM: NULL-terminated, index = value */
	const char *def;            /* the built-in default, as a file would say it */
	const char *help;           /* one line, for --show-settings and docs */
};

static const char *const colour_names[] = { "auto", "256", "8", "mono", NULL };
static const char *const latpane_names[] = { "lines", "heatmap", NULL };

#define STR2(x) #x
#define STR(x) STR2(x)

static const struct setting_def settings_table[SET_NR] = {
	[SET_SAMPLE_INTERVAL] = { "workbench", "sample_interval", T_TIME_MS, 100, 60000, NULL,
				  "1s", "the workbench's sampling tick (--status-interval wins)" },
	[SET_GRAPH_WINDOW] = { "workbench", "graph_window", T_TIME_S, 10, 86400, NULL, "1m",
			       "time the graphs show at start (rounded up to a zoom step)" },
	[SET_COLOUR] = { "workbench", "colour", T_ENUM, 0, 0, colour_names, "auto",
			 "auto (the terminal, NO_COLOR), 256, 8 or mono; never more than the "
			 "terminal has" },
	[SET_MOUSE] = { "workbench", "mouse", T_BOOL, 0, 0, NULL, "on",
			"on: click and hover on graphs; off: the terminal keeps the mouse" },
	[SET_LATENCY_PANE] = { "workbench", "latency_pane", T_ENUM, 0, 0, latpane_names, "lines",
			       "the latency pane at start: lines (p50/p99) or heatmap (H)" },
	[SET_DIAG_RUNTIME] = { "diagnose", "step_runtime", T_TIME_MS, 100, 3600000, NULL, "5s",
			       "each diagnose step (--runtime wins)" },
	[SET_DIAG_DIR] = { "diagnose", "scratch_dir", T_DIR, 0, 0, NULL, "",
			   "diagnose's target when none is given: a directory for its "
			   "scratch file (empty: $TMPDIR or /tmp)" },
	[SET_RECORD_DIR] = { "record", "dir", T_DIR, 0, 0, NULL, "",
			     "every local run, headless or in the workbench, leaves a "
			     "recording here (empty: none; --record FILE wins)" },
	[SET_CLIENT_PORT] = { "client", "port", T_PORT, 1, 65535, NULL, STR(FIOP_PORT),
			      "the fio server port of --client=HOST (HOST,PORT wins)" },
};

static const char *const sections[] = { "workbench", "diagnose", "record", "client" };
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* ------------------------------------------------------------- helpers */

#define fail errmsg_fail

const char *settings_key_name(enum settings_key key, char *buf, size_t len)
{
	snprintf(buf, len, "[%s] %s", settings_table[key].section, settings_table[key].key);
	return buf;
}

static void fmt_time_ms(char *buf, size_t len, uint64_t ms)
{
	if (ms && ms % 3600000 == 0)
		snprintf(buf, len, "%lluh", (unsigned long long)(ms / 3600000));
	else if (ms && ms % 60000 == 0)
		snprintf(buf, len, "%llum", (unsigned long long)(ms / 60000));
	else if (ms % 1000 == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ms / 1000));
	else
		snprintf(buf, len, "%llums", (unsigned long long)ms);
}

/* The value of @key in @s as the file would say it. */
static void value_text(const struct settings *s, enum settings_key key, char *buf, size_t len)
{
	const struct setting_def *d = &settings_table[key];

	switch (key) {
	case SET_SAMPLE_INTERVAL:
		fmt_time_ms(buf, len, s->sample_ms);
		break;
	case SET_GRAPH_WINDOW:
		fmt_time_ms(buf, len, s->window_s * 1000);
		break;
	case SET_COLOUR:
		snprintf(buf, len, "%s", d->names[s->colour]);
		break;
	case SET_MOUSE:
		snprintf(buf, len, "%s", s->mouse ? "on" : "off");
		break;
	case SET_LATENCY_PANE:
		snprintf(buf, len, "%s", d->names[s->latency_pane]);
		break;
	case SET_DIAG_RUNTIME:
		fmt_time_ms(buf, len, s->diag_runtime_ms);
		break;
	case SET_DIAG_DIR:
		snprintf(buf, len, "%s", s->diag_dir);
		break;
	case SET_RECORD_DIR:
		snprintf(buf, len, "%s", s->record_dir);
		break;
	case SET_CLIENT_PORT:
		snprintf(buf, len, "%u", s->client_port);
		break;
	case SET_NR:
		break;
	}
}

/* A directory iolab will write into: "~/" is $HOME; otherwise absolute
 * (a settings file is read from anywhere); it exists, is a directory we
 * may write and search, and no component is a symlink another user
 * planted (outfile's rule for named paths). "" is "none". */
static int check_dir(const char *val, char *out, size_t outlen, char *why, size_t whylen)
{
	char path[PATH_MAX];
	struct stat st;
	const char *t;

	if (!*val) {
		out[0] = '\0';
		return 0;
	}
	if (!strncmp(val, "~/", 2) || !strcmp(val, "~")) {
		const char *home = getenv("HOME");

		if (!home || home[0] != '/')
			return fail(why, whylen, "'%s': HOME is not set to an absolute path", val);
		if ((size_t)snprintf(path, sizeof(path), "%s%s", home, val + 1) >= sizeof(path))
			return fail(why, whylen, "'%s': path too long", val);
	} else if (val[0] != '/') {
		return fail(why, whylen, "'%s' is not an absolute path (or ~/...): a settings file "
			    "is read from any directory", val);
	} else if ((size_t)snprintf(path, sizeof(path), "%s", val) >= sizeof(path)) {
		return fail(why, whylen, "path too long");
	}
	if (stat(path, &st) < 0)
		return fail(why, whylen, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		t = outfile_type_refusal(st.st_mode);
		return fail(why, whylen, "%s %s, not a directory", path,
			    t ? t : "is a regular file");
	}
	if (access(path, W_OK | X_OK) < 0)
		return fail(why, whylen, "%s: cannot write there: %s", path, strerror(errno));
	if (outfile_check_link_owner(path, true, path, why, whylen))
		return -1;
	snprintf(out, outlen, "%s", path);
	return 0;
}

/* Parse @val for @key into @s. Returns 0, or -1 with why (no file, no
 * key) in @why. */
static int set_value(struct settings *s, enum settings_key key, const char *val, char *why,
		     size_t whylen)
{
	const struct setting_def *d = &settings_table[key];
	uint64_t us, v = 0;
	char lo[32], hi[32];
	bool b;
	int e = -1;

	switch (d->type) {
	case T_TIME_MS:
	case T_TIME_S:
		/* a bare number is seconds, as fio's times and --runtime */
		if (parse_time_us(val, 1000000, &us))
			return fail(why, whylen, "'%s' is not a time (e.g. 500ms, 5s, 2m)", val);
		v = d->type == T_TIME_MS ? us / 1000 : us / 1000000;
		if (v < d->min || v > d->max || (d->type == T_TIME_MS && us % 1000) ||
		    (d->type == T_TIME_S && us % 1000000)) {
			uint64_t unit = d->type == T_TIME_MS ? 1 : 1000;

			fmt_time_ms(lo, sizeof(lo), d->min * unit);
			fmt_time_ms(hi, sizeof(hi), d->max * unit);
			return fail(why, whylen, "'%s' is not a time from %s to %s%s", val, lo, hi,
				    d->type == T_TIME_S ? " in whole seconds" : " in whole ms");
		}
		break;
	case T_ENUM:
		for (int i = 0; d->names[i]; i++)
			if (!strcasecmp(val, d->names[i]))
				e = i;
		if (e < 0) {
			char list[128] = "";

			for (int i = 0; d->names[i]; i++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 i ? (d->names[i + 1] ? ", " : " or ") : "", d->names[i]);
			return fail(why, whylen, "'%s' is not %s", val, list);
		}
		break;
	case T_BOOL:
		if (parse_bool(val, &b))
			return fail(why, whylen, "'%s' is not on or off (yes/no, true/false, 1/0)",
				    val);
		break;
	case T_PORT: {
		char *end;

		errno = 0;
		v = strtoull(val, &end, 10);
		if (errno || end == val || *end || val[0] == '-' || v < d->min || v > d->max)
			return fail(why, whylen, "'%s' is not a port (1 to 65535)", val);
		break;
	}
	case T_DIR:
		break;
	}

	switch (key) {
	case SET_SAMPLE_INTERVAL:
		s->sample_ms = v;
		break;
	case SET_GRAPH_WINDOW:
		s->window_s = v;
		break;
	case SET_COLOUR:
		s->colour = (enum settings_colour)e;
		break;
	case SET_MOUSE:
		s->mouse = b;
		break;
	case SET_LATENCY_PANE:
		s->latency_pane = (enum settings_latpane)e;
		break;
	case SET_DIAG_RUNTIME:
		s->diag_runtime_ms = v;
		break;
	case SET_DIAG_DIR:
		return check_dir(val, s->diag_dir, sizeof(s->diag_dir), why, whylen);
	case SET_RECORD_DIR:
		return check_dir(val, s->record_dir, sizeof(s->record_dir), why, whylen);
	case SET_CLIENT_PORT:
		s->client_port = (unsigned)v;
		break;
	case SET_NR:
		break;
	}
	return 0;
}

void settings_defaults(struct settings *s)
{
	char why[256];

	memset(s, 0, sizeof(*s));
	for (int k = 0; k < SET_NR; k++) {
		/* the table's own text: a bad default fails the unit tests */
		if (set_value(s, (enum settings_key)k, settings_table[k].def, why, sizeof(why)))
			abort();
		snprintf(s->origin[k], sizeof(s->origin[k]), "built-in");
	}
}

/* ------------------------------------------------------- locating text */

static const char *skip_blank(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* Does [@p, @e) (blanks trimmed) equal @name, ignoring case? */
static bool same_name(const char *p, const char *e, const char *name)
{
	p = skip_blank(p, e);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return (size_t)(e - p) == strlen(name) && !strncasecmp(p, name, (size_t)(e - p));
}

/* Where in @text section @sec (key NULL) or @key of @sec ("" for keys
 * before any section) is: the first line, and in *@second the second one
 * (0 when there is none). Only for messages: iniparser has the values. */
static unsigned locate(const char *text, const char *sec, const char *key, unsigned *second)
{
	unsigned line = 0, first = 0;
	bool in = !*sec;

	*second = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n'), *e = nl ? nl : p + strlen(p);
		const char *q = skip_blank(p, e), *eq;

		line++;
		if (q < e && *q == '[') {
			const char *close = memchr(q, ']', (size_t)(e - q));

			in = close && same_name(q + 1, close, sec);
			if (in && !key) {
				if (first) {
					*second = line;
					return first;
				}
				first = line;
			}
		} else if (in && key && q < e && *q != ';' && *q != '#' &&
			   (eq = memchr(q, '=', (size_t)(e - q))) && same_name(q, eq, key)) {
			if (first) {
				*second = line;
				return first;
			}
			first = line;
		}
		p = nl ? nl + 1 : e;
	}
	return first;
}

/* "FILE:LINE", or "FILE" when the line could not be found (0). */
static const char *loc(char *buf, size_t len, const char *path, unsigned line)
{
	if (line)
		snprintf(buf, len, "%s:%u", path, line);
	else
		snprintf(buf, len, "%s", path);
	return buf;
}

/* ----------------------------------------------------------- the file */

/* iniparser reports syntax errors through a callback (process-wide; the
 * load runs on the main thread only): the first one is kept here. */
static char ini_msg[512];

static int ini_error(const char *fmt, ...)
{
	va_list ap;

	if (ini_msg[0])
		return 0;
	va_start(ap, fmt);
	vsnprintf(ini_msg, sizeof(ini_msg), fmt, ap);
	va_end(ap);
	return 0;
}

/* "iniparser: syntax error in /proc/self/fd/N (LINE):\n-> TEXT" as
 * "FILE:LINE: why: TEXT". */
static int ini_failure(const char *path, const char *fdpath, char *err, size_t errlen)
{
	const char *at = strstr(ini_msg, fdpath), *arrow = strstr(ini_msg, "-> ");
	unsigned line = 0;
	char text[128] = "", lb[PATH_MAX + 16];

	if (at)
		sscanf(at + strlen(fdpath), " (%u)", &line);
	if (arrow)
		snprintf(text, sizeof(text), "%.*s", (int)strcspn(arrow + 3, "\n"), arrow + 3);
	if (!ini_msg[0])
		return fail(err, errlen, "%s: iniparser cannot read it", path);
	loc(lb, sizeof(lb), path, line);
	if (strstr(ini_msg, "too long"))
		return fail(err, errlen, "%s: line too long for iniparser (1024 bytes at most)", lb);
	if (strstr(ini_msg, "syntax error"))
		return fail(err, errlen, "%s: not a [section], key = value, or ; comment: '%s'", lb,
			    text);
	return fail(err, errlen, "%s: iniparser: %.*s", path, (int)strcspn(ini_msg, "\n"),
		    ini_msg);
}

/* Read the descriptor's text (checked: size, no NUL bytes) into *@text. */
static int read_text(int fd, const char *path, char **text, char *err, size_t errlen)
{
	struct stat st;
	size_t len = 0;
	char *buf;

	if (fstat(fd, &st) < 0)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	if (st.st_size > SETTINGS_MAX_BYTES)
		return fail(err, errlen, "%s: %lld bytes is too big for a settings file (%d at most)",
			    path, (long long)st.st_size, SETTINGS_MAX_BYTES);
	buf = malloc(SETTINGS_MAX_BYTES + 2);
	if (!buf)
		return fail(err, errlen, "%s: out of memory", path);
	for (;;) {
		ssize_t n = pread(fd, buf + len, SETTINGS_MAX_BYTES + 1 - len, (off_t)len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return fail(err, errlen, "%s: %s", path, strerror(errno));
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > SETTINGS_MAX_BYTES) {
			free(buf);
			return fail(err, errlen, "%s: too big for a settings file (%d bytes at most)",
				    path, SETTINGS_MAX_BYTES);
		}
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		free(buf);
		return fail(err, errlen, "%s: holds NUL bytes: not a text file", path);
	}
	*text = buf;
	return 0;
}

static int find_key(const char *sec, const char *key)
{
	for (int k = 0; k < SET_NR; k++)
		if (!strcmp(settings_table[k].section, sec) && !strcmp(settings_table[k].key, key))
			return k;
	return -1;
}

static bool known_section(const char *sec)
{
	for (size_t i = 0; i < NSECTIONS; i++)
		if (!strcmp(sections[i], sec))
			return true;
	return false;
}

/* Check every entry of @d (sections and "section:key" values) and apply
 * them to @s. */
static int apply_dict(struct settings *s, const dictionary *d, const char *path,
		      const char *text, char *err, size_t errlen)
{
	unsigned line, again;

	for (ssize_t i = 0; i < (ssize_t)d->size; i++) {
		const char *name = d->key[i], *colon, *val = d->val[i];
		char sec[128], why[PATH_MAX + 128], kn[160], lb[PATH_MAX + 16];
		int k;

		if (!name)
			continue;
		colon = strchr(name, ':');
		if (!colon && !val) { /* a section */
			line = locate(text, name, NULL, &again);
			if (!known_section(name))
				return fail(err, errlen, "%s: [%s]: not a section of iolab's settings "
					    "(workbench, diagnose, record, client)",
					    loc(lb, sizeof(lb), path, line), name);
			continue;
		}
		if (!colon || colon == name) { /* a key before any section */
			name = colon ? colon + 1 : name;
			line = locate(text, "", name, &again);
			return fail(err, errlen, "%s: %s: a key outside any section (put it under "
				    "[workbench], [diagnose], [record] or [client])",
				    loc(lb, sizeof(lb), path, line), name);
		}
		snprintf(sec, sizeof(sec), "%.*s", (int)(colon - name), name);
		line = locate(text, sec, colon + 1, &again);
		if (!known_section(sec))
			continue; /* refused at its section's entry, which came first */
		k = find_key(sec, colon + 1);
		if (k < 0) {
			char list[256] = "";

			for (int j = 0; j < SET_NR; j++)
				if (!strcmp(settings_table[j].section, sec))
					snprintf(list + strlen(list), sizeof(list) - strlen(list),
						 "%s%s", list[0] ? ", " : "", settings_table[j].key);
			return fail(err, errlen, "%s: [%s] %s: not a setting (in [%s]: %s)",
				    loc(lb, sizeof(lb), path, line), sec, colon + 1, sec, list);
		}
		settings_key_name((enum settings_key)k, kn, sizeof(kn));
		if (again)
			return fail(err, errlen, "%s: %s: set again on line %u (say it once)",
				    loc(lb, sizeof(lb), path, line), kn, again);
		if (set_value(s, (enum settings_key)k, val ? val : "", why, sizeof(why)))
			return fail(err, errlen, "%s: %s: %s", loc(lb, sizeof(lb), path, line), kn,
				    why);
		loc(s->origin[k], sizeof(s->origin[k]), path, line);
	}
	return 0;
}

int settings_read_file(struct settings *s, const char *path, bool missing_ok, char *err,
		       size_t errlen)
{
	char fdpath[64], *text = NULL;
	const char *body;
	dictionary *d;
	FILE *f;
	int rc, mfd;

	f = infile_open(path, path, err, errlen);
	if (!f) {
		if (errno == ENOENT && missing_ok)
			return 1;
		if (errno == EISDIR)
			return fail(err, errlen, "%s: is a directory, not a settings file", path);
		if (errno == EINVAL) /* infile_open's reason names the file type */
			return -1;
		return fail(err, errlen, "%s: cannot read it: %s", path, strerror(errno));
	}
	rc = read_text(fileno(f), path, &text, err, errlen);
	fclose(f);
	if (rc)
		return -1;
	/* a UTF-8 byte-order mark (some editors write one) is no text */
	body = !strncmp(text, "\xef\xbb\xbf", 3) ? text + 3 : text;
	/* iniparser reads the very bytes checked here, from memory: the
	 * file may change under us, the text parsed cannot */
	mfd = memfd_create("iolab-settings", MFD_CLOEXEC);
	if (mfd < 0 || write(mfd, body, strlen(body)) != (ssize_t)strlen(body)) {
		rc = fail(err, errlen, "%s: %s", path, strerror(mfd < 0 ? errno : EIO));
		if (mfd >= 0)
			close(mfd);
		free(text);
		return rc;
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", mfd);
	ini_msg[0] = '\0';
	iniparser_set_error_callback(ini_error);
	d = iniparser_load(fdpath);
	iniparser_set_error_callback(NULL);
	close(mfd);
	if (!d || ini_msg[0]) {
		rc = ini_failure(path, fdpath, err, errlen);
		if (d)
			iniparser_freedict(d);
		free(text);
		return rc;
	}
	rc = apply_dict(s, d, path, body, err, errlen);
	iniparser_freedict(d);
	free(text);
	return rc;
}

/* ---------------------------------------------------- the process's */

static struct settings current;
static bool current_set;
/* what settings_load read, for --show-settings */
static char files_read[2][PATH_MAX + 48];
static unsigned nfiles_read;

const struct settings *settings_get(void)
{
	if (!current_set) {
		settings_defaults(&current);
		current_set = true;
	}
	return &current;
}

struct settings *settings_mut(void)
{
	settings_get();
	return &current;
}

const char *settings_system_path(void)
{
	const char *p = getenv("IOLAB_SYSTEM_SETTINGS");

	return p && *p ? p : SETTINGS_SYSTEM_PATH;
}

int settings_user_path(char *buf, size_t len)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	/* the XDG spec: a relative XDG_CONFIG_HOME is invalid, ignored */
	if (x && x[0] == '/')
		n = snprintf(buf, len, "%s/iolab/iolab.conf", x);
	else if (home && home[0] == '/')
		n = snprintf(buf, len, "%s/.config/iolab/iolab.conf", home);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static void note_file(const char *path, int rc)
{
	if (nfiles_read < 2)
		snprintf(files_read[nfiles_read++], sizeof(files_read[0]), "%s%s", path,
			 rc == 1 ? " (not there)" : "");
}

int settings_load(const char *path, bool none, char *err, size_t errlen)
{
	struct settings s;
	char user[PATH_MAX];
	int rc;

	settings_defaults(&s);
	nfiles_read = 0;
	current = s;
	current_set = true;
	if (none)
		return 0;
	if (path) {
		rc = settings_read_file(&s, path, false, err, errlen);
		if (rc)
			return -1;
		note_file(path, rc);
	} else {
		rc = settings_read_file(&s, settings_system_path(), true, err, errlen);
		if (rc < 0)
			return -1;
		note_file(settings_system_path(), rc);
		if (!settings_user_path(user, sizeof(user))) {
			rc = settings_read_file(&s, user, true, err, errlen);
			if (rc < 0)
				return -1;
			note_file(user, rc);
		}
	}
	current = s;
	return 0;
}

void settings_print(FILE *f, const struct settings *s)
{
	const char *sec = NULL;

	fprintf(f, "# iolab's settings in force (docs/settings.md)\n");
	if (!nfiles_read)
		fprintf(f, "# files read: none\n");
	for (unsigned i = 0; i < nfiles_read; i++)
		fprintf(f, "# %s %s\n", i ? "then" : "files read:", files_read[i]);
	for (int k = 0; k < SET_NR; k++) {
		const struct setting_def *d = &settings_table[k];
		char val[PATH_MAX];

		if (!sec || strcmp(sec, d->section)) {
			sec = d->section;
			fprintf(f, "\n[%s]\n", sec);
		}
		value_text(s, (enum settings_key)k, val, sizeof(val));
		/* a directory quoted: iniparser would end it at a ; or # */
		fprintf(f, "# %s\n%s = %s%s%s    ; %s\n", d->help, d->key, d->type == T_DIR ? "\"" : "",
			val, d->type == T_DIR ? "\"" : "", s->origin[k]);
	}
}
