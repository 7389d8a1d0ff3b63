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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/fioclient.h"
#include "backend/jobfile.h"
#include "backend/source_fio.h"
#include "tui/settings.h"
#include "tui/tui.h"
#include "lib/json.h"

static const double default_pcts[] = {
	1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99,
};
#define NDEF (sizeof(default_pcts) / sizeof(default_pcts[0]))
static const char *const ddir_names[3] = { "read", "write", "trim" };

static int stop_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int e = errno;
	ssize_t r = write(stop_pipe[1], "x", 1);

	(void)r;
	(void)sig;
	errno = e;
}

static int pct_list(const struct fiop_ts *ts, double *out)
{
	int n = 0;

	for (int i = 0; i < FIOP_NPCT && ts->percentile_list[i] > 0; i++)
		out[n++] = ts->percentile_list[i];
	if (!n)
		for (size_t i = 0; i < NDEF; i++)
			out[n++] = default_pcts[i];
	return n;
}

static double stddev(const struct fiop_iostat *s)
{
	return s->samples > 1 ? sqrt(s->S / (double)(s->samples - 1)) : 0.0;
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

/* The line of @text that sets exec_prerun/exec_postrun, or 0. */
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
		if (!e)
			break;
		p = e + 1;
	}
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
	char *text, *save = NULL;
	size_t len;
	int ret;

	if (stat(arg, &st) || !S_ISREG(st.st_mode))
		return add_host(hs, n, arg);
	ret = read_file(arg, &text, &len);
	if (ret) {
		fprintf(stderr, "iolab: --client=%s: %s\n", arg, strerror(-ret));
		return ret;
	}
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		l += strspn(l, " \t");
		l[strcspn(l, " \t\r#")] = '\0';
		if (*l && (ret = add_host(hs, n, l)))
			break;
	}
	free(text);
	return ret;
}

/* ------------------------------------------------------ normal report */

static void print_lat(FILE *f, const char *what, const struct fiop_iostat *s)
{
	double div = 1000.0;
	const char *unit = "usec";

	if (!s->samples)
		return;
	if (s->max > 99999999ULL) {
		div = 1e6;
		unit = "msec";
	}
	fprintf(f, "    %s (%s): min=%.0f, max=%.0f, avg=%.2f, stdev=%.2f\n", what, unit,
		(double)s->min / div, (double)s->max / div, s->mean / div, stddev(s) / div);
}

static void print_pcts(FILE *f, const char *what, const uint64_t *bins,
		       const double *pl, int np)
{
	int col = 0;

	fprintf(f, "    %s percentiles (usec):\n", what);
	for (int i = 0; i < np; i++) {
		if (col == 0)
			fprintf(f, "     |");
		fprintf(f, " %6.2fth=[%6.0f]%s", pl[i],
			(double)fiop_plat_percentile(bins, pl[i]) / 1000.0,
			i == np - 1 ? "\n" : (col == 2 ? ",\n" : ","));
		col = (col + 1) % 3;
	}
}

static void print_ts(FILE *f, const char *who, const struct fiop_ts *ts)
{
	double pl[FIOP_NPCT];
	int np = pct_list(ts, pl);

	fprintf(f, "%s%s: (groupid=%u, jobs=%u): err=%2u: pid=%u\n", who, ts->name,
		ts->groupid, ts->members ? ts->members : 1, ts->error, ts->pid);
	for (int d = 0; d < 3; d++) {
		uint64_t runt = ts->runtime[d];
		double iops = runt ? 1000.0 * (double)ts->total_io_u[d] / (double)runt : 0;
		uint64_t bw = runt ? 1000 * ts->io_bytes[d] / runt : 0;

		if (!ts->total_io_u[d])
			continue;
		fprintf(f, "  %s: IOPS=%.0f, BW=%.1fKiB/s (%.1fkB/s)(%.1fMiB/%" PRIu64 "msec)\n",
			ddir_names[d], iops, (double)bw / 1024.0, (double)bw / 1000.0,
			(double)ts->io_bytes[d] / 1048576.0, runt);
		print_lat(f, "slat", &ts->lat[FIOP_SLAT][d]);
		print_lat(f, "clat", &ts->lat[FIOP_CLAT][d]);
		print_lat(f, " lat", &ts->lat[FIOP_LAT][d]);
		if (ts->lat_percentiles)
			print_pcts(f, "lat", ts->plat[FIOP_LAT][d], pl, np);
		else
			print_pcts(f, "clat", ts->plat[FIOP_CLAT][d], pl, np);
	}
	if (ts->error && ts->verror[0])
		fprintf(f, "  error: %s\n", ts->verror);
}

