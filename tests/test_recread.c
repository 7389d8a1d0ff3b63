/* backend/recread (the fast recording reader) and the replay source:
 * table-driven tick lines through the lean scanner, the scanner against the
 * full JSON parser on lines lib/json writes, and a fuzz loop of cut and
 * flipped recordings opened as replays: read up to a good line or refused
 * with file:line, never a crash. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include "backend/recread.h"
#include "backend/source_replay.h"
#include "lib/json.h"
#include "lib/jsonr.h"

struct scase {
	const char *line;
	int rc;
	uint32_t job;
	double riops;
	uint64_t rios;
	size_t nhist;
};

static const struct scase scases[] = {
	{ "{\"type\":\"tick\",\"job\":3,\"t0\":1,\"t1\":2,\"read\":{\"iops\":2002.5,\"ios\":195,"
	  "\"hist\":[3,5,7,190]}}", 1, 3, 2002.5, 195, 2 },
	/* keys in another order, blanks, unknown keys and values of every kind */
	{ " { \"job\" : 1 , \"x\":{\"y\":[1,{\"z\":null}],\"s\":\"a\\\"]}\"}, \"read\" : "
	  "{ \"ios\" : 7 , \"iops\" : 1e3 , \"new\":true}, \"type\" : \"tick\" } ", 1, 1, 1000, 7, 0 },
	{ "{\"type\":\"tick\",\"job\":0,\"read\":{\"iops\":-0.5e-1,\"ios\":0}}", 1, 0, -0.05, 0, 0 },
	{ "{\"type\":\"tick\",\"job\":0,\"read\":{\"hist\":\"no\"}}", 1, 0, 0, 0, 0 },
	{ "{\"type\":\"mark\",\"t\":5,\"job\":-1,\"text\":\"x\"}", 0, 0, 0, 0, 0 },
	{ "{\"type\":\"tick\"}", 0, 0, 0, 0, 0 },          /* no job: the full parser decides */
	{ "{\"type\":\"tick\",\"job\":-1}", 0, 0, 0, 0, 0 },
	{ "{\"type\":\"tick\",\"job\":0", -1, 0, 0, 0, 0 }, /* cut */
	{ "{\"type\":\"tick\",\"job\":0,}", -1, 0, 0, 0, 0 },
	{ "{\"type\":\"tick\",\"job\":01}", -1, 0, 0, 0, 0 },
	{ "{\"type\":\"tick\",\"job\":1.}", -1, 0, 0, 0, 0 },
	{ "{\"type\":\"tick\",\"job\":0} x", -1, 0, 0, 0, 0 },
	{ "{\"type\":\"ti\x01ck\",\"job\":0}", -1, 0, 0, 0, 0 },
	{ "[1,2]", -1, 0, 0, 0, 0 },
	{ "", -1, 0, 0, 0, 0 },
};

static struct rr_tick tk;

static void test_scan_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(scases) / sizeof(scases[0]); i++) {
		const struct scase *c = &scases[i];
		int rc = recread_scan_tick(c->line, strlen(c->line), &tk);

		if (rc != c->rc)
			fail_msg("case %zu (%s): %d, want %d", i, c->line, rc, c->rc);
		if (rc != 1)
			continue;
		assert_int_equal(tk.s.job, c->job);
		assert_true(tk.s.dir[0].iops > c->riops - 1e-3 && tk.s.dir[0].iops < c->riops + 1e-3);
		assert_int_equal(tk.s.dir[0].ios, c->rios);
		assert_int_equal(tk.nhist[0], c->nhist);
	}
	/* a line of nested arrays deeper than the reader goes: refused, no crash */
	{
		char deep[400];
		size_t n = (size_t)snprintf(deep, sizeof(deep), "{\"type\":\"tick\",\"job\":0,\"x\":");

		for (int k = 0; k < 200; k++)
			deep[n++] = '[';
		deep[n] = '\0';
		assert_int_equal(recread_scan_tick(deep, n, &tk), -1);
	}
}

