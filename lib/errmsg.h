/* The reason for a refusal, written into the caller's buffer: every
 * "return fail(err, errlen, "why %s", x);" in the code base comes here,
 * and so do messages built a piece at a time (errmsg_appendf).
 *
 * Pure function of its arguments; any thread. */
#ifndef IOLAB_ERRMSG_H
#define IOLAB_ERRMSG_H

#include <stddef.h>

/* printf @fmt into @err (when @err and @errlen); returns @ret. */
int errmsg_ret(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The common form: the reason, and -1 for "return errmsg_fail(...)". */
#define errmsg_fail(err, errlen, ...) errmsg_ret(err, errlen, -1, __VA_ARGS__)

/* printf @fmt appended to @buf (NUL-terminated, @len bytes), truncating:
 * a reason or a finding built a piece at a time. */
void errmsg_appendf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
