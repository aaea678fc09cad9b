/* JSON (RFC 8259) for the LLM client.
   - Writer: appends to a caller buffer with correct string escaping (", \,
     the short escapes, every other control as \u00XX, the C1 controls
     U+0080..U+009F included); input strings must be valid UTF-8 and pass
     through unchanged otherwise.
   - Parser: validates a whole document and fills a caller-owned token array
     (one token per value or key, in document order, each knowing where its
     subtree ends), bounded nesting depth. Strings are validated (escapes,
     \uXXXX surrogate pairs, UTF-8) but not copied: json_str_decode() decodes
     a string token into a caller buffer. Lone surrogates (\uD800 alone,
     \uDC00 first) are rejected with JSON_ERR_LONE_SURROGATE.
   - Lookup: json_path("choices[0].delta.content") walks objects and arrays.
   No allocation; the document text must outlive the tokens. */
#ifndef HTTP_JSON_H
#define HTTP_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 64

enum json_err {
    JSON_OK = 0,
    JSON_ERR_EMPTY,
    JSON_ERR_UNEXPECTED_CHAR,
    JSON_ERR_UNEXPECTED_END,       /* truncated document */
    JSON_ERR_TRAILING_DATA,        /* something after the top-level value */
    JSON_ERR_BAD_LITERAL,          /* true/false/null misspelt */
    JSON_ERR_BAD_NUMBER,
    JSON_ERR_BAD_ESCAPE,
    JSON_ERR_BAD_UNICODE_ESCAPE,   /* \u not followed by 4 hex digits */
    JSON_ERR_LONE_SURROGATE,
    JSON_ERR_CONTROL_CHAR,         /* raw byte < 0x20 inside a string */
    JSON_ERR_BAD_UTF8,
    JSON_ERR_TOO_DEEP,
    JSON_ERR_TOO_MANY_TOKENS,
    JSON_ERR_BUFFER_TOO_SMALL,     /* writer or decode output */
    JSON_ERR_NOT_FOUND,            /* lookup: path absent */
    JSON_ERR_WRONG_TYPE,           /* lookup: value has another type */
    JSON_ERR_BAD_PATH,             /* lookup: malformed path expression */
    JSON_ERR_UNBALANCED,           /* writer: end without begin, or open at finish */
};
const char *json_err_str(enum json_err e);

/* ---- writer ---- */
struct json_w {
    char    *buf;
    size_t   cap, len;
    enum json_err err;             /* sticky */
    int      depth;
    bool     first[JSON_MAX_DEPTH]; /* no value yet at this level */
    bool     after_key;
};
void json_w_init(struct json_w *w, char *buf, size_t cap);
void json_w_obj_begin(struct json_w *w);
void json_w_obj_end(struct json_w *w);
void json_w_arr_begin(struct json_w *w);
void json_w_arr_end(struct json_w *w);
void json_w_key(struct json_w *w, const char *key);
void json_w_str(struct json_w *w, const char *s);
void json_w_strn(struct json_w *w, const char *s, size_t n);
void json_w_int(struct json_w *w, int64_t v);
void json_w_bool(struct json_w *w, bool v);
void json_w_null(struct json_w *w);
/* Inserts text[0..n), an already-valid JSON value, with the separator its
   place needs. The writer does not check it: the caller validates it first
   (json_parse), or the output is not JSON. */
void json_w_raw(struct json_w *w, const char *text, size_t n);
/* Returns the first error, or JSON_ERR_UNBALANCED when containers are open;
   on success *len is the length (the text is also NUL-terminated). */
enum json_err json_w_finish(struct json_w *w, size_t *len);

/* ---- parser ---- */
enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
                 JSON_OBJECT };

struct json_tok {
    uint8_t  type;      /* enum json_type; object keys are JSON_STRING */
    uint32_t start;     /* offset of the first byte (for strings: after the quote) */
    uint32_t end;       /* offset just past the value (strings: at the closing quote) */
    uint32_t count;     /* arrays: elements; objects: members */
    uint32_t next;      /* index of the first token after this subtree */
};

struct json_doc {
    const char      *text;
    size_t           len;
    struct json_tok *tok;
    size_t           ntok;
};

/* Parses text[0..len) into toks (cap entries). Token 0 is the root. */
enum json_err json_parse(struct json_doc *d, const char *text, size_t len,
                         struct json_tok *toks, size_t cap, size_t *err_offset);

/* Member value of object token obj with the given (decoded) key, or -1. */
int json_obj_get(const struct json_doc *d, int obj, const char *key);
/* Element idx of array token arr, or -1. */
int json_arr_get(const struct json_doc *d, int arr, size_t idx);
/* Follows a path like `choices[0].delta.content` from token from (0 = root);
   returns the token index, or -1 with *err set (NOT_FOUND / BAD_PATH /
   WRONG_TYPE). err may be NULL. */
int json_path(const struct json_doc *d, int from, const char *path, enum json_err *err);

/* Decodes string token t (escapes, surrogate pairs -> UTF-8) into out, cap
   bytes; NUL-terminates when room remains. \u0000 yields a NUL byte inside
   the *out_len bytes. */
enum json_err json_str_decode(const struct json_doc *d, int t, char *out, size_t cap,
                              size_t *out_len);
/* Integer value of a number token without fraction/exponent. */
enum json_err json_int(const struct json_doc *d, int t, int64_t *out);

/* Validates UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool json_utf8_valid(const uint8_t *s, size_t n);

#endif
