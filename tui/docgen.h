/* The command line's documentation, rendered three ways from one source:
 * --help (plain text), --man (the iolab.1 manual page, troff) and
 * --completion=bash (a bash completion script). The flags come from the
 * command line's own flag table (the caller's), the job options from the
 * option table (backend/options.h), the profile names from the shipped
 * profiles, the engine names from the engine registry; the prose around
 * them lives in docgen.c and nowhere else.
 *
 * Pure writers: nothing but @f is touched. Any thread. */
#ifndef IOLAB_DOCGEN_H
#define IOLAB_DOCGEN_H

#include <stddef.h>
#include <stdio.h>

enum doc_arg { DOC_ARG_NONE = 0, DOC_ARG_REQUIRED, DOC_ARG_OPTIONAL };

/* One command-line flag: --name, --name=ARG or --name[=ARG]. */
struct doc_flag {
	const char *name;
	enum doc_arg arg;
	const char *argname; /* "FILE", NULL for DOC_ARG_NONE */
	const char *help;    /* one line */
};

/* A key of the workbench and what it does; key NULL: a heading (in desc),
 * key "": the previous line's continuation. */
struct doc_key {
	const char *key;
	const char *desc;
};

/* The workbench's keys, as its help screen lists them (help.c). */
const struct doc_key *help_keys(size_t *n);

void doc_help(FILE *f, const struct doc_flag *fl, size_t n);
void doc_man(FILE *f, const struct doc_flag *fl, size_t n);
void doc_bash_completion(FILE *f, const struct doc_flag *fl, size_t n);

#endif
