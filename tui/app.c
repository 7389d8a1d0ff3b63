/* The workbench's main loop and actions; see tui.h and app.h.
 *
 * Loop: term_poll() on stdin and the backend's wake fd with a tick
 * timeout; read every pending key; check signals; notice what changed
 * (samples_seq, each job's runstate/error, the clock's second while jobs
 * run); when something did, the current screen updates its state and draws
 * the whole frame into stdscr, and one doupdate sends the difference. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../backend/devguard.h"
#include "../backend/iolog.h"
#include "../backend/job.h"
#include "../backend/profiles.h"
#include "../lib/clock.h"
#include "../widgets/units.h"
#include "app.h"
#include "term.h"

#define TICK_MS 250
#define IDLE_TICK_MS 1000
#define MSG_NS (4 * NS_PER_SEC)

const struct knob_def knobs[] = {
	{ 'd', "iodepth", "QD" },
	{ 'b', "bs", "BS" },
	{ 'o', "rate_iops", "IOPS cap" },
	{ 'w', "rate", "BW cap" },
	{ 'm', "rwmixread", "Mix" },
};
const unsigned nknobs = sizeof(knobs) / sizeof(knobs[0]);

const char *job_label(const struct job *j)
{
	return j && j->label ? j->label : j && j->name ? j->name : "?";
}

double job_progress(const struct job *j, uint64_t now)
{
	enum runstate rs = job_runstate(j);
	uint64_t started = __atomic_load_n(&j->started_ns, __ATOMIC_RELAXED);

	/* a failed job shows how far it got */
	if (rs >= RS_EXITED && !__atomic_load_n(&j->error, __ATOMIC_RELAXED))
		return 1.0;
	if (rs == RS_NOT_CREATED)
		return 0.0;
	if (j->o.time_based && j->o.runtime_us) {
		uint64_t total = (j->o.ramp_time_us + j->o.runtime_us) * NS_PER_US;

		if (rs >= RS_EXITED)
			now = __atomic_load_n(&j->ended_ns, __ATOMIC_RELAXED);
		if (!started || now <= started)
			return 0.0;
		return (double)(now - started) / (double)total > 1.0
			       ? 1.0
			       : (double)(now - started) / (double)total;
	}
	if (j->io_target_bytes) {
		uint64_t b = 0;
		double f;

		for (int d = 0; d < DDIR_RWDIR_CNT; d++)
			b += __atomic_load_n(&j->bytes_issued[d], __ATOMIC_RELAXED);
		f = (double)b / (double)j->io_target_bytes;
		if (j->o.runtime_us && started && now > started) {
			double tf = (double)(now - started) /
				    (double)((j->o.ramp_time_us + j->o.runtime_us) * NS_PER_US);

			if (tf > f)
				f = tf; /* the runtime cap ends it first */
		}
		return f > 1.0 ? 1.0 : f;
	}
	return -1.0;
}

double job_eta(const struct job *j, uint64_t now)
{
	uint64_t started = __atomic_load_n(&j->started_ns, __ATOMIC_RELAXED);
	double f = job_progress(j, now), el;

	if (job_runstate(j) >= RS_EXITED)
		return 0;
	if (f <= 0 || !started || now <= started)
		return -1;
	el = (double)(now - started) / 1e9;
	return el * (1.0 - f) / f;
}

enum role job_role(const struct job *j)
{
	enum runstate rs = job_runstate(j);

	if (__atomic_load_n(&j->error, __ATOMIC_RELAXED))
		return ROLE_ERROR;
	if (rs == RS_RUNNING)
		return ROLE_RUNNING;
	if (rs > RS_NOT_CREATED && rs < RS_EXITED)
		return ROLE_WARN;
	if (rs >= RS_EXITED)
		return ROLE_OK;
	return ROLE_DIM;
}

bool app_any_running(struct app *a)
{
	return backend_running(a->be);
}

void app_message(struct app *a, enum role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
	a->msg_role = role;
	a->msg_until_ns = clock_now_ns() + MSG_NS;
	a->dirty = true;
}

