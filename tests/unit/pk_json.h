/* Minimal JSON reader for the public-key unit tests (test code only: uses
   malloc). Parses a whole document into a tree of pk_json nodes; enough for
   the Wycheproof vector files (objects, arrays, strings without \u escapes
   beyond ASCII, integers, true/false/null). The tree owns its strings and is
   released with pk_json_free(). */
#ifndef TESTS_PK_JSON_H
#define TESTS_PK_JSON_H
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum pk_json_type { PKJ_NULL, PKJ_BOOL, PKJ_NUM, PKJ_STR, PKJ_ARR, PKJ_OBJ };

struct pk_json {
    enum pk_json_type type;
    char *key;              /* member name when inside an object */
    char *str;              /* PKJ_STR */
    double num;             /* PKJ_NUM, PKJ_BOOL */
    struct pk_json *child;  /* first element / member */
    struct pk_json *next;   /* next sibling */
};

static inline void pk_json_free(struct pk_json *j)
{
    while (j) {
        struct pk_json *n = j->next;
        pk_json_free(j->child);
        free(j->key);
        free(j->str);
        free(j);
        j = n;
    }
}

static inline const char *pk_json_ws(const char *p)
{
    while (*p && isspace((unsigned char)*p))
        p++;
    return p;
}

static inline char *pk_json_parse_str(const char **pp)
{
    const char *p = *pp;
    if (*p != '"')
        return NULL;
    p++;
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            c = *p++;
            switch (c) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                unsigned v = 0;
                for (int i = 0; i < 4 && *p; i++, p++)
                    v = v * 16 + (unsigned)(isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
                c = (char)(v < 128 ? v : '?');
                break;
            }
            default: break; /* \" \\ \/ */
            }
        }
        if (n + 2 > cap)
            s = realloc(s, cap *= 2);
        s[n++] = c;
    }
    if (*p != '"') {
        free(s);
        return NULL;
    }
    s[n] = 0;
    *pp = p + 1;
    return s;
}

static inline struct pk_json *pk_json_value(const char **pp)
{
    const char *p = pk_json_ws(*pp);
    struct pk_json *j = calloc(1, sizeof *j);
    if (*p == '{' || *p == '[') {
        int obj = *p == '{';
        j->type = obj ? PKJ_OBJ : PKJ_ARR;
        p = pk_json_ws(p + 1);
        struct pk_json **tail = &j->child;
        if (*p == (obj ? '}' : ']')) {
            *pp = p + 1;
            return j;
        }
        for (;;) {
            char *key = NULL;
            p = pk_json_ws(p);
            if (obj) {
                key = pk_json_parse_str(&p);
                p = pk_json_ws(p);
                if (!key || *p != ':') {
                    free(key);
                    pk_json_free(j);
                    return NULL;
                }
                p++;
            }
            struct pk_json *c = pk_json_value(&p);
            if (!c) {
                free(key);
                pk_json_free(j);
                return NULL;
            }
            c->key = key;
            *tail = c;
            tail = &c->next;
            p = pk_json_ws(p);
            if (*p == ',') {
                p++;
                continue;
            }
            if (*p == (obj ? '}' : ']')) {
                *pp = p + 1;
                return j;
            }
            pk_json_free(j);
            return NULL;
        }
    }
    if (*p == '"') {
        j->type = PKJ_STR;
        j->str = pk_json_parse_str(&p);
        if (!j->str) {
            free(j);
            return NULL;
        }
    } else if (!strncmp(p, "true", 4)) {
        j->type = PKJ_BOOL, j->num = 1, p += 4;
    } else if (!strncmp(p, "false", 5)) {
        j->type = PKJ_BOOL, p += 5;
    } else if (!strncmp(p, "null", 4)) {
        j->type = PKJ_NULL, p += 4;
    } else {
        char *end;
        j->type = PKJ_NUM;
        j->num = strtod(p, &end);
        if (end == p) {
            free(j);
            return NULL;
        }
        p = end;
    }
    *pp = p;
    return j;
}

/* Parses the file at path; NULL on error. */
static inline struct pk_json *pk_json_load(const char *path)
{
    size_t len;
    char *text = unit_read_file(path, &len);
    if (!text)
        return NULL;
    const char *p = text;
    struct pk_json *j = pk_json_value(&p);
    free(text);
    return j;
}

static inline const struct pk_json *pk_json_get(const struct pk_json *o, const char *key)
{
    if (!o || o->type != PKJ_OBJ)
        return NULL;
    for (const struct pk_json *c = o->child; c; c = c->next)
        if (c->key && !strcmp(c->key, key))
            return c;
    return NULL;
}

static inline const char *pk_json_str(const struct pk_json *o, const char *key)
{
    const struct pk_json *v = pk_json_get(o, key);
    return v && v->type == PKJ_STR ? v->str : NULL;
}

static inline long pk_json_num(const struct pk_json *o, const char *key)
{
    const struct pk_json *v = pk_json_get(o, key);
    return v && v->type == PKJ_NUM ? (long)v->num : -1;
}

/* True when the test's "flags" array contains flag. */
static inline int pk_json_has_flag(const struct pk_json *t, const char *flag)
{
    const struct pk_json *f = pk_json_get(t, "flags");
    for (const struct pk_json *c = f ? f->child : NULL; c; c = c->next)
        if (c->type == PKJ_STR && !strcmp(c->str, flag))
            return 1;
    return 0;
}

/* Hex string to a malloc'd buffer (test code); *len receives the size. */
static inline uint8_t *pk_json_hex(const char *hex, size_t *len)
{
    size_t n = hex ? strlen(hex) / 2 : 0;
    uint8_t *b = malloc(n + 1);
    if (hex && unit_hex(hex, b, n + 1) < 0) {
        free(b);
        return NULL;
    }
    *len = n;
    return b;
}

#endif