/* Cluster percentiles two ways: from the merged bins and as the mean of
 * each host's own (every job of a host summed first). */
static void print_cluster(FILE *f, struct fioc_host *hs, int n, const struct fiop_ts *all)
{
	static const double want[] = { 50, 99, 99.9 };
	int lat = all->lat_percentiles ? FIOP_LAT : FIOP_CLAT;
	struct fiop_ts *hsum = calloc(1, sizeof(*hsum));

	if (!hsum)
		return;
	fprintf(f, "\nCluster %s percentiles (usec): merged bins of %u jobs | mean of the "
		"hosts' own\n", lat == FIOP_LAT ? "lat" : "clat", all->members);
	for (int d = 0; d < 3; d++) {
		if (!all->total_io_u[d])
			continue;
		for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
			double mean = 0;
			int nh = 0;

			for (int i = 0; i < n; i++) {
				if (!hs[i].nts)
					continue;
				memset(hsum, 0, sizeof(*hsum));
				for (size_t k = 0; k < hs[i].nts; k++)
					fiop_ts_sum(hsum, &hs[i].ts[k]);
				if (!hsum->total_io_u[d])
					continue;
				mean += (double)fiop_plat_percentile(hsum->plat[lat][d], want[w]);
				nh++;
			}
			fprintf(f, "  %-5s p%-5g %10.1f | %10.1f\n", ddir_names[d], want[w],
				(double)fiop_plat_percentile(all->plat[lat][d], want[w]) / 1000.0,
				nh ? mean / nh / 1000.0 : 0.0);
		}
	}
	free(hsum);
}

/* --------------------------------------------------------------- json */

static void json_lat(struct json *j, const char *key, const struct fiop_iostat *s,
		     const uint64_t *bins, bool pct, const double *pl, int np)
{
	json_obj_open(j, key);
	json_u64(j, "min", s->samples ? s->min : 0);
	json_u64(j, "max", s->max);
	json_dbl(j, "mean", s->samples ? s->mean : 0);
	json_dbl(j, "stddev", stddev(s));
	json_u64(j, "N", s->samples);
	if (pct && s->samples) {
		char k[32];

		json_obj_open(j, "percentile");
		for (int i = 0; i < np; i++) {
			snprintf(k, sizeof(k), "%f", pl[i]);
			json_u64(j, k, fiop_plat_percentile(bins, pl[i]));
		}
		json_obj_close(j);
	}
	json_obj_close(j);
}

/* Percent of @total in each of @n counters: fio's rounding (a non-empty
 * counter never shows below @floor). */
static void json_dist(struct json *j, const char *key, const char *const *names,
		      const uint64_t *map, int n, uint64_t total, double floor)
{
	json_obj_open(j, key);
	for (int i = 0; i < n; i++) {
		double v = total ? 100.0 * (double)map[i] / (double)total : 0.0;

		if (total && map[i] && v < floor)
			v = floor;
		json_dbl(j, names[i], v);
	}
	json_obj_close(j);
}

/* @opts_of: the host whose JOB_OPT entries belong to @ts (NULL for the
 * aggregate); @h names the host in "hostname"/"port". */
