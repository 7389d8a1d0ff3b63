/* Headless front end of the fio-server client: see fiocli.h.
 *
 * Output, as `fio --client`: per host its probe line and each job's
 * figures, then "All clients" (every job of every host summed) when more
 * than one job reported; --output-format=json writes fio's client layout
 * ("client_stats" entries carrying "hostname" and "port"). Beside fio's
 * figures iolab prints the cluster percentiles two ways: from the merged
 * latency bins (the true percentiles) and as the mean of the hosts'. */
#include "tui/fiocli.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/fioclient.h"
#include "backend/fioreport.h"
#include "backend/jobfile.h"
#include "backend/source_fio.h"
#include "lib/outfile.h"
#include "tui/settings.h"
#include "tui/tui.h"
#include "lib/json.h"

static int stop_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int e = errno;
	ssize_t r = write(stop_pipe[1], "x", 1);

	(void)r;
	(void)sig;
	errno = e;
}

/* ---------------------------------------------------------- job text */

static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *b = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return -errno;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(b, cap = cap ? cap * 2 : 8192);
			if (!nb) {
				free(b);
				fclose(f);
				return -ENOMEM;
			}
			b = nb;
		}
		size_t r = fread(b + n, 1, cap - n - 1, f);
		n += r;
		if (!r)
			break;
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* Does the line at @p set ioengine=exec (a program the servers would run)? */
static bool is_exec_engine(const char *p)
{
	if (strncmp(p, "ioengine", 8))
		return false;
	p += 8 + strspn(p + 8, " \t");
	if (*p != '=')
		return false;
	p++;
	p += strspn(p, " \t");
	return !strncasecmp(p, "exec", 4) && strchr(" \t\r\n", p[4]);
}

/* The line of @text that sets exec_prerun/exec_postrun or ioengine=exec,
 * or 0. */
