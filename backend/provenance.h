/* Provenance: the facts about the machine and the storage under a path that
 * a result must carry to be read later (diagnose reports, recordings).
 *
 * Every reader fills what it can and leaves the rest "" (strings) or -1
 * (numbers); a field that cannot be read is never an error. Thread-safe (no
 * shared state); each call reads /proc and /sys afresh. */
#ifndef IOLAB_PROVENANCE_H
#define IOLAB_PROVENANCE_H

#include <stddef.h>

struct prov_host {
	char host[256];     /* gethostname */
	char kernel[128];   /* uname -r */
	char machine[32];   /* uname -m */
	char cpu_model[128]; /* /proc/cpuinfo "model name" (first CPU) */
	long cpus;          /* online CPUs; -1 unknown */
	long long mem_bytes; /* MemTotal; -1 unknown */
};

/* The identity and queue settings of block device @dev (a kernel name,
 * "sda", "nvme0n1", "dm-0"), from /sys/block/@dev. */
struct prov_dev {
	char model[128];     /* vendor and model (SCSI), or model */
	char firmware[64];   /* device/firmware_rev, else device/rev */
	char serial[64];     /* device/serial, else device/wwid; often root only */
	char scheduler[32];  /* the active one ("mq-deadline") */
	char write_cache[24]; /* "write back", "write through" */
	int nr_requests;     /* -1 unknown */
	int rotational;      /* 1 spinning, 0 not, -1 unknown */
};

/* The filesystem holding a path (its nearest existing ancestor), from
 * /proc/self/mountinfo: the longest mount point above it. */
struct prov_mount {
	char mountpoint[512];
	char fstype[32];
	char source[256];    /* "/dev/sda1", "tmpfs" */
	char options[512];   /* per-mount options, then the superblock's */
};

void prov_host_read(struct prov_host *h);
void prov_dev_read(const char *dev, struct prov_dev *d);
/* Returns 0, or -ENOENT when the path has no existing ancestor. When no
 * mount entry covers it (its mount lies outside the process's root), the
 * type comes from statfs() and the other fields read "?". */
int prov_mount_read(const char *path, struct prov_mount *m);

#endif