void app_dialog(struct app *a, struct dialog *d, enum dlg_tag tag, long arg)
{
	if (a->dlg)
		widget_free(dialog_widget(a->dlg));
	a->dlg = d;
	if (d)
		dialog_set_tag(d, tag, arg);
	a->dirty = true;
}

void app_error(struct app *a, const char *title, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	app_dialog(a, dialog_new(DIALOG_ERROR, title, buf, NULL, 0), DLG_INFO, 0);
}

void app_show(struct app *a, enum screen_id s)
{
	a->scr = s;
	if (a->screens[s]->enter)
		a->screens[s]->enter(a);
	a->dirty = true;
}

/* -------------------------------------------------------------- actions */

/* Appends to @msg a line for each block device job @s would write or trim,
 * resolving its targets as the worker does (job_target_paths: every name of
 * filename=, under directory=; with read_iolog, the log's paths it writes
 * or trims, whatever rw= says), with what the device guard finds on it.
 * Returns how many it found. */
static unsigned destructive_targets(const struct job_spec *s, char *msg, size_t len)
{
	const char *name = s->opts.name && s->opts.name[0] ? s->opts.name : s->section;
	char **paths = NULL;
	unsigned found = 0;
	int n;

	if (s->opts.read_iolog && s->opts.read_iolog[0])
		n = iolog_written_paths(&s->opts, name, s->clone, &paths);
	else if (!(s->opts.rw & (RW_WRITE | RW_TRIM)))
		return 0;
	else
		n = job_target_paths(&s->opts, s->opts.name ? s->opts.name : name, s->clone,
				     &paths);
	for (int i = 0; i < n; i++) {
		char why[512];
		struct stat st;
		size_t used = strlen(msg);

		if (stat(paths[i], &st) || !S_ISBLK(st.st_mode))
			continue;
		found++;
		if (used + 1 >= len)
			continue;
		snprintf(msg + used, len - used, "Job '%s' writes to the block device %s.\n", name,
			 paths[i]);
		used = strlen(msg);
		if (!s->opts.allow_mounted_write &&
		    devguard_blkdev_in_use_path(paths[i], why, sizeof(why)) > 0 && used + 1 < len)
			snprintf(msg + used, len - used, "  (%s: the job will be refused)\n", why);
	}
	job_paths_free(paths, n > 0 ? (unsigned)n : 0);
	return found;
}

int act_reload(struct app *a)
{
	char err[512] = "";

	if (app_any_running(a)) {
		app_error(a, "Jobs are running", "Stop the jobs before loading new ones.");
		return -1;
	}
	if (a->started && !a->reaped) {
		backend_wait(a->be);
		a->reaped = true;
	}
	if (backend_load(a->be, a->jobs, err, sizeof(err))) {
		app_error(a, "Cannot load the jobs", "%s", err);
		return -1;
	}
	a->started = false;
	a->reaped = false;
	a->results_shown = false;
	a->live = true;
	a->cursor_on = false;
	if (a->sel >= backend_njobs(a->be))
		a->sel = 0;
	free(a->fail_reported);
	a->fail_reported = calloc(backend_njobs(a->be) + 1, sizeof(bool));
	results_invalidate(a);
	a->dirty = true;
	return 0;
}

void act_start(struct app *a, bool confirmed)
{
	int rc;

	if (app_any_running(a)) {
		const struct job *j = backend_job(a->be, a->sel);

		/* others run: (re)start just the selected job if it is idle */
		if (j && (job_runstate(j) == RS_NOT_CREATED || job_runstate(j) >= RS_EXITED)) {
			act_restart(a, a->sel);
			return;
		}
		app_message(a, ROLE_WARN, "jobs are already running");
		return;
	}
	if (!confirmed) {
		char msg[2048] = "";
		unsigned found = 0;

		/* every target of every job: one question naming each device */
		for (size_t i = 0; i < a->jobs->nr; i++)
			found += destructive_targets(&a->jobs->jobs[i], msg, sizeof(msg) - 64);
		if (found) {
			static const char *const btn[] = { "Start", "Cancel" };
			struct dialog *d;

			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
				 "Everything on %s may be destroyed. Start anyway?",
				 found > 1 ? "them" : "it");
			d = dialog_new(DIALOG_CONFIRM, "Destructive target", msg, btn, 2);
			app_dialog(a, d, DLG_DESTRUCT, 0);
			return;
		}
	}
	if (a->started && act_reload(a))
		return;
	rc = backend_start(a->be);
	if (rc) {
		app_error(a, "Cannot start", "Starting the jobs failed: %s", strerror(-rc));
		return;
	}
	a->started = true;
	a->reaped = false;
	a->results_shown = false;
	a->live = true;
	app_message(a, ROLE_OK, "started %u job%s", backend_njobs(a->be),
		    backend_njobs(a->be) == 1 ? "" : "s");
}