/* What lib/json writes, the scanner reads as the full parser does. */
static void test_scan_agrees(void **state)
{
	unsigned seed = 99;

	(void)state;
	for (int it = 0; it < 2000; it++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		struct json j;
		struct jv v;
		char err[128];
		double vals[6];

		assert_non_null(m);
		for (int k = 0; k < 6; k++) {
			seed = seed * 1103515245u + 12345u;
			vals[k] = (double)(seed >> 4) / (double)(1u << (seed % 24)) * ((seed & 1) ? 1 : 1e-6);
		}
		json_init_line(&j, m);
		json_obj_open(&j, NULL);
		json_str(&j, "type", "tick");
		json_u64(&j, "job", (uint64_t)(it % 7));
		json_u64(&j, "t0", (uint64_t)seed * 13u);
		json_dbl(&j, "depth", vals[0]);
		json_obj_open(&j, "write");
		json_dbl(&j, "iops", vals[1]);
		json_dbl(&j, "bw", vals[2]);
		json_u64(&j, "ios", seed);
		json_dbl(&j, "p99", vals[3]);
		json_obj_close(&j);
		json_obj_close(&j);
		json_end(&j);
		fclose(m);
		assert_int_equal(recread_scan_tick(buf, len - 1, &tk), 1);
		assert_int_equal(jv_parse(buf, len, &v, err, sizeof(err)), 0);
		assert_int_equal(tk.s.job, (unsigned)jv_num(jv_get(&v, "job"), -1));
		assert_true(tk.s.t_start == (uint64_t)jv_num(jv_get(&v, "t0"), -1));
		assert_true(tk.s.depth == (float)jv_num(jv_get(&v, "depth"), -1));
		assert_true(tk.s.dir[1].iops == (float)jv_num(jv_get(jv_get(&v, "write"), "iops"), -1));
		assert_true(tk.s.dir[1].bw == (float)jv_num(jv_get(jv_get(&v, "write"), "bw"), -1));
		assert_true(tk.s.dir[1].lat_p99 == (float)jv_num(jv_get(jv_get(&v, "write"), "p99"), -1));
		assert_int_equal(tk.s.dir[1].ios, seed);
		jv_free(&v);
		free(buf);
	}
}

static const char rec_text[] =
	"{\"type\":\"header\",\"format\":\"iolab-record\",\"version\":1,\"host\":{\"hostname\":\"h1\"},"
	"\"start\":{\"local\":\"2026-01-02T03:04:05+0000\"},\"jobs\":[{\"id\":0,\"name\":\"a\","
	"\"options\":\"rw=read\\nioengine=null\\nnumjobs=2\\n\"},{\"id\":1,\"name\":\"a\"}]}\n"
	"{\"type\":\"runstate\",\"t\":10,\"job\":0,\"from\":\"not created\",\"to\":\"running\"}\n"
	"{\"type\":\"tick\",\"job\":0,\"t0\":0,\"t1\":100000,\"rs\":\"running\",\"read\":"
	"{\"iops\":200,\"bw\":819200,\"ios\":20,\"p99\":2000,\"hist\":[100,20]}}\n"
	"{\"type\":\"mark\",\"t\":150000,\"job\":-1,\"njobs\":2,\"text\":\"iodepth 1->2\"}\n"
	"{\"type\":\"tick\",\"job\":1,\"t0\":0,\"t1\":100000,\"rs\":\"running\",\"read\":"
	"{\"iops\":100,\"bw\":409600,\"ios\":10,\"p99\":1000,\"hist\":[90,10]}}\n"
	"{\"type\":\"error\",\"t\":190000,\"job\":1,\"errno\":5,\"msg\":\"read: EIO\"}\n"
	"{\"type\":\"tick\",\"job\":0,\"t0\":100000,\"t1\":200000,\"rs\":\"running\",\"read\":"
	"{\"iops\":200,\"bw\":819200,\"ios\":20,\"p99\":2000,\"hist\":[100,20]}}\n";

/* The replay source on a small recording without a trailer: the jobs, the
 * samples with their histograms, the mark, the error, and the note. */
static void test_replay_source(void **state)
{
	char *path = scratch_file_with("recread", rec_text, strlen(rec_text));
	struct source *s;
	struct source_status st;
	struct sample_mark mk;
	uint64_t heat[SAMPLES_HEAT_NR] = { 0 };
	char err[512], title[256];

	(void)state;
	assert_non_null(path);
	assert_int_equal(source_replay_new(path, &s, err, sizeof(err)), 0);
	source_replay_wait(s);
	assert_true(source_replay_loaded(s));
	assert_false(source_can(s, SRC_CAP_START) || source_can(s, SRC_CAP_KNOBS) ||
		     source_can(s, SRC_CAP_STOP) || source_can(s, SRC_CAP_LIVE));
	assert_int_equal(source_njobs(s), 2);
	assert_int_equal(source_status(s, 1, &st), 0);
	assert_int_equal(st.error, 5);
	assert_string_equal(st.errmsg, "read: EIO");
	assert_int_equal(st.nclones, 2);
	assert_int_equal(source_status(s, 0, &st), 0);
	assert_int_equal(st.runstate, RS_EXITED); /* cut short: ended at its last line */
	assert_string_equal(st.host, "h1");
	assert_non_null(source_opts(s, 0));
	assert_int_equal(source_opts(s, 0)->rw, RW_READ);
	assert_non_null(strstr(source_replay_note(s), "without its trailer"));
	assert_int_equal(source_title(s, title, sizeof(title)), 0);
	assert_string_equal(title, "replay of h1, 2026-01-02 03:04 (cut short)");
	assert_int_equal(samples_seq(source_samples(s)), 3);
	assert_int_equal(samples_heat(source_samples(s), 0, 0, UINT64_MAX, 1, heat), 2);
	assert_int_equal(heat[100], 40);
	assert_int_equal(samples_marks(source_samples(s), 0, UINT64_MAX, &mk, 1), 1);
	assert_string_equal(mk.text, "iodepth 1->2");
	assert_int_equal(source_start(s), -ENOTSUP);
	source_free(s);
	unlink(path);
	free(path);
}

