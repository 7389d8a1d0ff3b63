/* The workbench's main loop and actions; see tui.h and app.h.
 *
 * Loop: term_poll() on stdin and the source's wake fd with a tick
 * timeout; read every pending key; check signals; notice what changed
 * (samples_seq, source_gen, the clock's second while jobs run); when something did, the current screen updates its state and draws
 * the whole frame into stdscr, and one doupdate sends the difference. */
#include <errno.h>
#include <limits.h>
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
#include "../backend/profiles.h"
#include "../lib/clock.h"
#include "../lib/units.h"
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

bool app_status(struct app *a, unsigned id, struct source_status *st)
{
	return source_status(a->src, id, st) == 0;
}

enum role status_role(const struct source_status *st)
{
	if (st->error)
		return ROLE_ERROR;
	if (st->runstate == RS_RUNNING)
		return ROLE_RUNNING;
	if (st->runstate > RS_NOT_CREATED && st->runstate < RS_EXITED)
		return ROLE_WARN;
	if (st->runstate >= RS_EXITED)
		return ROLE_OK;
	return ROLE_DIM;
}

bool status_idle(const struct source_status *st)
{
	return st->runstate == RS_NOT_CREATED || st->runstate >= RS_EXITED;
}

bool app_started(struct app *a)
{
	return a->started || source_run_start_ns(a->src) != 0;
}

const char *app_edit_refusal(struct app *a, char *buf, size_t len)
{
	buf[0] = '\0';
	if (source_can(a->src, SRC_CAP_LOAD) || source_can(a->src, SRC_CAP_RESTART))
		return buf;
	if (source_hosts(a->src, NULL, 0))
		snprintf(buf, len, "no editing: the fio servers run the job file as sent");
	else
		snprintf(buf, len, "no editing: a %s source takes no job changes",
			 source_kind(a->src));
	return buf;
}

