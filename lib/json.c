/* Streaming JSON writer with fio's layout; see json.h.
 *
 * Layout, as fio 3.x prints it: two spaces per level, `"key" : value`,
 * members separated by ",\n", an opened container followed by "\n", and the
 * closing bracket on its own line at the parent's indentation (so an empty
 * container comes out as "{\n\n}", as fio prints it). Doubles use "%f". */
#include <inttypes.h>
#include <math.h>

#include "json.h"

static void json_indent(struct json *j, int level)
{
	if (j->compact)
		return;
	while (level-- > 0)
		fputs("  ", j->f);
}

/* Length of the well-formed UTF-8 sequence at @p (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or 0 when it is not one. */
static int utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];
	int n;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	for (int i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* also stops at the terminating NUL */
	if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
	    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
		return 0;
	return n;
}

/* Write @s as a JSON string literal: quotes, backslashes and every control
 * character are escaped; well-formed UTF-8 passes through; every byte that
 * is not part of well-formed UTF-8 becomes \ufffd (the replacement
 * character), so the output is valid UTF-8 whatever a name or a path
 * holds. */
static void json_quote(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', f);
	while (*p) {
		int n;

		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(f, "\\u%04x", *p);
			} else if (*p < 0x80) {
				fputc(*p, f);
			} else if ((n = utf8_len(p)) > 0) {
				fwrite(p, 1, (size_t)n, f);
				p += n;
				continue;
			} else {
				fputs("\\ufffd", f);
			}
		}
		p++;
	}
	fputc('"', f);
}

/* Separator, indentation and key before a value at the current level. Keys
 * are written only inside objects; at the top level or in an array @key is
 * ignored. */
static void json_member(struct json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->count[j->depth] > 0)
			fputs(j->compact ? "," : ",\n", j->f);
		json_indent(j, j->depth);
		j->count[j->depth]++;
		if (key && !j->is_array[j->depth]) {
			json_quote(j->f, key);
			fputs(j->compact ? ":" : " : ", j->f);
		}
	}
	j->pending_key = 0;
}

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->count[0] = 0;
	j->is_array[0] = 0;
	j->pending_key = 0;
	j->compact = 0;
}

void json_init_line(struct json *j, FILE *f)
{
	json_init(j, f);
	j->compact = 1;
}

static void json_open(struct json *j, const char *key, char c)
{
	json_member(j, key);
	fputc(c, j->f);
	if (!j->compact)
		fputc('\n', j->f);
	if (j->depth < JSON_MAX_DEPTH - 1) {
		j->depth++;
		j->count[j->depth] = 0;
		j->is_array[j->depth] = c == '[';
	}
}

static void json_close(struct json *j, char c)
{
	if (!j->compact)
		fputc('\n', j->f);
	if (j->depth > 0)
		j->depth--;
	json_indent(j, j->depth);
	fputc(c, j->f);
}

void json_obj_open(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_obj_close(struct json *j)
{
	json_close(j, '}');
}

void json_arr_open(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_arr_close(struct json *j)
{
	json_close(j, ']');
}

void json_str(struct json *j, const char *key, const char *v)
{
	json_member(j, key);
	json_quote(j->f, v);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	json_member(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	json_member(j, key);
	fprintf(j->f, "%" PRId64, v);
}

/* Non-finite values have no JSON number; they are written as null rather
 * than fio's invalid "nan"/"inf". */
void json_dbl(struct json *j, const char *key, double v)
{
	json_member(j, key);
	if (isfinite(v))
		fprintf(j->f, j->compact ? "%.9g" : "%f", v);
	else
		fputs("null", j->f);
}

void json_bool(struct json *j, const char *key, int v)
{
	json_member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_raw(struct json *j, const char *key, const char *text)
{
	json_member(j, key);
	fputs(text, j->f);
}

void json_end(struct json *j)
{
	fputc('\n', j->f);
}
