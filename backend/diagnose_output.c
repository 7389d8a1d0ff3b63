/* Diagnose, the output: a record and its findings as text for a person,
 * as JSON for tools, and the report saved to take home. See diagnose.h. */
#include "diagnose.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../lib/hist.h"
#include "../lib/json.h"
#include "../lib/outfile.h"
#include "../lib/units.h"
#include "diagnose_int.h"
#include "options.h"

/* ---- output ---- */

static const char *status_name(enum diag_status st)
{
	switch (st) {
	case DIAG_DONE:
		return "done";
	case DIAG_STOPPED:
		return "stopped";
	case DIAG_SKIPPED:
		return "skipped";
	case DIAG_FAILED:
		return "failed";
	default:
		return "not run";
	}
}

/* Print @text wrapped at @width columns, every line indented by @indent,
 * the first line after @lead (which is at most @indent columns). */
static void print_wrapped(FILE *f, const char *lead, int indent, int width, const char *text)
{
	const char *p = text;
	int col = fprintf(f, "%*s%s", indent - (int)strlen(lead), "", lead);

	while (*p) {
		const char *w = p;
		int wl;

		while (*w == ' ')
			w++;
		if (!*w)
			break;
		wl = (int)strcspn(w, " ");
		if (col > indent && col + 1 + wl > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(w, 1, (size_t)wl, f);
		col += wl;
		p = w + wl;
	}
	fputc('\n', f);
}

void diagnose_print_text(FILE *f, const struct diagnose_result *r)
{
	char a[24], b[24], c[24], d[24], e[24], x[16], sz[32];

	fmt_size(sz, sizeof(sz), r->size, 1024);
	fprintf(f, "iolab diagnose: %s\n", r->target);
	fprintf(f, "  target: %s, %s", !strcmp(r->kind, "device") ? "block device" :
		!strcmp(r->kind, "scratch") ? "scratch file (created for this run)" :
		"existing file", sz);
	if (r->device[0])
		fprintf(f, ", on device %s", r->device);
	fprintf(f, "\n");
	if (r->device[0]) {
		fprintf(f, "  device: %s, firmware %s, %s", r->model[0] ? r->model : "model unknown",
			r->firmware[0] ? r->firmware : "unknown",
			r->rotational == 1 ? "rotational" : r->rotational == 0 ? "non-rotational" :
			"rotational unknown");
		fprintf(f, "\n  queue: scheduler %s, nr_requests ", r->scheduler[0] ? r->scheduler : "-");
		if (r->nr_requests >= 0)
			fprintf(f, "%d", r->nr_requests);
		else
			fprintf(f, "-");
		fprintf(f, ", write cache %s\n", r->write_cache[0] ? r->write_cache : "-");
	}
	fprintf(f, "  run: %s on %s, kernel %s, iolab %s\n", r->when[0] ? r->when : "-",
		r->host[0] ? r->host : "-", r->kernel[0] ? r->kernel : "-",
		r->version[0] ? r->version : "-");
	fprintf(f, "  each step %g s, engine %s, %s\n", r->runtime_s, r->ioengine,
		r->direct ? "O_DIRECT (page cache bypassed)" : "buffered (no O_DIRECT)");
	if (r->dev_stats)
		fprintf(f, "  util/await are for the whole device, other users' I/O included\n");
	fprintf(f, "  latencies are fio's lat: from submission to completion\n");
	fprintf(f, "\n  %-17s %7s %11s %9s %9s %9s %9s %5s\n", "step", "IOPS", "bandwidth",
		"lat p50", "lat p99", "lat p99.9", "lat max", "util");
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];

		if (!diag_step_ok(s)) {
			if (s->status == DIAG_SKIPPED && s->writes)
				fprintf(f, "  %-17s skipped: writes not allowed (see findings)\n",
					s->name);
			else
				fprintf(f, "  %-17s %s%s%s\n", s->name, status_name(s->status),
					s->note[0] ? ": " : "", s->note);
			continue;
		}
		fprintf(f, "  %-17s %7s %11s %9s %9s %9s %9s ", s->name,
			diag_fmt_iops(x, sizeof(x), s->iops), diag_fmt_bw(a, sizeof(a), s->bw_bytes),
			diag_fmt_us(b, sizeof(b), s->lat_p50_us), diag_fmt_us(c, sizeof(c), s->lat_p99_us),
			diag_fmt_us(d, sizeof(d), s->lat_p999_us), diag_fmt_us(e, sizeof(e), s->lat_max_us));
		if (s->util >= 0)
			fprintf(f, "%4.0f%%", s->util);
		else
			fprintf(f, "%5s", "-");
		if (s->status == DIAG_STOPPED)
			fprintf(f, "  (stopped after %.1f s)", s->runtime_s);
		fputc('\n', f);
	}
	{
		const struct diagnose_step *s = &r->steps[DIAG_SYNCWRITE_4K];

		if (diag_step_ok(s) && s->syncs)
			fprintf(f, "  %-17s %sfdatasync: mean %s, max %s over %llu calls\n", "",
				s->commits ? "latencies are commits (write + fdatasync); " : "",
				diag_fmt_us(a, sizeof(a), s->sync_mean_us),
				diag_fmt_us(b, sizeof(b), s->sync_max_us), (unsigned long long)s->syncs);
	}
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];

		if (s->errors)
			fprintf(f, "  %-17s %llu I/O errors (%s)\n", s->name,
				(unsigned long long)s->errors,
				s->first_errno ? strerror(s->first_errno) : "error");
	}
	fprintf(f, "\nFindings:\n");
	for (unsigned i = 0; i < r->nr_findings; i++) {
		const struct diagnose_finding *fd = &r->findings[i];

		print_wrapped(f, fd->severity == DIAG_ALERT ? "!! " :
			      fd->severity == DIAG_WARN ? "! " : "- ", 5, 79, fd->text);
	}
	if (!r->nr_findings)
		fprintf(f, "  (none: no step completed)\n");
}