void act_stop(struct app *a, int id)
{
	const struct job *j = id >= 0 ? backend_job(a->be, (unsigned)id) : NULL;

	if (!app_any_running(a)) {
		app_message(a, ROLE_DIM, "nothing is running");
		return;
	}
	backend_stop(a->be, id);
	if (id < 0)
		app_message(a, ROLE_WARN, "stopping all jobs");
	else
		app_message(a, ROLE_WARN, "stopping '%s'", job_label(j));
}

void act_restart(struct app *a, unsigned id)
{
	char err[512] = "";

	if (id >= a->jobs->nr || id >= backend_njobs(a->be))
		return;
	if (!a->started) {
		/* nothing ran yet: a restart is a start */
		act_start(a, false);
		return;
	}
	if (backend_restart_job(a->be, id, &a->jobs->jobs[id].opts, err, sizeof(err))) {
		app_error(a, "Cannot restart", "%s", err);
		return;
	}
	a->reaped = false;
	a->results_shown = false;
	if (a->fail_reported && id < backend_njobs(a->be))
		a->fail_reported[id] = false;
	results_invalidate(a);
	app_message(a, ROLE_OK, "restarted '%s'", job_label(backend_job(a->be, id)));
}

/* Current value of knob @k of job @j as text. */
static void knob_value(const struct job *j, int k, char *buf, size_t len)
{
	const struct opt_def *def = opt_find(knobs[k].name);
	struct job_opts tmp;

	opts_init(&tmp);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		/* a total cap reads as the one value it was set with */
		tmp.rate[d] = j->knobs.rate_total ? j->knobs.rate_total : j->knobs.rate[d];
		tmp.rate_iops[d] =
			j->knobs.rate_iops_total ? j->knobs.rate_iops_total : j->knobs.rate_iops[d];
		tmp.bs[d] = j->knobs.bs[d] ? j->knobs.bs[d] : j->o.bs[d];
	}
	tmp.iodepth = j->knobs.iodepth;
	tmp.rwmixread = j->knobs.rwmixread;
	if (!strcmp(knobs[k].name, "rate_iops") && !j->knobs.rate_iops_total &&
	    opts_has_ddir(&j->o, DDIR_READ) && opts_has_ddir(&j->o, DDIR_WRITE))
		/* per direction: "r,w" even when equal, as a single value would
		 * read as a total */
		snprintf(buf, len, "%" PRIu64 ",%" PRIu64, tmp.rate_iops[DDIR_READ],
			 tmp.rate_iops[DDIR_WRITE]);
	else if (!strcmp(knobs[k].name, "rate") && !j->knobs.rate_total &&
		 opts_has_ddir(&j->o, DDIR_READ) && opts_has_ddir(&j->o, DDIR_WRITE))
		snprintf(buf, len, "%" PRIu64 ",%" PRIu64, tmp.rate[DDIR_READ], tmp.rate[DDIR_WRITE]);
	else if (def)
		opt_print(def, &tmp, buf, len);
	else
		snprintf(buf, len, "?");
	opts_free(&tmp);
}

/* Dialog arg: the knob's index, and KNOB_CLONES when the dialog offers
 * every clone of the job (buttons: this clone, all clones, Cancel). */
#define KNOB_CLONES 0x100

/* For a rate knob on a job that reads and writes: "read 45000, write 5000"
 * into @buf and true; else false. */
