/* A small JSON reader: parses one JSON text into a tree (RFC 8259; depth at
 * most JSONR_MAX_DEPTH). For recordings and other files iolab reads back;
 * not for hot paths. Not thread-safe per tree; no global state. */
#ifndef IOLAB_JSONR_H
#define IOLAB_JSONR_H

#include <stdbool.h>
#include <stddef.h>

#define JSONR_MAX_DEPTH 64

enum jv_type { JV_NULL = 0, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type t;
	bool b;
	double num;
	char *str;          /* JV_STR: UTF-8, NUL-terminated (an embedded \u0000 cuts it) */
	size_t n;           /* JV_ARR, JV_OBJ: members */
	struct jv *items;   /* JV_ARR, JV_OBJ: the values */
	char **keys;        /* JV_OBJ: the keys, in file order */
};

/* Parse @len bytes of @text (the whole of it must be one value, blanks
 * around allowed). Returns 0, or -EINVAL with "column N: why" in @err (N
 * counts bytes from 1) and @out left empty (JV_NULL), or -ENOMEM. */
int jv_parse(const char *text, size_t len, struct jv *out, char *err, size_t errlen);
void jv_free(struct jv *v);

/* Member @key of object @o (the last one if repeated), or NULL (also when
 * @o is NULL or not an object). */
const struct jv *jv_get(const struct jv *o, const char *key);
/* The number, or @dflt when @v is NULL or not a number. */
double jv_num(const struct jv *v, double dflt);
/* The string, or NULL when @v is NULL or not a string. */
const char *jv_str(const struct jv *v);

#endif
