/* The command line's documentation; see docgen.h. */
#include "docgen.h"

#include <stdbool.h>
#include <string.h>

#include "../backend/options.h"
#include "../backend/profiles.h"
#include "../backend/report.h"
#include "../engines/engine.h"

/* The prose, once: --help prints it as text, --man as troff. */
static const char usage[] = "iolab [options] [JOBFILE...] [--key=value job options...]";
static const char summary[] = "an interactive I/O workbench: fio job files, live graphs";
static const char *const intro[] = {
	"An interactive I/O workbench: fio's job files and output formats, live "
	"graphs in the terminal. Without a job file or job options it opens the "
	"default job (4k random 70/30 read/write on a scratch file in $TMPDIR).",
	NULL,
};
static const char *const job_opts_text[] = {
	"Any other --key=value is a job option (see --cmdhelp); options before the "
	"first --name apply to every job. A JOBFILE of '-' is read from stdin.",
	"Run under the name 'fio' (a link to iolab), it takes fio's place for "
	"fio's scripts: always headless, and --status-interval prints the results "
	"so far, as fio's does.",
	NULL,
};
static const struct {
	const char *cmd, *what;
} examples[] = {
	{ "iolab job.fio", "the workbench with job.fio loaded" },
	{ "iolab --headless job.fio", "run and print fio's summary" },
	{ "iolab --headless --output-format=json+ --output=out.json job.fio", NULL },
	{ "iolab --headless --name=a --rw=randread --bs=4k --size=1g --ioengine=io_uring", NULL },
	{ "iolab --headless --profile oltp-8k-7030 --runtime=10", NULL },
	{ "iolab --diagnose /mnt/data", NULL },
};
static const char exit_text[] =
	"0 all jobs ok, 1 a job failed or the input was refused, 130/143 interrupted "
	"(results so far are still printed).";
static const struct {
	const char *name, *what;
} environment[] = {
	{ "TMPDIR", "where the default job and the profiles put their scratch files "
		    "(/tmp when unset); ${TMPDIR} in job files means the same" },
	{ "NO_COLOR", "when set (to anything), the workbench uses no colour: "
		      "attributes (bold, reverse, underline) tell things apart, unless "
		      "the settings say colour = 256 or 8" },
	{ "XDG_CONFIG_HOME", "the user's settings file is $XDG_CONFIG_HOME/iolab/iolab.conf "
			     "(~/.config/iolab/iolab.conf when unset), read after "
			     "/etc/iolab/iolab.conf (see --show-settings, docs/settings.md)" },
	{ "TERM", "the terminal's colours: monochrome terminals (vt100) get attributes "
		  "only, 8-colour ones the basic palette, 256-colour ones a finer one" },
	{ "COLORTERM", "truecolor or 24bit: the finer palette in exact colours where "
		       "the terminal can redefine them" },
};

/* "--name=ARG" as --help shows it. */
static void flag_left(char *buf, size_t len, const struct doc_flag *fl)
{
	if (fl->arg == DOC_ARG_REQUIRED)
		snprintf(buf, len, "--%s=%s", fl->name, fl->argname);
	else if (fl->arg == DOC_ARG_OPTIONAL)
		snprintf(buf, len, "--%s[=%s]", fl->name, fl->argname);
	else
		snprintf(buf, len, "--%s", fl->name);
}

/* @s wrapped at 75 columns after @indent spaces. */
static void wrap(FILE *f, const char *s, int indent)
{
	int col = 0;

	while (*s) {
		size_t w = strcspn(s, " ");

		if (col && col + 1 + (int)w > 75) {
			fputc('\n', f);
			col = 0;
		}
		if (!col)
			col = fprintf(f, "%*s", indent, "");
		else
			col += fprintf(f, " ");
		col += fprintf(f, "%.*s", (int)w, s);
		s += w;
		while (*s == ' ')
			s++;
	}
	if (col)
		fputc('\n', f);
}