static bool knob_caps(const struct job *j, int k, char *buf, size_t len)
{
	bool iops = !strcmp(knobs[k].name, "rate_iops");
	const uint64_t *v = iops ? j->knobs.rate_iops : j->knobs.rate;
	char r[32], w[32];

	if ((!iops && strcmp(knobs[k].name, "rate")) || !opts_has_ddir(&j->o, DDIR_READ) ||
	    !opts_has_ddir(&j->o, DDIR_WRITE))
		return false;
	if (iops) {
		snprintf(r, sizeof(r), "%" PRIu64, v[DDIR_READ]);
		snprintf(w, sizeof(w), "%" PRIu64, v[DDIR_WRITE]);
	} else {
		units_fmt(r, sizeof(r), (double)v[DDIR_READ], UNIT_BYTES_S);
		units_fmt(w, sizeof(w), (double)v[DDIR_WRITE], UNIT_BYTES_S);
	}
	snprintf(buf, len, "read %s, write %s", v[DDIR_READ] ? r : "no cap",
		 v[DDIR_WRITE] ? w : "no cap");
	return true;
}

void act_knob_prompt(struct app *a, int k)
{
	const struct job *j = backend_job(a->be, a->sel);
	char cur[64], msg[700], caps[96], who[160], b0[DIALOG_BUTTON_MAX], b1[DIALOG_BUTTON_MAX];
	const char *btn[3];
	struct dialog *d;
	unsigned first, n;
	size_t nb;

	if (!j)
		return;
	if (job_runstate(j) == RS_NOT_CREATED || job_runstate(j) >= RS_EXITED) {
		app_message(a, ROLE_WARN, "'%s' is not running: change %s in the editor (e)",
			    job_label(j), knobs[k].name);
		return;
	}
	n = backend_clones(a->be, a->sel, &first);
	if (n > 1)
		snprintf(who, sizeof(who), "%s (clone %u of %u of '%s')", job_label(j), j->clone + 1,
			 n, j->name);
	else
		snprintf(who, sizeof(who), "'%s'", job_label(j));
	knob_value(j, k, cur, sizeof(cur));
	if (knob_caps(j, k, caps, sizeof(caps))) {
		/* fio's rate/rate_iops cap each direction; the knob takes a total */
		snprintf(msg, sizeof(msg),
			 "%s of %s: %s now.\n"
			 "New total cap, split %u/%u as the mix splits I/Os\n"
			 "(or r,w to cap each direction; 0 for none):",
			 knobs[k].label, who, caps, j->knobs.rwmixread, 100 - j->knobs.rwmixread);
	} else {
		bool cap = !strcmp(knobs[k].name, "rate_iops") || !strcmp(knobs[k].name, "rate");

		snprintf(msg, sizeof(msg), "%s (%s) of %s is %s now.\nNew value (applied while it runs%s):",
			 knobs[k].label, knobs[k].name, who, cur, cap ? "; 0 for no cap" : "");
	}
	if (n > 1) {
		snprintf(b0, sizeof(b0), "%.28s only", job_label(j));
		snprintf(b1, sizeof(b1), "All %u clones", n);
		btn[0] = b0;
		btn[1] = b1;
		btn[2] = "Cancel";
		nb = 3;
	} else {
		btn[0] = "Apply";
		btn[1] = "Cancel";
		nb = 2;
	}
	d = dialog_new(DIALOG_INPUT, "Live knob", msg, btn, nb);
	dialog_set_input(d, cur);
	app_dialog(a, d, DLG_KNOB, k | (n > 1 ? KNOB_CLONES : 0));
}

/* Apply the knob dialog's value to the selected job (@all false) or to
 * every clone of it. */
