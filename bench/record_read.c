/* make bench: the recording readers' speed and memory. Writes a synthetic
 * recording of 8 jobs x 1 hour at 100 ms (288,000 tick lines, each with a
 * latency histogram of a dozen buckets a direction) into a scratch file
 * under $TMPDIR (removed after), then times:
 *  - the replay source (iolab --replay): from opening the file to its first
 *    frame (header read, the first second of every job in the store), and
 *    to the whole file loaded;
 *  - the lean reader alone (backend/recread, no sample store);
 *  - compare_load() (iolab --compare), the same reader summing figures;
 * and reports peak memory. Prints one line per figure. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "backend/compare.h"
#include "backend/recread.h"
#include "backend/source_replay.h"
#include "lib/json.h"

#define JOBS 8
#define TICKS 36000 /* 1 h at 100 ms */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of the process (every thread): what a loaded machine does
 * not inflate as it does the wall clock */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int main(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096], err[1024];
	struct cmp_run r;
	struct json j;
	double t0, t1;
	long rss0, rss1;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/iolab-bench-rec.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		fprintf(stderr, "record_read: %s: %s\n", path, strerror(errno));
		return 1;
	}
	json_init_line(&j, f);
	fprintf(f, "{\"type\":\"header\",\"format\":\"iolab-record\",\"version\":1,\"jobs\":[");
	for (int i = 0; i < JOBS; i++)
		fprintf(f, "%s{\"id\":%d,\"name\":\"j%d\",\"options\":\"rw=randrw\\n\"}", i ? "," : "",
			i, i);
	fprintf(f, "]}\n");
	for (uint64_t t = 0; t < TICKS; t++) {
		for (int i = 0; i < JOBS; i++) {
			json_obj_open(&j, NULL);
			json_str(&j, "type", "tick");
			json_u64(&j, "job", (uint64_t)i);
			json_u64(&j, "t0", t * 100000);
			json_u64(&j, "t1", (t + 1) * 100000);
			json_str(&j, "rs", "running");
			json_dbl(&j, "depth", 3.14159274);
			json_dbl(&j, "qd", 4);
			for (int d = 0; d < 2; d++) {
				json_obj_open(&j, d ? "write" : "read");
				json_dbl(&j, "iops", 2002.53918 + (double)t);
				json_dbl(&j, "bw", 8202400.5);
				json_u64(&j, "ios", 200);
				json_dbl(&j, "lat_mean", 443.774353);
				json_dbl(&j, "p50", 39000);
				json_dbl(&j, "p99", 989000);
				json_dbl(&j, "p999", 61458000);
				json_dbl(&j, "max", 61458000);
				json_arr_open(&j, "hist");
				for (unsigned b = 0; b < 12; b++) {
					json_u64(&j, NULL, 100 + 3 * b + (t + b) % 3);
					json_u64(&j, NULL, 10 + b);
				}
				json_arr_close(&j);
				json_obj_close(&j);
			}
			json_obj_close(&j);
			json_end(&j);
		}
	}
	if (fclose(f)) {
		fprintf(stderr, "record_read: %s: %s\n", path, strerror(errno));
		unlink(path);
		return 1;
	}
	rss0 = rss_kb();
	{
		struct source *src;
		struct sample smp;
		double tf = -1, c0 = cpu_s();
		int got;

		t0 = now_s();
		if (source_replay_new(path, &src, err, sizeof(err))) {
			fprintf(stderr, "record_read: %s\n", err);
			unlink(path);
			return 1;
		}
		/* the first frame: every job's first second is there to draw */
		for (;;) {
			got = 0;
			for (unsigned i = 0; i < JOBS; i++)
				got += samples_latest(source_samples(src), i, &smp) && smp.t_end >= 1000000;
			if (got == JOBS || source_replay_loaded(src))
				break;
			usleep(1000);
		}
		tf = now_s() - t0;
		source_replay_wait(src);
		t1 = now_s();
		printf("replay: %d jobs x %d ticks (%d lines): first frame after %.3f s, "
		       "all loaded in %.2f s (%.2f s CPU, %.0f lines/s), store %zu KiB, "
		       "peak RSS %ld KiB\n", JOBS, TICKS, JOBS * TICKS, tf, t1 - t0, cpu_s() - c0,
		       JOBS * TICKS / (t1 - t0),
		       samples_bytes(source_samples(src)) / 1024, rss_kb());
		source_free(src);
	}
	{
		struct recread *rr;
		struct rr_tick *tk = malloc(sizeof(*tk));
		struct jv v;
		unsigned n = 0;
		double c0 = cpu_s();

		t0 = now_s();
		if (!tk || recread_open(path, &rr, err, sizeof(err))) {
			fprintf(stderr, "record_read: %s\n", tk ? err : "out of memory");
			unlink(path);
			return 1;
		}
		while (recread_next(rr, tk, &v) != RR_END) {
			jv_free(&v);
			n++;
		}
		t1 = now_s();
		printf("lean reader alone: %u lines in %.2f s (%.2f s CPU, %.0f lines/s)\n", n,
		       t1 - t0, cpu_s() - c0, n / (t1 - t0));
		recread_close(rr);
		free(tk);
	}
	rss0 = rss_kb();
	t0 = now_s();
	if (compare_load(path, &r, err, sizeof(err))) {
		fprintf(stderr, "record_read: %s\n", err);
		unlink(path);
		return 1;
	}
	t1 = now_s();
	rss1 = rss_kb();
	printf("compare (same reader, figures summed): %d jobs x %d ticks (%d lines): %.2f s, %.0f lines/s, "
	       "peak RSS %ld KiB (%ld before reading)\n", JOBS, TICKS, JOBS * TICKS, t1 - t0,
	       JOBS * TICKS / (t1 - t0), rss1, rss0);
	compare_free(&r);
	unlink(path);
	return 0;
}
