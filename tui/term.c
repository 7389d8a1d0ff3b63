/* Terminal ownership; see term.h. */
#include "term.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "settings.h"

/* Per role: 256-colour fg/bg (xterm's palette numbers, also the RGB values
 * used on direct-colour terminals), 8-colour fg/bg, attributes added in
 * colour, and the monochrome attributes. -1 is the terminal's default
 * colour. */
struct role_style {
	short fg256, bg256;
	short fg8, bg8;
	attr_t attr;
	attr_t mono;
};

static const struct role_style styles[ROLE_NR] = {
	[ROLE_NORMAL] = { -1, -1, -1, -1, 0, 0 },
	[ROLE_DIM] = { 245, -1, COLOR_WHITE, -1, 0, A_DIM },
	[ROLE_BOLD] = { -1, -1, -1, -1, A_BOLD, A_BOLD },
	[ROLE_TITLE] = { 81, -1, COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[ROLE_HEADER] = { 252, 236, COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE },
	[ROLE_HEADER_VALUE] = { 229, 236, COLOR_YELLOW, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_RULE] = { 240, -1, COLOR_BLUE, -1, 0, 0 },
	[ROLE_RULE_FOCUS] = { 229, -1, COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_TABLE_HEAD] = { 16, 114, COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE },
	[ROLE_SELECTED] = { 16, 81, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[ROLE_SELECTED_DIM] = { 255, 239, COLOR_WHITE, COLOR_BLUE, 0, A_UNDERLINE },
	[ROLE_KEY] = { 255, -1, COLOR_WHITE, -1, A_BOLD, A_BOLD },
	[ROLE_KEY_LABEL] = { 16, 74, COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[ROLE_AXIS] = { 240, -1, COLOR_BLUE, -1, 0, 0 },
	[ROLE_TICK] = { 250, -1, -1, -1, 0, 0 },
	[ROLE_CURSOR] = { 229, -1, COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[ROLE_MARK] = { 213, -1, COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[ROLE_TOOLTIP] = { 255, 238, COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE },
	[ROLE_TOOLTIP_TITLE] = { 229, 238, COLOR_YELLOW, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_DIALOG] = { 255, 24, COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE },
	[ROLE_DIALOG_TITLE] = { 229, 24, COLOR_YELLOW, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_BUTTON] = { 16, 250, COLOR_BLACK, COLOR_WHITE, 0, 0 },
	[ROLE_BUTTON_FOCUS] = { 16, 221, COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_INPUT] = { 16, 152, COLOR_BLACK, COLOR_CYAN, 0, A_UNDERLINE },
	[ROLE_ERROR] = { 203, -1, COLOR_RED, -1, A_BOLD, A_BOLD },
	[ROLE_WARN] = { 221, -1, COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[ROLE_OK] = { 114, -1, COLOR_GREEN, -1, 0, 0 },
	[ROLE_RUNNING] = { 120, -1, COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[ROLE_BAR] = { 75, -1, COLOR_CYAN, -1, 0, 0 },
	/* series: without colour, attributes are all that tell them apart
	 * (read plain, write bold, and so on) */
	[ROLE_SERIES0] = { 114, -1, COLOR_GREEN, -1, 0, 0 },
	[ROLE_SERIES1] = { 221, -1, COLOR_YELLOW, -1, 0, A_BOLD },
	[ROLE_SERIES2] = { 81, -1, COLOR_CYAN, -1, 0, A_UNDERLINE },
	[ROLE_SERIES3] = { 213, -1, COLOR_MAGENTA, -1, 0, A_BOLD | A_UNDERLINE },
	[ROLE_SERIES4] = { 203, -1, COLOR_RED, -1, 0, A_REVERSE },
	[ROLE_SERIES5] = { 111, -1, COLOR_BLUE, -1, A_BOLD, A_BOLD | A_REVERSE },
	[ROLE_SERIES6] = { 180, -1, COLOR_WHITE, -1, 0, A_DIM },
	[ROLE_SERIES7] = { 151, -1, COLOR_GREEN, -1, A_BOLD, A_DIM | A_UNDERLINE },
	/* heat map: ColorBrewer's YlOrRd in the xterm palette, light (few
	 * I/Os) to dark (most); the glyph over a shade (a percentile line) in
	 * black on the light ones, white on the dark. Used at 256 colours and
	 * up only (widget_colour_ramp); elsewhere the map shades with glyphs */
	[ROLE_HEAT0] = { 16, 230, COLOR_BLACK, COLOR_WHITE, 0, 0 },
	[ROLE_HEAT1] = { 16, 229, COLOR_BLACK, COLOR_YELLOW, 0, 0 },
	[ROLE_HEAT2] = { 16, 222, COLOR_BLACK, COLOR_YELLOW, 0, 0 },
	[ROLE_HEAT3] = { 16, 215, COLOR_BLACK, COLOR_YELLOW, 0, 0 },
	[ROLE_HEAT4] = { 231, 209, COLOR_WHITE, COLOR_RED, 0, 0 },
	[ROLE_HEAT5] = { 231, 202, COLOR_WHITE, COLOR_RED, 0, 0 },
	[ROLE_HEAT6] = { 231, 160, COLOR_WHITE, COLOR_RED, 0, 0 },
	[ROLE_HEAT7] = { 231, 88, COLOR_WHITE, COLOR_RED, 0, 0 },
};

/* xterm's colour @idx (0..255) as 0xRRGGBB: the 16 system colours as
 * xterm sets them, the 6x6x6 cube, the 24 greys. -1 stays -1 (the
 * terminal's default). For direct-colour terminals, whose colour numbers
 * are RGB values, so that the 256-colour palette looks the same there. */
static int xterm_rgb(short idx)
{
	static const int sys[16] = { 0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
				     0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
				     0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff };
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int i = idx;

	if (i < 0 || i > 255)
		return -1;
	if (i < 16)
		return sys[i];
	if (i >= 232) {
		int g = 8 + 10 * (i - 232);

		return g << 16 | g << 8 | g;
	}
	i -= 16;
	return level[i / 36] << 16 | level[i / 6 % 6] << 8 | level[i % 6];
}

static const char reset_seq[] = "\033[?1003l\033[?1006l\033[?1002l\033[?1000l"
				"\033[0m\033[?25h\033[?1049l\r\n";

static bool active, utf8, have_termios, handlers_set;
static bool mouse_on; /* the settings' [workbench] mouse, at term_init */
static enum term_depth depth;
static struct termios saved_tio;
static int tty_fd = -1;
static sigset_t handled, orig_mask;
static volatile sig_atomic_t caught;

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

static void on_stop_signal(int sig)
{
	if (!caught)
		caught = sig;
}

/* SIGUSR1 (fio: print the running stats) must not end the workbench with
 * the terminal raw, its default action; the figures are on screen. */
static void on_info_signal(int sig)
{
	(void)sig;
}

static void on_fatal_signal(int sig)
{
	if (active) {
		ssize_t r = write(tty_fd, reset_seq, sizeof(reset_seq) - 1);

		(void)r;
		if (have_termios)
			tcsetattr(tty_fd, TCSANOW, &saved_tio);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void at_exit(void)
{
	term_end();
}

static void set_handlers(void)
{
	struct sigaction sa;

	if (handlers_set)
		return;
	handlers_set = true;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop_signal;
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaction(stop_signals[i], &sa, NULL);
	sa.sa_handler = on_info_signal;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < sizeof(fatal_signals) / sizeof(fatal_signals[0]); i++)
		sigaction(fatal_signals[i], &sa, NULL);
	atexit(at_exit);
}

static void apply_colours(void)
{
	enum settings_colour want = settings_get()->colour;
	const char *nc = getenv("NO_COLOR");
	/* the settings' colour beats NO_COLOR (a user's configuration
	 * overrides it, no-color.org says); auto follows it */
	bool colour = has_colors() && want != SET_COLOUR_MONO &&
		      (want != SET_COLOUR_AUTO || !(nc && nc[0]));

	depth = TERM_MONO;
	if (colour && start_color() == OK) {
		use_default_colors();
		/* a direct-colour terminal (xterm-direct) numbers colours by
		 * their RGB value: palette index 114 there would be dark blue */
		depth = COLORS >= 0x1000000   ? TERM_DIRECT
			: COLORS >= 256 ? TERM_256
					: TERM_8;
		/* a setting lowers the depth, never raises it past the terminal */
		if (want == SET_COLOUR_8)
			depth = TERM_8;
		if (COLOR_PAIRS < ROLE_NR + 1)
			depth = TERM_MONO;
	}
	widget_colour_ramp = depth >= TERM_256;
	for (int r = 0; r < ROLE_NR; r++) {
		const struct role_style *s = &styles[r];

		if (depth == TERM_MONO) {
			role_table[r] = s->mono;
			continue;
		}
		if (depth == TERM_DIRECT)
			init_extended_pair(r + 1, xterm_rgb(s->fg256), xterm_rgb(s->bg256));
		else if (depth == TERM_256)
			init_pair((short)(r + 1), s->fg256, s->bg256);
		else
			init_pair((short)(r + 1), s->fg8, s->bg8);
		role_table[r] = COLOR_PAIR(r + 1) | s->attr;
	}
}

int term_init(void)
{
	const char *cs;

	if (active)
		return 0;
	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	utf8 = cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
	widget_glyphs = utf8 ? &glyphs_utf8 : &glyphs_ascii;

	tty_fd = isatty(STDOUT_FILENO) ? STDOUT_FILENO : STDIN_FILENO;
	have_termios = tcgetattr(tty_fd, &saved_tio) == 0;

	/* signals reach this thread only inside term_poll */
	sigemptyset(&handled);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaddset(&handled, stop_signals[i]);
	sigaddset(&handled, SIGWINCH);
	sigaddset(&handled, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &handled, &orig_mask);
	set_handlers();

	set_escdelay(25);
	if (!initscr()) {
		fprintf(stderr, "iolab: cannot start curses on this terminal\n");
		pthread_sigmask(SIG_SETMASK, &orig_mask, NULL);
		return -1;
	}
	active = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	apply_colours();
	mouse_on = settings_get()->mouse;
	if (mouse_on) {
		mousemask(ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION, NULL);
		mouseinterval(0);
		/* ncurses asks for clicks; motion reports need mode 1003 */
		fputs("\033[?1003h", stdout);
		fflush(stdout);
	}
	return 0;
}

void term_end(void)
{
	if (!active)
		return;
	active = false;
	if (mouse_on) {
		fputs("\033[?1003l", stdout);
		fflush(stdout);
		mousemask(0, NULL);
	}
	curs_set(1);
	endwin();
	if (have_termios)
		tcsetattr(tty_fd, TCSANOW, &saved_tio);
	pthread_sigmask(SIG_SETMASK, &orig_mask, NULL);
}

bool term_active(void)
{
	return active;
}

bool term_utf8(void)
{
	return utf8;
}

enum term_depth term_depth(void)
{
	return depth;
}

int term_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct timespec ts = { .tv_sec = timeout_ms / 1000,
			       .tv_nsec = (long)(timeout_ms % 1000) * 1000000L };
	sigset_t during = orig_mask;

	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigdelset(&during, stop_signals[i]);
	sigdelset(&during, SIGWINCH);
	return ppoll(fds, n, timeout_ms < 0 ? NULL : &ts, &during);
}

int term_signal(void)
{
	int s = caught;

	caught = 0;
	return s;
}

int term_key(MEVENT *mev)
{
	for (;;) {
		int k = wgetch(stdscr);

		/* an event curses could not decode: take the next key */
		if (k == KEY_MOUSE && getmouse(mev) != OK)
			continue;
		return k;
	}
}

void term_flush(void)
{
	wnoutrefresh(stdscr);
	doupdate();
}
