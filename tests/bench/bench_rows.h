/* Machine-readable rows of a host benchmark, for the one table `make bench`
   prints at the end (scripts/bench_table.py, targets in
   tests/bench/targets.tsv). When the environment has BENCH_ROWS_DIR (the
   top Makefile exports it), bench_row() writes one line
       id <TAB> ours <TAB> openssl <TAB> unit
   to BENCH_ROWS_DIR/FILE.tsv, the file emptied at the first row of the run
   and flushed after each row, so the rows of a benchmark that stops early
   are still there; "-" stands for a reference that was not measured. With no
   BENCH_ROWS_DIR it writes nothing. A failure to write is reported on stderr
   and does not stop the benchmark. This header owns the one FILE it opens
   (closed at exit). Host benchmarks only; not part of the kernel. */
#ifndef TESTS_BENCH_BENCH_ROWS_H
#define TESTS_BENCH_BENCH_ROWS_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static FILE *bench_rows_f;
static int bench_rows_state; /* 0 not opened yet, 1 open, -1 off or failed */

static inline FILE *bench_rows_open(const char *file)
{
    if (bench_rows_state != 0)
        return bench_rows_f;
    const char *dir = getenv("BENCH_ROWS_DIR");
    bench_rows_state = -1;
    if (!dir || !*dir)
        return NULL;
    char path[512];
    if (snprintf(path, sizeof path, "%s/%s.tsv", dir, file) >= (int)sizeof path) {
        fprintf(stderr, "bench rows: path too long under %s\n", dir);
        return NULL;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        perror(dir);
        return NULL;
    }
    bench_rows_f = fopen(path, "w");
    if (!bench_rows_f) {
        perror(path);
        return NULL;
    }
    bench_rows_state = 1;
    return bench_rows_f;
}

/* One row: `ours` and `openssl` in `unit` (higher is better); openssl < 0
   when the reference was not measured. note (NULL: none) is a fifth field
   the table prints under the rows (e.g. which code path ran); tabs and
   line breaks in it become spaces. */
static inline void bench_row_note(const char *file, const char *id, double ours, double openssl,
                                  const char *unit, const char *note)
{
    FILE *f = bench_rows_open(file);
    if (!f)
        return;
    if (openssl < 0)
        fprintf(f, "%s\t%.3f\t-\t%s", id, ours, unit);
    else
        fprintf(f, "%s\t%.3f\t%.3f\t%s", id, ours, openssl, unit);
    if (note && *note) {
        fputc('\t', f);
        for (const char *p = note; *p; p++)
            fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, f);
    }
    fputc('\n', f);
    fflush(f);
}

static inline void bench_row(const char *file, const char *id, double ours, double openssl,
                             const char *unit)
{
    bench_row_note(file, id, ours, openssl, unit, NULL);
}

#endif