static void json_ts(struct json *j, const struct fiop_ts *ts, const struct fioc_host *h,
		    const struct fioc_host *opts_of)
{
	double pl[FIOP_NPCT];
	int np = pct_list(ts, pl);
	double rt = ts->total_run_time ? (double)ts->total_run_time : 1;

	json_obj_open(j, NULL);
	json_str(j, "jobname", ts->name);
	json_u64(j, "groupid", ts->groupid);
	json_u64(j, "error", ts->error);
	if (opts_of) {
		bool any = false;

		for (size_t i = 0; i < opts_of->nopts; i++) {
			const struct fiop_job_opt *o = &opts_of->opts[i];

			if (o->global || o->groupid + 1 != ts->thread_number)
				continue;
			if (!any)
				json_obj_open(j, "job options");
			any = true;
			json_str(j, o->name, o->value);
		}
		if (any)
			json_obj_close(j);
	}
	for (int d = 0; d < 3; d++) {
		uint64_t runt = ts->runtime[d], bw = runt ? 1000 * ts->io_bytes[d] / runt : 0;
		const struct fiop_iostat *b = &ts->bw[d], *io = &ts->iops[d];

		json_obj_open(j, ddir_names[d]);
		json_u64(j, "io_bytes", ts->io_bytes[d]);
		json_u64(j, "io_kbytes", ts->io_bytes[d] >> 10);
		json_u64(j, "bw_bytes", bw);
		json_u64(j, "bw", bw / 1024);
		json_dbl(j, "iops", runt ? 1000.0 * (double)ts->total_io_u[d] / (double)runt : 0);
		json_u64(j, "runtime", runt);
		json_u64(j, "total_ios", ts->total_io_u[d]);
		json_u64(j, "short_ios", ts->short_io_u[d]);
		json_u64(j, "drop_ios", ts->drop_io_u[d]);
		json_lat(j, "slat_ns", &ts->lat[FIOP_SLAT][d], ts->plat[FIOP_SLAT][d],
			 ts->slat_percentiles, pl, np);
		json_lat(j, "clat_ns", &ts->lat[FIOP_CLAT][d], ts->plat[FIOP_CLAT][d],
			 ts->clat_percentiles, pl, np);
		json_lat(j, "lat_ns", &ts->lat[FIOP_LAT][d], ts->plat[FIOP_LAT][d],
			 ts->lat_percentiles, pl, np);
		json_u64(j, "bw_min", b->samples ? b->min : 0);
		json_u64(j, "bw_max", b->max);
		json_dbl(j, "bw_agg", ts->rs.agg[d] ? 100.0 * b->mean / ((double)ts->rs.agg[d] / 1024.0) : 0);
		json_dbl(j, "bw_mean", b->mean);
		json_dbl(j, "bw_dev", stddev(b));
		json_u64(j, "bw_samples", b->samples);
		json_u64(j, "iops_min", io->samples ? io->min : 0);
		json_u64(j, "iops_max", io->max);
		json_dbl(j, "iops_mean", io->mean);
		json_dbl(j, "iops_stddev", stddev(io));
		json_u64(j, "iops_samples", io->samples);
		json_obj_close(j);
	}
	json_obj_open(j, "sync");
	json_u64(j, "total_ios", ts->total_io_u[3]);
	json_lat(j, "lat_ns", &ts->sync, NULL, false, pl, np);
	json_obj_close(j);
	json_u64(j, "job_runtime", ts->total_run_time);
	json_dbl(j, "usr_cpu", (double)ts->usr_time * 100.0 / rt);
	json_dbl(j, "sys_cpu", (double)ts->sys_time * 100.0 / rt);
	json_u64(j, "ctx", ts->ctx);
	json_u64(j, "majf", ts->majf);
	json_u64(j, "minf", ts->minf);
	{
		static const char *const lvl[] = { "1", "2", "4", "8", "16", "32", ">=64" };
		static const char *const sub[] = { "0", "4", "8", "16", "32", "64", ">=64" };
		static const char *const lat[] = { "2", "4", "10", "20", "50", "100", "250",
						   "500", "750", "1000", "2000", ">=2000" };
		uint64_t rw = ts->total_io_u[0] + ts->total_io_u[1] + ts->total_io_u[2];

		json_dist(j, "iodepth_level", lvl, ts->io_u_map, 7, rw, 0.1);
		json_dist(j, "iodepth_submit", sub, ts->io_u_submit, 7, ts->total_submit, 0.1);
		json_dist(j, "iodepth_complete", sub, ts->io_u_complete, 7, ts->total_complete, 0.1);
		json_dist(j, "latency_ns", lat, ts->io_u_lat_n, 10, rw, 0.01);
		json_dist(j, "latency_us", lat, ts->io_u_lat_u, 10, rw, 0.01);
		json_dist(j, "latency_ms", lat, ts->io_u_lat_m, 12, rw, 0.01);
	}
	if (ts->latency_depth) {
		json_u64(j, "latency_depth", ts->latency_depth);
		json_u64(j, "latency_target", ts->latency_target);
		json_dbl(j, "latency_percentile", ts->latency_percentile);
		json_u64(j, "latency_window", ts->latency_window);
	}
	json_str(j, "hostname", h->host);
	json_u64(j, "port", h->port);
	json_obj_close(j);
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
		fprintf(lv->f, " %s IOPS=%.0f BW=%.1fMiB/s p99=%.1fusec", ddir_names[d],
			1000.0 * (double)lv->delta.total_io_u[d] / ms,
			1000.0 * (double)lv->delta.io_bytes[d] / ms / 1048576.0,
			(double)fiop_plat_percentile(lv->delta.plat[lat][d], 99) / 1000.0);
	}
	fprintf(lv->f, " (interval)\n");
	fflush(lv->f);
	*prev = *cur;
}