static void knob_apply(struct app *a, struct dialog *d, bool all)
{
	int k = (int)(dialog_arg(d) & ~KNOB_CLONES);
	const struct job *j = backend_job(a->be, a->sel);
	char err[256] = "", before[64] = "", now[64] = "", after[200] = "", caps[96];
	const char *val = dialog_input(d);
	unsigned first = a->sel, n = 1;
	int rc;

	if (!j)
		return;
	if (all)
		n = backend_clones(a->be, a->sel, &first);
	knob_value(j, k, before, sizeof(before));
	rc = n > 1 ? backend_set_knobs(a->be, first, n, knobs[k].name, val, err, sizeof(err))
		   : backend_set_knob(a->be, a->sel, knobs[k].name, val, err, sizeof(err));
	if (rc) {
		dialog_set_message(d, err, true);
		dialog_reopen(d);
		return;
	}
	knob_value(j, k, now, sizeof(now));
	if (knob_caps(j, k, caps, sizeof(caps)))
		snprintf(after, sizeof(after), "%s%s (%s)", now,
			 strchr(now, ',') ? "" : " total", caps);
	else
		snprintf(after, sizeof(after), "%s", now);
	if (n > 1)
		app_message(a, ROLE_OK, "%s.0-%u: %s %s -> %s", j->name, n - 1, knobs[k].label, before,
			    after);
	else
		app_message(a, ROLE_OK, "%s: %s %s -> %s", job_label(j), knobs[k].label, before,
			    after);
	app_dialog(a, NULL, DLG_NONE, 0);
}

/* --------------------------------------------------------------- dialogs */

static void save_to(struct app *a, const char *path)
{
	char err[512] = "";

	if (!path[0]) {
		app_error(a, "Save", "No file name given.");
		return;
	}
	if (jobfile_save(a->jobs, path, err, sizeof(err))) {
		app_error(a, "Save failed", "%s", err);
		return;
	}
	app_message(a, ROLE_OK, "saved %zu job%s to %s", a->jobs->nr, a->jobs->nr == 1 ? "" : "s",
		    path);
	if (!a->jobs_path || strcmp(a->jobs_path, path)) {
		free(a->jobs_path);
		a->jobs_path = strdup(path); /* the next F9 offers it again */
	}
}

int act_load(struct app *a, const char *what, bool profile_only)
{
	struct job_list l;
	char err[1024] = "";
	struct stat st;
	int rc;

	if (app_any_running(a)) {
		app_error(a, "Jobs are running", "Stop the jobs before loading others.");
		return -1;
	}
	if (!what[0]) {
		app_error(a, "Cannot load", "No file or profile name given.");
		return -1;
	}
	job_list_init(&l);
	if (!profile_only && stat(what, &st) == 0) {
		rc = jobfile_load(&l, what, err, sizeof(err));
	} else if (profile_only || profile_find(what)) {
		rc = profile_load(&l, what, NULL, err, sizeof(err)) ||
		     profile_make_scratch(&l, what, err, sizeof(err));
	} else {
		int e = errno;

		if (e == ENOENT)
			snprintf(err, sizeof(err),
				 "%s: no such file, and no shipped profile of that name\n"
				 "(F4 lists the profiles)",
				 what);
		else
			snprintf(err, sizeof(err), "%s: %s", what, strerror(e));
		rc = -1;
	}
	if (!rc && l.nr == 0) {
		snprintf(err, sizeof(err), "%s: no jobs in it", what);
		rc = -1;
	}
	if (!rc)
		rc = job_list_finalize(&l, err, sizeof(err));
	if (rc) {
		job_list_free(&l);
		app_error(a, "Cannot load", "%s", err);
		return -1;
	}
	job_list_free(a->jobs);
	*a->jobs = l;
	a->sel = 0;
	free(a->jobs_path);
	a->jobs_path = !profile_only && stat(what, &st) == 0 ? strdup(what) : NULL;
	if (act_reload(a))
		return -1;
	/* the jobs that ran on an earlier profile's scratch file are gone */
	profile_scratch_drop_unused(a->jobs);
	app_message(a, ROLE_OK, "loaded %zu job%s from %s", a->jobs->nr, a->jobs->nr == 1 ? "" : "s",
		    what);
	if (a->scr == SCR_EDIT)
		editor_open(a, 0);
	return 0;
}

