/* Common includes and helpers for the cmocka host unit tests. Tests run with
   tests/unit as the working directory; the project's own vector files are at
   ../vectors/, outside test data comes from the directories of unit_dir(). */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>

/* Decodes hex (even length, no separators) into out; returns the byte count
   or -1 on a bad digit or when out is too small. */
static inline long unit_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex);
    if (n % 2 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    return (long)(n / 2);
}

/* Reads a whole file into a malloc'd NUL-terminated buffer (test code only). */
static inline char *unit_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        if (len)
            *len = (size_t)n;
    }
    return buf;
}

/* Test data from outside the project (tests/vectors/README.md), found
   through environment variables that tests/vectors.mk sets and exports:
     UNIT_SHARED     $VECTORS_DIR: Wycheproof JSON and RFC 8448 traces
                     (../shared/vectors beside the checkout)
     UNIT_CAVP       $CAVP_DIR: NIST CAVP files as Debian's
                     python3-cryptography-vectors installs them
     UNIT_GENERATED  $VECTORS_BUILD_DIR: files make converts from the shared
                     Wycheproof JSON (build/vectors); present when
                     UNIT_SHARED is.
     UNIT_LLM_FIXTURES $LLM_FIXTURES_DIR: recorded LLM API responses
                     (../shared/llm-fixtures beside the checkout)
   The defaults (for a binary run by hand from tests/unit) are the same places. */
enum unit_src { UNIT_SHARED, UNIT_CAVP, UNIT_GENERATED, UNIT_LLM_FIXTURES };

static inline const char *unit_dir(enum unit_src s)
{
    static const char *const env[] = {"VECTORS_DIR", "CAVP_DIR", "VECTORS_BUILD_DIR",
                                      "LLM_FIXTURES_DIR"};
    static const char *const dflt[] = {"../../../shared/vectors",
                                       "/usr/lib/python3/dist-packages/cryptography_vectors",
                                       "../../build/vectors", "../../../shared/llm-fixtures"};
    const char *d = getenv(env[s]);
    return d && *d ? d : dflt[s];
}

/* Whether the data of s is there (its directory exists; generated files
   count as there when the shared directory they are made from is). */
static inline int unit_have(enum unit_src s)
{
    DIR *d = opendir(unit_dir(s == UNIT_GENERATED ? UNIT_SHARED : s));
    if (d)
        closedir(d);
    return d != NULL;
}

/* Skips the calling test (cmocka counts it skipped, never passed) when the
   data of s is absent; the first time, the suite says so by name:
   "SKIPPED: test_x25519 (DIR not found)". Call it first in a test function,
   before anything is allocated (skip() leaves the test by longjmp). */
static inline void unit_need(enum unit_src s)
{
    static int said[4];
    if (unit_have(s))
        return;
    if (!said[s]) {
        const char *suite = strrchr(__BASE_FILE__, '/');
        suite = suite ? suite + 1 : __BASE_FILE__;
        const char *d = unit_dir(s == UNIT_GENERATED ? UNIT_SHARED : s);
        printf("SKIPPED: %.*s (%s not found)\n", (int)strcspn(suite, "."), suite, d);
        fflush(stdout);
        said[s] = 1;
    }
    skip();
}

/* The path of file name in the directory of s (one of four rotating static
   buffers), without the check. */
static inline const char *unit_path(enum unit_src s, const char *name)
{
    static char buf[4][512];
    static unsigned next;
    char *p = buf[next++ % 4];
    int n = snprintf(p, sizeof buf[0], "%s/%s", unit_dir(s), name);
    assert_true(n > 0 && (size_t)n < sizeof buf[0]);
    return p;
}

/* unit_need(s), then unit_path(s, name): what a test reading one outside
   file calls. */
static inline const char *unit_vec(enum unit_src s, const char *name)
{
    unit_need(s);
    return unit_path(s, name);
}

#endif
