/* widgets/: units, graph scaling and ticks, braille/ASCII cells, column to
 * time mapping, tooltip placement, table, status bar, histogram bars,
 * dialog and form validation. Widgets draw into an off-screen pad of a
 * curses screen opened on /dev/null and are read back cell by cell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <wchar.h>

#include <cmocka.h>

#include "widgets/dialog.h"
#include "widgets/form.h"
#include "widgets/graph.h"
#include "widgets/heatmap.h"
#include "widgets/histbar.h"
#include "widgets/statusbar.h"
#include "widgets/table.h"
#include "widgets/tooltip.h"
#include "lib/units.h"

static SCREEN *scr;
static FILE *scr_out, *scr_in;
static bool utf8;

static int setup_screen(void **state)
{
	(void)state;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	utf8 = MB_CUR_MAX > 1;
	scr_out = fopen("/dev/null", "w");
	scr_in = fopen("/dev/null", "r");
	if (!scr_out || !scr_in)
		return -1;
	scr = newterm("xterm-256color", scr_out, scr_in);
	if (!scr)
		scr = newterm("vt100", scr_out, scr_in);
	if (!scr)
		return -1;
	set_term(scr);
	widget_glyphs = utf8 ? &glyphs_utf8 : &glyphs_ascii;
	return 0;
}

static int teardown_screen(void **state)
{
	(void)state;
	endwin();
	delscreen(scr);
	fclose(scr_out);
	fclose(scr_in);
	return 0;
}

/* Row @y of @win from column @x0, @n cells, as UTF-8. */
static char *row_text(WINDOW *win, int y, int x0, int n)
{
	static char buf[4096];
	size_t len = 0;

	for (int x = x0; x < x0 + n && x < getmaxx(win); x++) {
		cchar_t cc;
		wchar_t wc[8];
		attr_t a;
		short pair;
		char mb[8];
		mbstate_t st;
		size_t k;

		if (mvwin_wch(win, y, x, &cc) == ERR)
			break;
		getcchar(&cc, wc, &a, &pair, NULL);
		memset(&st, 0, sizeof(st));
		k = wcrtomb(mb, wc[0] ? wc[0] : L' ', &st);
		if (k == (size_t)-1 || len + k + 1 >= sizeof(buf))
			break;
		memcpy(buf + len, mb, k);
		len += k;
	}
	buf[len] = '\0';
	return buf;
}

static wchar_t cell_wc(WINDOW *win, int y, int x)
{
	cchar_t cc;
	wchar_t wc[8];
	attr_t a;
	short pair;

	mvwin_wch(win, y, x, &cc);
	getcchar(&cc, wc, &a, &pair, NULL);
	return wc[0];
}

/* ------------------------------------------------------------ units */

struct fmt_case {
	double v;
	enum unit u;
	const char *want;
};