static void dialog_done(struct app *a)
{
	struct dialog *d = a->dlg;
	int r = dialog_result(d);
	enum dlg_tag tag = (enum dlg_tag)dialog_tag(d);

	switch (tag) {
	case DLG_QUIT:
		app_dialog(a, NULL, DLG_NONE, 0);
		if (r == 0) {
			backend_stop(a->be, -1);
			a->quit = true;
		}
		return;
	case DLG_KNOB:
		if (r == 0 || (r == 1 && (dialog_arg(d) & KNOB_CLONES))) {
			knob_apply(a, d, r == 1);
			return;
		}
		break;
	case DLG_DESTRUCT:
		app_dialog(a, NULL, DLG_NONE, 0);
		if (r == 0)
			act_start(a, true);
		return;
	case DLG_SAVE:
		if (r == 0) {
			static const char *const btn[] = { "Replace", "Cancel" };
			char path[DIALOG_INPUT_MAX], msg[DIALOG_INPUT_MAX + 128];
			struct stat st;

			snprintf(path, sizeof(path), "%s", dialog_input(d));
			app_dialog(a, NULL, DLG_NONE, 0);
			if (path[0] && lstat(path, &st) == 0) {
				snprintf(a->save_path, sizeof(a->save_path), "%s", path);
				snprintf(msg, sizeof(msg), "%s already exists.\nReplace it?", path);
				app_dialog(a,
					   dialog_new(DIALOG_CONFIRM, "Save as fio job file", msg,
						      btn, 2),
					   DLG_OVERWRITE, 0);
				return;
			}
			save_to(a, path);
			return;
		}
		break;
	case DLG_OVERWRITE:
		app_dialog(a, NULL, DLG_NONE, 0);
		if (r == 0)
			save_to(a, a->save_path);
		else
			app_message(a, ROLE_DIM, "not saved");
		return;
	case DLG_LOAD:
		if (r == 0) {
			char what[DIALOG_INPUT_MAX];

			snprintf(what, sizeof(what), "%s", dialog_input(d));
			app_dialog(a, NULL, DLG_NONE, 0);
			act_load(a, what, false);
			return;
		}
		break;
	case DLG_DISCARD:
		app_dialog(a, NULL, DLG_NONE, 0);
		if (r == 0)
			app_show(a, SCR_DASH);
		return;
	default:
		break;
	}
	app_dialog(a, NULL, DLG_NONE, 0);
}

/* ------------------------------------------------------------ main loop */

static void ask_quit(struct app *a)
{
	static const char *const btn[] = { "Yes", "No" };
	unsigned n = 0;

	if (!app_any_running(a)) {
		a->quit = true;
		return;
	}
	for (unsigned i = 0; i < backend_njobs(a->be); i++) {
		enum runstate rs = job_runstate(backend_job(a->be, i));

		n += rs > RS_NOT_CREATED && rs < RS_EXITED;
	}
	{
		char msg[160];
		struct dialog *d;

		snprintf(msg, sizeof(msg), "%u job%s still running. Stop %s and quit?", n,
			 n == 1 ? " is" : "s are", n == 1 ? "it" : "them");
		d = dialog_new(DIALOG_CONFIRM, "Quit", msg, btn, 2);
		app_dialog(a, d, DLG_QUIT, 0);
	}
}

/* Keys every screen shares; returns wk_result. */
static unsigned global_key(struct app *a, int key)
{
	switch (key) {
	case 'q':
	case KEY_F(10):
		ask_quit(a);
		return WK_HANDLED | WK_REDRAW;
	case '?':
	case KEY_F(1):
		app_show(a, a->scr == SCR_HELP ? SCR_DASH : SCR_HELP);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(2):
	case 'e':
		editor_open(a, a->sel);
		app_show(a, SCR_EDIT);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(3):
	case 'r':
		a->res_job = a->sel;
		app_show(a, SCR_RESULTS);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(5):
	case 's':
		act_start(a, false);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(6):
	case 'x':
		act_stop(a, (int)a->sel);
		return WK_HANDLED | WK_REDRAW;
	case 'X':
		act_stop(a, -1);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(7):
	case 'R':
		act_restart(a, a->sel);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(4):
	case 'P':
		picker_open(a);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(8):
	case 'D':
		app_show(a, SCR_DIAG);
		return WK_HANDLED | WK_REDRAW;
	case 12: /* Ctrl-L */
		clearok(curscr, TRUE);
		return WK_HANDLED | WK_REDRAW;
	}
	return WK_IGNORED;
}

