/* libFuzzer harness over the fio-server packet reader and payload decoders
 * (backend/fioproto.c): the input is a byte stream as a server would send
 * it. The first byte picks how it is cut into reads (1 to 256 bytes at a
 * time); every whole message goes through the decoder of its opcode.
 *
 * `make fuzz-fioproto FUZZ_SECONDS=N` builds it with clang into
 * build-fuzz/. tests/test_fioproto.c includes this file with FUZZ_NO_ENTRY
 * defined and runs random streams through fuzz_proto_one(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/fioproto.h"

static void fuzz_proto_one(const uint8_t *data, size_t size)
{
	struct fiop_reader r;
	struct fiop_ts *ts = malloc(sizeof(*ts));
	size_t off = 1, chunk;

	if (!size || !ts) {
		free(ts);
		return;
	}
	chunk = (size_t)data[0] + 1;
	fiop_reader_init(&r);
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk, used = 0;
		struct fiop_msg m;
		int ret = fiop_reader_feed(&r, data + off, n, &used, &m);
		char err[200];

		off += used;
		if (ret < 0)
			break;
		if (ret == 0)
			continue;
		switch (m.opcode) {
		case FIOP_PROBE: { struct fiop_probe p; fiop_probe_decode(m.pdu, m.len, &p, err, sizeof(err)); break; }
		case FIOP_START: { struct fiop_start s; fiop_start_decode(m.pdu, m.len, &s); break; }
		case FIOP_STOP: { struct fiop_stop s; fiop_stop_decode(m.pdu, m.len, &s); break; }
		case FIOP_TEXT: { struct fiop_text t; fiop_text_decode(m.pdu, m.len, &t); break; }
		case FIOP_ETA: {
			struct fiop_eta e;
			char letters[64];

			if (!fiop_eta_decode(m.pdu, m.len, &e))
				fiop_runstr_expand(e.run_str, letters, sizeof(letters));
			break;
		}
		case FIOP_IOLOG: {
			struct fiop_iolog l;
			struct fiop_sample smp;

			if (!fiop_iolog_decode(m.pdu, m.len, &l, err, sizeof(err)))
				for (uint64_t i = 0; i < l.nr_samples; i++)
					fiop_iolog_sample(&l, (size_t)i, &smp);
			break;
		}
		case FIOP_ADD_JOB: { struct fiop_add_job a; fiop_add_job_decode(m.pdu, m.len, &a); break; }
		case FIOP_JOB_OPT: { struct fiop_job_opt o; fiop_job_opt_decode(m.pdu, m.len, &o); break; }
		case FIOP_TS: fiop_ts_decode(97, m.pdu, m.len, ts, err, sizeof(err)); break;
		default: break;
		}
	}
	fiop_reader_free(&r);
	free(ts);
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_proto_one(data, size);
	return 0;
}
#endif
