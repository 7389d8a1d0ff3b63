/* tui/settings: the settings file loader. Each case writes a file into a
 * private scratch directory; the system path is pointed there too
 * (IOLAB_SYSTEM_SETTINGS), so nothing reads the machine's /etc/iolab or the
 * user's ~/.config. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tui/settings.h"
#include "tests/scratch.h"

static char dir[1024];
static char err[4096];

static int setup(void **state)
{
	char cfg[1100];

	if (scratch_dir_make(dir, sizeof(dir), "test_settings"))
		return -1;
	snprintf(cfg, sizeof(cfg), "%s/xdg", dir);
	setenv("XDG_CONFIG_HOME", cfg, 1);
	setenv("HOME", dir, 1);
	snprintf(cfg, sizeof(cfg), "%s/system.conf", dir);
	setenv("IOLAB_SYSTEM_SETTINGS", cfg, 1);
	return 0;
}

static int teardown(void **state)
{
	return scratch_dir_remove(dir);
}

static char *at(const char *name)
{
	static char buf[4][1100];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static const char *put(const char *name, const char *text)
{
	const char *p = at(name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return p;
}

static int read_text(struct settings *s, const char *text)
{
	settings_defaults(s);
	err[0] = '\0';
	return settings_read_file(s, put("t.conf", text), false, err, sizeof(err));
}

static void test_defaults(void **state)
{
	struct settings s;

	settings_defaults(&s);
	assert_int_equal(s.sample_ms, 1000);
	assert_int_equal(s.window_s, 60);
	assert_int_equal(s.colour, SET_COLOUR_AUTO);
	assert_true(s.mouse);
	assert_int_equal(s.latency_pane, SET_LAT_LINES);
	assert_int_equal(s.diag_runtime_ms, 5000);
	assert_string_equal(s.diag_dir, "");
	assert_string_equal(s.record_dir, "");
	assert_int_equal(s.client_port, 8765);
	for (int k = 0; k < SET_NR; k++)
		assert_string_equal(s.origin[k], "built-in");
}

static void test_every_key(void **state)
{
	struct settings s;
	char text[4096];

	mkdir(at("rec"), 0700);
	mkdir(at("diag"), 0700);
	snprintf(text, sizeof(text),
		 "; iolab settings\n"
		 "[workbench]\n"
		 "sample_interval = 250ms\n"
		 "Graph_Window = 5m   ; a comment after the value\n"
		 "colour = mono\n"
		 "mouse = off\n"
		 "latency_pane = heatmap # another\n"
		 "\n[diagnose]\n"
		 "step_runtime = 2\n"
		 "scratch_dir = %s\n"
		 "[record]\n"
		 "dir = \"%s\"\n"
		 "[client]\n"
		 "port = 9000\n",
		 at("diag"), at("rec"));
	assert_int_equal(read_text(&s, text), 0);
	assert_int_equal(s.sample_ms, 250);
	assert_int_equal(s.window_s, 300);
	assert_int_equal(s.colour, SET_COLOUR_MONO);
	assert_false(s.mouse);
	assert_int_equal(s.latency_pane, SET_LAT_HEATMAP);
	assert_int_equal(s.diag_runtime_ms, 2000);
	assert_string_equal(s.diag_dir, at("diag"));
	assert_string_equal(s.record_dir, at("rec"));
	assert_int_equal(s.client_port, 9000);
	/* origins: file and line */
	snprintf(text, sizeof(text), "%s:3", at("t.conf"));
	assert_string_equal(s.origin[SET_SAMPLE_INTERVAL], text);
	snprintf(text, sizeof(text), "%s:15", at("t.conf"));
	assert_string_equal(s.origin[SET_CLIENT_PORT], text);
}

/* Windows line ends and a byte-order mark, as some editors write them */
static void test_editor_quirks(void **state)
{
	struct settings s;
	char want[1200];

	assert_int_equal(read_text(&s, "\xef\xbb\xbf[Workbench]\r\nMouse = OFF\r\n"), 0);
	assert_false(s.mouse);
	snprintf(want, sizeof(want), "%s:2", at("t.conf"));
	assert_string_equal(s.origin[SET_MOUSE], want);
	assert_int_equal(read_text(&s, ""), 0);
	assert_true(s.mouse);
}

static void test_tilde_dir(void **state)
{
	struct settings s;

	mkdir(at("recs"), 0700);
	assert_int_equal(read_text(&s, "[record]\ndir = ~/recs\n"), 0);
	assert_string_equal(s.record_dir, at("recs"));
}