void doc_help(FILE *f, const struct doc_flag *fl, size_t n)
{
	fprintf(f, "usage: %s\n\n", usage);
	for (size_t i = 0; intro[i]; i++)
		wrap(f, intro[i], 0);
	fprintf(f, "\noptions:\n");
	for (size_t i = 0; i < n; i++) {
		char left[64];

		flag_left(left, sizeof(left), &fl[i]);
		fprintf(f, "  %-28s %s\n", left, fl[i].help);
	}
	fputc('\n', f);
	for (size_t i = 0; job_opts_text[i]; i++)
		wrap(f, job_opts_text[i], 0);
	fprintf(f, "\nexamples:\n");
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		if (examples[i].what)
			fprintf(f, "  %-33s %s\n", examples[i].cmd, examples[i].what);
		else
			fprintf(f, "  %s\n", examples[i].cmd);
	}
	{
		char buf[sizeof(exit_text) + 16];

		snprintf(buf, sizeof(buf), "exit status: %s", exit_text);
		fputc('\n', f);
		wrap(f, buf, 0);
	}
}

/* ------------------------------------------------------------- troff */

/* @s as troff text: backslashes and hyphens escaped, a leading '.' or '\''
 * kept from reading as a request. */
static void roff(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else if (*s == '\n')
			fputs("\n.br\n", f);
		else
			fputc(*s, f);
	}
}

static void roff_para(FILE *f, const char *s)
{
	roff(f, s);
	fputc('\n', f);
}

static void man_option(FILE *f, const struct opt_def *d)
{
	char def[256];

	fputs(".TP\n.B ", f);
	roff(f, d->name);
	if (d->alias) {
		fputs("\\fR, \\fB", f);
		roff(f, d->alias);
	}
	fputs("\\fR=\\fI", f);
	roff(f, opt_type_text(d));
	fputs("\\fR\n", f);
	roff_para(f, d->help ? d->help : "");
	opt_default_text(d, def, sizeof(def));
	fputs(".br\nDefault: ", f);
	roff(f, def[0] ? def : "none");
	if (d->max || d->min)
		fprintf(f, "; range %lld..%lld", d->min, d->max);
	if (d->units) {
		fputs("; units: ", f);
		roff(f, d->units);
	}
	fputs(".\n", f);
	if (d->flags & OPTF_IOLAB)
		fputs(".br\nAn iolab extension: fio has no such option.\n", f);
	if (d->flags & OPTF_URING)
		fputs(".br\nApplies to ioengine=io_uring.\n", f);
	if (d->engines) {
		fputs(".br\nApplies to ioengine=", f);
		for (const char *e = d->engines; *e; e++)
			if (*e == ':')
				fputs(" or ioengine=", f);
			else
				roff(f, (char[2]){ *e, 0 });
		fputs(".\n", f);
	}
	if (d->choices) {
		fputs(".RS\n", f);
		for (const struct opt_choice *c = d->choices; c->name; c++) {
			fputs(".TP 16\n.B ", f);
			roff(f, c->name);
			fputc('\n', f);
			roff_para(f, c->help ? c->help : "");
		}
		fputs(".RE\n", f);
	}
}

