/* CPU and NUMA node lists: cpus_allowed and numa_cpu_nodes parsed and
 * checked against this machine, cpus_allowed_policy=split, the CPUs of
 * NUMA nodes from sysfs. See options.h. */
#include "options_int.h"

#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* cpus_allowed=0-3,6: checked here, applied by the worker */
int opts_cpus_split(cpu_set_t *set, unsigned index)
{
	int count = CPU_COUNT(set), k = 0;

	if (!count)
		return 0;
	index %= (unsigned)count;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, set))
			continue;
		if ((unsigned)k++ != index)
			CPU_CLR(c, set);
	}
	return CPU_COUNT(set);
}

/* cpumask=: fio's bit mask of CPUs (bit N: CPU N, the low 32 bits, as
 * fio reads it), decimal or 0x hex; stored as the cpus_allowed list it
 * means, so the later of the two wins, as in fio. */
int parse_cpumask(const struct opt_def *d, struct job_opts *o, const char *val, char *err,
		  size_t errlen)
{
	char list[32 * 3 + 1], *end;
	unsigned long long m;
	size_t n = 0;

	if (!val)
		return fail(err, errlen, "needs a value (%s=0x3: CPUs 0 and 1)", d->name);
	if (!*val) { /* no restriction: the default */
		set_str((char **)field(o, d), NULL);
		return 0;
	}
	errno = 0;
	m = strtoull(val, &end, 0);
	if (*end || errno || val[0] == '-' || !isdigit((unsigned char)val[0]))
		return fail(err, errlen, "'%s' is not a CPU mask (e.g. 0x3 for CPUs 0 and 1)", val);
	if (m > 0xffffffffULL)
		return fail(err, errlen, "'%s': fio reads the mask's low 32 bits only (CPUs 0-31); "
			    "use cpus_allowed for more", val);
	if (!m)
		return fail(err, errlen, "0 allows no CPU");
	list[0] = '\0';
	for (unsigned c = 0; c < 32; c++)
		if (m & (1ULL << c))
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%u", n ? "," : "", c);
	set_str((char **)field(o, d), list);
	return 0;
}

void print_cpumask(const struct opt_def *d, const struct job_opts *o, char *buf, size_t len)
{
	const char *l = *(char *const *)cfield(o, d);
	unsigned long long m = 0;
	cpu_set_t set;

	snprintf(buf, len, "%s", "");
	if (!l || !*l || opts_cpu_list(l, &set))
		return;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &set))
			continue;
		if (c >= 32)
			return; /* not a mask fio reads: cpus_allowed says it */
		m |= 1ULL << c;
	}
	snprintf(buf, len, "0x%llx", m);
}

/* numa_cpu_nodes=: "all" or a node list in the CPU-list syntax */
int parse_numa_nodes(const struct opt_def *d, struct job_opts *o, const char *val,
		     char *err, size_t errlen)
{
	cpu_set_t set;

	if (!val)
		return fail(err, errlen, "needs a value (%s=0-1 or all)", d->name);
	if (!*val) { /* no binding: the default */
		set_str((char **)field(o, d), NULL);
		return 0;
	}
	if (strcasecmp(val, "all") && opts_cpu_list(val, &set))
		return fail(err, errlen, "'%s' is not a node list (e.g. 0-1,3) nor 'all'", val);
	set_str((char **)field(o, d), val);
	return 0;
}

int parse_cpu_list(const struct opt_def *d, struct job_opts *o, const char *val,
		   char *err, size_t errlen)
{
	cpu_set_t set;

	if (!val)
		return fail(err, errlen, "needs a value (%s=0-3,6)", d->name);
	if (!*val) { /* no restriction: the default */
		set_str((char **)field(o, d), NULL);
		return 0;
	}
	if (opts_cpu_list(val, &set))
		return fail(err, errlen, "'%s' is not a CPU list (e.g. 0-3,6)", val);
	set_str((char **)field(o, d), val);
	return 0;
}