static void handle_key(struct app *a, int key, const MEVENT *mev)
{
	const struct screen_ops *s = a->screens[a->scr];
	unsigned r;

	if (key == KEY_RESIZE) {
		getmaxyx(stdscr, a->rows, a->cols);
		dash_layout(a);
		a->dirty = true;
		return;
	}
	if (a->dlg) {
		if (key == KEY_MOUSE)
			return;
		r = widget_key(dialog_widget(a->dlg), key);
		if (r & WK_QUIT)
			dialog_done(a);
		a->dirty = true;
		return;
	}
	if (key == KEY_MOUSE) {
		if (s->mouse)
			s->mouse(a, mev);
		return;
	}
	r = s->key ? s->key(a, key) : WK_IGNORED;
	if (r & WK_IGNORED)
		r = global_key(a, key);
	if (r & (WK_REDRAW | WK_HANDLED))
		a->dirty = true;
	if (r & WK_QUIT)
		ask_quit(a);
}

/* A number that changes whenever any job's visible state changes. */
static uint64_t state_word(struct app *a)
{
	uint64_t h = backend_njobs(a->be);

	for (unsigned i = 0; i < backend_njobs(a->be); i++) {
		const struct job *j = backend_job(a->be, i);

		h = h * 1000003u + (uint64_t)job_runstate(j) * 31u +
		    (uint64_t)__atomic_load_n(&j->error, __ATOMIC_RELAXED) * 7u +
		    (uint64_t)__atomic_load_n(&j->stop, __ATOMIC_RELAXED) +
		    __atomic_load_n(&j->knobs.gen, __ATOMIC_RELAXED) * 131u;
	}
	return h;
}

/* Notice failures and the end of a run. */
static void watch_jobs(struct app *a)
{
	bool all_done = a->started && backend_njobs(a->be) > 0;

	for (unsigned i = 0; i < backend_njobs(a->be); i++) {
		const struct job *j = backend_job(a->be, i);
		enum runstate rs = job_runstate(j);
		int err = __atomic_load_n(&j->error, __ATOMIC_ACQUIRE);

		if (rs == RS_NOT_CREATED || rs < RS_EXITED)
			all_done = false;
		if (err && a->fail_reported && !a->fail_reported[i] && rs >= RS_EXITED) {
			a->fail_reported[i] = true;
			if (!a->dlg)
				app_error(a, "Job failed", "Job '%s' failed:\n%s", job_label(j),
					  j->errmsg[0] ? j->errmsg : strerror(err));
		}
	}
	if (all_done && !app_any_running(a) && !a->reaped) {
		int failed = backend_wait(a->be);

		a->reaped = true;
		if (failed)
			a->exit_code = 1;
		results_invalidate(a);
		if (!a->results_shown && !a->dlg && a->scr == SCR_DASH && !a->cursor_on) {
			a->results_shown = true;
			a->res_job = a->sel;
			app_show(a, SCR_RESULTS);
		}
		app_message(a, failed ? ROLE_ERROR : ROLE_OK, "all jobs done%s",
			    failed ? " (some failed)" : "");
	}
}

static void draw_frame(struct app *a)
{
	const struct screen_ops *s = a->screens[a->scr];
	struct widget *fw = statusbar_widget(a->footer);

	werase(stdscr);
	if (a->rows < 10 || a->cols < 40) {
		text_put(stdscr, 0, 0, a->cols, role_attr(ROLE_WARN),
			 "iolab needs at least 40x10; enlarge the terminal");
		term_flush();
		return;
	}
	if (s->update)
		s->update(a);
	if (s->draw)
		s->draw(a, stdscr);
	if (s->footer)
		s->footer(a, a->footer);
	if (a->msg[0] && clock_now_ns() < a->msg_until_ns)
		statusbar_message(a->footer, a->msg, a->msg_role);
	else
		statusbar_message(a->footer, NULL, ROLE_NORMAL);
	widget_resize(fw, a->rows - 1, 0, 1, a->cols);
	widget_draw(fw, stdscr);
	if (a->dlg)
		widget_draw(dialog_widget(a->dlg), stdscr);
	term_flush();
}

static void app_free(struct app *a)
{
	if (a->dlg)
		widget_free(dialog_widget(a->dlg));
	if (a->footer)
		widget_free(statusbar_widget(a->footer));
	if (a->form)
		widget_free(form_widget(a->form));
	if (a->hist)
		widget_free(histbar_widget(a->hist));
	dash_free(a);
	picker_free(a);
	diag_free(a);
	free(a->fail_reported);
	free(a->report_text);
	free(a->edit_choices);
	free(a->jobs_path);
}

