/* Shipped job profiles: lookup, loading onto a target, listing. */
#include "profiles.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lib/outfile.h"
#include "jobfile.h"
#include "options.h"

const struct profile *profiles_list(size_t *n)
{
	if (n)
		*n = profiles_data_count;
	return profiles_data;
}

/* Length of @name without a trailing ".fio" (any case). */
static size_t name_len(const char *name)
{
	size_t n = strlen(name);

	if (n > 4 && !strcasecmp(name + n - 4, ".fio"))
		n -= 4;
	return n;
}

const struct profile *profile_find(const char *name)
{
	size_t n;

	if (!name)
		return NULL;
	n = name_len(name);
	for (size_t i = 0; i < profiles_data_count; i++) {
		const struct profile *p = &profiles_data[i];

		if (strlen(p->name) == n && !strncasecmp(p->name, name, n))
			return p;
	}
	return NULL;
}

/* Levenshtein distance of a[0..an) and b, case-insensitive, capped at 99. */
static unsigned edit_distance(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);
	unsigned row[64], prev, tmp;

	if (an >= 64 || bn >= 64)
		return 99;
	for (size_t j = 0; j <= bn; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= an; i++) {
		prev = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= bn; j++) {
			unsigned cost = (a[i - 1] | 0x20) == (b[j - 1] | 0x20) ? 0 : 1;
			unsigned best = prev + cost;

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[bn];
}

