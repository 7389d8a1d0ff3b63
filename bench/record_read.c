/* make bench: the recording reader's speed and memory. Writes a synthetic
 * recording of 8 jobs x 1 hour at 100 ms (288,000 tick lines) into a
 * scratch file under $TMPDIR (removed after), then times compare_load() on
 * it and reports its peak memory. Prints one line per figure. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "backend/compare.h"
#include "lib/json.h"

#define JOBS 8
#define TICKS 36000 /* 1 h at 100 ms */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
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
	t0 = now_s();
	if (compare_load(path, &r, err, sizeof(err))) {
		fprintf(stderr, "record_read: %s\n", err);
		unlink(path);
		return 1;
	}
	t1 = now_s();
	rss1 = rss_kb();
	printf("record reader: %d jobs x %d ticks (%d lines): %.2f s, %.0f lines/s, "
	       "peak RSS %ld KiB (%ld before reading)\n", JOBS, TICKS, JOBS * TICKS, t1 - t0,
	       JOBS * TICKS / (t1 - t0), rss1, rss0);
	compare_free(&r);
	unlink(path);
	return 0;
}
