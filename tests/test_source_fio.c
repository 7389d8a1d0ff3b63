/* backend/source_fio: the fio-server source kind against a real
 * `fio --server` on 127.0.0.1 (skips without fio): jobs appear with their
 * host (listed before the run), samples come every second with IOPS within 5% of rate_iops, and
 * every job ends exited; its state and progress only move forward (the
 * servers' ETA letters, not a guess). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/jobfile.h"
#include "backend/samples.h"
#include "backend/stats.h"
#include "backend/source_fio.h"
#include "lib/clock.h"

static const char job[] =
	"[global]\nioengine=null\nsize=64m\ntime_based\nruntime=3\n"
	"[r1]\nrw=randread\nrate_iops=500\n[w1]\nrw=randwrite\nrate_iops=200\n";

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &l);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int can_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

static void test_fio_server_kind(void **state)
{
	char arg[64], spec[64], err[200];
	struct fioc_host *h = calloc(1, sizeof(*h));
	struct source *src;
	struct sample smp[16];
	int port = free_port(), good = 0;
	pid_t pid;

	if (system("command -v fio >/dev/null 2>&1") != 0) {
		printf("skip: fio is not installed\n");
		free(h);
		skip();
	}
	snprintf(arg, sizeof(arg), "--server=ip:127.0.0.1,%d", port);
	pid = fork();
	if (pid == 0) {
		setsid();
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execlp("fio", "fio", arg, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 50 && !can_connect(port); i++)
		usleep(100000);
	snprintf(spec, sizeof(spec), "127.0.0.1,%d", port);
	assert_int_equal(fioc_host_parse(h, spec, err, sizeof(err)), 0);
	struct job_list l;
	struct source_status st0;

	job_list_init(&l);
	assert_int_equal(jobfile_load_text(&l, "job", job, err, sizeof(err)), 0);
	assert_int_equal(source_fio_new(h, 1, job, strlen(job), &l, 1, &src), 0);
	/* with the list, the jobs are there before the run */
	assert_int_equal(source_njobs(src), 2);
	assert_int_equal(source_status(src, 1, &st0), 0);
	assert_string_equal(st0.name, "w1");
	assert_int_equal(st0.runstate, RS_NOT_CREATED);
	assert_string_equal(source_kind(src), "fio-server");
	assert_false(source_can(src, SRC_CAP_KNOBS));
	assert_int_equal(source_start(src), 0);
	{
		/* the bug seen: "created" at 100%, then "running" at "-", then
		 * back: a job not started is 0 done, a started one never goes
		 * back in state or progress */
		uint64_t end = clock_now_ns() + 60 * NS_PER_SEC;
		double last_done[2] = { 0, 0 };
		int last_rs[2] = { RS_NOT_CREATED, RS_NOT_CREATED }, seen_mid = 0;

		while (source_running(src) && clock_now_ns() < end) {
			struct pollfd p = { .fd = source_wake_fd(src), .events = POLLIN };

			poll(&p, 1, 200);
			source_drain_wake(src);
			for (unsigned id = 0; id < 2; id++) {
				struct source_status st;

				assert_int_equal(source_status(src, id, &st), 0);
				assert_true((int)st.runstate >= last_rs[id]);
				if (st.runstate < RS_RAMP)
					assert_true(st.done <= 0);
				if (st.done >= 0) {
					assert_true(st.done + 1e-9 >= last_done[id]);
					last_done[id] = st.done;
				}
				if (st.runstate == RS_RUNNING && st.done > 0 && st.done < 1)
					seen_mid++;
				last_rs[id] = (int)st.runstate;
			}
		}
		assert_true(seen_mid > 0);
	}
	assert_int_equal(source_reap(src), 0);
	assert_int_equal(source_njobs(src), 2);
	for (unsigned id = 0; id < 2; id++) {
		struct source_status st;
		size_t n;

		assert_int_equal(source_status(src, id, &st), 0);
		assert_string_equal(st.host, spec);
		assert_non_null(strstr(st.label, spec));
		assert_int_equal(st.runstate, RS_EXITED);
		n = samples_range(source_samples(src), id, 0, UINT64_MAX, smp, 16);
		assert_true(n >= 2);
		for (size_t i = 0; i < n && i < 16; i++) {
			int d = !strcmp(st.name, "r1") ? 0 : 1;
			double want = d == 0 ? 500 : 200;

			if (smp[i].dir[d].iops > want * 0.95 && smp[i].dir[d].iops < want * 1.05 &&
			    smp[i].dir[d].lat_p99 > 0)
				good++;
		}
	}
	assert_true(good >= 2);
	assert_non_null(source_opts(src, 0));
	/* the results screen's figures: each job's own TS, its bins as a
	 * histogram; the fio report names each host's jobs */
	{
		struct job_stats *js = malloc(sizeof(*js));
		struct fioc_host *hs;
		int nh;
		char *txt = NULL, want[96];
		size_t tl = 0;
		FILE *m;

		hs = source_fio_hosts(src, &nh);
		assert_int_equal(nh, 1);
		assert_int_equal(hs[0].nts, 2);
		for (unsigned id = 0; id < 2; id++) {
			struct source_status st;
			int d;

			assert_int_equal(source_status(src, id, &st), 0);
			d = !strcmp(st.name, "r1") ? 0 : 1;
			assert_int_equal(source_stats(src, id, js), 0);
			for (size_t k = 0; k < hs[0].nts; k++)
				if (!strcmp(hs[0].ts[k].name, st.name)) {
					assert_int_equal(js->dir[d].ios, hs[0].ts[k].total_io_u[d]);
					assert_int_equal(js->dir[d].bytes, hs[0].ts[k].io_bytes[d]);
				}
			assert_true(js->dir[d].ios > 0);
			assert_int_equal(js->dir[d].clat_hist.count, js->dir[d].ios);
			assert_true(hist_percentile(&js->dir[d].clat_hist, 99) > 0);
		}
		free(js);
		/* the hosts view: the host, each job, All clients; All's p99 is
		 * the p99 of every job's bins merged (brute force here) */
		{
			struct source_host rows[8];
			uint64_t *merged = calloc(FIOP_PLAT_NR, sizeof(*merged));
			int nr = source_hosts(src, rows, 8);

			assert_int_equal(nr, 4);
			assert_int_equal(rows[0].kind, SH_HOST);
			assert_string_equal(rows[0].name, spec);
			assert_string_equal(rows[0].state, "done");
			assert_string_equal(rows[0].version, "fio-3.33");
			assert_non_null(strstr(rows[0].system, "CPUs"));
			assert_int_equal(rows[1].kind, SH_JOB);
			assert_int_equal(rows[3].kind, SH_ALL);
			assert_string_equal(rows[3].name, "All clients");
			assert_true(rows[3].whole_run);
			assert_int_equal(rows[3].jobs, 2);
			for (size_t k = 0; k < hs[0].nts; k++)
				for (int d = 0; d < 3; d++)
					for (int i = 0; i < FIOP_PLAT_NR; i++)
						merged[i] += hs[0].ts[k].plat[FIOP_CLAT][d][i];
			assert_true(rows[3].p99 > 0);
			assert_int_equal(rows[3].p99, fiop_plat_percentile(merged, 99));
			assert_int_equal(rows[3].p999, fiop_plat_percentile(merged, 99.9));
			/* one host: averaging its p99 is its p99 */
			assert_int_equal(rows[3].p99_hosts, rows[3].p99);
			assert_true(rows[3].iops > 665 && rows[3].iops < 735);   /* 500 + 200, 5% */
			free(merged);
		}
		m = open_memstream(&txt, &tl);
		assert_int_equal(source_report(src, m, 1 /* REPORT_NORMAL */, NULL), 0);
		fclose(m);
		snprintf(want, sizeof(want), "<%s> r1: (groupid=0", spec);
		assert_non_null(strstr(txt, want));
		free(txt);
	}
	source_free(src);
	job_list_free(&l);
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fio_server_kind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