void doc_man(FILE *f, const struct doc_flag *fl, size_t n)
{
	const struct profile *p;
	const struct doc_key *k;
	size_t np, nk;

	fputs(".\\\" Generated by `iolab --man` from its flag and option tables; do not edit.\n", f);
	fprintf(f, ".TH IOLAB 1 \"\" \"iolab %s\" \"User Commands\"\n", IOLAB_VERSION);
	fputs(".SH NAME\niolab \\- ", f);
	roff_para(f, summary);
	fputs(".SH SYNOPSIS\n.B iolab\n", f);
	roff_para(f, usage + strlen("iolab "));
	fputs(".SH DESCRIPTION\n", f);
	for (size_t i = 0; intro[i]; i++) {
		roff_para(f, intro[i]);
		fputs(".PP\n", f);
	}
	for (size_t i = 0; job_opts_text[i]; i++)
		roff_para(f, job_opts_text[i]);

	fputs(".SH OPTIONS\n", f);
	for (size_t i = 0; i < n; i++) {
		fputs(".TP\n.B ", f);
		roff(f, "--");
		roff(f, fl[i].name);
		if (fl[i].arg == DOC_ARG_REQUIRED) {
			fputs("\\fR=\\fI", f);
			roff(f, fl[i].argname);
			fputs("\\fR", f);
		} else if (fl[i].arg == DOC_ARG_OPTIONAL) {
			fputs("\\fR[=\\fI", f);
			roff(f, fl[i].argname);
			fputs("\\fR]", f);
		}
		fputc('\n', f);
		roff_para(f, fl[i].help);
	}

	fputs(".SH JOB OPTIONS\n", f);
	fputs("Set in a job file as \\fIkey\\fR=\\fIvalue\\fR (fio's syntax) or on the command "
	      "line as \\fB\\-\\-\\fIkey\\fB=\\fIvalue\\fR; the workbench's editor shows the same "
	      "options in the same groups.\n",
	      f);
	for (int g = 0; g < GRP_NR; g++) {
		bool any = false;

		for (size_t i = 0; i < opt_count; i++) {
			const struct opt_def *d = &opt_table[i];

			if (d->group != (enum opt_group)g || (d->flags & OPTF_COMPAT))
				continue;
			if (!any) {
				fputs(".SS ", f);
				roff(f, opt_group_names[g]);
				fputs("\n", f);
			}
			any = true;
			man_option(f, d);
		}
	}
	fputs(".SS Accepted for fio compatibility, without effect\n", f);
	for (size_t i = 0, first = 1; i < opt_count; i++) {
		if (!(opt_table[i].flags & OPTF_COMPAT))
			continue;
		if (!first)
			fputs(",\n", f);
		first = 0;
		fputs(".B ", f);
		roff(f, opt_table[i].name);
	}
	fputs("\n", f);

	fputs(".SH PROFILES\nShipped job profiles, run with \\fB\\-\\-profile\\fR "
	      "\\fINAME\\fR or picked in the workbench (F4):\n",
	      f);
	p = profiles_list(&np);
	for (size_t i = 0; i < np; i++) {
		fputs(".TP\n.B ", f);
		roff(f, p[i].name);
		fputc('\n', f);
		roff_para(f, p[i].description ? p[i].description : "");
	}

	fputs(".SH KEYS\nIn the workbench (F1 shows the same list):\n", f);
	k = help_keys(&nk);
	for (size_t i = 0; i < nk; i++) {
		if (!k[i].key) {
			fputs(".SS ", f);
			roff(f, k[i].desc);
			fputc('\n', f);
		} else if (!k[i].key[0]) {
			fputs(".br\n", f);
			roff_para(f, k[i].desc);
		} else {
			fputs(".TP 18\n.B ", f);
			roff(f, k[i].key);
			fputc('\n', f);
			roff_para(f, k[i].desc);
		}
	}

	fputs(".SH EXAMPLES\n", f);
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		fputs(".TP\n.B ", f);
		roff(f, examples[i].cmd);
		fputc('\n', f);
		if (examples[i].what)
			roff_para(f, examples[i].what);
	}
	fputs(".SH ENVIRONMENT\n", f);
	for (size_t i = 0; i < sizeof(environment) / sizeof(environment[0]); i++) {
		fputs(".TP\n.B ", f);
		roff(f, environment[i].name);
		fputc('\n', f);
		roff_para(f, environment[i].what);
	}
	fputs(".SH EXIT STATUS\n", f);
	roff_para(f, exit_text);
	fputs(".SH SEE ALSO\n.BR fio (1)\n", f);
}

/* ---------------------------------------------------------- completion */

static void words_flags(FILE *f, const struct doc_flag *fl, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, " --%s%s", fl[i].name, fl[i].arg == DOC_ARG_REQUIRED ? "=" : "");
}

static void words_options(FILE *f)
{
	for (size_t i = 0; i < opt_count; i++) {
		const struct opt_def *d = &opt_table[i];
		const char *eq = d->type == OPT_BOOL ? "" : "=";

		fprintf(f, " --%s%s", d->name, eq);
		if (d->alias)
			fprintf(f, " --%s%s", d->alias, eq);
	}
}

/* The case arm completing the values of option @d, if it has a fixed set. */
static void value_arm(FILE *f, const struct opt_def *d)
{
	if (d->choices) {
		fprintf(f, "\t%s%s%s)\n\t\tvals=\"", d->name, d->alias ? "|" : "",
			d->alias ? d->alias : "");
		for (const struct opt_choice *c = d->choices; c->name; c++)
			fprintf(f, "%s%s", c == d->choices ? "" : " ", c->name);
		fputs("\" ;;\n", f);
	} else if (d->type == OPT_BOOL) {
		fprintf(f, "\t%s%s%s)\n\t\tvals=\"0 1\" ;;\n", d->name, d->alias ? "|" : "",
			d->alias ? d->alias : "");
	}
}