static int find_exec(const char *text, const char **key)
{
	int line = 1;

	for (const char *p = text; *p; line++) {
		const char *e = strchr(p, '\n');

		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, "exec_prerun", 11) || !strncmp(p, "exec_postrun", 12)) {
			*key = p[5] == 'p' && p[6] == 'r' ? "exec_prerun" : "exec_postrun";
			return line;
		}
		if (is_exec_engine(p)) {
			*key = "ioengine=exec";
			return line;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* fio's command-line jobs (--name=x --rw=read ...) as the job text fio's
 * client sends for them: options before the first --name in [global],
 * each --name opens a section. Returns 0, -EINVAL with the reason on
 * stderr, or -ENOMEM. */
static int args_to_job(char *const *args, int n, char **out, size_t *outlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	bool section = false;
	int jobs = 0;

	if (!m)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		const char *key = args[i] + 2, *eq = strchr(key, '=');
		size_t kl = eq ? (size_t)(eq - key) : strlen(key);

		if (strpbrk(key, "\n\r[]") || !kl || strspn(key, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") < kl) {
			fprintf(stderr, "iolab: %s: not a job option (--key=value, one line, no "
				"brackets)\n", args[i]);
			fclose(m);
			free(buf);
			return -EINVAL;
		}
		if (kl == 4 && !strncmp(key, "name", 4)) {
			if (!eq || !eq[1]) {
				fprintf(stderr, "iolab: --name needs a job name (--name=NAME)\n");
				fclose(m);
				free(buf);
				return -EINVAL;
			}
			fprintf(m, "[%s]\n", eq + 1);
			section = true;
			jobs += strcmp(eq + 1, "global") != 0;
			continue;
		}
		if (!section) {
			fprintf(m, "[global]\n");
			section = true;
		}
		fprintf(m, "%s\n", key);
	}
	if (fclose(m)) {
		free(buf);
		return -ENOMEM;
	}
	if (!jobs) {
		fprintf(stderr, "iolab: no job: start one with --name=NAME (options before the "
			"first --name only set defaults)\n");
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

/* ------------------------------------------------------------- hosts */

static int add_host(struct fioc_host **hs, int *n, const char *spec)
{
	char err[400];
	struct fioc_host *nh = realloc(*hs, (size_t)(*n + 1) * sizeof(**hs));

	if (!nh)
		return -ENOMEM;
	*hs = nh;
	if (fioc_host_parse_port(&nh[*n], spec, settings_get()->client_port, err, sizeof(err))) {
		fprintf(stderr, "iolab: %s\n", err);
		return -EINVAL;
	}
	(*n)++;
	return 0;
}

/* --client=ARG: a host, or a file listing one host a line (# comments). */
static int add_client_arg(struct fioc_host **hs, int *n, const char *arg)
{
	struct stat st;
	char *text;
	size_t len;
	int ret, line = 0;

	if (stat(arg, &st) || !S_ISREG(st.st_mode))
		return add_host(hs, n, arg);
	ret = read_file(arg, &text, &len);
	if (ret) {
		fprintf(stderr, "iolab: --client=%s: %s\n", arg, strerror(-ret));
		return ret;
	}
	if (memchr(text, '\0', len)) {
		fprintf(stderr, "iolab: --client=%s: not a text file of hosts (a NUL byte)\n", arg);
		free(text);
		return -EINVAL;
	}
	for (char *l = text, *e; l && *l; l = e ? e + 1 : NULL) {
		line++;
		e = strchr(l, '\n');
		if (e)
			*e = '\0';
		l += strspn(l, " \t");
		l[strcspn(l, " \t\r#")] = '\0';
		if (*l && (ret = add_host(hs, n, l))) {
			fprintf(stderr, "iolab: --client=%s: line %d: not a host\n", arg, line);
			break;
		}
		if (*n > 4096) {
			fprintf(stderr, "iolab: --client=%s: over 4096 hosts\n", arg);
			ret = -E2BIG;
			break;
		}
	}
	free(text);
	return ret;
}

/* ------------------------------------------------------- live figures */

/* With --status-interval: each job's previous cumulative TS, to print what
 * the interval did (IOPS, bandwidth, p99 of the interval's own bins). */
struct live {
	FILE *f;
	struct fioc_host *hosts;
	struct fiop_ts **prev;   /* [host] -> array by ts index */
	size_t *nprev;
	struct fiop_ts delta;
};

static void live_packet(void *arg, struct fioc_host *h, unsigned op)
{
	struct live *lv = arg;
	size_t hi = (size_t)(h - lv->hosts), k = h->ts_last;
	const struct fiop_ts *cur;
	struct fiop_ts *prev;
	int lat;

	if (op != FIOP_TS || h->state != FIOC_RUNNING)
		return;
	cur = &h->ts[k];
	if (k >= lv->nprev[hi]) {
		struct fiop_ts *n = realloc(lv->prev[hi], (k + 1) * sizeof(*n));

		if (!n)
			return;
		memset(n + lv->nprev[hi], 0, (k + 1 - lv->nprev[hi]) * sizeof(*n));
		lv->prev[hi] = n;
		lv->nprev[hi] = k + 1;
	}
	prev = &lv->prev[hi][k];
	fiop_ts_delta(prev, cur, &lv->delta);
	lat = cur->lat_percentiles ? FIOP_LAT : FIOP_CLAT;
	fprintf(lv->f, "<%s> %s:", h->label, cur->name);
	for (int d = 0; d < 3; d++) {
		double ms = (double)lv->delta.runtime[d];

		if (!lv->delta.total_io_u[d] || ms <= 0)
			continue;
		fprintf(lv->f, " %s IOPS=%.0f BW=%.1fMiB/s p99=%.1fusec", ddir_name(d),
			1000.0 * (double)lv->delta.total_io_u[d] / ms,
			1000.0 * (double)lv->delta.io_bytes[d] / ms / 1048576.0,
			(double)fiop_plat_percentile(lv->delta.plat[lat][d], 99) / 1000.0);
	}
	fprintf(lv->f, " (interval)\n");
	fflush(lv->f);
	*prev = *cur;
}

/* ------------------------------------------------------------- main */

int fiocli_run(const struct fiocli_cfg *cfg)
{
	struct fioc_host *hs = NULL;
	int n = 0, rc = 2, lost;
	bool want_json = cfg->json, want_normal = cfg->normal, allow_exec = cfg->allow_exec;
	const char *output = cfg->output, *jobfile = cfg->jobfile, *key;
	char *job = NULL;
	size_t job_len = 0;
	FILE *out = stdout;
	char *outbuf = NULL;
	size_t outlen = 0;
	struct fioc_run run = { .stop_fd = -1 };
	struct live lv = { 0 };
	unsigned status_s = cfg->status_s, reply_ms = cfg->reply_ms;
	bool headless = cfg->headless;
	struct source *src = NULL;

	for (int i = 0; i < cfg->nclients; i++)
		if (add_client_arg(&hs, &n, cfg->clients[i]))
			goto out;
	if (!n) {
		fprintf(stderr, "iolab: --client: no host given\n");
		goto out;
	}
	if (!jobfile) {
		if (args_to_job(cfg->jobargs, cfg->njobargs, &job, &job_len))
			goto out;
		jobfile = "command line";
	} else if ((rc = read_file(jobfile, &job, &job_len))) {
		fprintf(stderr, "iolab: %s: %s\n", jobfile, strerror(-rc));
		rc = 2;
		goto out;
	}
	rc = 2;
	if (!allow_exec) {
		int line = find_exec(job, &key);

		if (line) {
			fprintf(stderr, "iolab: %s:%d: %s: refused: the servers would run this "
				"command (--allow-exec sends it)\n", jobfile, line, key);
			goto out;
		}
	}
	/* the report whole, then through lib/outfile (checked, atomic) */
	if (output && !outfile_is_stdout(output) && !(out = open_memstream(&outbuf, &outlen))) {
		fprintf(stderr, "iolab: out of memory\n");
		out = stdout;
		goto out;
	}
	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
		struct sigaction sa = { .sa_handler = on_signal };

		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		run.stop_fd = stop_pipe[0];
	}
	if (status_s) {
		lv.f = stderr;
		lv.hosts = hs;
		lv.prev = calloc((size_t)n, sizeof(*lv.prev));
		lv.nprev = calloc((size_t)n, sizeof(*lv.nprev));
		if (!lv.prev || !lv.nprev)
			goto out;
		run.status_interval_s = status_s;
		run.on_packet = live_packet;
		run.arg = &lv;
	}
	run.hosts = hs;
	run.nhosts = n;
	run.reply_ms = reply_ms;
	run.job = job;
	run.job_len = job_len;
	if (!headless && !want_json && !output && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO)) {
		/* the workbench: the hosts' jobs through a fio-server source */
		struct job_list l;
		char lerr[512];
		struct tui_args ta = { 0 };

		job_list_init(&l);
		/* numjobs expanded: a host runs one thread per clone, and
		 * each clone's figures come by its thread number */
		if (jobfile_load_text(&l, jobfile, job, lerr, sizeof(lerr)) ||
		    job_list_finalize(&l, lerr, sizeof(lerr))) {
			fprintf(stderr, "iolab: %s (--headless sends the job as it is)\n", lerr);
			job_list_free(&l);
			rc = 2;
			goto out;
		}
		rc = source_fio_new(hs, n, job, job_len, &l, status_s ? status_s : 1, &src);
		if (rc) {
			fprintf(stderr, "iolab: client: %s\n", strerror(-rc));
			job_list_free(&l);
			rc = 2;
			goto out;
		}
		source_fio_set_reply_ms(src, reply_ms);
		ta.src = src;
		ta.jobs = &l;
		ta.run_now = true;
		rc = tui_run(&ta);
		if (source_running(src))
			source_stop(src, -1);
		source_reap(src);
		job_list_free(&l);
		hs = source_fio_hosts(src, &n);
		lost = 0;
		for (int i = 0; i < n; i++)
			lost += hs[i].state == FIOC_LOST;
	} else
		lost = fioc_run(&run);
	if (lost < 0) {
		fprintf(stderr, "iolab: client: %s\n", strerror(-lost));
		goto out;
	}

	if (fioreport_write(out, hs, n, (want_normal ? FIOREP_NORMAL : 0) |
					     (want_json ? FIOREP_JSON : 0)))
		goto out;
	if (out != stdout) {
		char what[600], err[1024];

		bool cut = fclose(out) != 0;

		out = stdout;
		snprintf(what, sizeof(what), "--output=%s", output);
		if (cut)
			snprintf(err, sizeof(err), "%s: the report: out of memory", what);
		if (cut || outfile_emit(output, outbuf, outlen, what, err, sizeof(err))) {
			fprintf(stderr, "iolab: %s\n", err);
			goto out;
		}
	}

	rc = fioreport_logs(hs, n, stderr) ? 1 : 0;
	for (int i = 0; i < n; i++) {
		struct fioc_host *h = &hs[i];

		for (char *l = h->text, *e; l && *l; l = e ? e + 1 : NULL) {
			int len;

			e = strchr(l, '\n');
			len = e ? (int)(e - l) : (int)strlen(l);
			if (len)  /* each status interval sends an empty line */
				fprintf(stderr, "<%s> %.*s\n", h->label, len, l);
		}
		if (h->state == FIOC_LOST) {
			fprintf(stderr, "iolab: host lost: %s\n", h->err);
			rc = 1;
		} else if (h->stop.error) {
			fprintf(stderr, "iolab: %s: the server's run exited with error %u%s\n",
				h->label, h->stop.error, h->text ? " (its messages above)" : "");
			rc = 1;
		}
		for (size_t k = 0; k < h->nts; k++)
			if (h->ts[k].error)
				rc = 1;
	}
	if (run.stopped) {
		fprintf(stderr, "iolab: stopped: QUIT sent to every host; figures so far "
			"reported\n");
		rc = rc ? rc : 1;
	}
out:
	if (out != stdout)
		fclose(out);
	free(outbuf);
	if (src) {
		source_free(src);   /* it owns the hosts */
	} else {
		for (int i = 0; i < n; i++)
			fioc_host_free(&hs[i]);
		free(hs);
	}
	if (lv.prev)
		for (int i = 0; i < n; i++)
			free(lv.prev[i]);
	free(lv.prev);
	free(lv.nprev);
	free(job);
	return rc;
}
