/* Token flow control between jobs; see flow.h. */
#include "flow.h"

#include <pthread.h>
#include <stdlib.h>


struct flow {
	unsigned id;
	unsigned refs;         /* under flows_lock */
	uint64_t shared;       /* I/Os counted by every job in the flow, plus 1 */
	uint64_t total_weight;
	struct flow *next;
};

static pthread_mutex_t flows_lock = PTHREAD_MUTEX_INITIALIZER;
static struct flow *flows;

struct flow *flow_join(unsigned id, unsigned weight)
{
	struct flow *f;

	pthread_mutex_lock(&flows_lock);
	for (f = flows; f; f = f->next)
		if (f->id == id)
			break;
	if (!f) {
		f = calloc(1, sizeof(*f));
		if (!f) {
			pthread_mutex_unlock(&flows_lock);
			return NULL;
		}
		f->id = id;
		f->shared = 1;
		f->next = flows;
		flows = f;
	}
	f->refs++;
	__atomic_add_fetch(&f->total_weight, weight, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&flows_lock);
	return f;
}

void flow_leave(struct flow *f, uint64_t count, unsigned weight)
{
	struct flow **pp;

	if (!f)
		return;
	pthread_mutex_lock(&flows_lock);
	__atomic_sub_fetch(&f->shared, count, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&f->total_weight, weight, __ATOMIC_RELAXED);
	if (--f->refs == 0) {
		for (pp = &flows; *pp; pp = &(*pp)->next)
			if (*pp == f) {
				*pp = f->next;
				break;
			}
		free(f);
	}
	pthread_mutex_unlock(&flows_lock);
}

bool flow_hold(struct flow *f, uint64_t *count, unsigned weight)
{
	uint64_t shared = __atomic_load_n(&f->shared, __ATOMIC_RELAXED);
	uint64_t total = __atomic_load_n(&f->total_weight, __ATOMIC_RELAXED);

	/* count/shared > weight/total, in integers */
	if (total && (unsigned __int128)*count * total > (unsigned __int128)weight * shared)
		return true;
	__atomic_add_fetch(&f->shared, 1, __ATOMIC_RELAXED);
	(*count)++;
	return false;
}
