/* Streaming JSON writer with fio's layout (two spaces a level, "key" : value).
 * Writes to a FILE*; keeps a small stack of open containers so commas and
 * indentation come out right. Strings (keys too) come out as valid UTF-8:
 * control characters escaped, bytes that are not well-formed UTF-8 written
 * as \ufffd. Not thread-safe. */
#ifndef IOLAB_JSON_H
#define IOLAB_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;
	int depth;
	int count[JSON_MAX_DEPTH]; /* members written at each level */
	unsigned char is_array[JSON_MAX_DEPTH]; /* level holds an array: no keys */
	int pending_key;          /* a key was written, value follows */
	int compact;              /* json_init_line: one line, no blanks */
};

void json_init(struct json *j, FILE *f);
/* The same writer for JSON Lines: no newline or blank inside the value
 * (",", ":"), doubles as %.9g (a float's exact value comes back); json_end
 * ends the line. */
void json_init_line(struct json *j, FILE *f);
void json_obj_open(struct json *j, const char *key);   /* key NULL at top / in arrays */
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *v);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_dbl(struct json *j, const char *key, double v); /* %f like fio */
void json_bool(struct json *j, const char *key, int v);
/* @text as the value, verbatim: the caller vouches that it is one valid
 * JSON value (and, in line mode, holds no newline). */
void json_raw(struct json *j, const char *key, const char *text);
/* Finish: closes nothing, writes the trailing newline. */
void json_end(struct json *j);

#endif
