/* Hosts view (c): the hosts a fio-server source drives, each connection's
 * state, what the server runs on and when it last spoke; the figures of
 * each host's jobs summed, of each job across the hosts and of all of
 * them, with percentiles from the merged latency bins (the true cluster
 * percentiles) beside the mean of the hosts' own p99. Everything comes from
 * source_hosts(); a kind without hosts has nothing here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "term.h"
#include "../lib/units.h"

#define MAX_ROWS 512

struct hosts_state {
	struct source_host *rows;
	int n;       /* rows there are (may exceed MAX_ROWS) */
	int scroll;  /* first line shown */
};

static int hosts_open(struct app *a)
{
	a->hosts = calloc(1, sizeof(*a->hosts));
	if (!a->hosts)
		return -ENOMEM;
	a->hosts->rows = calloc(MAX_ROWS, sizeof(*a->hosts->rows));
	return a->hosts->rows ? 0 : -ENOMEM;
}

static void hosts_close(struct app *a)
{
	if (a->hosts)
		free(a->hosts->rows);
	free(a->hosts);
	a->hosts = NULL;
}

static void hosts_update(struct app *a)
{
	int n = source_hosts(a->src, a->hosts->rows, MAX_ROWS);

	a->hosts->n = n < 0 ? 0 : n;
}

static void hosts_enter(struct app *a)
{
	a->hosts->scroll = 0;
	hosts_update(a);
}

unsigned hosts_sum_rows(struct app *a)
{
	unsigned n = 0;

	if (!a->hosts)
		return 0;
	hosts_update(a);
	for (int i = 0; i < a->hosts->n && i < MAX_ROWS; i++)
		n += a->hosts->rows[i].kind == SH_HOST;
	return n;
}

void hosts_sum_cell(struct app *a, unsigned i, int col, char *buf, size_t len,
		    enum role *role)
{
	const struct source_host *r;

	buf[0] = '\0';
	if (!a->hosts || i >= (unsigned)a->hosts->n || i >= MAX_ROWS ||
	    a->hosts->rows[i].kind != SH_HOST)
		return;
	r = &a->hosts->rows[i];
	*role = ROLE_DIM;
	switch (col) {
	case 0:
		snprintf(buf, len, "%s", "all");   /* of the host's jobs */
		break;
	case 1:
		snprintf(buf, len, "%s", r->name);
		*role = ROLE_BOLD;
		break;
	case 2:
		snprintf(buf, len, "%u/%u %s", r->running, r->jobs, r->state);
		*role = r->err[0] ? ROLE_ERROR : ROLE_BOLD;
		break;
	case 4:
		units_fmt(buf, len, r->iops, UNIT_NONE);
		break;
	case 5:
		units_fmt(buf, len, r->bw, UNIT_BYTES_S);
		break;
	case 6:
		if (r->p99)
			units_fmt(buf, len, (double)r->p99, UNIT_NSEC);
		else
			snprintf(buf, len, "-");
		break;
	case 7:
		snprintf(buf, len, "%llu", (unsigned long long)r->io_errors);
		break;
	}
	if (col >= 4 && *role == ROLE_DIM)
		*role = ROLE_BOLD;
}

/* The figures every row shares: jobs, IOPS, BW, p50, p99, p99.9. */
static int figures(char *buf, size_t len, const struct source_host *r)
{
	char iops[16], bw[16], p50[16], p99[16], p999[16];

	units_fmt(iops, sizeof(iops), r->iops, UNIT_NONE);
	units_fmt(bw, sizeof(bw), r->bw, UNIT_BYTES_S);
	units_fmt(p50, sizeof(p50), (double)r->p50, UNIT_NSEC);
	units_fmt(p99, sizeof(p99), (double)r->p99, UNIT_NSEC);
	units_fmt(p999, sizeof(p999), (double)r->p999, UNIT_NSEC);
	return snprintf(buf, len, "%3u/%-4u %7s %10s %7s %7s %7s", r->running, r->jobs, iops, bw,
			r->p50 ? p50 : "-", r->p99 ? p99 : "-", r->p999 ? p999 : "-");
}

/* One line of the view into @buf; its role into *@role. Returns false past
 * the last line. Lines: a title, the hosts (each with its reason when
 * lost), a gap, the jobs across hosts and All clients. */