int opts_cpu_list(const char *s, cpu_set_t *set)
{
	CPU_ZERO(set);
	while (*s) {
		char *end;
		unsigned long a, b;

		if (!isdigit((unsigned char)*s))
			return -1;
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			s = end + 1;
			if (!isdigit((unsigned char)*s))
				return -1;
			b = strtoul(s, &end, 10);
		}
		if (a > b || b >= CPU_SETSIZE)
			return -1;
		for (unsigned long c = a; c <= b; c++)
			CPU_SET(c, set);
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return CPU_COUNT(set) ? 0 : -1;
}

int opts_numa_cpus(const char *nodes, cpu_set_t *out, char *why, size_t whylen)
{
	cpu_set_t want;
	bool all = !strcasecmp(nodes, "all");
	int found = 0;

	CPU_ZERO(out);
	if (!all && opts_cpu_list(nodes, &want)) {
		snprintf(why, whylen, "'%s' is not a node list", nodes);
		return -EINVAL;
	}
	for (int n = 0; n < 1024; n++) {
		char path[96], list[4096];
		cpu_set_t cpus;
		FILE *f;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", n);
		f = fopen(path, "re");
		if (!f)
			continue;
		found++;
		if (fgets(list, sizeof(list), f) && (all || (n < CPU_SETSIZE && CPU_ISSET(n, &want)))) {
			list[strcspn(list, "\n")] = '\0';
			if (*list && !opts_cpu_list(list, &cpus))
				CPU_OR(out, out, &cpus);
		}
		fclose(f);
	}
	if (!found)
		return -ENOENT;
	if (!CPU_COUNT(out)) {
		snprintf(why, whylen, "no CPUs on node%s %s", strchr(nodes, ',') ||
			 strchr(nodes, '-') ? "s" : "", nodes);
		return -EINVAL;
	}
	return 0;
}

int opts_check_host(const struct job_opts *o, char *err, size_t errlen)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	cpu_set_t set, mine;
	char why[160];

	if (o->cpus_allowed && *o->cpus_allowed && !opts_cpu_list(o->cpus_allowed, &set)) {
		bool split = o->cpus_allowed_policy == CPUS_SPLIT;
		const struct opt_def *cm = opt_find("cpumask");
		char what[160];
		cpu_set_t both;

		/* the option that set the list, as the user wrote it */
		if (cm && o->set[opt_index(cm)]) {
			char mask[32];

			print_cpumask(cm, o, mask, sizeof(mask));
			snprintf(what, sizeof(what), "cpumask=%s", mask);
		} else {
			snprintf(what, sizeof(what), "cpus_allowed=%.140s", o->cpus_allowed);
		}

		/* as fio: a CPU past the machine's last is an error */
		for (long c = ncpu > 0 ? ncpu : CPU_SETSIZE; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set))
				return fail(err, errlen, "%s: CPU %ld is not on this machine (it "
						 "has CPUs 0-%ld)", what, c, ncpu - 1);
		/* a cpuset (container, taskset) may allow fewer: shared needs one
		 * of them, split may hand any CPU of the list to a job */
		if (!sched_getaffinity(0, sizeof(mine), &mine)) {
			CPU_AND(&both, &set, &mine);
			if (!CPU_COUNT(&both) || (split && !CPU_EQUAL(&both, &set)))
				for (int c = 0; c < CPU_SETSIZE; c++)
					if (CPU_ISSET(c, &set) && !CPU_ISSET(c, &mine))
						return fail(err, errlen, "%s: CPU %d is not allowed "
								 "to iolab here (taskset or cpuset)%s",
							    what, c, split ? ", and "
								 "cpus_allowed_policy=split may give "
								 "it to a job" : "");
		}
	}
	if (o->numa_cpu_nodes && *o->numa_cpu_nodes &&
	    opts_numa_cpus(o->numa_cpu_nodes, &set, why, sizeof(why)) == -EINVAL)
		return fail(err, errlen, "numa_cpu_nodes=%s: %s", o->numa_cpu_nodes, why);
	return 0;
}