int tui_run(const struct tui_args *args)
{
	struct app app, *a = &app;
	char err[512] = "";
	int rc;

	memset(a, 0, sizeof(*a));
	a->be = args->be;
	a->jobs = args->jobs;
	a->jobs_path = args->path ? strdup(args->path) : NULL;
	a->ss = backend_samples(a->be);
	a->screens[SCR_DASH] = &dash_screen;
	a->screens[SCR_EDIT] = &editor_screen;
	a->screens[SCR_RESULTS] = &results_screen;
	a->screens[SCR_HELP] = &help_screen;
	a->screens[SCR_PICKER] = &picker_screen;
	a->screens[SCR_DIAG] = &diag_screen;
	a->aux_wake_fd = -1;
	a->live = true;
	a->zoom = 2;

	if (term_init())
		return 1;
	a->footer = statusbar_new();
	dash_init(a);
	getmaxyx(stdscr, a->rows, a->cols);
	dash_layout(a);
	if (!a->footer || !a->jobtab || !a->tip) {
		term_end();
		fprintf(stderr, "iolab: out of memory\n");
		app_free(a);
		return 1;
	}
	if (backend_load(a->be, a->jobs, err, sizeof(err)))
		app_error(a, "Cannot load the jobs", "%s", err);
	a->fail_reported = calloc(backend_njobs(a->be) + 1, sizeof(bool));
	app_show(a, SCR_DASH);
	if (args->run_now && backend_njobs(a->be))
		act_start(a, false);

	while (!a->quit) {
		struct pollfd p[3] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = backend_wake_fd(a->be), .events = POLLIN },
			{ .fd = a->aux_wake_fd, .events = POLLIN }, /* diag.c's thread */
		};
		bool running = app_any_running(a);
		uint64_t seq = samples_seq(a->ss), st = state_word(a), now = clock_now_ns();
		int sig, key, n;
		MEVENT mev;

		if (seq != a->last_seq || st != a->last_state) {
			a->last_seq = seq;
			a->last_state = st;
			a->dirty = true;
		}
		/* the header's clock and the progress bars move every second */
		if (running && now / NS_PER_SEC != a->last_second) {
			a->last_second = now / NS_PER_SEC;
			a->dirty = true;
		}
		if (a->msg[0] && now >= a->msg_until_ns) {
			a->msg[0] = '\0';
			a->dirty = true;
		}
		watch_jobs(a);
		if (a->dirty) {
			a->dirty = false;
			draw_frame(a);
		}

		n = term_poll(p, 3, running ? TICK_MS : IDLE_TICK_MS);
		if (n > 0 && (p[1].revents & POLLIN))
			backend_drain_wake(a->be);
		if (n > 0 && (p[2].revents & POLLIN)) {
			char drain[64];

			while (read(a->aux_wake_fd, drain, sizeof(drain)) > 0)
				;
			a->dirty = true;
		}
		sig = term_signal();
		if (sig) {
			backend_stop(a->be, -1);
			a->exit_code = 128 + sig;
			break;
		}
		if (n > 0 && (p[0].revents & (POLLHUP | POLLERR | POLLNVAL))) {
			/* the terminal went away (window closed, tmux killed, ssh
			 * dropped) and may not have sent SIGHUP: stop as for one,
			 * rather than spin on a stdin that is always ready */
			backend_stop(a->be, -1);
			a->exit_code = 128 + SIGHUP;
			break;
		}
		while ((key = term_key(&mev)) != ERR) {
			if (key == 3) { /* Ctrl-C read as a key (raw terminals) */
				backend_stop(a->be, -1);
				a->exit_code = 130;
				a->quit = true;
				break;
			}
			handle_key(a, key, &mev);
			if (a->quit)
				break;
		}
	}

	term_end();
	backend_stop(a->be, -1);
	rc = backend_wait(a->be);
	if (a->exit_code == 0 && rc > 0)
		a->exit_code = 1;
	app_free(a);
	return a->exit_code;
}