void doc_bash_completion(FILE *f, const struct doc_flag *fl, size_t n)
{
	const struct engine_ops *const *eng = engine_list();
	const struct profile *p;
	size_t np;

	fputs("# bash completion for iolab. Generated by `iolab --completion=bash` from its\n"
	      "# flag table, option table and shipped profiles; do not edit.\n\n",
	      f);
	fputs("_iolab_profiles=\"", f);
	p = profiles_list(&np);
	for (size_t i = 0; i < np; i++)
		fprintf(f, "%s%s", i ? " " : "", p[i].name);
	fputs("\"\n\n", f);
	fputs("_iolab_words=\"", f);
	words_flags(f, fl, n);
	words_options(f);
	fputs(" \"\n\n", f);
	fputs("# The values of --KEY (KEY without dashes) into $vals; 1 when KEY takes\n"
	      "# a file name instead.\n"
	      "_iolab_values()\n{\n\tvals=\n\tcase $1 in\n",
	      f);
	fputs("\tprofile)\n\t\tvals=$_iolab_profiles ;;\n", f);
	fputs("\toutput-format)\n\t\tvals=\"normal json json+ terse\" ;;\n", f);
	fputs("\tcmdhelp)\n\t\tvals=\"", f);
	for (size_t i = 0; i < opt_count; i++)
		fprintf(f, "%s%s", i ? " " : "", opt_table[i].name);
	fputs("\" ;;\n", f);
	fputs("\tioengine)\n\t\tvals=\"", f);
	for (size_t i = 0; eng && eng[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", eng[i]->name);
	fputs("\" ;;\n", f);
	for (size_t i = 0; i < opt_count; i++)
		value_arm(f, &opt_table[i]);
	fputs("\toutput|diagnose|filename|directory|write_iolog|read_iolog|"
	      "*_log|verify_state_*)\n\t\treturn 1 ;;\n",
	      f);
	fputs("\tesac\n\treturn 0\n}\n\n", f);
	fputs("_iolab()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= key= vals\n"
	      "\t(( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tCOMPREPLY=()\n"
	      "\t# bash splits --key=value at '=' (COMP_WORDBREAKS): --key, =, value\n"
	      "\tif [[ $cur == = ]]; then\n"
	      "\t\tkey=${prev#--}; cur=\n"
	      "\telif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n"
	      "\t\tkey=${COMP_WORDS[COMP_CWORD-2]#--}\n"
	      "\telif [[ $cur == --*=* ]]; then\n"
	      "\t\tkey=${cur%%=*}; key=${key#--}; cur=${cur#*=}\n"
	      "\telif [[ $prev == --profile || $prev == --output || $prev == --diagnose ]]; then\n"
	      "\t\tkey=${prev#--}\n"
	      "\tfi\n"
	      "\tif [[ -n $key ]]; then\n"
	      "\t\tif _iolab_values \"$key\" && [[ -n $vals ]]; then\n"
	      "\t\t\tCOMPREPLY=($(compgen -W \"$vals\" -- \"$cur\"))\n"
	      "\t\telse\n"
	      "\t\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	      "\t\tfi\n"
	      "\t\treturn 0\n"
	      "\tfi\n"
	      "\tif [[ $cur == -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$_iolab_words\" -- \"$cur\"))\n"
	      "\t\t# no space after --key=\n"
	      "\t\t[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] &&\n"
	      "\t\t\ttype compopt >/dev/null 2>&1 && compopt -o nospace 2>/dev/null\n"
	      "\t\treturn 0\n"
	      "\tfi\n"
	      "\t# job files (and directories on the way to them)\n"
	      "\tCOMPREPLY=($(compgen -f -X '!*.fio' -- \"$cur\") $(compgen -d -- \"$cur\"))\n"
	      "\treturn 0\n"
	      "}\n"
	      "complete -o filenames -F _iolab iolab\n",
	      f);
}