/* Each bad file: refused, and the message holds every fragment. */
static void test_refusals(void **state)
{
	static const struct {
		const char *text;
		const char *want[3];
	} cases[] = {
		{ "[workbench]\nmouse = on\n[colours]\nx = 1\n", { ":3: [colours]", "not a section" } },
		{ "[workbench]\ncolor = mono\n", { ":2: [workbench] color", "not a setting",
						   "colour" } },
		{ "[workbench]\nsample_interval = 10ms\n", { ":2: [workbench] sample_interval",
							     "100ms to 1m" } },
		{ "[workbench]\nsample_interval = soon\n", { ":2:", "not a time" } },
		{ "[workbench]\nsample_interval = 1500us\n", { ":2:", "whole ms" } },
		{ "[workbench]\ngraph_window = 2d\n", { "graph_window", "10s to 24h" } },
		{ "[workbench]\ncolour = 16\n", { "[workbench] colour", "'16' is not auto, 256, 8 or mono" } },
		{ "[workbench]\nmouse = maybe\n", { "[workbench] mouse", "not on or off" } },
		{ "[workbench]\nlatency_pane = bars\n", { "latency_pane", "lines or heatmap" } },
		{ "[diagnose]\nstep_runtime = 2h\n", { "step_runtime", "100ms to 1h" } },
		{ "[diagnose]\nscratch_dir = relative/dir\n", { "scratch_dir", "not an absolute" } },
		{ "[record]\ndir = /nonexistent-iolab-dir\n", { ":2: [record] dir",
								"No such file" } },
		{ "[record]\ndir = /dev/null\n", { "[record] dir", "character device",
						   "not a directory" } },
		{ "[client]\nport = 0\n", { ":2: [client] port", "not a port" } },
		{ "[client]\nport = 70000\n", { "[client] port", "1 to 65535" } },
		{ "[client]\nport = 80x\n", { "[client] port", "not a port" } },
		{ "mouse = off\n[workbench]\n", { ":1: mouse", "outside any section" } },
		{ "[workbench]\nmouse = on\n\nmouse = off\n", { ":2: [workbench] mouse",
								"set again on line 4" } },
		{ "[workbench]\nthis line is nonsense\n", { ":2:", "not a [section]" } },
		{ "[workbench\nmouse = on\n", { ":1:" } },
	};
	struct settings s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = read_text(&s, cases[i].text);

		if (rc != -1)
			fail_msg("case %zu was not refused:\n%s", i, cases[i].text);
		for (int w = 0; w < 3 && cases[i].want[w]; w++)
			if (!strstr(err, cases[i].want[w]))
				fail_msg("case %zu: '%s' not in '%s'", i, cases[i].want[w], err);
		/* every message names the file */
		assert_non_null(strstr(err, at("t.conf")));
	}
}