/* True when @needle[0..n) occurs in @hay, case-insensitive. */
static bool contains(const char *hay, const char *needle, size_t n)
{
	if (!n)
		return false;
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

static void unknown_profile(const char *name, char *err, size_t errlen)
{
	size_t n = name_len(name), used;
	const char *best = NULL;
	unsigned best_d = 4;
	int w;

	w = snprintf(err, errlen, "unknown profile '%s'", name);
	used = w < 0 ? 0 : (size_t)w;
	/* Names containing what was typed first ("qd32" -> both qd32 ones). */
	for (size_t i = 0, k = 0; i < profiles_data_count && k < 4; i++) {
		if (!contains(profiles_data[i].name, name, n))
			continue;
		if (used < errlen) {
			w = snprintf(err + used, errlen - used, "%s'%s'",
				     k ? ", " : " (did you mean ", profiles_data[i].name);
			used += w < 0 ? 0 : (size_t)w;
		}
		k++;
		best = profiles_data[i].name;
	}
	if (best) {
		if (used < errlen) {
			w = snprintf(err + used, errlen - used, "?)");
			used += w < 0 ? 0 : (size_t)w;
		}
	} else {
		for (size_t i = 0; i < profiles_data_count; i++) {
			unsigned d = edit_distance(name, n, profiles_data[i].name);

			if (d < best_d) {
				best_d = d;
				best = profiles_data[i].name;
			}
		}
		if (best && used < errlen) {
			w = snprintf(err + used, errlen - used, " (did you mean '%s'?)", best);
			used += w < 0 ? 0 : (size_t)w;
		}
	}
	if (used < errlen)
		snprintf(err + used, errlen - used, "; iolab --list-profiles shows them all");
}

int profile_scratch_path(char *buf, size_t len, const char *name)
{
	const char *dir = getenv("TMPDIR");
	size_t dl;
	int n;

	if (!dir || !*dir)
		dir = "/tmp";
	dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	n = snprintf(buf, len, "%.*s/iolab-%s.dat", (int)dl, dir, name);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* Scratch files made by profile_make_scratch, removed at the end. */
static pthread_mutex_t scratch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct outfile_scratch *scratch_made;
static size_t scratch_nr;
/* Templates profile_plan_scratch set (one a profile; a few is plenty). */
static char *scratch_planned[4];

static bool on_scratch(const struct job_opts *o, const char *fixed)
{
	return o->filename && outfile_same_path(o->filename, fixed) &&
	       !(o->directory && *o->directory);
}

static bool scratch_keep;

void profile_scratch_cleanup(void)
{
	pthread_mutex_lock(&scratch_lock);
	for (size_t i = 0; i < scratch_nr; i++) {
		if (!scratch_keep)
			outfile_scratch_remove(&scratch_made[i]);
		free(scratch_made[i].path);
	}
	free(scratch_made);
	scratch_made = NULL;
	scratch_nr = 0;
	for (size_t i = 0; i < sizeof(scratch_planned) / sizeof(scratch_planned[0]); i++) {
		free(scratch_planned[i]);
		scratch_planned[i] = NULL;
	}
	pthread_mutex_unlock(&scratch_lock);
}

void profile_scratch_keep(bool keep)
{
	pthread_mutex_lock(&scratch_lock);
	scratch_keep = keep;
	pthread_mutex_unlock(&scratch_lock);
}

bool profile_scratch_owns(const char *path)
{
	bool yes = false;

	if (!path)
		return false;
	pthread_mutex_lock(&scratch_lock);
	for (size_t i = 0; i < scratch_nr && !yes; i++)
		yes = outfile_same_path(scratch_made[i].path, path);
	pthread_mutex_unlock(&scratch_lock);
	return yes;
}

size_t profile_scratch_paths(char *buf, size_t len)
{
	size_t n = 0, off = 0;

	if (len)
		buf[0] = '\0';
	pthread_mutex_lock(&scratch_lock);
	for (size_t i = 0; i < scratch_nr; i++, n++) {
		int w = snprintf(buf + off, len > off ? len - off : 0, "%s%s", n ? "\n" : "",
				 scratch_made[i].path);

		if (w > 0)
			off += (size_t)w;
	}
	pthread_mutex_unlock(&scratch_lock);
	return n;
}

/* Whether job options @o name @path as their target. */
static bool names_path(const struct job_opts *o, const char *path)
{
	return o->filename && outfile_same_path(o->filename, path);
}

void profile_scratch_drop_unused(const struct job_list *l)
{
	pthread_mutex_lock(&scratch_lock);
	for (size_t i = 0; i < scratch_nr;) {
		bool used = names_path(&l->global, scratch_made[i].path);

		for (size_t j = 0; j < l->nr && !used; j++)
			used = names_path(&l->jobs[j].opts, scratch_made[i].path);
		if (used) {
			i++;
			continue;
		}
		if (!scratch_keep)
			outfile_scratch_remove(&scratch_made[i]);
		free(scratch_made[i].path);
		scratch_made[i] = scratch_made[--scratch_nr];
	}
	pthread_mutex_unlock(&scratch_lock);
}

static int set_one(struct job_opts *o, const char *what, const char *key, const char *val,
		   char *err, size_t errlen);

bool profile_scratch_planned(const char *path)
{
	bool found = false;

	if (!path)
		return false;
	pthread_mutex_lock(&scratch_lock);
	for (size_t i = 0; i < sizeof(scratch_planned) / sizeof(scratch_planned[0]); i++)
		if (scratch_planned[i] && outfile_same_path(scratch_planned[i], path))
			found = true;
	pthread_mutex_unlock(&scratch_lock);
	return found;
}

static int scratch_subst(struct job_list *l, const char *name, bool plan, char *err,
			 size_t errlen);

int profile_make_scratch(struct job_list *l, const char *name, char *err, size_t errlen)
{
	return scratch_subst(l, name, false, err, errlen);
}

int profile_plan_scratch(struct job_list *l, const char *name, char *err, size_t errlen)
{
	return scratch_subst(l, name, true, err, errlen);
}

static int scratch_subst(struct job_list *l, const char *name, bool plan, char *err,
			 size_t errlen)
{
	struct outfile_scratch s, *grown;
	char fixed[4096], prefix[300];
	bool any;
	int ret = 0;

	const struct profile *p = profile_find(name);

	if (p)
		name = p->name;
	if (profile_scratch_path(fixed, sizeof(fixed), name)) {
		snprintf(err, errlen, "profile %s: $TMPDIR is too long for a scratch file path",
			 name);
		return -1;
	}
	any = on_scratch(&l->global, fixed);
	for (size_t i = 0; i < l->nr && !any; i++)
		any = on_scratch(&l->jobs[i].opts, fixed);
	if (!any)
		return 0;
	snprintf(prefix, sizeof(prefix), "iolab-%s.", name);
	if (plan) {
		/* the name outfile_scratch_create will fill in, as it builds it */
		const char *slash = strrchr(fixed, '/');
		int dl = slash && slash > fixed ? (int)(slash - fixed) : 0;
		char *t = NULL;
		size_t slot;

		memset(&s, 0, sizeof(s));
		pthread_mutex_lock(&scratch_lock);
		for (slot = 0; slot < sizeof(scratch_planned) / sizeof(scratch_planned[0]); slot++)
			if (!scratch_planned[slot])
				break;
		if (slot < sizeof(scratch_planned) / sizeof(scratch_planned[0]) &&
		    asprintf(&t, "%.*s/%sXXXXXX.dat", dl, fixed, prefix) >= 0)
			scratch_planned[slot] = t;
		pthread_mutex_unlock(&scratch_lock);
		if (!t) {
			snprintf(err, errlen, "profile %s: out of memory", name);
			return -1;
		}
		s.path = t; /* owned by scratch_planned */
		goto subst;
	}
	if (outfile_scratch_create(&s, NULL, prefix, ".dat", err, errlen))
		return -1;
	pthread_mutex_lock(&scratch_lock);
	grown = realloc(scratch_made, (scratch_nr + 1) * sizeof(*grown));
	if (grown) {
		scratch_made = grown;
		scratch_made[scratch_nr++] = s;
	}
	pthread_mutex_unlock(&scratch_lock);
	if (!grown) {
		outfile_scratch_remove(&s);
		snprintf(err, errlen, "profile %s: out of memory", name);
		return -1;
	}
subst:
	/* s.path stays owned by the registry; opt_set copies it */
	for (size_t i = 0; i < l->nr && !ret; i++)
		if (on_scratch(&l->jobs[i].opts, fixed))
			ret = set_one(&l->jobs[i].opts, name, "filename", s.path, err, errlen);
	if (!ret && on_scratch(&l->global, fixed))
		ret = set_one(&l->global, name, "filename", s.path, err, errlen);
	return ret ? -1 : 0;
}

/* Set @key=@val on @o; on failure "command line: KEY: reason" in @err.
 * Returns 0 or -1. */
static int set_one(struct job_opts *o, const char *what, const char *key, const char *val,
		   char *err, size_t errlen)
{
	char why[256];

	if (!opt_find(key)) {
		const char *s = opt_suggest(key);

		if (s)
			snprintf(err, errlen, "%s: %s: unknown option (did you mean '%s'?)",
				 what, key, s);
		else
			snprintf(err, errlen, "%s: %s: unknown option", what, key);
		return -1;
	}
	why[0] = '\0';
	if (opt_set(o, key, val, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s: %s", what, key, why[0] ? why : "invalid value");
		return -1;
	}
	return 0;
}

int profile_load(struct job_list *l, const char *name, const char *filename_override,
		 char *err, size_t errlen)
{
	const struct profile *p = profile_find(name);
	char src[128], scratch[4096];
	const char *target;
	size_t first;

	if (!p) {
		unknown_profile(name ? name : "", err, errlen);
		return -1;
	}
	if (filename_override && !*filename_override) {
		snprintf(err, errlen, "profile %s: --filename is empty", p->name);
		return -1;
	}
	if (profile_scratch_path(scratch, sizeof(scratch), p->name)) {
		snprintf(err, errlen, "profile %s: $TMPDIR is too long for a scratch file path",
			 p->name);
		return -1;
	}
	snprintf(src, sizeof(src), "%s.fio", p->name);
	first = l->nr;
	if (jobfile_load_text(l, src, p->text, err, errlen))
		return -1;
	if (l->nr == first) {
		snprintf(err, errlen, "%s: profile defines no job", src);
		return -1;
	}
	for (size_t i = first; i < l->nr; i++) {
		struct job_opts *o = &l->jobs[i].opts;

		if (filename_override)
			target = filename_override;
		else if ((o->filename && *o->filename) || (o->directory && *o->directory))
			continue;
		else
			target = scratch;
		if (set_one(o, src, "filename", target, err, errlen))
			return -1;
	}
	target = filename_override;
	if (!target && !(l->global.filename && *l->global.filename) &&
	    !(l->global.directory && *l->global.directory))
		target = scratch;
	if (target && set_one(&l->global, src, "filename", target, err, errlen))
		return -1;
	return 0;
}

int profile_override(struct job_list *l, const char *key, const char *val,
		     char *err, size_t errlen)
{
	for (size_t i = 0; i < l->nr; i++)
		if (set_one(&l->jobs[i].opts, "command line", key, val, err, errlen))
			return -1;
	return set_one(&l->global, "command line", key, val, err, errlen);
}

int profile_apply_args(struct job_list *l, int argc, char **argv, char *err, size_t errlen)
{
	char key[128];

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq;
		size_t kl;

		if (strncmp(a, "--", 2) || !a[2]) {
			snprintf(err, errlen,
				 "command line: '%s': expected a job option as --key=value", a);
			return -1;
		}
		a += 2;
		eq = strchr(a, '=');
		kl = eq ? (size_t)(eq - a) : strlen(a);
		if (kl == 0 || kl >= sizeof(key)) {
			snprintf(err, errlen, "command line: '%s': not an option name", argv[i]);
			return -1;
		}
		memcpy(key, a, kl);
		key[kl] = '\0';
		if (profile_override(l, key, eq ? eq + 1 : NULL, err, errlen))
			return -1;
	}
	return 0;
}

void profiles_print(FILE *f)
{
	int w = 0;

	for (size_t i = 0; i < profiles_data_count; i++) {
		int n = (int)strlen(profiles_data[i].name);

		if (n > w)
			w = n;
	}
	fprintf(f, "Shipped profiles (iolab --profile NAME):\n");
	for (size_t i = 0; i < profiles_data_count; i++)
		fprintf(f, "  %-*s  %s\n", w, profiles_data[i].name,
			profiles_data[i].description && *profiles_data[i].description
				? profiles_data[i].description : "-");
	fprintf(f, "Without --filename a profile runs on a scratch file in $TMPDIR; "
		   "--key=value options override the profile.\n");
}