static void json_findings(struct json *j, const char *key, const struct diagnose_result *r,
			  const struct diagnose_finding *v, unsigned n)
{
	json_arr_open(j, key);
	for (unsigned i = 0; i < n; i++) {
		json_obj_open(j, NULL);
		json_str(j, "code", v[i].code);
		json_str(j, "severity", diag_severity_name(v[i].severity));
		json_str(j, "step", v[i].step >= 0 && v[i].step < DIAG_STEP_NR ?
			 r->steps[v[i].step].name : "");
		json_str(j, "text", v[i].text);
		json_obj_open(j, "figures");
		for (unsigned k = 0; k < v[i].nr_fig; k++)
			json_dbl(j, v[i].fig[k].name, v[i].fig[k].value);
		json_obj_close(j);
		json_arr_open(j, "intervals");
		for (unsigned k = 0; k < v[i].nr_when; k++) {
			const struct diagnose_when *w = &v[i].when[k];

			json_obj_open(j, NULL);
			json_str(j, "step", w->step >= 0 && w->step < DIAG_STEP_NR ?
				 r->steps[w->step].name : "");
			json_dbl(j, "t_s", w->t_s);
			json_dbl(j, "dur_s", w->dur_s);
			json_dbl(j, "slow_ios", w->slow);
			json_dbl(j, "ios", w->ios);
			json_obj_close(j);
		}
		json_arr_close(j);
		json_obj_close(j);
	}
	json_arr_close(j);
}

