/* fio's client-mode output: see fioreport.h. */
#include "backend/fioreport.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/options.h"
#include "lib/json.h"
#include "lib/outfile.h"

static const double default_pcts[] = {
	1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99,
};
#define NDEF (sizeof(default_pcts) / sizeof(default_pcts[0]))

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

void fioreport_ts(FILE *f, const char *who, const struct fiop_ts *ts)
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
			ddir_name(d), iops, (double)bw / 1024.0, (double)bw / 1000.0,
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
static void print_cluster(FILE *f, const struct fioc_host *hs, int n, const struct fiop_ts *all)
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
			fprintf(f, "  %-5s p%-5g %10.1f | %10.1f\n", ddir_name(d), want[w],
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

		json_obj_open(j, ddir_name(d));
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

int fioreport_write(FILE *f, const struct fioc_host *hs, int n, unsigned formats)
{
	struct fiop_ts *all;

	all = calloc(1, sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		for (size_t k = 0; k < hs[i].nts; k++)
			fiop_ts_sum(all, &hs[i].ts[k]);
	if (all->members) {
		snprintf(all->name, sizeof(all->name), "All clients");
		all->latency_depth = 0; /* a per-job finding; a sum has none */
	}

	if ((formats & FIOREP_NORMAL)) {
		for (int i = 0; i < n; i++) {
			const struct fioc_host *h = &hs[i];
			char who[320];

			if (h->have_probe)
				fprintf(f, "hostname=%s, be=%u, %u-bit, os=%s, arch=%s, fio=%s, "
					"flags=%" PRIu64 "\n", h->probe.hostname, h->probe.bigendian,
					h->probe.bpp * 8, fiop_os_name(h->probe.os),
					fiop_arch_name(h->probe.arch), h->probe.fio_version,
					h->probe.flags);
			snprintf(who, sizeof(who), "<%s> ", h->label);
			for (size_t k = 0; k < h->nts; k++)
				fioreport_ts(f, who, &h->ts[k]);
		}
		if (all->members > 1) {
			fprintf(f, "\n");
			fioreport_ts(f, "", all);
			print_cluster(f, hs, n, all);
		}
	}
	if ((formats & FIOREP_JSON)) {
		struct json j;
		time_t now = time(NULL);
		char tb[64];

		ctime_r(&now, tb);
		tb[strcspn(tb, "\n")] = '\0';
		json_init(&j, f);
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

	free(all);
	return 0;
}

/* The file name for log @name of host @h: its last path component, or
 * NULL for one that names nothing ("", ".", ".."). */
static const char *log_base(const char *name)
{
	const char *b = strrchr(name, '/');

	b = b ? b + 1 : name;
	if (!*b || !strcmp(b, ".") || !strcmp(b, ".."))
		return NULL;
	return b;
}

static int write_log(const struct fioc_host *h, bool dup_host, const struct fioc_log *lg,
		     FILE *note)
{
	struct fiop_iolog l;
	char err[400], path[600];
	const char *base;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int ret = fiop_iolog_decode(lg->pdu, lg->len, &l, err, sizeof(err));

	if (ret)   /* the client kept only logs that decoded */
		return ret;
	base = log_base(l.name);
	if (!base) {
		fprintf(note, "iolab: <%s> a log named '%s': no file name in it, not written\n",
			h->label, l.name);
		return -EINVAL;
	}
	if (dup_host)
		snprintf(path, sizeof(path), "%s.%s,%u", base, h->host, h->port);
	else
		snprintf(path, sizeof(path), "%s.%s", base, h->host);
	m = open_memstream(&buf, &len);
	if (!m)
		return -ENOMEM;
	for (uint64_t i = 0; i < l.nr_samples; i++) {
		struct fiop_sample smp;

		fiop_iolog_sample(&l, (size_t)i, &smp);
		if (smp.has_offset)
			fprintf(m, "%" PRIu64 ", %" PRIu64 ", %u, %" PRIu64 ", %" PRIu64 ", %u\n",
				smp.time, smp.value, smp.ddir, smp.bs, smp.offset, smp.prio);
		else
			fprintf(m, "%" PRIu64 ", %" PRIu64 ", %u, %" PRIu64 ", %u\n", smp.time,
				smp.value, smp.ddir, smp.bs, smp.prio);
	}
	if (fclose(m)) {
		free(buf);
		return -ENOMEM;
	}
	ret = outfile_replace(path, 0, buf, len, path, err, sizeof(err));
	free(buf);
	if (ret)
		fprintf(note, "iolab: <%s> log %s not written: %s\n", h->label, l.name, err);
	else
		fprintf(note, "<%s> log %s: %s (%" PRIu64 " samples)\n", h->label, l.name, path,
			l.nr_samples);
	return ret;
}

int fioreport_logs(const struct fioc_host *hs, int n, FILE *note)
{
	int failed = 0;

	for (int i = 0; i < n; i++) {
		bool dup = false;

		for (int k = 0; k < n; k++)
			dup |= k != i && !strcmp(hs[k].host, hs[i].host);
		for (size_t k = 0; k < hs[i].nlogs; k++)
			failed += write_log(&hs[i], dup, &hs[i].logs[k], note) != 0;
	}
	return failed;
}