static void test_bad_files(void **state)
{
	struct settings s;
	char *big;
	int fd;

	settings_defaults(&s);
	/* a directory */
	mkdir(at("adir"), 0700);
	assert_int_equal(settings_read_file(&s, at("adir"), true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is a directory"));
	/* a device: refused before it is opened */
	assert_int_equal(settings_read_file(&s, "/dev/zero", false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/dev/zero"));
	assert_non_null(strstr(err, "character device"));
	/* a FIFO: never opened (it would block) */
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	assert_int_equal(settings_read_file(&s, at("fifo"), false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "FIFO"));
	/* too big */
	big = malloc(SETTINGS_MAX_BYTES + 100);
	assert_non_null(big);
	memset(big, ';', SETTINGS_MAX_BYTES + 99);
	big[SETTINGS_MAX_BYTES + 99] = '\0';
	for (size_t i = 80; i < SETTINGS_MAX_BYTES + 99; i += 80)
		big[i] = '\n';
	put("big.conf", big);
	free(big);
	assert_int_equal(settings_read_file(&s, at("big.conf"), false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too big"));
	/* not text */
	fd = open(at("bin.conf"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[workbench]\nmouse = o\0n\n", 24), 24);
	close(fd);
	assert_int_equal(settings_read_file(&s, at("bin.conf"), false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NUL"));
	/* a line longer than iniparser takes */
	{
		char line[3000];

		memset(line, 'x', sizeof(line));
		memcpy(line, "[workbench]\nmouse = ", 20);
		line[sizeof(line) - 2] = '\n';
		line[sizeof(line) - 1] = '\0';
		assert_int_equal(read_text(&s, line), -1);
		assert_non_null(strstr(err, ":2:"));
	}
	/* missing: fine only when allowed */
	assert_int_equal(settings_read_file(&s, at("none.conf"), true, err, sizeof(err)), 1);
	assert_int_equal(settings_read_file(&s, at("none.conf"), false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "none.conf"));
	/* unreadable (root reads it anyway) */
	if (geteuid() != 0) {
		put("locked.conf", "[workbench]\n");
		chmod(at("locked.conf"), 0);
		assert_int_equal(settings_read_file(&s, at("locked.conf"), true, err, sizeof(err)),
				 -1);
		assert_non_null(strstr(err, "Permission denied"));
	}
}

/* Token soup, seeded so a failure repeats: every file is read or refused
 * with a message naming it, never a crash (ASan: make check-asan). */
static void test_garbage(void **state)
{
	static const char *const tok[] = {
		"[workbench]", "[record]", "[client]", "[diagnose]", "[", "]", "=", "mouse", "port",
		"dir", "colour", "sample_interval", "\"", "'", ";", "#", "\\", "\n", "\n", " ",
		"\t", "\r", "1", "99999999999999999999", "-1", "ms", "heatmap", "\xff", "[a:b]",
		"a:b", "~", "/", "\xef\xbb\xbf",
	};
	char text[2048];
	struct settings s;

	srand(1234);
	for (int i = 0; i < 3000; i++) {
		size_t len = 0;
		int n = rand() % 40, rc;

		for (int t = 0; t < n; t++) {
			const char *w = tok[rand() % (sizeof(tok) / sizeof(tok[0]))];

			if (len + strlen(w) + 1 >= sizeof(text))
				break;
			memcpy(text + len, w, strlen(w));
			len += strlen(w);
		}
		text[len] = '\0';
		rc = read_text(&s, text);
		if (rc != 0 && rc != -1)
			fail_msg("rc %d for:\n%s", rc, text);
		if (rc && !strstr(err, at("t.conf")))
			fail_msg("'%s' does not name the file, for:\n%s", err, text);
	}
}

/* The system file, then the user's: the later wins key by key. */
static void test_layers(void **state)
{
	const struct settings *s;
	char want[1200];

	put("system.conf", "[workbench]\nsample_interval = 500ms\nmouse = off\n");
	mkdir(at("xdg"), 0700);
	mkdir(at("xdg/iolab"), 0700);
	put("xdg/iolab/iolab.conf", "[workbench]\n\nsample_interval = 200ms\n");
	assert_int_equal(settings_load(NULL, false, err, sizeof(err)), 0);
	s = settings_get();
	assert_int_equal(s->sample_ms, 200);
	assert_false(s->mouse);
	snprintf(want, sizeof(want), "%s:3", at("xdg/iolab/iolab.conf"));
	assert_string_equal(s->origin[SET_SAMPLE_INTERVAL], want);
	snprintf(want, sizeof(want), "%s:3", at("system.conf"));
	assert_string_equal(s->origin[SET_MOUSE], want);

	/* --settings FILE: that file only */
	put("only.conf", "[client]\nport = 1234\n");
	assert_int_equal(settings_load(at("only.conf"), false, err, sizeof(err)), 0);
	s = settings_get();
	assert_int_equal(s->client_port, 1234);
	assert_int_equal(s->sample_ms, 1000);
	assert_true(s->mouse);
	/* ... which must exist */
	assert_int_equal(settings_load(at("nope.conf"), false, err, sizeof(err)), -1);

	/* --no-settings: built-ins */
	assert_int_equal(settings_load(NULL, true, err, sizeof(err)), 0);
	assert_int_equal(settings_get()->sample_ms, 1000);

	/* a bad user file fails the load; the process keeps built-ins */
	put("xdg/iolab/iolab.conf", "[workbench]\nmouse = sometimes\n");
	assert_int_equal(settings_load(NULL, false, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "xdg/iolab/iolab.conf:2: [workbench] mouse"));
	assert_true(settings_get()->mouse);

	/* neither file: built-ins */
	unlink(at("xdg/iolab/iolab.conf"));
	unlink(at("system.conf"));
	assert_int_equal(settings_load(NULL, false, err, sizeof(err)), 0);
	assert_int_equal(settings_get()->sample_ms, 1000);
}

static void test_user_path(void **state)
{
	char p[1200], want[1200];

	assert_int_equal(settings_user_path(p, sizeof(p)), 0);
	snprintf(want, sizeof(want), "%s/xdg/iolab/iolab.conf", dir);
	assert_string_equal(p, want);
	/* a relative XDG_CONFIG_HOME is ignored, as the spec says */
	setenv("XDG_CONFIG_HOME", "relative", 1);
	assert_int_equal(settings_user_path(p, sizeof(p)), 0);
	snprintf(want, sizeof(want), "%s/.config/iolab/iolab.conf", dir);
	assert_string_equal(p, want);
	snprintf(want, sizeof(want), "%s/xdg", dir);
	setenv("XDG_CONFIG_HOME", want, 1);
}

/* What --show-settings prints reads back as the same settings. */
static void test_print_roundtrip(void **state)
{
	struct settings s, back;
	char *out = NULL;
	size_t len = 0;
	FILE *m;
	char text[2048];

	mkdir(at("rec2"), 0700);
	snprintf(text, sizeof(text),
		 "[workbench]\nsample_interval=300ms\ngraph_window=2m\ncolour=8\n"
		 "[record]\ndir=%s\n[client]\nport=4444\n", at("rec2"));
	assert_int_equal(read_text(&s, text), 0);
	m = open_memstream(&out, &len);
	assert_non_null(m);
	settings_print(m, &s);
	fclose(m);
	assert_non_null(strstr(out, "sample_interval = 300ms"));
	assert_non_null(strstr(out, "port = 4444"));
	assert_int_equal(read_text(&back, out), 0);
	free(out);
	assert_int_equal(back.sample_ms, 300);
	assert_int_equal(back.window_s, 120);
	assert_int_equal(back.colour, SET_COLOUR_8);
	assert_string_equal(back.record_dir, at("rec2"));
	assert_int_equal(back.client_port, 4444);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_editor_quirks),
		cmocka_unit_test(test_tilde_dir),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_layers),
		cmocka_unit_test(test_user_path),
		cmocka_unit_test(test_print_roundtrip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
