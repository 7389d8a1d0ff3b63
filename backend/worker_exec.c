/* exec_prerun / exec_postrun: a job's shell commands before and after its
 * I/O, run only when the front end allowed them, each in its own process
 * group so a stop ends the whole command. */
#include "worker_int.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/atomic.h"
#include "../lib/clock.h"

/* How long a stopped exec_prerun/exec_postrun child gets between SIGTERM
 * to its process group and SIGKILL. */
#define EXEC_TERM_GRACE_NS (2 * NS_PER_SEC)

int exec_wait_child(pid_t pid, const int *stop, uint64_t grace_ns, bool *stopped)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	uint64_t kill_at = UINT64_MAX;
	bool termed = false;
	int st;

	*stopped = false;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			int e = errno;

			if (pfd >= 0)
				close(pfd);
			errno = e;
			return -1;
		}
		if (!termed && stop && ld_relaxed(stop)) {
			/* the whole group: sh -c may have forked the real work */
			kill(-pid, SIGTERM);
			*stopped = termed = true;
			kill_at = clock_now_ns() + grace_ns;
		}
		if (termed && clock_now_ns() >= kill_at) {
			kill(-pid, SIGKILL);
			kill_at = UINT64_MAX;
		}
		/* without a pidfd (kernel < 5.3), poll waitpid every 10 ms */
		clock_wait(pfd >= 0 ? kill_at : clock_now_ns() + 10 * NS_PER_MS,
			   termed ? NULL : stop, pfd);
	}
	if (pfd >= 0)
		close(pfd);
	if (termed)
		kill(-pid, SIGKILL); /* the group's stragglers */
	return st;
}

int exec_spawn(pid_t *pid, const char *file, char *const argv[], int outfd, int errfd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t a;
	sigset_t def, none;
	int e;

	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGHUP);
	sigaddset(&def, SIGUSR1);
	posix_spawnattr_init(&a);
	posix_spawnattr_setsigdefault(&a, &def);
	posix_spawnattr_setsigmask(&a, &none);
	posix_spawnattr_setpgroup(&a, 0);
	posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |
				     POSIX_SPAWN_SETPGROUP);
	posix_spawn_file_actions_init(&fa);
	if (outfd >= 0)
		posix_spawn_file_actions_adddup2(&fa, outfd, STDOUT_FILENO);
	if (errfd >= 0)
		posix_spawn_file_actions_adddup2(&fa, errfd, STDERR_FILENO);
	e = posix_spawnp(pid, file, &fa, &a, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&a);
	return -e;
}

/* sh -c @cmd in a process group of its own, waited for as
 * exec_wait_child(). Returns the wait status, or -1 with errno. */
static int spawn_shell(const char *cmd, const int *stop, bool *stopped)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	pid_t pid;
	int e;

	*stopped = false;
	e = exec_spawn(&pid, "/bin/sh", argv, -1, -1);
	if (e) {
		errno = -e;
		return -1;
	}
	return exec_wait_child(pid, stop, EXEC_TERM_GRACE_NS, stopped);
}

/* exec_prerun/exec_postrun. Returns 0 or -errno (job error set). */
int worker_run_exec(struct worker *w, const char *what, const char *cmd)
{
	struct job *job = w->job;
	bool stopped;
	int st;

	if (!cmd || !cmd[0])
		return 0;
	if (!w->allow_exec) {
		char why[512];
		struct job_opts one = { 0 };

		/* the one command asked for, in the load check's words */
		if (!strcmp(what, "exec_prerun"))
			one.exec_prerun = (char *)cmd;
		else
			one.exec_postrun = (char *)cmd;
		opts_exec_check(&one, false, why, sizeof(why));
		job_set_error(job, EPERM, "%s", why);
		return -EPERM;
	}
	st = spawn_shell(cmd, &job->stop, &stopped);
	if (st == -1) {
		int e = errno;

		job_set_error(job, e, "%s: '%s': %s", what, cmd, strerror(e));
		return -e;
	}
	if (stopped) {
		job_set_error(job, ECANCELED,
			      "%s: '%s' ended: the run was stopped (its process group was sent "
			      "SIGTERM)", what, cmd);
		return -ECANCELED;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		job_set_error(job, ECHILD, "%s: '%s' %s %d", what, cmd,
			      WIFEXITED(st) ? "exited with status" : "died of signal",
			      WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return -ECHILD;
	}
	return 0;
}
