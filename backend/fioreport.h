/* fio's client-mode output from what `fio --server` hosts sent: the normal
 * report (per host its probe line and each job's figures, then "All
 * clients" with the cluster percentiles two ways: from the merged latency
 * bins, the true ones, and as the mean of the hosts' own) and fio's client
 * JSON ("client_stats" entries carrying "hostname" and "port"). Used by the
 * headless client and by the fio-server source's report. */
#ifndef IOLAB_FIOREPORT_H
#define IOLAB_FIOREPORT_H

#include <stdio.h>

#include "backend/fioclient.h"

enum { FIOREP_NORMAL = 1u << 0, FIOREP_JSON = 1u << 1 };

/* Write @formats (both: normal first) for @n hosts' final figures. Returns
 * 0 or -ENOMEM. */
int fioreport_write(FILE *f, const struct fioc_host *hs, int n, unsigned formats);

/* One job's figures as fio's normal report prints them, @who before its
 * name ("<HOST,PORT> "). */
void fioreport_ts(FILE *f, const char *who, const struct fiop_ts *ts);

/* Write every host's logs (IOLOG) where fio's client puts them: in the
 * current directory, named by the log and the host ("x_iops.1.log.HOST";
 * with ",PORT" too when two hosts share a name). Only the last component
 * of the name the server sent is used: the network does not choose the
 * directory. Lines as fio writes them: "time, value, ddir, bs, prio", or
 * with log_offset "time, value, ddir, bs, offset, prio". Each file
 * written, or refused, is said on @note. Returns how many failed. */
int fioreport_logs(const struct fioc_host *hs, int n, FILE *note);

#endif
