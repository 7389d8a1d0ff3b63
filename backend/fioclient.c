/* Connections to fio servers: see fioclient.h. */
#include "backend/fioclient.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/clock.h"

static const char *const state_names[] = {
	[FIOC_IDLE] = "idle", [FIOC_CONNECTING] = "connecting",
	[FIOC_PROBING] = "probing", [FIOC_LOADING] = "loading job",
	[FIOC_RUNNING] = "running", [FIOC_STOPPED] = "stopped",
	[FIOC_DONE] = "done", [FIOC_LOST] = "lost",
};

const char *fioc_state_name(enum fioc_state s)
{
	return s <= FIOC_LOST ? state_names[s] : "?";
}

static uint64_t now_ms(void)
{
	return clock_now_ns() / NS_PER_MS;
}

int fioc_host_parse(struct fioc_host *h, const char *spec, char *err, size_t errlen)
{
	return fioc_host_parse_port(h, spec, FIOP_PORT, err, errlen);
}

int fioc_host_parse_port(struct fioc_host *h, const char *spec, unsigned port, char *err,
			 size_t errlen)
{
	const char *s = spec, *comma;
	size_t hl;

	memset(h, 0, sizeof(*h));
	h->fd = -1;
	h->port = port;
	fiop_reader_init(&h->rd);
	for (const unsigned char *c = (const unsigned char *)spec; *c; c++)
		if (*c < 0x21 || *c > 0x7e) {   /* not echoed: it may be a terminal escape */
			snprintf(err, errlen, "--client: a host name with a space, control or "
				 "non-ASCII byte (0x%02x at %zu)", *c, (size_t)(c -
				 (const unsigned char *)spec));
			return -EINVAL;
		}
	if (!strncmp(s, "ip:", 3))
		s += 3;
	else if (!strncmp(s, "ip6:", 4))
		s += 4;
	else if (!strncmp(s, "sock:", 5)) {
		snprintf(err, errlen, "--client=%s: unix sockets are not supported "
			 "(give HOST[,PORT])", spec);
		return -EINVAL;
	}
	if (*s == '[') {
		const char *e = strchr(s, ']');

		if (!e) {
			snprintf(err, errlen, "--client=%s: no ']' after the address", spec);
			return -EINVAL;
		}
		hl = (size_t)(e - s - 1);
		comma = e[1] == ',' ? e + 1 : NULL;
		s++;
	} else {
		comma = strrchr(s, ',');
		hl = comma ? (size_t)(comma - s) : strlen(s);
	}
	if (!hl || hl >= sizeof(h->host)) {
		snprintf(err, errlen, "--client=%s: no host name (give HOST[,PORT])", spec);
		return -EINVAL;
	}
	memcpy(h->host, s, hl);
	h->host[hl] = '\0';
	if (comma) {
		char *end;
		unsigned long p = strtoul(comma + 1, &end, 10);

		if (*end || !comma[1] || !p || p > 65535) {
			snprintf(err, errlen, "--client=%s: bad port '%s' (1 to 65535)",
				 spec, comma + 1);
			return -EINVAL;
		}
		h->port = (unsigned)p;
	}
	snprintf(h->label, sizeof(h->label), "%s,%u", h->host, h->port);
	return 0;
}

void fioc_host_free(struct fioc_host *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	fiop_reader_free(&h->rd);
	free(h->out);
	free(h->ts);
	free(h->opts);
	free(h->text);
	for (size_t i = 0; i < h->nlogs; i++)
		free(h->logs[i].pdu);
	free(h->logs);
	h->logs = NULL;
	h->nlogs = 0;
	h->opts = NULL;
	h->out = NULL;
	h->ts = NULL;
	h->text = NULL;
}