static void test_units_fmt(void **state)
{
	static const struct fmt_case cases[] = {
		{ 0, UNIT_NONE, "0" },
		{ 2.5, UNIT_NONE, "2.5" },
		{ 999, UNIT_NONE, "999" },
		{ 1000, UNIT_NONE, "1k" },
		{ 1500, UNIT_NONE, "1.5k" },
		{ 2000, UNIT_NONE, "2k" },
		{ 12345, UNIT_NONE, "12.3k" },
		{ 123456, UNIT_NONE, "123k" },
		{ 999999, UNIT_NONE, "1M" },
		{ 2500000, UNIT_NONE, "2.5M" },
		{ 512, UNIT_BYTES, "512B" },
		{ 4096, UNIT_BYTES, "4KiB" },
		{ 1048576, UNIT_BYTES_S, "1MiB/s" },
		{ 8192000, UNIT_BYTES_S, "7.81MiB/s" },
		{ 3.5 * 1073741824.0, UNIT_BYTES_S, "3.5GiB/s" },
		{ 500, UNIT_NSEC, "500ns" },
		{ 1500, UNIT_NSEC, "1.5us" },
		{ 250000, UNIT_NSEC, "250us" },
		{ 1500000, UNIT_NSEC, "1.5ms" },
		{ 2e9, UNIT_NSEC, "2s" },
		{ 50, UNIT_PCT, "50%" },
		{ -1, UNIT_NONE, "-" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		units_fmt(buf, sizeof(buf), cases[i].v, cases[i].u);
		if (strcmp(buf, cases[i].want))
			fail_msg("units_fmt(%g, %d) = '%s', want '%s'", cases[i].v, cases[i].u, buf,
				 cases[i].want);
	}
}

struct scale_case {
	double max;
	enum unit u;
	int ticks;
	double top, step;
};

static void test_units_scale(void **state)
{
	static const struct scale_case cases[] = {
		{ 2000, UNIT_NONE, 2, 2000, 1000 },
		{ 2000, UNIT_NONE, 4, 2000, 500 },
		{ 1900, UNIT_NONE, 2, 2000, 1000 },
		{ 5100, UNIT_NONE, 5, 6000, 2000 },
		{ 8000, UNIT_NONE, 3, 8000, 4000 },
		{ 0, UNIT_NONE, 4, 1, 0.25 },
		{ 7.5 * 1048576, UNIT_BYTES_S, 4, 8 * 1048576.0, 2 * 1048576.0 },
		{ 180000, UNIT_NSEC, 4, 200000, 50000 },
		{ 37, UNIT_PCT, 4, 100, 25 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double step = 0;
		double top = units_nice_scale(cases[i].max, cases[i].u, cases[i].ticks, &step);

		if (fabs(top - cases[i].top) > 1e-6 * cases[i].top ||
		    fabs(step - cases[i].step) > 1e-6 * cases[i].step)
			fail_msg("scale(%g, %d ticks) = top %g step %g, want %g %g", cases[i].max,
				 cases[i].ticks, top, step, cases[i].top, cases[i].step);
	}
}

static void test_units_time(void **state)
{
	static const struct {
		double s;
		const char *want;
	} cases[] = { { 0, "0s" },      { 45, "45s" },    { 60, "1m" },  { 90, "1m30" },
		      { 3600, "1h" },   { 3900, "1h05" }, { 2.5, "2.5s" }, { 86400, "1d00h" } };
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		units_fmt_time(buf, sizeof(buf), cases[i].s);
		assert_string_equal(buf, cases[i].want);
	}
	assert_true(units_time_step(7) == 10);
	assert_true(units_time_step(31) == 60);
	assert_true(units_time_step(1) == 1);
}

/* ------------------------------------------------------------ graph */

/* A ramp from 0 to @max over 60 one-second samples. */
static void ramp(struct graph_point *p, size_t n, double max)
{
	for (size_t i = 0; i < n; i++) {
		p[i].t0 = i * 1000000ULL;
		p[i].t1 = (i + 1) * 1000000ULL - 1;
		p[i].v = max * (double)i / (double)(n - 1);
	}
}

static void test_graph_ticks(void **state)
{
	struct graph *g = graph_new("IOPS");
	struct graph_point p[60];
	char ticks[8][16];
	size_t n;
	WINDOW *pad = newpad(7, 60);
	bool seen_2k = false, seen_1k = false, seen_0 = false;

	(void)state;
	assert_non_null(g);
	assert_non_null(pad);
	graph_set_unit(g, 0, UNIT_NONE);
	assert_int_equal(graph_add_series(g, "read", ROLE_SERIES0, 0), 0);
	ramp(p, 60, 2000);
	assert_int_equal(graph_set_points(g, 0, p, 60), 0);
	graph_set_xrange(g, 0, 60000000ULL);
	/* 7 rows: 5 plot rows, room for 2 tick intervals */
	graph_widget(g)->cls->resize(graph_widget(g), 0, 0, 7, 60);
	assert_true(graph_axis_top(g, 0) == 2000);
	n = graph_tick_labels(g, 0, ticks, 8);
	assert_int_equal(n, 3);
	assert_string_equal(ticks[0], "2k");
	assert_string_equal(ticks[1], "1k");
	assert_string_equal(ticks[2], "0");

	widget_draw(graph_widget(g), pad);
	/* the labels are drawn at the left of the plot rows */
	for (int y = 1; y < 6; y++) {
		const char *row = row_text(pad, y, 0, 5);

		seen_2k |= strstr(row, "2k") != NULL;
		seen_1k |= strstr(row, "1k") != NULL;
		seen_0 |= strstr(row, "0") != NULL;
	}
	assert_true(seen_2k && seen_1k && seen_0);
	/* top row label is the top tick, bottom plot row the zero */
	assert_non_null(strstr(row_text(pad, 1, 0, 5), "2k"));
	assert_non_null(strstr(row_text(pad, 5, 0, 5), "0"));
	/* the time axis has second labels */
	assert_non_null(strstr(row_text(pad, 6, 0, 60), "10s"));
	/* the title is on the first row */
	assert_non_null(strstr(row_text(pad, 0, 0, 60), "IOPS"));

	/* taller graph: finer ticks */
	graph_widget(g)->cls->resize(graph_widget(g), 0, 0, 12, 60);
	n = graph_tick_labels(g, 0, ticks, 8);
	assert_int_equal(n, 5);
	assert_string_equal(ticks[1], "1.5k");
	widget_free(graph_widget(g));
	delwin(pad);
}

static void test_graph_cells(void **state)
{
	struct graph *g = graph_new("BW");
	struct graph_point p[60];
	WINDOW *pad = newpad(10, 70);
	int py, px, ph, pw, braille = 0, high = 0;

	(void)state;
	if (!utf8) {
		print_message("skip: no UTF-8 locale for braille cells\n");
		skip();
	}
	graph_set_unit(g, 0, UNIT_BYTES_S);
	graph_add_series(g, "read", ROLE_SERIES0, 0);
	ramp(p, 60, 8 * 1048576.0);
	graph_set_points(g, 0, p, 60);
	graph_set_xrange(g, 0, 60000000ULL);
	graph_widget(g)->cls->resize(graph_widget(g), 0, 0, 10, 70);
	widget_draw(graph_widget(g), pad);
	graph_plot_rect(g, &py, &px, &ph, &pw);
	assert_int_equal(ph, 8);
	for (int y = py; y < py + ph; y++)
		for (int x = px; x < px + pw; x++) {
			wchar_t wc = cell_wc(pad, y, x);

			if (wc >= 0x2800 && wc <= 0x28ff)
				braille++;
			if (wc >= 0x80 && !(wc >= 0x2800 && wc <= 0x28ff) && wc != 0x2502)
				high++;
		}
	assert_true(braille >= pw / 2);
	assert_int_equal(high, 0);
	/* a rising ramp: the bottom-left cell and the top-right cell are set */
	assert_true(cell_wc(pad, py + ph - 1, px) >= 0x2801);
	assert_true(cell_wc(pad, py, px + pw - 1) >= 0x2801 ||
		    cell_wc(pad, py, px + pw - 2) >= 0x2801);
	assert_non_null(strstr(row_text(pad, 1, 0, px), "MiB/s"));

	/* ASCII mode: nothing outside ASCII in the plot */
	graph_set_mode(g, GRAPH_ASCII);
	widget_draw(graph_widget(g), pad);
	for (int y = py; y < py + ph; y++)
		for (int x = px; x < px + pw; x++)
			assert_true(cell_wc(pad, y, x) < 0x80);
	widget_free(graph_widget(g));
	delwin(pad);
}

static void test_graph_columns(void **state)
{
	struct graph *g = graph_new("lat");
	struct graph_point p[60];
	uint64_t t0, t1, prev_end = 0;
	int py, px, ph, pw;

	(void)state;
	graph_add_series(g, "p99", ROLE_SERIES1, 0);
	ramp(p, 60, 1e6);
	graph_set_points(g, 0, p, 60);
	graph_set_xrange(g, 10000000ULL, 70000000ULL); /* 10 s .. 70 s */
	graph_widget(g)->cls->resize(graph_widget(g), 2, 3, 8, 66);
	graph_plot_rect(g, &py, &px, &ph, &pw);
	assert_true(pw > 10);
	/* columns tile the range without gaps or overlap */
	for (int c = 0; c < pw; c++) {
		assert_int_equal(graph_col_range(g, c, &t0, &t1), 0);
		if (c == 0)
			assert_true(t0 == 10000000ULL);
		else
			assert_true(t0 == prev_end + 1);
		assert_true(t1 >= t0);
		prev_end = t1;
		/* and map back to themselves */
		assert_int_equal(graph_time_col(g, t0), c);
		assert_int_equal(graph_time_col(g, t1), c);
	}
	assert_true(prev_end == 70000000ULL - 1);
	assert_int_equal(graph_col_range(g, pw, &t0, &t1), -ERANGE);
	assert_int_equal(graph_col_range(g, -1, &t0, &t1), -ERANGE);
	assert_int_equal(graph_time_col(g, 5000000ULL), -1);
	/* window cells to columns */
	assert_int_equal(graph_col_at(g, py, px), 0);
	assert_int_equal(graph_col_at(g, py, px - 1), -1);
	assert_int_equal(graph_col_at(g, py + ph, px), -1);

	/* cursor: first Left lands on the newest point in view (59.5 s) */
	assert_int_equal(graph_cursor(g), -1);
	assert_true(widget_key(graph_widget(g), KEY_LEFT) & WK_HANDLED);
	assert_int_equal(graph_cursor(g), graph_time_col(g, 59500000ULL));
	widget_key(graph_widget(g), KEY_LEFT);
	assert_int_equal(graph_cursor(g), graph_time_col(g, 59500000ULL) - 1);
	assert_true(widget_key(graph_widget(g), 27) & WK_HANDLED);
	assert_int_equal(graph_cursor(g), -1);
	assert_true(widget_key(graph_widget(g), 27) & WK_IGNORED);
	widget_free(graph_widget(g));
}

static void test_graph_marks_and_cursor(void **state)
{
	struct graph *g = graph_new("IOPS");
	struct graph_point p[30];
	struct graph_mark m = { .t = 20000000ULL, .text = "QD 1->32" };
	WINDOW *pad = newpad(10, 80);
	int py, px, ph, pw;

	(void)state;
	graph_add_series(g, "a", ROLE_SERIES0, 0);
	ramp(p, 30, 100);
	graph_set_points(g, 0, p, 30);
	graph_set_xrange(g, 0, 60000000ULL);
	graph_set_marks(g, &m, 1);
	graph_widget(g)->cls->resize(graph_widget(g), 0, 0, 10, 80);
	graph_set_cursor(g, 5);
	widget_draw(graph_widget(g), pad);
	graph_plot_rect(g, &py, &px, &ph, &pw);
	assert_non_null(strstr(row_text(pad, 9, 0, 80), "QD 1->32"));
	/* the cursor column shows on every plot row: its line, or data */
	for (int y = py; y < py + ph; y++)
		assert_true(cell_wc(pad, y, px + 5) != L' ');
	widget_free(graph_widget(g));
	delwin(pad);
}

/* Marks close together: every mark keeps its glyph, no label runs over
 * another mark, a cluster says how many it hides, duplicates count once. */
static void test_graph_marks_close(void **state)
{
	static const struct {
		uint64_t t[6];
		const char *text[6];
		size_t n;
		int glyphs;
		const char *want; /* on the axis row */
	} cases[] = {
		/* far apart: both labels whole */
		{ { 5000000, 40000000 }, { "bs 8k->64k", "QD 1->32" }, 2, 2, "bs 8k->64k" },
		/* one second apart on a minute: a cluster with the newest label */
		{ { 20000000, 21000000 }, { "bs 8k->64k", "QD 1->32" }, 2, 2, "QD 1->32 +1" },
		/* the same change on eight clones at once: one glyph, one label */
		{ { 20000000, 20000000, 20000000, 20000000 },
		  { "QD 1->32", "QD 1->32", "QD 1->32", "QD 1->32" }, 4, 1, "QD 1->32" },
		/* three in a burst */
		{ { 30000000, 31000000, 32000000 }, { "bs 4k->8k", "mix 70->90", "IOPS cap 0->5000" },
		  3, 3, "IOPS cap 0->5000 +2" },
		/* too long for the room to the right edge: elided in the
		 * middle, the new value whole, never cut to a wrong one */
		{ { 40000000 }, { "IOPS cap 50000,50000->45000,5000" }, 1, 1, "->45000,5000" },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct graph *g = graph_new("IOPS");
		struct graph_point p[30];
		struct graph_mark m[6];
		WINDOW *pad = newpad(10, 80);
		const char *row;
		int glyphs = 0;

		memset(m, 0, sizeof(m));
		for (size_t i = 0; i < cases[c].n; i++) {
			m[i].t = cases[c].t[i];
			snprintf(m[i].text, sizeof(m[i].text), "%s", cases[c].text[i]);
		}
		graph_add_series(g, "a", ROLE_SERIES0, 0);
		ramp(p, 30, 100);
		graph_set_points(g, 0, p, 30);
		graph_set_xrange(g, 0, 60000000ULL);
		graph_set_marks(g, m, cases[c].n);
		graph_widget(g)->cls->resize(graph_widget(g), 0, 0, 10, 80);
		widget_draw(graph_widget(g), pad);
		row = row_text(pad, 9, 0, 80);
		for (int x = 0; x < 80; x++)
			glyphs += cell_wc(pad, 9, x) == (utf8 ? L'\u25b2' : L'^');
		if (glyphs != cases[c].glyphs || !strstr(row, cases[c].want))
			fail_msg("case %zu: %d glyphs (want %d), axis '%s' (want '%s')", c, glyphs,
				 cases[c].glyphs, row, cases[c].want);
		widget_free(graph_widget(g));
		delwin(pad);
	}
}

/* ----------------------------------------------------------- tooltip */

struct place_case {
	int ay, ax, bh, bw, sh, sw;
	int y, x;
};

static void test_tooltip_place(void **state)
{
	static const struct place_case cases[] = {
		/* room everywhere: right of and below the anchor */
		{ 10, 10, 5, 20, 40, 120, 11, 12 },
		/* right edge: flips to the left of the anchor */
		{ 10, 110, 5, 20, 40, 120, 11, 89 },
		/* bottom edge: flips above */
		{ 38, 10, 5, 20, 40, 120, 33, 12 },
		/* corner: both flips */
		{ 38, 115, 5, 20, 40, 120, 33, 94 },
		/* left flip would leave the screen: clamped to the right edge */
		{ 5, 15, 5, 100, 40, 110, 6, 10 },
		/* box larger than the screen: pinned at 0,0 */
		{ 3, 3, 50, 200, 24, 80, 0, 0 },
		/* exactly fits to the right */
		{ 0, 0, 3, 78, 24, 80, 1, 2 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct place_case *c = &cases[i];
		int y, x;

		tooltip_place(c->ay, c->ax, c->bh, c->bw, c->sh, c->sw, &y, &x);
		if (y != c->y || x != c->x)
			fail_msg("case %zu: placed at %d,%d, want %d,%d", i, y, x, c->y, c->x);
		assert_true(x >= 0 && y >= 0);
	}
}

static void test_tooltip_draw(void **state)
{
	struct tooltip *t = tooltip_new();
	WINDOW *pad = newpad(24, 80);
	int y, x, h, w;
	bool found = false;

	(void)state;
	tooltip_set_title(t, "t=12.0s");
	tooltip_add(t, ROLE_SERIES0, "a", "2k IOPS");
	tooltip_add(t, ROLE_SERIES1, "b", "5k IOPS");
	tooltip_set_anchor(t, 20, 75);
	widget_draw(tooltip_widget(t), pad);
	tooltip_last_rect(t, &y, &x, &h, &w);
	assert_true(x + w <= 75); /* flipped left of the anchor */
	assert_true(y + h <= 20);  /* and above it */
	for (int r = y; r < y + h; r++)
		found |= strstr(row_text(pad, r, x, w), "t=12.0s") != NULL;
	assert_true(found);
	assert_non_null(strstr(row_text(pad, y + 2, x, w), "2k IOPS"));
	widget_free(tooltip_widget(t));
	delwin(pad);
}

/* Inside its graph (a 40-column box on the left of the screen) where it
 * fits, the screen where it does not; a label it half covers is blanked. */
static void test_tooltip_bounds(void **state)
{
	struct tooltip *t = tooltip_new();
	WINDOW *pad = newpad(24, 80);
	int y, x, h, w;

	(void)state;
	/* anchor near the graph's right edge: flips left inside the graph */
	tooltip_place_in(5, 35, 6, 20, 24, 80, 2, 0, 10, 40, &y, &x);
	assert_true(x + 20 <= 40);
	assert_int_equal(y, 6);
	/* taller than the graph: rows from the screen, columns still inside */
	tooltip_place_in(5, 10, 14, 20, 24, 80, 2, 0, 10, 40, &y, &x);
	assert_true(x + 20 <= 40);
	assert_true(y + 14 <= 24);

	/* the neighbour's axis label "400MiB/s" at columns 41..48 */
	for (int r = 0; r < 24; r++)
		mvwaddstr(pad, r, 41, "400MiB/s|");
	tooltip_add(t, ROLE_SERIES0, "a read", "2k IOPS");
	tooltip_add(t, ROLE_SERIES1, "b read", "5k IOPS");
	/* a box reaching over the label's first columns */
	tooltip_set_anchor(t, 3, 20);
	tooltip_set_bounds(t, 0, 0, 0, 0);
	widget_draw(tooltip_widget(t), pad);
	tooltip_last_rect(t, &y, &x, &h, &w);
	assert_true(x < 41 && x + w > 41 && x + w < 49); /* cuts the label */
	for (int r = y; r < y + h; r++) {
		const char *rest = row_text(pad, r, x + w, 49 - x - w);

		if (strspn(rest, " ") != strlen(rest))
			fail_msg("row %d: '%s' left beside the box", r, rest);
	}
	/* rows the box does not cover keep their label */
	assert_non_null(strstr(row_text(pad, y + h, 0, 80), "400MiB/s"));
	widget_free(tooltip_widget(t));
	delwin(pad);
}

static void test_elide_middle(void **state)
{
	static const struct {
		const char *s;
		int cols;
		const char *want_utf8, *want_ascii;
	} cases[] = {
		{ "/tmp/work/test1.dat", 30, "/tmp/work/test1.dat", "/tmp/work/test1.dat" },
		{ "/tmp/work/test1.dat", 19, "/tmp/work/test1.dat", "/tmp/work/test1.dat" },
		{ "/tmp/work/test1.dat", 14, "/tm\u2026/test1.dat", "/tm~/test1.dat" },
		{ "/tmp/work/test1.dat", 11, "\u2026/test1.dat", "~/test1.dat" },
		{ "abcdefghij", 7, "ab\u2026ghij", "ab~ghij" },
		{ "abc", 1, "\u2026", "~" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];
		const char *want = utf8 ? cases[i].want_utf8 : cases[i].want_ascii;

		text_elide_middle(buf, sizeof(buf), cases[i].s, cases[i].cols);
		if (strcmp(buf, want))
			fail_msg("'%s' in %d: got '%s', want '%s'", cases[i].s, cases[i].cols, buf,
				 want);
		assert_true(text_width(buf) <= cases[i].cols);
	}
}

/* A narrow title row: labels shorten, then the title, before values go. */
static void test_graph_legend_narrow(void **state)
{
	struct graph *g = graph_new("Bandwidth");
	WINDOW *pad = newpad(8, 39);
	const char *row;
	int i;

	(void)state;
	graph_set_short_title(g, "BW");
	i = graph_add_series(g, "read", ROLE_SERIES0, 0);
	graph_set_short_label(g, i, "r");
	graph_set_value(g, i, "391MiB/s");
	i = graph_add_series(g, "write", ROLE_SERIES1, 0);
	graph_set_short_label(g, i, "w");
	graph_set_value(g, i, "39.1MiB/s");
	graph_set_xrange(g, 0, 60000000ULL);
	graph_widget(g)->cls->resize(graph_widget(g), 0, 0, 8, 39);
	widget_draw(graph_widget(g), pad);
	row = row_text(pad, 0, 0, 39);
	if (!strstr(row, "r 391MiB/s") || !strstr(row, "w 39.1MiB/s"))
		fail_msg("legend lost its values: '%s'", row);
	/* wide: the long forms */
	delwin(pad);
	pad = newpad(8, 80);
	graph_widget(g)->cls->resize(graph_widget(g), 0, 0, 8, 80);
	widget_draw(graph_widget(g), pad);
	row = row_text(pad, 0, 0, 80);
	assert_non_null(strstr(row, "Bandwidth"));
	assert_non_null(strstr(row, "read 391MiB/s"));
	widget_free(graph_widget(g));
	delwin(pad);

	/* eight clones overlaid in 60 columns: the names that fit, whole,
	 * then how many more (once it read "■ oltp.4 ■ ol") */
	g = graph_new("IOPS");
	for (int c = 0; c < 8; c++) {
		char name[24];

		snprintf(name, sizeof(name), "oltp.%d", c);
		graph_add_series(g, name, ROLE_SERIES0, 0);
	}
	graph_set_xrange(g, 0, 60000000ULL);
	pad = newpad(8, 60);
	graph_widget(g)->cls->resize(graph_widget(g), 0, 0, 8, 60);
	widget_draw(graph_widget(g), pad);
	row = row_text(pad, 0, 0, 60);
	{
		const char *p = strstr(row, "oltp.0"), *plus = strstr(row, " +");
		int named = 0;

		assert_non_null(p);
		for (; (p = strstr(p, "oltp.")); p += 5) {
			if (p[5] < '0' || p[5] > '7')
				fail_msg("half a name in the legend: '%s'", row);
			named++;
		}
		if (!plus || atoi(plus + 2) != 8 - named)
			fail_msg("%d names and no '+%d' in the legend: '%s'", named, 8 - named, row);
	}
	widget_free(graph_widget(g));
	delwin(pad);
}

/* Words stay whole across rows; a word longer than a row is cut. */
static void test_wrap(void **state)
{
	WINDOW *pad = newpad(6, 40);

	(void)state;
	assert_int_equal(text_wrap_fit("profile picker: the shipped", 20), 19);
	assert_int_equal(text_wrap_fit("short", 20), 5);
	assert_int_equal(text_wrap_fit("abcdefghijklmnopqrstuvwxyz", 10), 10);
	assert_int_equal(text_wrap_fit("", 10), 0);
	assert_int_equal(text_put_para(NULL, 0, 0, 20, 9, 2, 0,
				       "diagnose: a battery of short probes of a disk"),
			 3);
	assert_int_equal(text_put_para(pad, 0, 0, 20, 9, 2, 0,
				       "diagnose: a battery of short probes of a disk"),
			 3);
	assert_string_equal(row_text(pad, 0, 0, 20), "diagnose: a battery ");
	assert_string_equal(row_text(pad, 1, 0, 20), "  of short probes of");
	assert_string_equal(row_text(pad, 2, 0, 20), "  a disk            ");
	/* at most @max rows */
	assert_int_equal(text_put_para(NULL, 0, 0, 20, 2, 2, 0,
				       "diagnose: a battery of short probes of a disk"),
			 2);
	delwin(pad);
}

/* ------------------------------------------------------------- table */

static void cell(void *ctx, size_t row, int col, char *buf, size_t len, enum role *role)
{
	(void)ctx;
	if (col == 0)
		snprintf(buf, len, "job%zu", row);
	else
		snprintf(buf, len, "%zu", row * 100);
}

static void test_table(void **state)
{
	static const struct table_col cols[] = { { "Name", 8, 1, false },
						 { "IOPS", 6, 0, true } };
	struct table *t = table_new(cols, 2, cell, NULL);
	WINDOW *pad = newpad(4, 30);

	(void)state;
	table_set_rows(t, 5);
	widget_resize(table_widget(t), 0, 0, 4, 30);
	widget_focus(table_widget(t), true);
	assert_int_equal(table_selected(t), 0);
	assert_true(widget_key(table_widget(t), KEY_DOWN) & WK_REDRAW);
	assert_true(widget_key(table_widget(t), 'j') & WK_HANDLED);
	assert_true(widget_key(table_widget(t), KEY_END) & WK_HANDLED);
	assert_int_equal(table_selected(t), 4);
	widget_draw(table_widget(t), pad);
	/* 3 body lines for 5 rows: 2 rows and the line saying what is out of
	 * view; the selection (row 4) is scrolled into view at the bottom */
	assert_non_null(strstr(row_text(pad, 2, 0, 30), "job4"));
	assert_non_null(strstr(row_text(pad, 3, 0, 30), "+3 more above"));
	/* right-aligned numbers end at the right edge */
	assert_string_equal(row_text(pad, 2, 24, 6), "   400");
	assert_int_equal(table_col_width(t, 0) + 1 + table_col_width(t, 1), 30);
	assert_int_equal(table_row_at(t, 2, 2), 4);
	/* back to the top: the rest is below */
	assert_true(widget_key(table_widget(t), KEY_HOME) & WK_HANDLED);
	widget_draw(table_widget(t), pad);
	assert_non_null(strstr(row_text(pad, 1, 0, 30), "job0"));
	assert_non_null(strstr(row_text(pad, 3, 0, 30), "+3 more"));
	assert_null(strstr(row_text(pad, 3, 0, 30), "above"));
	/* in the middle: both */
	assert_true(widget_key(table_widget(t), KEY_DOWN) & WK_HANDLED);
	assert_true(widget_key(table_widget(t), KEY_DOWN) & WK_HANDLED);
	widget_draw(table_widget(t), pad);
	assert_non_null(strstr(row_text(pad, 3, 0, 30), "+1 above, +2 below"));
	assert_true(widget_key(table_widget(t), KEY_END) & WK_HANDLED);
	assert_int_equal(table_row_at(t, 0, 2), -1);
	assert_true(widget_key(table_widget(t), 'x') & WK_IGNORED);
	widget_free(table_widget(t));
	delwin(pad);
}

/* --------------------------------------------------------- statusbar */

static void test_statusbar(void **state)
{
	static const struct statusbar_item items[] = {
		{ "F1", "Help", 0 }, { "F2", "Edit", 1 }, { "F5", "Start", 0 },
		{ "+-", "Zoom", 3 }, { "q", "Quit", 0 },
	};
	struct statusbar *s = statusbar_new();
	WINDOW *pad = newpad(1, 80);

	(void)state;
	statusbar_set(s, items, 5);
	widget_resize(statusbar_widget(s), 0, 0, 1, 80);
	widget_draw(statusbar_widget(s), pad);
	assert_int_equal(statusbar_shown(s), 5);
	assert_non_null(strstr(row_text(pad, 0, 0, 80), "F1Help F2Edit F5Start +-Zoom qQuit"));
	/* narrow: the zoom item (prio 3) goes first, then edit */
	widget_resize(statusbar_widget(s), 0, 0, 1, 29);
	widget_draw(statusbar_widget(s), pad);
	assert_int_equal(statusbar_shown(s), 4);
	assert_null(strstr(row_text(pad, 0, 0, 29), "Zoom"));
	widget_resize(statusbar_widget(s), 0, 0, 1, 22);
	widget_draw(statusbar_widget(s), pad);
	assert_int_equal(statusbar_shown(s), 3);
	assert_non_null(strstr(row_text(pad, 0, 0, 22), "qQuit"));
	/* a message too long beside the keys that always stay is elided in
	 * the middle, never dropped (at 80 columns a live knob's note once
	 * vanished, and with it the caps it set) */
	statusbar_message(s, "oltp.0-7: IOPS cap 50000 -> 40000 total (read 36000, write 4000)",
			  ROLE_OK);
	widget_resize(statusbar_widget(s), 0, 0, 1, 80);
	widget_draw(statusbar_widget(s), pad);
	{
		const char *row = row_text(pad, 0, 0, 80);

		assert_non_null(strstr(row, "F1Help F5Start qQuit"));
		assert_non_null(strstr(row, "oltp.0-7"));
		assert_non_null(strstr(row, "(read 36000, write 4000)"));
		assert_non_null(strstr(row, utf8 ? "\u2026" : "..."));
	}
	/* no room worth the name: the keys only */
	widget_resize(statusbar_widget(s), 0, 0, 1, 30);
	widget_draw(statusbar_widget(s), pad);
	assert_null(strstr(row_text(pad, 0, 0, 30), "oltp"));
	assert_non_null(strstr(row_text(pad, 0, 0, 30), "qQuit"));
	widget_free(statusbar_widget(s));
	delwin(pad);
}

/* ----------------------------------------------------------- histbar */

static void test_histbar(void **state)
{
	struct histbar_bin bins[3] = {
		{ "<=10us", 50, "50%" }, { "<=20us", 25, "25%" }, { "<=50us", 0.1, "0.1%" }
	};
	struct histbar *h = histbar_new("clat");
	WINDOW *pad = newpad(5, 40);

	(void)state;
	assert_int_equal(histbar_set(h, bins, 3), 0);
	widget_resize(histbar_widget(h), 0, 0, 5, 40);
	widget_draw(histbar_widget(h), pad);
	assert_true(histbar_bar_eighths(h, 0) > 0);
	/* half the largest bin: half the bar, within one eighth */
	assert_true(abs(histbar_bar_eighths(h, 1) * 2 - histbar_bar_eighths(h, 0)) <= 2);
	/* a tiny bin still shows */
	assert_true(histbar_bar_eighths(h, 2) >= 1);
	assert_non_null(strstr(row_text(pad, 1, 0, 40), "<=10us"));
	assert_non_null(strstr(row_text(pad, 1, 0, 40), "50%"));
	widget_free(histbar_widget(h));
	delwin(pad);
}

/* ----------------------------------------------------------- heatmap */

/* Two modes, 100 us (90%) and 5 ms (10%), in every column of a heat map
 * with 8 buckets an octave from 1 us: two bands, the lower one darker, a
 * gap between, with the glyph ramp and with the colour ramp; the tooltip
 * lists both ranges and marks the one asked for; percentiles per column. */
static void test_heatmap(void **state)
{
	enum { NB = 160, B100US = 53, B5MS = 98 };
	uint64_t edge[NB + 1], cnt[NB];
	struct heatmap *h = heatmap_new("Latency heat map");
	struct tooltip *tip = tooltip_new();
	WINDOW *pad = newpad(12, 60);
	int py, px, ph, pw;

	(void)state;
	for (unsigned b = 0; b <= NB; b++)
		edge[b] = (uint64_t)llround(1000.0 * exp2(b / 8.0));
	assert_true(edge[B100US] <= 100000 && 100000 < edge[B100US + 1]);
	assert_true(edge[B5MS] <= 5000000 && 5000000 < edge[B5MS + 1]);
	assert_int_equal(heatmap_set_buckets(h, edge, NB), 0);
	heatmap_widget(h)->cls->resize(heatmap_widget(h), 0, 0, 12, 60);
	heatmap_set_xrange(h, 0, 1000000);
	heatmap_plot_rect(h, &py, &px, &ph, &pw);
	assert_int_equal(ph, 10);
	assert_true(pw > 40);
	memset(cnt, 0, sizeof(cnt));
	cnt[B100US] = 900;
	cnt[B5MS] = 100;
	for (int c = 0; c < pw; c++)
		assert_int_equal(heatmap_set_col(h, c, cnt), 0);
	assert_true(heatmap_col_percentile(h, 3, 50) >= edge[B100US] &&
		    heatmap_col_percentile(h, 3, 50) < edge[B100US + 1]);
	assert_true(heatmap_col_percentile(h, 3, 99) >= edge[B5MS] &&
		    heatmap_col_percentile(h, 3, 99) < edge[B5MS + 1]);

	for (int ramp = 0; ramp < 2; ramp++) {
		int lo = -1, hi = -1, lo_lv = 0, hi_lv = 0;

		widget_colour_ramp = ramp;
		widget_draw(heatmap_widget(h), pad);
		for (int r = 0; r < ph; r++) {
			int lv = heatmap_cell_level(h, r, 5);

			for (int c = 0; c < pw; c++)
				assert_int_equal(heatmap_cell_level(h, r, c), lv);
			if (!lv)
				continue;
			if (lo < 0) {
				lo = r;
				lo_lv = lv;
			} else {
				assert_int_equal(hi, -1); /* two populated rows only */
				hi = r;
				hi_lv = lv;
			}
		}
		assert_true(lo >= 0 && hi > lo + 1);
		assert_true(lo_lv > hi_lv);
		if (!ramp) {
			assert_int_equal(lo_lv, 4); /* 90%: full block */
			assert_int_equal(hi_lv, 2); /* 10% */
			if (utf8)
				assert_non_null(strstr(row_text(pad, py + ph - 1 - lo, px, pw),
						       "\u2588\u2588\u2588"));
		}
		/* the tooltip over the upper band */
		tooltip_clear(tip);
		heatmap_tip(h, 5, hi, tip);
		assert_int_equal(tooltip_lines(tip), 1 + 2 + 3);
		widget_resize(tooltip_widget(tip), 0, 0, 12, 60);
		tooltip_set_anchor(tip, 2, 2);
		widget_draw(tooltip_widget(tip), pad);
		{
			bool marked = false, other = false;

			for (int y = 0; y < 12; y++) {
				const char *t = row_text(pad, y, 0, 60);

				marked |= strstr(t, "> ") && strstr(t, "ms-") && strstr(t, "10.0%");
				other |= strstr(t, "  ") && strstr(t, "us-") && strstr(t, "90.0%");
			}
			assert_true(marked);
			assert_true(other);
		}
	}
	widget_colour_ramp = false;
	/* no data: the note, no shaded cell */
	heatmap_clear(h);
	heatmap_set_note(h, "waiting for samples");
	widget_draw(heatmap_widget(h), pad);
	assert_int_equal(heatmap_cell_level(h, 0, 0), 0);
	{
		bool note = false;

		for (int y = 0; y < 12; y++)
			note |= strstr(row_text(pad, y, 0, 60), "waiting for samples") != NULL;
		assert_true(note);
	}
	widget_free(tooltip_widget(tip));
	widget_free(heatmap_widget(h));
	delwin(pad);
}

/* ------------------------------------------------------------ dialog */

static void test_dialog(void **state)
{
	static const char *const yn[] = { "Yes", "No" };
	struct dialog *d = dialog_new(DIALOG_CONFIRM, "Quit", "Jobs are running. Stop them and quit?",
				      yn, 2);
	WINDOW *pad = newpad(24, 80);
	bool found = false;

	(void)state;
	assert_int_equal(dialog_result(d), -2);
	widget_draw(dialog_widget(d), pad);
	for (int y = 0; y < 24; y++)
		found |= strstr(row_text(pad, y, 0, 80), "[ Yes ]") != NULL;
	assert_true(found);
	assert_true(widget_key(dialog_widget(d), 'y') & WK_QUIT);
	assert_int_equal(dialog_result(d), 0);
	dialog_reopen(d);
	assert_true(widget_key(dialog_widget(d), 27) & WK_QUIT);
	assert_int_equal(dialog_result(d), -1);
	widget_free(dialog_widget(d));

	d = dialog_new(DIALOG_INPUT, "iodepth", "New iodepth", NULL, 0);
	dialog_set_input(d, "1");
	widget_key(dialog_widget(d), KEY_BACKSPACE);
	widget_key(dialog_widget(d), '3');
	widget_key(dialog_widget(d), '2');
	assert_string_equal(dialog_input(d), "32");
	assert_true(widget_key(dialog_widget(d), '\n') & WK_QUIT);
	assert_int_equal(dialog_result(d), 0);
	widget_free(dialog_widget(d));
	delwin(pad);
}

/* -------------------------------------------------------------- form */

/* accepts sizes like "4k" and plain numbers; explains everything else */
static int validate_size(void *ctx, const struct form_field *f, const char *text, char *err,
			 size_t errlen)
{
	char *end;

	(void)ctx;
	if (f->kind != FF_TEXT)
		return 0;
	strtoull(text, &end, 10);
	if (end == text || (*end && strcmp(end, "k") && strcmp(end, "m"))) {
		snprintf(err, errlen, "'%s' is not a size", text);
		return -1;
	}
	return 0;
}

/* Scrolled into the middle of a group, the form keeps that group's header
 * on its first row, and the focused field is never under it. */
static void test_form_sticky_header(void **state)
{
	struct form_field fields[12];
	WINDOW *pad = newpad(4, 60);
	struct form *f;

	(void)state;
	memset(fields, 0, sizeof(fields));
	fields[0].kind = FF_HEADER;
	fields[0].label = "first";
	for (int i = 1; i < 12; i++) {
		static char labels[12][16];

		snprintf(labels[i], sizeof(labels[i]), "f%d", i);
		fields[i].kind = FF_TEXT;
		fields[i].label = labels[i];
		strcpy(fields[i].value, "x");
	}
	fields[8].kind = FF_HEADER;
	fields[8].label = "second";
	f = form_new(fields, 12, NULL, NULL);
	widget_resize(form_widget(f), 0, 0, 4, 60);
	widget_focus(form_widget(f), true);
	for (int i = 0; i < 5; i++)
		widget_key(form_widget(f), KEY_DOWN);
	assert_int_equal(form_focus(f), 6);
	widget_draw(form_widget(f), pad);
	assert_non_null(strstr(row_text(pad, 0, 0, 60), " first "));
	assert_non_null(strstr(row_text(pad, 3, 0, 60), "f6"));
	/* back up: the focused field moves to row 1, under the header */
	for (int i = 0; i < 3; i++)
		widget_key(form_widget(f), KEY_UP);
	widget_draw(form_widget(f), pad);
	assert_non_null(strstr(row_text(pad, 0, 0, 60), " first "));
	assert_non_null(strstr(row_text(pad, 1, 0, 60), "f3"));
	/* into the next group: its own header shows */
	for (int i = 0; i < 7; i++)
		widget_key(form_widget(f), KEY_DOWN);
	widget_draw(form_widget(f), pad);
	assert_non_null(strstr(row_text(pad, 0, 0, 60), " second "));
	widget_free(form_widget(f));
	delwin(pad);
}

static void test_form(void **state)
{
	static const char *const rw[] = { "read", "write", "randread", NULL };
	struct form_field fields[] = {
		{ .kind = FF_HEADER, .label = "workload" },
		{ .kind = FF_CHOICE, .label = "rw", .choices = rw, .value = "read" },
		{ .kind = FF_TEXT, .label = "bs", .units = "bytes", .value = "4k" },
		{ .kind = FF_BOOL, .label = "direct", .value = "0" },
	};
	struct form *f = form_new(fields, 4, validate_size, NULL);
	WINDOW *pad = newpad(6, 80);
	size_t first = 99;
	bool shown = false;

	(void)state;
	widget_resize(form_widget(f), 0, 0, 6, 80);
	widget_focus(form_widget(f), true);
	/* the header is skipped */
	assert_int_equal(form_focus(f), 1);
	/* choice cycles */
	widget_key(form_widget(f), KEY_RIGHT);
	assert_string_equal(form_field(f, 1)->value, "write");
	/* edit bs: type "abc" over it, validated on each key */
	widget_key(form_widget(f), KEY_DOWN);
	assert_int_equal(form_focus(f), 2);
	widget_key(form_widget(f), '\n');
	assert_true(form_editing(f));
	widget_key(form_widget(f), 21); /* Ctrl-U */
	widget_key(form_widget(f), 'a');
	assert_string_equal(form_field(f, 2)->error, "'a' is not a size");
	widget_key(form_widget(f), 'b');
	widget_key(form_widget(f), 'c');
	assert_string_equal(form_field(f, 2)->error, "'abc' is not a size");
	widget_draw(form_widget(f), pad);
	for (int y = 0; y < 6; y++)
		shown |= strstr(row_text(pad, y, 0, 80), "'abc' is not a size") != NULL;
	assert_true(shown);
	widget_key(form_widget(f), '\n');
	assert_false(form_editing(f));
	/* the refused value stays, with its reason */
	assert_string_equal(form_field(f, 2)->value, "abc");
	assert_int_equal(form_errors(f, &first), 1);
	assert_int_equal(first, 2);
	/* Esc during an edit restores the value the edit began with */
	widget_key(form_widget(f), '\n');
	widget_key(form_widget(f), 21);
	widget_key(form_widget(f), '8');
	widget_key(form_widget(f), 'k');
	assert_string_equal(form_field(f, 2)->error, "");
	widget_key(form_widget(f), 27);
	assert_string_equal(form_field(f, 2)->value, "abc");
	assert_int_equal(form_errors(f, NULL), 1);
	/* fixing it clears the error */
	assert_int_equal(form_set_value(f, 2, "64k"), 0);
	assert_int_equal(form_errors(f, NULL), 0);
	/* bool toggles with space */
	widget_key(form_widget(f), KEY_DOWN);
	widget_key(form_widget(f), ' ');
	assert_string_equal(form_field(f, 3)->value, "1");
	/* search by label */
	widget_key(form_widget(f), '/');
	widget_key(form_widget(f), 'b');
	widget_key(form_widget(f), 's');
	widget_key(form_widget(f), '\n');
	assert_int_equal(form_focus(f), 2);
	/* keys the form does not use go back to the screen */
	assert_true(widget_key(form_widget(f), KEY_F(5)) & WK_IGNORED);
	widget_free(form_widget(f));
	delwin(pad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units_fmt),
		cmocka_unit_test(test_units_scale),
		cmocka_unit_test(test_units_time),
		cmocka_unit_test(test_graph_ticks),
		cmocka_unit_test(test_graph_cells),
		cmocka_unit_test(test_graph_columns),
		cmocka_unit_test(test_graph_marks_and_cursor),
		cmocka_unit_test(test_graph_marks_close),
		cmocka_unit_test(test_graph_legend_narrow),
		cmocka_unit_test(test_elide_middle),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_tooltip_bounds),
		cmocka_unit_test(test_tooltip_place),
		cmocka_unit_test(test_tooltip_draw),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_statusbar),
		cmocka_unit_test(test_histbar),
		cmocka_unit_test(test_heatmap),
		cmocka_unit_test(test_dialog),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_form_sticky_header),
	};

	return cmocka_run_group_tests(tests, setup_screen, teardown_screen);
}