void diagnose_print_json(FILE *f, const struct diagnose_result *r)
{
	struct json j;

	json_init(&j, f);
	json_obj_open(&j, NULL);
	json_obj_open(&j, "diagnosis");
	json_str(&j, "target", r->target);
	json_str(&j, "kind", r->kind);
	json_str(&j, "device", r->device);
	json_u64(&j, "size", r->size);
	json_dbl(&j, "runtime_s", r->runtime_s);
	json_str(&j, "ioengine", r->ioengine);
	json_bool(&j, "direct", r->direct);
	json_bool(&j, "device_stats", r->dev_stats);
	json_bool(&j, "interrupted", r->interrupted);
	json_str(&j, "write_block", r->write_block);
	json_str(&j, "time", r->when);
	json_str(&j, "host", r->host);
	json_str(&j, "kernel", r->kernel);
	json_str(&j, "iolab_version", r->version);
	json_obj_open(&j, "device_info");
	json_str(&j, "name", r->device);
	json_str(&j, "model", r->model);
	json_str(&j, "firmware", r->firmware);
	json_str(&j, "scheduler", r->scheduler);
	json_i64(&j, "nr_requests", r->nr_requests);
	json_str(&j, "write_cache", r->write_cache);
	json_i64(&j, "rotational", r->rotational);
	json_obj_close(&j);
	json_arr_open(&j, "steps");
	for (unsigned i = 0; i < DIAG_STEP_NR; i++) {
		const struct diagnose_step *s = &r->steps[i];

		json_obj_open(&j, NULL);
		json_str(&j, "name", s->name);
		json_str(&j, "title", s->title);
		json_str(&j, "status", status_name(s->status));
		json_str(&j, "note", s->note);
		json_str(&j, "rw", s->rw);
		json_u64(&j, "bs", s->bs);
		json_u64(&j, "iodepth", s->iodepth);
		json_bool(&j, "direct", s->direct);
		json_bool(&j, "fdatasync", s->fdatasync);
		json_dbl(&j, "runtime_s", s->runtime_s);
		json_dbl(&j, "iops", s->iops);
		json_dbl(&j, "read_iops", s->read_iops);
		json_dbl(&j, "write_iops", s->write_iops);
		json_u64(&j, "bw_bytes", (uint64_t)llround(s->bw_bytes));
		json_bool(&j, "commits", s->commits);
		json_u64(&j, "ios", s->ios);
		json_dbl(&j, "lat_mean_us", s->lat_mean_us);
		json_dbl(&j, "lat_min_us", s->lat_min_us);
		json_dbl(&j, "lat_p50_us", s->lat_p50_us);
		json_dbl(&j, "lat_p99_us", s->lat_p99_us);
		json_dbl(&j, "lat_p999_us", s->lat_p999_us);
		json_dbl(&j, "lat_max_us", s->lat_max_us);
		json_u64(&j, "syncs", s->syncs);
		json_dbl(&j, "sync_mean_us", s->sync_mean_us);
		json_dbl(&j, "sync_max_us", s->sync_max_us);
		json_dbl(&j, "depth", s->depth);
		json_dbl(&j, "util", s->util);
		json_dbl(&j, "await_ms", s->await_ms);
		json_dbl(&j, "dev_iops", s->dev_iops);
		json_dbl(&j, "dev_bw_bytes", s->dev_bw);
		json_dbl(&j, "dev_depth", s->dev_depth);
		json_u64(&j, "errors", s->errors);
		json_arr_open(&j, "error_offsets");
		for (unsigned k = 0; k < s->nr_err_off; k++)
			json_u64(&j, NULL, s->err_off[k]);
		json_arr_close(&j);
		/* per interval: t_s, dur_s, ios, p50, p99, p99.9, max (us), util */
		json_arr_open(&j, "points");
		for (unsigned k = 0; k < s->nr_points; k++) {
			const struct diagnose_point *p = &s->points[k];

			json_arr_open(&j, NULL);
			json_dbl(&j, NULL, p->t_s);
			json_dbl(&j, NULL, p->dur_s);
			json_dbl(&j, NULL, p->ios);
			json_dbl(&j, NULL, p->lat_p50_us);
			json_dbl(&j, NULL, p->lat_p99_us);
			json_dbl(&j, NULL, p->lat_p999_us);
			json_dbl(&j, NULL, p->lat_max_us);
			json_dbl(&j, NULL, p->util);
			json_arr_close(&j);
		}
		json_arr_close(&j);
		/* per interval (as points): [k, n_k, n_k+1, ...], the I/Os per
		 * latency bin from its first populated bin k to its last; [] none */
		json_arr_open(&j, "heat");
		for (unsigned k = 0; k < s->nr_points; k++) {
			const uint32_t *h = s->points[k].heat;
			unsigned lo = 0, hi = DIAG_LAT_BINS;

			while (lo < hi && !h[lo])
				lo++;
			while (hi > lo && !h[hi - 1])
				hi--;
			json_arr_open(&j, NULL);
			if (lo < hi)
				json_u64(&j, NULL, lo);
			for (unsigned b = lo; b < hi; b++)
				json_u64(&j, NULL, h[b]);
			json_arr_close(&j);
		}
		json_arr_close(&j);
		json_arr_open(&j, "lat_bins");
		for (unsigned k = 0; k < DIAG_LAT_BINS; k++)
			json_dbl(&j, NULL, s->lat_bins[k]);
		json_arr_close(&j);
		json_arr_open(&j, "spikes_s");
		for (unsigned k = 0; k < s->nr_spikes; k++)
			json_dbl(&j, NULL, s->spike_t[k]);
		json_arr_close(&j);
		json_findings(&j, "findings", r, s->findings, s->nr_findings);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_findings(&j, "findings", r, r->findings, r->nr_findings);
	json_obj_close(&j);
	json_obj_close(&j);
	json_end(&j);
}

/* ---- the report to take home ---- */

/* Write @r (text or @json) to @path through lib/outfile's atomic
 * replacement: the project's refusals (a device, a planted symlink), and a
 * complete file or none. Mode 0600: the report names the host, its kernel
 * and its disks. Returns 0 or -errno with @err. */
static int save_one(const char *path, const struct diagnose_result *r, bool json, char *err,
		    size_t errlen)
{
	struct outfile_atomic a;
	int ret = outfile_atomic_begin(&a, path, 0, NULL, err, errlen);

	if (ret)
		return ret;
	a.mode = 0600;
	if (json)
		diagnose_print_json(a.f, r);
	else
		diagnose_print_text(a.f, r);
	return outfile_atomic_commit(&a, err, errlen);
}

int diagnose_save(const struct diagnose_result *r, const char *dir, char *path, size_t pathlen,
		  char *err, size_t errlen)
{
	char host[64] = "", stamp[32] = "unknown-time", base[4200], jpath[4300];
	time_t t = r->when_s ? (time_t)r->when_s : time(NULL);
	struct tm tm;
	bool found = false;
	size_t h = 0;

	/* the host as a file name: letters, digits, '.', '-', '_' */
	for (const char *p = r->host; *p && h + 1 < sizeof(host); p++)
		host[h++] = (isalnum((unsigned char)*p) || strchr("._-", *p)) ? *p : '_';
	host[h] = '\0';
	if (!h)
		snprintf(host, sizeof(host), "unknown-host");
	if (localtime_r(&t, &tm))
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int n = 1; n <= 9 && !found; n++) {
		char suffix[8] = "";
		struct stat st;

		if (n > 1)
			snprintf(suffix, sizeof(suffix), "-%d", n);
		snprintf(base, sizeof(base), "%s/iolab-diagnose-%s-%s%s", dir && *dir ? dir : ".",
			 host, stamp, suffix);
		snprintf(path, pathlen, "%s.txt", base);
		snprintf(jpath, sizeof(jpath), "%s.json", base);
		/* a name neither half of which exists: never over an older report */
		found = lstat(path, &st) && errno == ENOENT && lstat(jpath, &st) && errno == ENOENT;
	}
	if (!found) {
		snprintf(err, errlen, "%s: nine reports of this second exist already (remove some)",
			 path);
		return -1;
	}
	if (save_one(path, r, false, err, errlen))
		return -1;
	if (save_one(jpath, r, true, err, errlen)) {
		unlink(path);
		return -1;
	}
	return 0;
}

const char *diagnose_step_line(char *buf, size_t len, const struct diagnose_step *s)
{
	char a[24], b[24], x[16];

	if (s->status == DIAG_FAILED)
		snprintf(buf, len, "failed: %s", s->note);
	else
		snprintf(buf, len, "%s IOPS, %s, p99 %s", diag_fmt_iops(x, sizeof(x), s->iops),
			 diag_fmt_bw(a, sizeof(a), s->bw_bytes),
			 diag_fmt_us(b, sizeof(b), s->lat_p99_us));
	return buf;
}
