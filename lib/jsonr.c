/* JSON reader; see jsonr.h. Recursive descent with a depth cap. */
#include "jsonr.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jp {
	const char *s, *end, *p;
	char *err;
	size_t errlen;
	int rc;
};

static int fail(struct jp *jp, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (jp->rc)
		return jp->rc;
	n = snprintf(jp->err, jp->errlen, "column %zu: ", (size_t)(jp->p - jp->s) + 1);
	if (n >= 0 && (size_t)n < jp->errlen) {
		va_start(ap, fmt);
		vsnprintf(jp->err + n, jp->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	jp->rc = -EINVAL;
	return jp->rc;
}

static int oom(struct jp *jp)
{
	if (!jp->rc) {
		snprintf(jp->err, jp->errlen, "out of memory");
		jp->rc = -ENOMEM;
	}
	return jp->rc;
}

static void blanks(struct jp *jp)
{
	while (jp->p < jp->end &&
	       (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

static int hex4(struct jp *jp, unsigned *out)
{
	unsigned v = 0;

	if (jp->end - jp->p < 4)
		return fail(jp, "\\u needs four hex digits");
	for (int i = 0; i < 4; i++) {
		char c = jp->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return fail(jp, "\\u needs four hex digits");
	}
	jp->p += 4;
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* At the opening quote. The decoded string never outgrows the source. */
static int parse_string(struct jp *jp, char **out)
{
	const char *q;
	char *buf, *o;

	jp->p++;
	for (q = jp->p; q < jp->end && *q != '"'; q++)
		if (*q == '\\')
			q++;
	if (q >= jp->end)
		return fail(jp, "string not closed");
	buf = malloc((size_t)(q - jp->p) + 1);
	if (!buf)
		return oom(jp);
	o = buf;
	while (*jp->p != '"') {
		unsigned char c = (unsigned char)*jp->p;

		if (c < 0x20) {
			free(buf);
			return fail(jp, "control character in a string");
		}
		if (c != '\\') {
			*o++ = (char)c;
			jp->p++;
			continue;
		}
		jp->p++;
		switch (*jp->p++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned cp, lo;

			if (hex4(jp, &cp)) {
				free(buf);
				return jp->rc;
			}
			if (cp >= 0xd800 && cp <= 0xdbff && jp->end - jp->p >= 6 &&
			    jp->p[0] == '\\' && jp->p[1] == 'u') {
				jp->p += 2;
				if (hex4(jp, &lo)) {
					free(buf);
					return jp->rc;
				}
				if (lo >= 0xdc00 && lo <= 0xdfff)
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				else
					cp = 0xfffd;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd;
			}
			/* 6 source bytes hold at most 3 output bytes; a pair 12 holds 4 */
			o += put_utf8(o, cp);
			break;
		}
		default:
			jp->p--;
			free(buf);
			return fail(jp, "unknown escape '\\%c'", *jp->p);
		}
	}
	jp->p++;
	*o = '\0';
	*out = buf;
	return 0;
}

static int parse_value(struct jp *jp, struct jv *v, int depth);

static int grow(struct jp *jp, struct jv *v, size_t *cap, bool keys)
{
	size_t nc = *cap ? *cap * 2 : 4;
	struct jv *it;

	if (v->n < *cap)
		return 0;
	it = realloc(v->items, nc * sizeof(*it));
	if (!it)
		return oom(jp);
	v->items = it;
	if (keys) {
		char **k = realloc(v->keys, nc * sizeof(*k));

		if (!k)
			return oom(jp);
		v->keys = k;
	}
	*cap = nc;
	return 0;
}

static int parse_container(struct jp *jp, struct jv *v, int depth, bool obj)
{
	size_t cap = 0;
	char close = obj ? '}' : ']';

	v->t = obj ? JV_OBJ : JV_ARR;
	jp->p++;
	blanks(jp);
	if (jp->p < jp->end && *jp->p == close) {
		jp->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL;

		blanks(jp);
		if (obj) {
			if (jp->p >= jp->end || *jp->p != '"')
				return fail(jp, jp->p >= jp->end ? "object not closed" :
					       "expected a key (a string)");
			if (parse_string(jp, &key))
				return jp->rc;
			blanks(jp);
			if (jp->p >= jp->end || *jp->p != ':') {
				free(key);
				return fail(jp, "expected ':' after a key");
			}
			jp->p++;
		}
		if (grow(jp, v, &cap, obj)) {
			free(key);
			return jp->rc;
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (obj)
			v->keys[v->n] = key;
		v->n++;
		if (parse_value(jp, &v->items[v->n - 1], depth + 1))
			return jp->rc;
		blanks(jp);
		if (jp->p >= jp->end)
			return fail(jp, obj ? "object not closed" : "array not closed");
		if (*jp->p == ',') {
			jp->p++;
			continue;
		}
		if (*jp->p == close) {
			jp->p++;
			return 0;
		}
		return fail(jp, "expected ',' or '%c'", close);
	}
}

static int parse_number(struct jp *jp, struct jv *v)
{
	const char *q = jp->p;
	char buf[64];
	size_t n;

	if (q < jp->end && *q == '-')
		q++;
	if (q >= jp->end || *q < '0' || *q > '9')
		return fail(jp, "not a value");
	while (q < jp->end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
			       *q == '+' || *q == '-'))
		q++;
	n = (size_t)(q - jp->p);
	if (n >= sizeof(buf))
		return fail(jp, "number too long");
	memcpy(buf, jp->p, n);
	buf[n] = '\0';
	{
		char *e;

		v->num = strtod(buf, &e);
		if (*e)
			return fail(jp, "bad number '%s'", buf);
	}
	v->t = JV_NUM;
	jp->p = q;
	return 0;
}

static int word(struct jp *jp, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, w, n))
		return fail(jp, "not a value");
	jp->p += n;
	return 0;
}

static int parse_value(struct jp *jp, struct jv *v, int depth)
{
	if (depth > JSONR_MAX_DEPTH)
		return fail(jp, "nested deeper than %d", JSONR_MAX_DEPTH);
	blanks(jp);
	if (jp->p >= jp->end)
		return fail(jp, "a value is missing (the text ends)");
	switch (*jp->p) {
	case '{':
		return parse_container(jp, v, depth, true);
	case '[':
		return parse_container(jp, v, depth, false);
	case '"':
		v->t = JV_STR;
		return parse_string(jp, &v->str);
	case 't':
		v->t = JV_BOOL;
		v->b = true;
		return word(jp, "true");
	case 'f':
		v->t = JV_BOOL;
		return word(jp, "false");
	case 'n':
		return word(jp, "null");
	default:
		return parse_number(jp, v);
	}
}

void jv_free(struct jv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		jv_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

int jv_parse(const char *text, size_t len, struct jv *out, char *err, size_t errlen)
{
	struct jp jp = { .s = text, .end = text + len, .p = text, .err = err, .errlen = errlen };

	memset(out, 0, sizeof(*out));
	if (!parse_value(&jp, out, 0)) {
		blanks(&jp);
		if (jp.p < jp.end)
			fail(&jp, "text after the value");
	}
	if (jp.rc)
		jv_free(out);
	return jp.rc;
}

const struct jv *jv_get(const struct jv *o, const char *key)
{
	const struct jv *found = NULL;

	if (!o || o->t != JV_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			found = &o->items[i];
	return found;
}

double jv_num(const struct jv *v, double dflt)
{
	return v && v->t == JV_NUM ? v->num : dflt;
}

const char *jv_str(const struct jv *v)
{
	return v && v->t == JV_STR ? v->str : NULL;
}
