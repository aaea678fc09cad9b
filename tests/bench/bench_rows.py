"""Machine-readable rows of a host benchmark written in Python, for the one
table `make bench` prints (scripts/bench_table.py; the C benchmarks use
bench_rows.h, same format). When the environment has BENCH_ROWS_DIR (the
top Makefile exports it), write(FILE, rows) replaces BENCH_ROWS_DIR/FILE.tsv
with one line per row: id <TAB> ours <TAB> openssl <TAB> unit [<TAB> note],
"-" for a reference that was not measured (the note says why). Without
BENCH_ROWS_DIR it writes nothing."""
import os
import sys


def line(row_id, ours, openssl, unit, note=""):
    """One row as a TSV line; openssl None when it was not measured."""
    ref = "-" if openssl is None else "%.3f" % openssl
    fields = [row_id, "%.3f" % ours, ref, unit]
    if note:
        fields.append(" ".join(note.split()))  # one line, no tabs
    return "\t".join(fields) + "\n"


def write(name, rows):
    """rows: (id, ours, openssl or None, unit[, note]) tuples."""
    d = os.environ.get("BENCH_ROWS_DIR")
    if not d:
        return
    try:
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name + ".tsv"), "w") as f:
            for r in rows:
                f.write(line(*r))
    except OSError as e:
        print("bench rows: %s" % e, file=sys.stderr)