static bool line_at(struct app *a, int k, char *buf, size_t len, enum role *role)
{
	const struct hosts_state *hs = a->hosts;
	int n = hs->n < MAX_ROWS ? hs->n : MAX_ROWS, l = 0;
	const char *fig = "Run/Jobs    IOPS         BW     p50     p99   p99.9";

	/* figures first, at the same columns in both parts */
	bool whole = n && hs->rows[0].whole_run;

	*role = ROLE_NORMAL;
	if (k == l++) {
		*role = ROLE_TABLE_HEAD;
		snprintf(buf, len, "%-17s %-10s %s  %-9s %5s %6s  %s", "Host", "State", fig, "fio",
			 "Last", "Errors", "System");
		return true;
	}
	for (int i = 0; i < n; i++) {
		const struct source_host *r = &hs->rows[i];
		char age[16], f[96];

		if (r->kind != SH_HOST)
			continue;
		if (k == l++) {
			if (r->rx_age_s < 0)
				snprintf(age, sizeof(age), "-");
			else
				snprintf(age, sizeof(age), "%.1fs", r->rx_age_s);
			figures(f, sizeof(f), r);
			snprintf(buf, len, "%-17.17s %-10.10s %s  %-9.9s %5s %6llu  %s", r->name,
				 r->state, f, r->version[0] ? r->version : "-", age,
				 (unsigned long long)r->io_errors, r->system[0] ? r->system : "-");
			*role = r->err[0] ? ROLE_ERROR : ROLE_NORMAL;
			return true;
		}
		if (r->err[0] && k == l++) {
			snprintf(buf, len, "  lost: %s", r->err);
			*role = ROLE_ERROR;
			return true;
		}
	}
	if (k == l++) {
		snprintf(buf, len, "%s", "");
		return true;
	}
	if (k == l++) {
		*role = ROLE_TABLE_HEAD;
		snprintf(buf, len, "%-28s %s  %s", "Job, every host", fig,
			 "hosts' p99 averaged");
		return true;
	}
	for (int i = 0; i < n; i++) {
		const struct source_host *r = &hs->rows[i];
		char f[96], mean[16];

		if (r->kind == SH_HOST || k != l++)
			continue;
		figures(f, sizeof(f), r);
		units_fmt(mean, sizeof(mean), (double)r->p99_hosts, UNIT_NSEC);
		snprintf(buf, len, "%-28.28s %s  %s", r->name, f, r->p99_hosts ? mean : "-");
		*role = r->kind == SH_ALL ? ROLE_BOLD : ROLE_NORMAL;
		return true;
	}
	if (k == l++) {
		snprintf(buf, len, "%s", "");
		return true;
	}
	if (k == l++) {
		*role = ROLE_DIM;
		snprintf(buf, len, "%s", whole
			 ? "Figures of the whole run. Percentiles: of the merged latency bins of "
			   "every job (every direction)."
			 : "Figures of each host's last status interval (a second). Percentiles: "
			   "of the merged latency bins of every job (every direction).");
		return true;
	}
	return false;
}

static void hosts_draw(struct app *a, WINDOW *win)
{
	int rows = a->rows - 3, y = 2;
	char buf[512];
	enum role role;

	int nh = 0, lines = 0;

	for (int i = 0; i < a->hosts->n && i < MAX_ROWS; i++)
		nh += a->hosts->rows[i].kind == SH_HOST;
	text_fill(win, 0, 0, a->cols, role_attr(ROLE_HEADER));
	text_putf(win, 0, 0, a->cols, role_attr(ROLE_HEADER),
		  " Hosts  %d fio server%s, their jobs and the cluster", nh, nh == 1 ? "" : "s");
	if (!a->hosts->n) {
		text_putf(win, 2, 1, a->cols - 2, role_attr(ROLE_DIM),
			  "A %s source drives no hosts: iolab --client=HOST[,PORT] job.fio "
			  "runs a job on fio servers.", source_kind(a->src));
		return;
	}
	text_put(win, 1, 1, a->cols - 2, role_attr(ROLE_DIM),
		 "Up/Down scroll  Esc dashboard");
	while (line_at(a, lines, buf, sizeof(buf), &role))
		lines++;
	if (a->hosts->scroll > lines - rows)
		a->hosts->scroll = lines - rows;
	if (a->hosts->scroll < 0)
		a->hosts->scroll = 0;
	for (int k = a->hosts->scroll; y < 2 + rows && line_at(a, k, buf, sizeof(buf), &role);
	     k++)
		text_put(win, y++, 1, a->cols - 2, role_attr(role), buf);
}

static unsigned hosts_key(struct app *a, int key)
{
	switch (key) {
	case 27:
	case 'c':
		app_show(a, SCR_DASH);
		return WK_HANDLED | WK_REDRAW;
	case KEY_UP:
	case 'k':
		if (a->hosts->scroll > 0)
			a->hosts->scroll--;
		return WK_HANDLED | WK_REDRAW;
	case KEY_DOWN:
	case 'j':
		a->hosts->scroll++;
		return WK_HANDLED | WK_REDRAW;
	case KEY_HOME:
		a->hosts->scroll = 0;
		return WK_HANDLED | WK_REDRAW;
	}
	return WK_IGNORED;
}

static void hosts_footer(struct app *a, struct statusbar *sb)
{
	static const struct statusbar_item items[] = {
		{ "F1", "Help", 0 }, { "Up/Down", "Scroll", 1 }, { "F3", "Results", 2 },
		{ "Esc", "Dashboard", 0 }, { "q", "Quit", 0 },
	};

	(void)a;
	statusbar_set(sb, items, sizeof(items) / sizeof(items[0]));
}

const struct screen_ops hosts_screen = {
	.name = "hosts",
	.open = hosts_open,
	.close = hosts_close,
	.enter = hosts_enter,
	.update = hosts_update,
	.draw = hosts_draw,
	.key = hosts_key,
	.footer = hosts_footer,
};
