/* Option help and dump: the type text of an option, --cmdhelp, and the
 * dump of a job's options (--parse-only's listing). See options.h. */
#include "options_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engines/engine.h"

const char *opt_type_text(const struct opt_def *d)
{
	if (d->syntax && (d->type == OPT_CUSTOM || d->per_ddir || d->type == OPT_SIZE_PCT))
		return d->syntax;
	switch (d->type) {
	case OPT_STR: return d->syntax ? d->syntax : "string";
	case OPT_BOOL: return "bool (0|1)";
	case OPT_UINT:
	case OPT_U64: return "int";
	case OPT_INT: return "int (may be negative)";
	case OPT_SIZE: return "size (4k, 1m, 2g; kb_base aware)";
	case OPT_SIZE_PCT: return "size or N%";
	case OPT_TIME: return "time (us, ms, s, m, h, d)";
	case OPT_DOUBLE: return "float";
	case OPT_ENUM: return "choice";
	default: return d->syntax ? d->syntax : "text";
	}
}

static void help_detail(FILE *f, const struct opt_def *d)
{
	char def[256];

	opt_default_text(d, def, sizeof(def));
	fprintf(f, "%-10s: %s\n", "name", d->name);
	if (d->alias)
		fprintf(f, "%-10s: %s\n", "alias", d->alias);
	fprintf(f, "%-10s: %s\n", "group", opt_group_names[d->group]);
	fprintf(f, "%-10s: %s%s\n", "type", opt_type_text(d),
		d->per_ddir && !d->syntax ? ", per direction (read,write,trim)" : "");
	fprintf(f, "%-10s: %s\n", "default", def[0] ? def : "(none)");
	if (d->min || d->max) {
		char lo[64], hi[64];

		if (is_bytes(d) && d->min >= 0) {
			fmt_size_exact(lo, sizeof(lo), (uint64_t)d->min, 1024);
			fmt_size_exact(hi, sizeof(hi), (uint64_t)d->max, 1024);
		} else {
			snprintf(lo, sizeof(lo), "%lld", d->min);
			snprintf(hi, sizeof(hi), "%lld", d->max);
		}
		if (d->max)
			fprintf(f, "%-10s: %s..%s\n", "range", lo, hi);
		else
			fprintf(f, "%-10s: at least %s\n", "range", lo);
	}
	if (d->units)
		fprintf(f, "%-10s: %s%s\n", "units", d->units,
			d->type == OPT_TIME ? " (for a bare number)" : "");
	if (d->choices) {
		fprintf(f, "%-10s:\n", "choices");
		for (const struct opt_choice *c = d->choices; c->name; c++)
			fprintf(f, "  %-14s %s\n", c->name, c->help ? c->help : "");
	}
	if (d->flags & OPTF_IOLAB)
		fprintf(f, "%-10s: iolab extension (fio has no such option)\n", "note");
	if (d->flags & OPTF_URING)
		fprintf(f, "%-10s: applies to ioengine=io_uring\n", "note");
	if (d->engines) {
		fprintf(f, "%-10s: applies to ioengine=", "note");
		for (const char *e = d->engines; *e; e++)
			fputs(*e == ':' ? " or ioengine=" : (char[2]){ *e, 0 }, f);
		fputc('\n', f);
	}
	if (d->flags & OPTF_COMPAT)
		fprintf(f, "%-10s: accepted for fio compatibility; has no effect in iolab\n",
			"note");
	fprintf(f, "%-10s: %s\n", "help", d->help);
}

int opts_cmdhelp(FILE *f, const char *name)
{
	if (name && *name) {
		const struct opt_def *d = opt_find(name);

		if (!d)
			return -1;
		help_detail(f, d);
		return 0;
	}
	for (int g = 0; g < GRP_NR; g++) {
		bool any = false;

		for (size_t i = 0; i < opt_count; i++) {
			const struct opt_def *d = &opt_table[i];
			char left[64];

			if (d->group != (enum opt_group)g || (d->flags & OPTF_COMPAT))
				continue;
			if (!any)
				fprintf(f, "%s%s options:\n", g ? "\n" : "", opt_group_names[g]);
			any = true;
			if (d->alias)
				snprintf(left, sizeof(left), "%s (%s)", d->name, d->alias);
			else
				snprintf(left, sizeof(left), "%s", d->name);
			fprintf(f, "  %-34s %s\n", left, d->help);
		}
	}
	fprintf(f, "\nAccepted for fio compatibility, without effect:");
	for (size_t i = 0, col = 80; i < opt_count; i++) {
		if (!(opt_table[i].flags & OPTF_COMPAT))
			continue;
		if (col + strlen(opt_table[i].name) + 1 > 78) {
			fputs("\n ", f);
			col = 1;
		}
		col += (size_t)fprintf(f, " %s", opt_table[i].name);
	}
	fprintf(f, "\n\nUse --cmdhelp=NAME for an option's type, default, range and choices.\n");
	return 0;
}

/* True for the first table entry storing at @d's offset. */
static bool primary(const struct opt_def *d)
{
	for (const struct opt_def *p = opt_table; p < d; p++)
		if (p->off == d->off)
			return false;
	return true;
}

bool opt_shown(const struct opt_def *d, const struct job_opts *o, const char *text)
{
	char def[2048];

	if (o->set[opt_index(d)])
		return text[0] || d->type != OPT_CUSTOM; /* ignore_error's lists all inert */
	if (!primary(d))
		return false;
	/* a partner sharing the storage was given (rwmixwrite, buffered) */
	for (size_t i = 0; i < opt_count; i++)
		if (o->set[i] && &opt_table[i] != d && opt_table[i].off == d->off)
			return false;
	opt_default_text(d, def, sizeof(def));
	return strcmp(text, def) != 0;
}

void opts_dump(FILE *f, const struct job_opts *o, bool only_set)
{
	char buf[2048];

	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];

		opt_print(d, o, buf, sizeof(buf));
		if (only_set && !opt_shown(d, o, buf))
			continue;
		if (d->type == OPT_STR && (d->flags & OPTF_BARE_NAME) && !buf[0] &&
		    *(char *const *)cfield(o, d))
			fprintf(f, "%s\n", d->name);
		else
			fprintf(f, "%s=%s\n", d->name, buf);
	}
}