bool app_any_running(struct app *a)
{
	return source_running(a->src);
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
	if (s != a->scr && a->screens[a->scr]->leave)
		a->screens[a->scr]->leave(a);
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

/* The caller's hooks (tui_run_hooks): a run began, a run was reaped. A
 * note replaces the "started" message; a failure opens a dialog (or, once the
 * terminal is given back, goes to stderr). */
static void run_started(struct app *a)
{
	char msg[PATH_MAX + 256];

	if (!a->hooks || !a->hooks->started)
		return;
	if (a->hooks->started(a->hooks->arg, a->src, msg, sizeof(msg)))
		app_error(a, "Cannot record the run", "%s\n\nThe jobs run on, unrecorded.", msg);
	else if (msg[0]) /* short: at 80 columns it must fit beside the keys */
		app_message(a, ROLE_OK, "started, %s", msg);
}

static void run_reaped(struct app *a)
{
	char msg[PATH_MAX + 256];

	if (!a->hooks || !a->hooks->reaped)
		return;
	if (!a->hooks->reaped(a->hooks->arg, msg, sizeof(msg)))
		return;
	if (term_active())
		app_error(a, "Recording failed", "%s", msg);
	else
		fprintf(stderr, "iolab: recording: %s\n", msg);
}

/* The record key: the caller's hook starts or stops a recording. */
static void act_record(struct app *a)
{
	char msg[PATH_MAX + 256] = "";
	int rc;

	if (!a->hooks || !a->hooks->record) {
		app_message(a, ROLE_DIM, "a %s source is not recorded", source_kind(a->src));
		return;
	}
	rc = a->hooks->record(a->hooks->arg, a->src, app_any_running(a), msg, sizeof(msg));
	if (rc < 0)
		app_error(a, "Cannot record the run", "%s", msg);
	else
		app_message(a, rc ? ROLE_OK : ROLE_DIM, "%s", msg);
}

bool app_recording(struct app *a)
{
	return a->hooks && a->hooks->recording && a->hooks->recording(a->hooks->arg);
}

int act_reload(struct app *a)
{
	char err[512] = "";

	if (app_any_running(a)) {
		app_error(a, "Jobs are running", "Stop the jobs before loading new ones.");
		return -1;
	}
	if (a->started && !a->reaped) {
		source_reap(a->src);
		a->reaped = true;
		run_reaped(a);
	}
	if (source_load(a->src, a->jobs, err, sizeof(err))) {
		app_error(a, "Cannot load the jobs", "%s", err);
		return -1;
	}
	a->started = false;
	a->reaped = false;
	a->results_shown = false;
	dash_follow(a, true);
	if (a->sel >= source_njobs(a->src))
		a->sel = 0;
	free(a->fail_reported);
	a->fail_reported = calloc(source_njobs(a->src) + 1, sizeof(bool));
	results_invalidate(a);
	a->dirty = true;
	return 0;
}

void act_start(struct app *a, bool confirmed)
{
	struct source_status st;
	int rc;

	if (!source_can(a->src, SRC_CAP_START)) {
		app_message(a, ROLE_DIM, "a %s source does not start jobs", source_kind(a->src));
		return;
	}
	if (app_any_running(a)) {
		/* others run: (re)start just the selected job if it is idle */
		if (app_status(a, a->sel, &st) && status_idle(&st)) {
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
	rc = source_start(a->src);
	if (rc) {
		app_error(a, "Cannot start", "Starting the jobs failed: %s", strerror(-rc));
		return;
	}
	a->started = true;
	a->reaped = false;
	a->results_shown = false;
	dash_follow(a, false);
	app_message(a, ROLE_OK, "started %u job%s", source_njobs(a->src),
		    source_njobs(a->src) == 1 ? "" : "s");
	run_started(a);
}

void act_stop(struct app *a, int id)
{
	struct source_status st;

	if (!source_can(a->src, SRC_CAP_STOP)) {
		app_message(a, ROLE_DIM, "a %s source does not stop jobs", source_kind(a->src));
		return;
	}
	if (!app_any_running(a)) {
		app_message(a, ROLE_DIM, "nothing is running");
		return;
	}
	source_stop(a->src, id);
	if (id < 0 || !app_status(a, (unsigned)id, &st))
		app_message(a, ROLE_WARN, "stopping all jobs");
	else
		app_message(a, ROLE_WARN, "stopping '%s'", st.label);
}

void act_restart(struct app *a, unsigned id)
{
	char err[512] = "";
	struct source_status st;

	if (id >= a->jobs->nr || id >= source_njobs(a->src))
		return;
	if (!source_can(a->src, SRC_CAP_RESTART)) {
		app_message(a, ROLE_DIM, "a %s source does not restart jobs", source_kind(a->src));
		return;
	}
	if (!a->started) {
		/* nothing ran yet: a restart is a start */
		act_start(a, false);
		return;
	}
	if (source_restart(a->src, id, &a->jobs->jobs[id].opts, err, sizeof(err))) {
		app_error(a, "Cannot restart", "%s", err);
		return;
	}
	a->reaped = false;
	a->results_shown = false;
	if (a->fail_reported && id < source_njobs(a->src))
		a->fail_reported[id] = false;
	results_invalidate(a);
	if (app_status(a, id, &st))
		app_message(a, ROLE_OK, "restarted '%s'", st.label);
	run_started(a); /* a new recording only when the last run was reaped */
}

/* Current value of knob @k as text, for a job with knobs @kn and options
 * @o. */
static void knob_value(const struct job_knobs *kn, const struct job_opts *o, int k, char *buf,
		       size_t len)
{
	const struct opt_def *def = opt_find(knobs[k].name);
	struct job_opts tmp;

	opts_init(&tmp);
	for (int d = 0; d < DDIR_RWDIR_CNT; d++) {
		/* a total cap reads as the one value it was set with */
		tmp.rate[d] = kn->rate_total ? kn->rate_total : kn->rate[d];
		tmp.rate_iops[d] = kn->rate_iops_total ? kn->rate_iops_total : kn->rate_iops[d];
		tmp.bs[d] = kn->bs[d] ? kn->bs[d] : o->bs[d];
	}
	tmp.iodepth = kn->iodepth;
	tmp.rwmixread = kn->rwmixread;
	if (!strcmp(knobs[k].name, "rate_iops") && !kn->rate_iops_total &&
	    opts_has_ddir(o, DDIR_READ) && opts_has_ddir(o, DDIR_WRITE))
		/* per direction: "r,w" even when equal, as a single value would
		 * read as a total */
		snprintf(buf, len, "%" PRIu64 ",%" PRIu64, tmp.rate_iops[DDIR_READ],
			 tmp.rate_iops[DDIR_WRITE]);
	else if (!strcmp(knobs[k].name, "rate") && !kn->rate_total &&
		 opts_has_ddir(o, DDIR_READ) && opts_has_ddir(o, DDIR_WRITE))
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
static bool knob_caps(const struct job_knobs *kn, const struct job_opts *o, int k, char *buf,
		      size_t len)
{
	bool iops = !strcmp(knobs[k].name, "rate_iops");
	const uint64_t *v = iops ? kn->rate_iops : kn->rate;
	char r[32], w[32];

	if ((!iops && strcmp(knobs[k].name, "rate")) || !opts_has_ddir(o, DDIR_READ) ||
	    !opts_has_ddir(o, DDIR_WRITE))
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
	char cur[64], msg[700], caps[96], who[160], b0[DIALOG_BUTTON_MAX], b1[DIALOG_BUTTON_MAX];
	const struct job_opts *o = source_opts(a->src, a->sel);
	struct source_status st;
	struct job_knobs kn;
	const char *btn[3];
	struct dialog *d;
	unsigned n;
	size_t nb;

	if (!app_status(a, a->sel, &st) || !o)
		return;
	if (!source_can(a->src, SRC_CAP_KNOBS) || source_knobs(a->src, a->sel, &kn)) {
		app_message(a, ROLE_DIM, "a %s source has no live knobs", source_kind(a->src));
		return;
	}
	if (status_idle(&st)) {
		app_message(a, ROLE_WARN, "'%s' is not running: change %s in the editor (e)",
			    st.label, knobs[k].name);
		return;
	}
	n = st.nclones;
	if (n > 1)
		snprintf(who, sizeof(who), "%.60s (clone %u of %u of '%.60s')", st.label, st.clone + 1, n,
			 st.name);
	else
		snprintf(who, sizeof(who), "'%.150s'", st.label);
	knob_value(&kn, o, k, cur, sizeof(cur));
	if (knob_caps(&kn, o, k, caps, sizeof(caps))) {
		/* fio's rate/rate_iops cap each direction; the knob takes a total */
		snprintf(msg, sizeof(msg),
			 "%s of %s: %s now.\n"
			 "New total cap, split %u/%u as the mix splits I/Os\n"
			 "(or r,w to cap each direction; 0 for none):",
			 knobs[k].label, who, caps, kn.rwmixread, 100 - kn.rwmixread);
	} else {
		bool cap = !strcmp(knobs[k].name, "rate_iops") || !strcmp(knobs[k].name, "rate");

		snprintf(msg, sizeof(msg), "%s (%s) of %s is %s now.\nNew value (applied while it runs%s):",
			 knobs[k].label, knobs[k].name, who, cur, cap ? "; 0 for no cap" : "");
	}
	if (n > 1) {
		snprintf(b0, sizeof(b0), "%.28s only", st.label);
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
	char err[256] = "", before[64] = "", now[64] = "", after[200] = "", caps[96];
	const struct job_opts *o = source_opts(a->src, a->sel);
	const char *val = dialog_input(d);
	unsigned first = a->sel, n = 1;
	struct source_status st;
	struct job_knobs kn;
	int rc;

	if (!o || !app_status(a, a->sel, &st) || source_knobs(a->src, a->sel, &kn))
		return;
	if (all) {
		first = a->sel - st.clone;
		n = st.nclones;
	}
	knob_value(&kn, o, k, before, sizeof(before));
	rc = source_set_knobs(a->src, first, n, knobs[k].name, val, err, sizeof(err));
	if (rc) {
		dialog_set_message(d, err, true);
		dialog_reopen(d);
		return;
	}
	if (source_knobs(a->src, a->sel, &kn))
		return;
	knob_value(&kn, o, k, now, sizeof(now));
	if (knob_caps(&kn, o, k, caps, sizeof(caps)))
		snprintf(after, sizeof(after), "%s%s (%s)", now,
			 strchr(now, ',') ? "" : " total", caps);
	else
		snprintf(after, sizeof(after), "%s", now);
	if (n > 1)
		app_message(a, ROLE_OK, "%s.0-%u: %s %s -> %s", st.name, n - 1, knobs[k].label,
			    before, after);
	else
		app_message(a, ROLE_OK, "%s: %s %s -> %s", st.label, knobs[k].label, before, after);
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
			source_stop(a->src, -1);
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
	for (unsigned i = 0; i < source_njobs(a->src); i++) {
		struct source_status st;

		n += app_status(a, i, &st) && !status_idle(&st);
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
	case 'e': {
		char why[160];

		if (app_edit_refusal(a, why, sizeof(why))[0]) {
			app_message(a, ROLE_WARN, "%s", why);
			return WK_HANDLED | WK_REDRAW;
		}
		editor_open(a, a->sel);
		app_show(a, SCR_EDIT);
		return WK_HANDLED | WK_REDRAW;
	}
	case 'c':
		if (!source_hosts(a->src, NULL, 0)) {
			app_message(a, ROLE_DIM, "a %s source drives no hosts (iolab --client=HOST "
				    "job.fio runs a job on fio servers)", source_kind(a->src));
			return WK_HANDLED | WK_REDRAW;
		}
		app_show(a, a->scr == SCR_HOSTS ? SCR_DASH : SCR_HOSTS);
		return WK_HANDLED | WK_REDRAW;
	case KEY_F(3):
	case 'r':
		results_show(a, a->sel);
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
	case 'C':
		act_record(a);
		return WK_HANDLED | WK_REDRAW;
	case 12: /* Ctrl-L */
		clearok(curscr, TRUE);
		return WK_HANDLED | WK_REDRAW;
	}
	return WK_IGNORED;
}

static void resize_all(struct app *a)
{
	for (int i = 0; i < SCR_NR; i++)
		if (a->screens[i]->resize)
			a->screens[i]->resize(a);
}

static void handle_key(struct app *a, int key, const MEVENT *mev)
{
	const struct screen_ops *s = a->screens[a->scr];
	unsigned r;

	if (key == KEY_RESIZE) {
		getmaxyx(stdscr, a->rows, a->cols);
		resize_all(a);
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

/* Notice failures and the end of a run. */
static void watch_jobs(struct app *a)
{
	bool all_done = a->started && source_njobs(a->src) > 0;

	for (unsigned i = 0; i < source_njobs(a->src); i++) {
		struct source_status st;

		if (!app_status(a, i, &st))
			continue;
		if (st.runstate < RS_EXITED)
			all_done = false;
		if (st.error && a->fail_reported && !a->fail_reported[i] && st.runstate >= RS_EXITED) {
			a->fail_reported[i] = true;
			if (!a->dlg)
				app_error(a, "Job failed", "Job '%s' failed:\n%s", st.label, st.errmsg);
		}
	}
	if (all_done && !app_any_running(a) && !a->reaped) {
		int failed = source_reap(a->src);

		a->reaped = true;
		run_reaped(a);
		if (failed)
			a->exit_code = 1;
		results_invalidate(a);
		if (!a->results_shown && !a->dlg && a->scr == SCR_DASH && !dash_cursor_shown(a)) {
			a->results_shown = true;
			results_show(a, a->sel);
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

void app_close(struct app *a)
{
	if (a->dlg)
		widget_free(dialog_widget(a->dlg));
	if (a->footer)
		widget_free(statusbar_widget(a->footer));
	for (int i = SCR_NR - 1; i >= 0; i--)
		if (a->screens[i] && a->screens[i]->close)
			a->screens[i]->close(a);
	free(a->fail_reported);
	free(a->jobs_path);
}

int app_open(struct app *a, const struct tui_args *args)
{
	char err[512] = "";
	int rc = 0;

	memset(a, 0, sizeof(*a));
	a->src = args->src;
	a->jobs = args->jobs;
	a->jobs_path = args->path ? strdup(args->path) : NULL;
	a->ss = source_samples(a->src);
	a->screens[SCR_DASH] = &dash_screen;
	a->screens[SCR_EDIT] = &editor_screen;
	a->screens[SCR_RESULTS] = &results_screen;
	a->screens[SCR_HELP] = &help_screen;
	a->screens[SCR_PICKER] = &picker_screen;
	a->screens[SCR_DIAG] = &diag_screen;
	a->screens[SCR_HOSTS] = &hosts_screen;
	a->aux_wake_fd = -1;
	a->hooks = args->hooks;
	a->base = args->baseline;

	a->footer = statusbar_new();
	if (!a->footer)
		rc = -ENOMEM;
	for (int i = 0; i < SCR_NR && !rc; i++)
		if (a->screens[i]->open)
			rc = a->screens[i]->open(a);
	if (rc) {
		app_close(a);
		return rc;
	}
	getmaxyx(stdscr, a->rows, a->cols);
	resize_all(a);
	if (source_can(a->src, SRC_CAP_LOAD) && source_load(a->src, a->jobs, err, sizeof(err)))
		app_error(a, "Cannot load the jobs", "%s", err);
	a->fail_reported = calloc(source_njobs(a->src) + 1, sizeof(bool));
	app_show(a, SCR_DASH);
	return 0;
}

bool app_tick(struct app *a)
{
	bool running = app_any_running(a);
	uint64_t seq = samples_seq(a->ss), st = source_gen(a->src), now = clock_now_ns();

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
	if (!a->dirty)
		return false;
	a->dirty = false;
	draw_frame(a);
	return true;
}

int tui_run(const struct tui_args *args)
{
	struct app app, *a = &app;
	int rc;

	if (term_init())
		return 1;
	if (app_open(a, args)) {
		term_end();
		fprintf(stderr, "iolab: out of memory\n");
		return 1;
	}
	if (args->run_now && source_njobs(a->src))
		act_start(a, false);

	while (!a->quit) {
		struct pollfd p[3] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = source_wake_fd(a->src), .events = POLLIN },
			{ .fd = a->aux_wake_fd, .events = POLLIN }, /* diag.c's thread */
		};
		bool running = app_any_running(a);
		int sig, key, n;
		MEVENT mev;

		app_tick(a);
		n = term_poll(p, 3, running ? TICK_MS : IDLE_TICK_MS);
		if (n > 0 && (p[1].revents & POLLIN))
			source_drain_wake(a->src);
		if (n > 0 && (p[2].revents & POLLIN)) {
			char drain[64];

			while (read(a->aux_wake_fd, drain, sizeof(drain)) > 0)
				;
			a->dirty = true;
		}
		sig = term_signal();
		if (sig) {
			source_stop(a->src, -1);
			a->exit_code = 128 + sig;
			break;
		}
		if (n > 0 && (p[0].revents & (POLLHUP | POLLERR | POLLNVAL))) {
			/* the terminal went away (window closed, tmux killed, ssh
			 * dropped) and may not have sent SIGHUP: stop as for one,
			 * rather than spin on a stdin that is always ready */
			source_stop(a->src, -1);
			a->exit_code = 128 + SIGHUP;
			break;
		}
		while ((key = term_key(&mev)) != ERR) {
			if (key == 3) { /* Ctrl-C read as a key (raw terminals) */
				source_stop(a->src, -1);
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
	source_stop(a->src, -1);
	rc = source_reap(a->src);
	run_reaped(a);
	if (a->exit_code == 0 && rc > 0)
		a->exit_code = 1;
	app_close(a);
	return a->exit_code;
}