/* Mark @h lost with a reason; keeps everything it sent so far. */
static void host_lose(struct fioc_host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void host_lose(struct fioc_host *h, const char *fmt, ...)
{
	char why[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (h->state != FIOC_LOST)
		snprintf(h->err, sizeof(h->err), "%s: %s", h->label, why);
	h->state = FIOC_LOST;
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
}

/* Lost while loading, after the server said why (its TEXT): the job was
 * refused (a bad option, a file it cannot open), whatever the socket did. */
static void host_refused(struct fioc_host *h)
{
	host_lose(h, "the server refused the job%s%s", h->text ? ": " : "",
		  h->text ? h->text : "");
	/* its message ends with a newline: trim it */
	h->err[strcspn(h->err, "\n")] = '\0';
}

static int host_queue(struct fioc_host *h, uint16_t op, const void *pdu, size_t len)
{
	uint8_t *buf;
	size_t blen;
	int ret = fiop_build(op, 0, pdu, len, &buf, &blen);

	if (ret)
		return ret;
	if (h->out_off == h->out_len) {
		free(h->out);
		h->out = buf;
		h->out_len = blen;
		h->out_off = 0;
		return 0;
	}
	{
		size_t pend = h->out_len - h->out_off;
		uint8_t *n = malloc(pend + blen);

		if (!n) {
			free(buf);
			return -ENOMEM;
		}
		memcpy(n, h->out + h->out_off, pend);
		memcpy(n + pend, buf, blen);
		free(buf);
		free(h->out);
		h->out = n;
		h->out_len = pend + blen;
		h->out_off = 0;
	}
	return 0;
}

static void host_connect(struct fioc_host *h)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	char port[8];
	int ret, fd;

	snprintf(port, sizeof(port), "%u", h->port);
	ret = getaddrinfo(h->host, port, &hints, &ai);
	if (ret) {
		host_lose(h, "resolve: %s (check the host name)", gai_strerror(ret));
		return;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		host_lose(h, "socket: %s", strerror(errno));
		freeaddrinfo(ai);
		return;
	}
	h->fd = fd;
	ret = connect(fd, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	if (ret && errno != EINPROGRESS) {
		host_lose(h, "connect: %s (is `fio --server` running there?)", strerror(errno));
		return;
	}
	{
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	h->state = FIOC_CONNECTING;
	h->wait_since_ms = now_ms();
}

static void host_connected(struct fioc_host *h)
{
	uint8_t probe[FIOP_PROBE_LEN];
	int soerr = 0;
	socklen_t sl = sizeof(soerr);

	getsockopt(h->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
	if (soerr) {
		host_lose(h, "connect: %s (is `fio --server` running there?)", strerror(soerr));
		return;
	}
	fiop_probe_encode(probe, h->host);
	if (host_queue(h, FIOP_PROBE, probe, sizeof(probe))) {
		host_lose(h, "out of memory");
		return;
	}
	h->state = FIOC_PROBING;
	h->wait_since_ms = now_ms();
}

static void host_text(struct fioc_host *h, const struct fiop_text *t);

/* A note of iolab's among what the server printed. */
static void host_note(struct fioc_host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void host_note(struct fioc_host *h, const char *fmt, ...)
{
	char buf[400];
	struct fiop_text t = { .buf = buf };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	t.len = strlen(buf);
	buf[t.len++] = '\n';
	host_text(h, &t);
}

/* Keep an IOLOG for the front end to write, or say why it is not kept. */
static int host_iolog(struct fioc_host *h, const struct fiop_msg *m, char *err, size_t errlen)
{
	struct fiop_iolog lg;
	struct fioc_log *n;
	int ret = fiop_iolog_decode(m->pdu, m->len, &lg, err, errlen);

	if (ret == -ENOTSUP) {
		host_note(h, "iolab: %s", err);
		return 0;
	}
	if (ret)
		return ret;
	if (h->logs_bytes + m->len > FIOC_LOGS_MAX) {
		host_note(h, "iolab: log %s: over %u MiB of logs from this host: not written",
			  lg.name, FIOC_LOGS_MAX >> 20);
		return 0;
	}
	n = realloc(h->logs, (h->nlogs + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	h->logs = n;
	n[h->nlogs].pdu = malloc(m->len ? m->len : 1);
	if (!n[h->nlogs].pdu)
		return -ENOMEM;
	memcpy(n[h->nlogs].pdu, m->pdu, m->len);
	n[h->nlogs].len = m->len;
	h->nlogs++;
	h->logs_bytes += m->len;
	return 0;
}

static void host_text(struct fioc_host *h, const struct fiop_text *t)
{
	char *n = realloc(h->text, h->text_len + t->len + 1);

	if (!n)
		return;
	/* what a server prints reaches a terminal: no escape sequences */
	for (size_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->buf[i];

		n[h->text_len + i] = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? '?'
				     : (char)c;
	}
	h->text_len += t->len;
	n[h->text_len] = '\0';
	h->text = n;
}

/* Act on one whole message from @h. */
static void host_message(struct fioc_run *run, struct fioc_host *h,
			 const struct fiop_msg *m)
{
	char err[200] = "";
	int ret = 0;

	h->last_rx_ms = now_ms();
	h->version = h->rd.peer_version;
	switch (m->opcode) {
	case FIOP_PROBE: {
		uint8_t *job;
		size_t jl;

		ret = fiop_probe_decode(m->pdu, m->len, &h->probe, err, sizeof(err));
		if (ret)
			break;
		h->have_probe = true;
		if (h->state != FIOC_PROBING)
			break;
		h->starts_due = 1;
		if (run->status_interval_s) {
			char opt[48];
			const char *argv[2] = { "fio", opt };

			snprintf(opt, sizeof(opt), "--status-interval=%u", run->status_interval_s);
			ret = fiop_jobline_encode(argv, 2, &job, &jl);
			if (!ret) {
				ret = host_queue(h, FIOP_JOBLINE, job, jl);
				free(job);
				h->starts_due++;
			}
			if (ret) {
				snprintf(err, sizeof(err), "command line: %s", strerror(-ret));
				break;
			}
		}
		ret = fiop_job_encode(run->job, run->job_len, &job, &jl);
		if (!ret) {
			ret = host_queue(h, FIOP_JOB, job, jl);
			free(job);
		}
		/* fio's server sends what it queued when its loop next wakes,
		 * up to a second later; a command wakes it now. */
		if (!ret)
			ret = host_queue(h, FIOP_SEND_ETA, NULL, 0);
		if (ret) {
			snprintf(err, sizeof(err), "job: %s", strerror(-ret));
			break;
		}
		h->state = FIOC_LOADING;
		h->wait_since_ms = h->last_rx_ms;
		break;
	}
	case FIOP_START: {
		struct fiop_start st;

		ret = fiop_start_decode(m->pdu, m->len, &st);
		if (ret || h->state != FIOC_LOADING)
			break;
		if (st.jobs)       /* a JOBLINE's START announces no jobs */
			h->start = st;
		if (--h->starts_due > 0)
			break;
		ret = host_queue(h, FIOP_RUN, NULL, 0);
		h->state = FIOC_RUNNING;
		h->wait_since_ms = 0;
		h->eta_sent_ms = 0; /* ask for an ETA at once: it wakes the server */
		break;
	}
	case FIOP_TEXT: {
		struct fiop_text t;

		ret = fiop_text_decode(m->pdu, m->len, &t);
		if (!ret)
			host_text(h, &t);
		break;
	}
	case FIOP_ETA:
		ret = fiop_eta_decode(m->pdu, m->len, &h->eta);
		if (!ret)
			h->have_eta = true;
		h->wait_since_ms = 0;
		break;
	case FIOP_TS: {
		struct fiop_ts *n = realloc(h->ts, (h->nts + 1) * sizeof(*n)), *t;
		size_t k;

		if (!n) {
			ret = -ENOMEM;
			break;
		}
		h->ts = n;
		t = &h->ts[h->nts];
		ret = fiop_ts_decode(h->version, m->pdu, m->len, t, err, sizeof(err));
		if (ret)
			break;
		/* the same job again (status interval, then the end): replace */
		for (k = 0; k < h->nts; k++)
			if (h->ts[k].thread_number == t->thread_number &&
			    h->ts[k].groupid == t->groupid && !strcmp(h->ts[k].name, t->name))
				break;
		if (k < h->nts)
			memcpy(&h->ts[k], t, sizeof(*t));
		else
			h->nts++;
		h->ts_last = k;
		break;
	}
	case FIOP_STOP:
		ret = fiop_stop_decode(m->pdu, m->len, &h->stop);
		h->state = FIOC_STOPPED;
		h->wait_since_ms = h->last_rx_ms;
		break;
	case FIOP_QUIT:
		if (h->state == FIOC_STOPPED || h->state == FIOC_RUNNING) {
			h->state = FIOC_DONE;
			close(h->fd);
			h->fd = -1;
		} else if (h->state == FIOC_LOADING) {
			host_refused(h);
			return;
		} else {
			host_lose(h, "the server quit while %s", fioc_state_name(h->state));
			return;
		}
		break;
	case FIOP_JOB_OPT: {
		struct fiop_job_opt o, *n;

		ret = fiop_job_opt_decode(m->pdu, m->len, &o);
		if (ret || h->nopts >= 4096)   /* more is not options but a flood */
			break;
		n = realloc(h->opts, (h->nopts + 1) * sizeof(*n));
		if (!n) {
			ret = -ENOMEM;
			break;
		}
		h->opts = n;
		h->opts[h->nopts++] = o;
		break;
	}
	case FIOP_IOLOG:
		ret = host_iolog(h, m, err, sizeof(err));
		break;
	case FIOP_GS: case FIOP_DU: case FIOP_ADD_JOB: case FIOP_SERVER_START:
	case FIOP_UPDATE_JOB:
		break; /* TS carries the group stats; the rest iolab does not need */
	default:
		snprintf(err, sizeof(err), "unknown opcode %u", m->opcode);
		ret = -EBADMSG;
	}
	if (ret) {
		host_lose(h, "bad %s packet: %s", fiop_op_name(m->opcode),
			  err[0] ? err : "payload too short");
		return;
	}
	if (run->on_packet)
		run->on_packet(run->arg, h, m->opcode);
}

static void host_read(struct fioc_run *run, struct fioc_host *h)
{
	uint8_t buf[65536];
	ssize_t n = recv(h->fd, buf, sizeof(buf), 0);
	size_t off = 0;

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		if (h->state == FIOC_LOADING && h->text)
			host_refused(h);
		else
			host_lose(h, "read: %s", strerror(errno));
		return;
	}
	if (n == 0) {
		if (h->state == FIOC_STOPPED) {          /* QUIT was all that was left */
			h->state = FIOC_DONE;
			close(h->fd);
			h->fd = -1;
		} else if (h->state == FIOC_PROBING && !h->last_rx_ms)
			host_lose(h, "the server closed the connection at the probe: it "
				  "likely speaks another fio protocol version (iolab speaks %s)",
				  fiop_versions_text());
		else if (h->state == FIOC_LOADING && h->text)
			host_refused(h);
		else
			host_lose(h, "the server closed the connection while %s%s",
				  fioc_state_name(h->state),
				  fiop_reader_partial(&h->rd) ? ", in the middle of a packet" : "");
		return;
	}
	while (off < (size_t)n && h->fd >= 0) {
		struct fiop_msg m;
		size_t used = 0;
		int ret = fiop_reader_feed(&h->rd, buf + off, (size_t)n - off, &used, &m);

		off += used;
		if (ret < 0) {
			if (ret == -EPROTO)
				host_lose(h, "%s", h->rd.err);
			else
				host_lose(h, "bad packet: %s", h->rd.err);
			return;
		}
		if (ret == 0)
			break;
		host_message(run, h, &m);
	}
}

static void host_write(struct fioc_host *h)
{
	while (h->out_off < h->out_len) {
		ssize_t n = send(h->fd, h->out + h->out_off, h->out_len - h->out_off,
				 MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			host_lose(h, "write: %s", strerror(errno));
			return;
		}
		h->out_off += (size_t)n;
	}
}

static bool host_active(const struct fioc_host *h)
{
	return h->state != FIOC_DONE && h->state != FIOC_LOST && h->fd >= 0;
}

int fioc_run(struct fioc_run *run)
{
	int n = run->nhosts, lost = 0;
	unsigned eta_ms = run->eta_ms ? run->eta_ms : 1000;
	unsigned reply_ms = run->reply_ms ? run->reply_ms : FIOC_REPLY_MS;
	uint64_t quit_deadline = 0;
	struct pollfd *pfd = calloc((size_t)n + 1, sizeof(*pfd));

	if (!pfd)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		host_connect(&run->hosts[i]);

	for (;;) {
		uint64_t t = now_ms();
		int active = 0, np = 0, ret;

		for (int i = 0; i < n; i++) {
			struct fioc_host *h = &run->hosts[i];

			if (!host_active(h))
				continue;
			if (h->state == FIOC_CONNECTING &&
			    t - h->wait_since_ms > FIOC_CONNECT_MS) {
				host_lose(h, "connect: no answer in %u s (firewall, or a wrong "
					  "address?)", FIOC_CONNECT_MS / 1000);
				continue;
			}
			/* asked and silent since: any packet shows it alive (a
			 * loaded server answers an ETA late but its TS arrive) */
			if (h->wait_since_ms && h->state != FIOC_CONNECTING &&
			    t - (h->last_rx_ms > h->wait_since_ms ? h->last_rx_ms
				 : h->wait_since_ms) > reply_ms) {
				host_lose(h, "no reply in %u s while %s (host down or hung?)",
					  (reply_ms + 999) / 1000, fioc_state_name(h->state));
				continue;
			}
			if (quit_deadline && t > quit_deadline) {
				host_lose(h, "no final figures within %u s of QUIT",
					  (reply_ms + 999) / 1000);
				continue;
			}
			if (h->state == FIOC_RUNNING && !quit_deadline &&
			    t - h->eta_sent_ms >= eta_ms) {
				if (host_queue(h, FIOP_SEND_ETA, NULL, 0) == 0 && !h->wait_since_ms)
					h->wait_since_ms = t;
				h->eta_sent_ms = t;
			}
			pfd[np].fd = h->fd;
			pfd[np].events = POLLIN;
			if (h->state == FIOC_CONNECTING)
				pfd[np].events = POLLOUT;
			else if (h->out_off < h->out_len)
				pfd[np].events |= POLLOUT;
			np++;
			active++;
		}
		if (run->on_packet)
			for (int i = 0; i < n; i++)
				if (run->hosts[i].told != run->hosts[i].state) {
					run->hosts[i].told = run->hosts[i].state;
					run->on_packet(run->arg, &run->hosts[i], 0);
				}
		if (!active)
			break;
		if (run->stop_fd >= 0 && !quit_deadline) {
			pfd[np].fd = run->stop_fd;
			pfd[np].events = POLLIN;
			np++;
		}
		ret = poll(pfd, (nfds_t)np, 100);
		if (ret < 0 && errno != EINTR) {
			free(pfd);
			return -errno;
		}
		if (ret <= 0)
			continue;
		if (run->stop_fd >= 0 && !quit_deadline && pfd[np - 1].revents) {
			run->stopped = true;
			quit_deadline = now_ms() + reply_ms;
			for (int i = 0; i < n; i++) {
				struct fioc_host *h = &run->hosts[i];

				if (!host_active(h))
					continue;
				if (h->state == FIOC_CONNECTING || h->state == FIOC_PROBING)
					host_lose(h, "stopped before the job was sent");
				else
					host_queue(h, FIOP_QUIT, NULL, 0);
			}
			continue;
		}
		for (int i = 0, k = 0; i < n && k < np; i++) {
			struct fioc_host *h = &run->hosts[i];

			if (h->fd < 0 || pfd[k].fd != h->fd)
				continue;
			if (h->state == FIOC_CONNECTING) {
				if (pfd[k].revents)
					host_connected(h);
			} else {
				if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
					host_read(run, h);
				if (h->fd >= 0 && (pfd[k].revents & POLLOUT))
					host_write(h);
			}
			if (h->fd >= 0 && h->out_off < h->out_len)
				host_write(h);
			k++;
		}
	}
	free(pfd);
	for (int i = 0; i < n; i++)
		lost += run->hosts[i].state == FIOC_LOST;
	return lost;
}
