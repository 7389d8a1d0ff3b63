/* Connections to `fio --server` hosts: connect, probe, send a job, run it,
 * gather what the servers send, notice hosts that die or go silent.
 *
 * Single-threaded: fioc_run() drives every host from one poll loop on the
 * calling thread and returns when every host is done or lost. Every wait
 * in it is bounded (connect and reply timeouts) and obeys @stop_fd: when
 * that fd turns readable, every host still running is sent QUIT and the
 * loop gathers their final figures for at most FIOC_REPLY_MS more.
 * Nothing gathered from one host is lost because another failed.
 */
#ifndef IOLAB_FIOCLIENT_H
#define IOLAB_FIOCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/fioproto.h"

#define FIOC_CONNECT_MS 5000   /* a connect that takes longer is refused */
#define FIOC_LOGS_MAX   (256u << 20) /* a host's logs kept, at most */
#define FIOC_REPLY_MS   5000   /* a host silent this long (asked) is lost,
				* unless fioc_run.reply_ms says otherwise */

enum fioc_state {
	FIOC_IDLE, FIOC_CONNECTING, FIOC_PROBING, FIOC_LOADING, FIOC_RUNNING,
	FIOC_STOPPED,  /* the server said STOP; waiting for its QUIT */
	FIOC_DONE, FIOC_LOST,
};
const char *fioc_state_name(enum fioc_state s);

struct fioc_host {
	char host[256];
	unsigned port;
	char label[300];            /* "HOST,PORT", as messages name it */
	enum fioc_state state;
	int fd;
	struct fiop_reader rd;
	uint8_t *out;               /* bytes queued for the socket */
	size_t out_len, out_off;
	struct fiop_probe probe;
	bool have_probe;
	uint16_t version;           /* protocol version its headers carry */
	struct fiop_start start;    /* jobs and stat outputs it announced */
	struct fiop_ts *ts;         /* latest figures of each job (a job's TS
				     * replaces its previous one), cumulative */
	size_t nts;
	size_t ts_last;             /* index in ts of the last TS received */
	int starts_due;             /* START replies still expected */
	struct fiop_job_opt *opts;  /* JOB_OPT: global ones, and per job with
				     * groupid = its thread_number - 1 */
	size_t nopts;
	struct fiop_eta eta;        /* the last ETA */
	bool have_eta;
	struct fiop_stop stop;
	char *text;                 /* what the server printed (TEXT), NUL-ended;
				     * iolab's notes on its packets too */
	struct fioc_log {           /* IOLOG payloads as sent (fiop_iolog_decode
				     * took them), for the front end to write */
		uint8_t *pdu;
		size_t len;
	} *logs;
	size_t nlogs, logs_bytes;
	size_t text_len;
	uint64_t last_rx_ms;        /* monotonic ms of the last packet */
	uint64_t wait_since_ms;     /* asked something at; 0 when not waiting */
	uint64_t eta_sent_ms;
	enum fioc_state told;       /* the state on_packet last heard of */
	char err[640];              /* why it was lost: "HOST,PORT: what: why" */
};

/* Parse "HOST[,PORT]" (also "[v6addr],PORT", "ip:HOST,PORT"). Returns 0 or
 * -EINVAL with @err saying why. */
int fioc_host_parse(struct fioc_host *h, const char *spec, char *err, size_t errlen);
/* The same with @port for a spec that names none (the settings' [client]
 * port) instead of fio's 8765. */
int fioc_host_parse_port(struct fioc_host *h, const char *spec, unsigned port, char *err,
			 size_t errlen);
void fioc_host_free(struct fioc_host *h);

struct fioc_run {
	struct fioc_host *hosts;
	int nhosts;
	const char *job;            /* job file text sent to every host */
	size_t job_len;
	int stop_fd;                /* readable: quit every host; -1 for none */
	unsigned eta_ms;            /* ask for ETA this often (default 1000) */
	unsigned reply_ms;          /* asked, no packet this long: lost; also
				     * how long QUIT waits for the final
				     * figures (0: FIOC_REPLY_MS) */
	unsigned status_interval_s; /* >0: servers send every job's TS this
				     * often while running (fio's
				     * --status-interval); 0: only at the end */
	/* Called on the loop's thread after each packet a host sent (may be
	 * NULL): live front ends read h->eta, or after a TS h->ts[h->ts_last]
	 * (cumulative: the front end keeps the previous one to take deltas).
	 * @opcode 0: the host's state changed (it was lost, or is done). */
	void (*on_packet)(void *arg, struct fioc_host *h, unsigned opcode);
	void *arg;
	bool stopped;               /* out: the stop fd fired */
};

/* Run the job on every host. Returns the number of hosts lost (each with
 * h->err set), or -errno when nothing could start. */
int fioc_run(struct fioc_run *run);

#endif
