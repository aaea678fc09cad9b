/* Test-side readers for vector files (tests/vectors/README.md; owned by the
   crypto/ symmetric tests): the line format written by wycheproof2txt.py and
   NIST CAVP .rsp records. Test code only: uses stdio and malloc. */
#ifndef TESTS_UNIT_VEC_H
#define TESTS_UNIT_VEC_H
#include "unit.h"

/* Hex field to malloc'd bytes ('-' = empty). *len gets the count. */
static inline uint8_t *vec_hex(const char *s, size_t *len)
{
    size_t n = strcmp(s, "-") == 0 ? 0 : strlen(s) / 2;
    uint8_t *b = malloc(n + 1);
    assert_non_null(b);
    if (n)
        assert_int_equal(unit_hex(s, b, n), (long)n);
    *len = n;
    return b;
}

/* Splits a line in place on spaces; returns the field count (<= max). */
static inline int vec_split(char *line, char **f, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \r\n", &save); t && n < max; t = strtok_r(NULL, " \r\n", &save))
        f[n++] = t;
    return n;
}

/* Iterates lines of a converted Wycheproof file. Returns the declared test
   count from the '# name count' header; cb gets each split line. */
typedef void (*vec_line_fn)(char **f, int nf, void *arg);
static inline long vec_each_line(const char *path, vec_line_fn cb, void *arg)
{
    size_t len;
    char *buf = unit_read_file(path, &len);
    long declared = -1;
    assert_non_null(buf);
    char *save = NULL;
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') {
            char name[128];
            if (sscanf(line, "# %127s %ld", name, &declared) != 2)
                fail_msg("bad header in %s", path);
            continue;
        }
        char *f[16];
        int nf = vec_split(line, f, 16);
        cb(f, nf, arg);
    }
    free(buf);
    return declared;
}

/* NIST .rsp: one record = the 'Name = value' lines between blank lines.
   Group lines '[Name = value]' update the group. FAIL lines set fail=1. */
#define VEC_MAX_FIELDS 12
struct vec_rsp_rec {
    int nf;
    char *name[VEC_MAX_FIELDS], *val[VEC_MAX_FIELDS];
    int fail;
    int ngroup;
    char gname[VEC_MAX_FIELDS][32], gval[VEC_MAX_FIELDS][32];
};

static inline const char *vec_rsp_get(const struct vec_rsp_rec *r, const char *name)
{
    for (int i = 0; i < r->nf; i++)
        if (strcmp(r->name[i], name) == 0)
            return r->val[i];
    return NULL;
}

static inline long vec_rsp_group(const struct vec_rsp_rec *r, const char *name)
{
    for (int i = 0; i < r->ngroup; i++)
        if (strcmp(r->gname[i], name) == 0)
            return atol(r->gval[i]);
    return -1;
}

typedef void (*vec_rsp_fn)(const struct vec_rsp_rec *r, void *arg);
/* Calls cb for each record (a record must have at least one field). */
static inline void vec_rsp_each(const char *path, vec_rsp_fn cb, void *arg)
{
    size_t len;
    char *buf = unit_read_file(path, &len);
    assert_non_null(buf);
    struct vec_rsp_rec r;
    memset(&r, 0, sizeof r);
    char *p = buf;
    for (;;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        size_t l = strlen(p);
        while (l && (p[l - 1] == '\r' || p[l - 1] == ' '))
            p[--l] = 0;
        if (l == 0 || !nl) {
            if (r.nf)
                cb(&r, arg);
            r.nf = 0;
            r.fail = 0;
        } else if (p[0] == '#') {
        } else if (p[0] == '[') {
            char n[32], v[32];
            if (sscanf(p, "[%31[^ =] = %31[^]]]", n, v) == 2) {
                int i;
                for (i = 0; i < r.ngroup && strcmp(r.gname[i], n); i++)
                    ;
                if (i == r.ngroup && r.ngroup < VEC_MAX_FIELDS)
                    r.ngroup++;
                if (i < VEC_MAX_FIELDS) {
                    strcpy(r.gname[i], n);
                    strcpy(r.gval[i], v);
                }
            }
        } else if (strcmp(p, "FAIL") == 0) {
            r.fail = 1;
        } else {
            char *eq = strstr(p, " =");
            if (eq && r.nf < VEC_MAX_FIELDS) {
                *eq = 0;
                char *v = eq + 2;
                while (*v == ' ')
                    v++;
                r.name[r.nf] = p;
                r.val[r.nf] = v;
                r.nf++;
            }
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    free(buf);
}

#endif
