/* `iolab --client=HOST[,PORT] ... job.fio`: run a job on `fio --server`
 * hosts, headless as fio's client mode reports, or in the workbench. The
 * command line (cli/client.c) parses the flags and fills the settings. */
#ifndef IOLAB_FIOCLI_H
#define IOLAB_FIOCLI_H

#include <stdbool.h>

struct fiocli_cfg {
	const char *const *clients; /* each --client: HOST[,PORT], or a file of them */
	int nclients;
	const char *jobfile;        /* the job file sent to every host, or NULL: */
	char *const *jobargs;       /* the --key=value job options sent as a job */
	int njobargs;
	bool normal, json;          /* the report's formats */
	const char *output;         /* the report's file, NULL or "-": stdout */
	unsigned status_s;          /* --status-interval in seconds; 0: none */
	unsigned reply_ms;          /* --client-timeout; 0: the default */
	bool allow_exec, headless;
};

/* Exactly one of jobfile and jobargs. Returns the exit status: 0 all hosts
 * ran, 1 a host was lost or a job failed, 2 the hosts or the job cannot
 * be used (a message on stderr). */
int fiocli_run(const struct fiocli_cfg *cfg);

#endif