/* Cut anywhere, bytes flipped anywhere: opened up to a good line or
 * refused with file:line, never a crash (check-asan for the rest). */
static void test_fuzz(void **state)
{
	size_t n = strlen(rec_text);
	char *buf = malloc(n + 1);
	unsigned seed = 777;

	(void)state;
	assert_non_null(buf);
	for (int it = 0; it < 1500; it++) {
		size_t len;
		char *path, err[1024] = "";
		struct source *s;

		len = fuzz_mutate(buf, rec_text, n, it, &seed);
		path = scratch_file_with("recread", buf, len);
		assert_non_null(path);
		if (source_replay_new(path, &s, err, sizeof(err))) {
			assert_non_null(strstr(err, path));
		} else {
			source_replay_wait(s);
			for (unsigned i = 0; i < source_njobs(s); i++) {
				struct source_status st;
				struct job_stats *js = malloc(sizeof(*js));

				assert_int_equal(source_status(s, i, &st), 0);
				source_stats(s, i, js);
				free(js);
			}
			source_free(s);
		}
		unlink(path);
		free(path);
	}
	free(buf);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* fio's logs as the viewer reads them: averaged (log_avg_msec=100: each
 * line closes a window) and per I/O (1 s windows summed), two jobs. */
static void test_fio_logs(void **state)
{
	char dir[256], path[512], err[512];
	const char *tmp = getenv("TEST_TMP");
	struct source *s;
	struct sample smp[4];
	size_t n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/fiologs.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	write_file(dir, "a_bw.1.log", "100, 8000, 0, 0, 0\n200, 8200, 0, 0, 0\n300, 8000, 0, 0, 0\n");
	write_file(dir, "a_iops.1.log", "100, 2000, 0, 0, 0\n200, 2050, 0, 0, 0\n300, 2000, 0, 0, 0\n");
	write_file(dir, "a_clat.1.log", "100, 5000, 0, 0, 0\n200, 7000, 0, 0, 0\n300, 5000, 0, 0, 0\n");
	write_file(dir, "a_bw.2.log", "0, 4000, 1, 4096, 0\n10, 4000, 1, 4096, 0\n1500, 4000, 1, 8192, 0\n");
	write_file(dir, "a_clat.2.log", "0, 1000, 1, 4096, 0\n10, 3000, 1, 4096, 0\n1500, 9000, 1, 8192, 0\n");
	snprintf(path, sizeof(path), "%s/a_bw.1.log", dir);
	assert_int_equal(source_replay_new(path, &s, err, sizeof(err)), 0);
	source_replay_wait(s);
	assert_int_equal(source_njobs(s), 2);
	assert_string_equal(source_replay_note(s), "");
	n = samples_range(source_samples(s), 0, 0, UINT64_MAX, smp, 4);
	assert_int_equal(n, 3);
	assert_true(smp[1].t_start == 100000 && smp[1].t_end == 200000);
	assert_true(smp[1].dir[0].iops > 2049.9 && smp[1].dir[0].iops < 2050.1);
	assert_true(smp[1].dir[0].bw > 8200 * 1024 - 1 && smp[1].dir[0].bw < 8200 * 1024 + 1);
	assert_true(smp[1].dir[0].lat_mean > 6999 && smp[1].dir[0].lat_mean < 7001);
	/* the p99 is the middle of 7000's heat bucket: within 1/16 of it */
	assert_true(smp[1].dir[0].lat_p99 > 7000 * 15 / 16 && smp[1].dir[0].lat_p99 < 7000 * 17 / 16);
	n = samples_range(source_samples(s), 1, 0, UINT64_MAX, smp, 4);
	/* per-I/O lines, a run of 1.5 s: 100 ms windows, two of them hit */
	assert_int_equal(n, 2);
	assert_int_equal(smp[0].dir[1].ios, 2);
	assert_true(smp[0].dir[1].iops > 19.9 && smp[0].dir[1].iops < 20.1);
	assert_true(smp[0].dir[1].bw > 81919 && smp[0].dir[1].bw < 81921);
	assert_true(smp[1].t_start == 1500000 && smp[1].dir[1].lat_max > 8999);
	source_free(s);

	/* a damaged line: named, what came before kept */
	write_file(dir, "b_iops.1.log", "100, 10, 0, 0, 0\n200, x, 0, 0, 0\n");
	snprintf(path, sizeof(path), "%s/b_iops.1.log", dir);
	assert_int_equal(source_replay_new(path, &s, err, sizeof(err)), 0);
	source_replay_wait(s);
	assert_non_null(strstr(source_replay_note(s), "b_iops.1.log:2: not a fio log line"));
	source_free(s);
	snprintf(path, sizeof(path), "%s/nothing_iops.1.log", dir);
	assert_int_not_equal(source_replay_new(path, &s, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "No such file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_cases),
		cmocka_unit_test(test_scan_agrees),
		cmocka_unit_test(test_replay_source),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_fio_logs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