/* ------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f, "usage: iolab --client=HOST[,PORT] [--client=...] [--output-format=normal|json]\n"
		"             [--output=FILE] [--status-interval=S] [--client-timeout=S]\n"
		"             [--allow-exec] job.fio\n"
		"  --status-interval=S prints each job's figures of every S seconds.\n"
		"  --client-timeout=S: a host silent S seconds when asked is lost (5).\n"
		"  --client=FILE reads one HOST[,PORT] a line. fio --server has no\n"
		"  authentication: keep servers on a private network or behind ssh -L.\n");
}

int fiocli_main(int argc, char **argv)
{
	struct fioc_host *hs = NULL;
	int n = 0, rc = 2, lost;
	bool want_json = false, want_normal = true, allow_exec = false;
	const char *output = NULL, *jobfile = NULL, *key;
	char *job = NULL;
	size_t job_len = 0;
	FILE *out = stdout;
	struct fiop_ts *all = NULL;
	struct fioc_run run = { .stop_fd = -1 };
	struct live lv = { 0 };
	unsigned status_s = 0, reply_ms = 0;
	bool headless = false;
	struct source *src = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--client=", 9)) {
			if (add_client_arg(&hs, &n, a + 9))
				goto out;
		} else if (!strncmp(a, "--output-format=", 16)) {
			want_json = strstr(a + 16, "json") != NULL;
			want_normal = strstr(a + 16, "normal") != NULL;
		} else if (!strncmp(a, "--output=", 9)) {
			output = a + 9;
		} else if (!strncmp(a, "--status-interval=", 18)) {
			char *end;
			unsigned long v = strtoul(a + 18, &end, 10);

			if (!strcmp(end, "s"))
				end++;
			if (*end || !v || v > 3600) {
				fprintf(stderr, "iolab: %s: whole seconds, 1 to 3600 (fio's server "
					"counts its status interval in seconds)\n", a);
				goto out;
			}
			status_s = (unsigned)v;
		} else if (!strncmp(a, "--client-timeout=", 17)) {
			char *end;
			unsigned long v = strtoul(a + 17, &end, 10);

			if (!strcmp(end, "s"))
				end++;
			if (*end || !v || v > 3600) {
				fprintf(stderr, "iolab: %s: whole seconds, 1 to 3600 (how long a "
					"host asked for its status may stay silent)\n", a);
				goto out;
			}
			reply_ms = (unsigned)v * 1000;
		} else if (!strcmp(a, "--allow-exec")) {
			allow_exec = true;
		} else if (!strcmp(a, "--headless")) {
			headless = true;
		} else if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "iolab: %s: not an option of the client mode\n", a);
			usage(stderr);
			goto out;
		} else if (jobfile) {
			fprintf(stderr, "iolab: %s: one job file per run in client mode\n", a);
			goto out;
		} else
			jobfile = a;
	}
	if (!n || !jobfile) {
		fprintf(stderr, "iolab: %s\n", !n ? "--client: no host given"
			: "--client: no job file given (the job text is sent to every host)");
		usage(stderr);
		goto out;
	}
	if ((rc = read_file(jobfile, &job, &job_len))) {
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
	if (output && !(out = fopen(output, "w"))) {
		fprintf(stderr, "iolab: --output=%s: %s\n", output, strerror(errno));
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
		if (jobfile_load(&l, jobfile, lerr, sizeof(lerr))) {
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

	all = calloc(1, sizeof(*all));
	if (!all)
		goto out;
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < hs[i].nts; k++)
			fiop_ts_sum(all, &hs[i].ts[k]);
	if (all->members) {
		snprintf(all->name, sizeof(all->name), "All clients");
		all->latency_depth = 0; /* a per-job finding; a sum has none */
	}

	if (want_normal) {
		for (int i = 0; i < n; i++) {
			struct fioc_host *h = &hs[i];
			char who[320];

			if (h->have_probe)
				fprintf(out, "hostname=%s, be=%u, %u-bit, os=%s, arch=%s, fio=%s, "
					"flags=%" PRIu64 "\n", h->probe.hostname, h->probe.bigendian,
					h->probe.bpp * 8, fiop_os_name(h->probe.os),
					fiop_arch_name(h->probe.arch), h->probe.fio_version,
					h->probe.flags);
			snprintf(who, sizeof(who), "<%s> ", h->label);
			for (size_t k = 0; k < h->nts; k++)
				print_ts(out, who, &h->ts[k]);
		}
		if (all->members > 1) {
			fprintf(out, "\n");
			print_ts(out, "", all);
			print_cluster(out, hs, n, all);
		}
	}
	if (want_json) {
		struct json j;
		time_t now = time(NULL);
		char tb[64];

		ctime_r(&now, tb);
		tb[strcspn(tb, "\n")] = '\0';
		json_init(&j, out);
		json_obj_open(&j, NULL);
		json_str(&j, "fio version", "fio-3.33");
		json_u64(&j, "timestamp", (uint64_t)now);
		json_str(&j, "time", tb);
		json_obj_open(&j, "global options");
		for (int i = 0; i < n; i++)      /* every host got the same job text */
			if (hs[i].nopts) {
				for (size_t k = 0; k < hs[i].nopts; k++)
					if (hs[i].opts[k].global)
						json_str(&j, hs[i].opts[k].name, hs[i].opts[k].value);
				break;
			}
		json_obj_close(&j);
		json_arr_open(&j, "client_stats");
		for (int i = 0; i < n; i++)
			for (size_t k = 0; k < hs[i].nts; k++)
				json_ts(&j, &hs[i].ts[k], &hs[i], &hs[i]);
		if (all->members > 1) {
			/* fio tags the aggregate with the last host that reported */
			const struct fioc_host *last = &hs[0];

			for (int i = 0; i < n; i++)
				if (hs[i].nts)
					last = &hs[i];
			json_ts(&j, all, last, NULL);
		}
		json_arr_close(&j);
		json_arr_open(&j, "disk_util");
		json_arr_close(&j);
		json_obj_close(&j);
		json_end(&j);
	}

	rc = 0;
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
	free(all);
	return rc;
}
