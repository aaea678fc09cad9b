#!/usr/bin/python3
"""The one table `make bench` prints at the end: every primitive the host
benchmarks measured, ours against OpenSSL in the same run, the ratio, the
issue's target beside it and whether the run met it.

    bench_table.py [--markdown] TARGETS ROWS_DIR [ROWS_DIR...]

TARGETS (tests/bench/targets.tsv) lists the rows in table order:
id <TAB> label <TAB> target ('-' for none), '#' lines are comments.
ROWS_DIR (build/bench) holds one FILE.tsv per benchmark, written by it in
this run (tests/bench/bench_rows.h, bench_rows.py): id <TAB> ours <TAB>
openssl <TAB> unit [<TAB> note], openssl '-' when the reference was not
measured. A row is met when ours/OpenSSL, rounded to the two decimals
printed, is at least its target. A row no benchmark wrote is shown as not
measured; a row written but not listed in TARGETS goes at the end with no
target. The exit status is 0 whatever the ratios; 1 only when a file is
malformed (a bug in a benchmark or in TARGETS), with the reason on stderr.
--markdown prints the same table as Markdown (for docs/perf.md). With
several ROWS_DIRs (several runs, each kept by a copy of build/bench), each
figure is the lowest-highest over the runs that measured it, and a row is
met when every one of them met the target ("met in K of N runs" when only
some did)."""
import glob
import os
import sys

NOT_MEASURED = "not measured"
SOME = "met in some runs"


class TableError(Exception):
    pass


def _fields(text, where):
    """(line number, fields) of each non-blank, non-comment line."""
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        yield n, raw.split("\t"), "%s:%d" % (where, n)


def _number(s, where, what):
    try:
        v = float(s)
    except ValueError:
        raise TableError("%s: %s %r is not a number" % (where, what, s))
    if not v >= 0 or v == float("inf"):
        raise TableError("%s: %s %r is not a finite number >= 0" % (where, what, s))
    return v


def parse_targets(text, where="targets"):
    """[(id, label, target or None)] in table order."""
    out, seen = [], set()
    for _, f, at in _fields(text, where):
        if len(f) != 3 or not f[0] or not f[1]:
            raise TableError("%s: want id<TAB>label<TAB>target, got %r" % (at, "\t".join(f)))
        if f[0] in seen:
            raise TableError("%s: row %s listed twice" % (at, f[0]))
        seen.add(f[0])
        target = None if f[2] == "-" else _number(f[2], at, "target")
        if target is not None and target <= 0:
            raise TableError("%s: target must be > 0 or '-'" % at)
        out.append((f[0], f[1], target))
    return out


def parse_rows(files):
    """files: {source name: text}. Returns {id: (ours, openssl or None, unit,
    note)}; an id written twice is an error."""
    rows, source = {}, {}
    for name in sorted(files):
        for _, f, at in _fields(files[name], name):
            if len(f) not in (4, 5) or not f[0] or not f[3]:
                raise TableError("%s: want id<TAB>ours<TAB>openssl<TAB>unit[<TAB>note], got %r"
                                 % (at, "\t".join(f)))
            if f[0] in rows:
                raise TableError("%s: row %s already written by %s" % (at, f[0], source[f[0]]))
            ours = _number(f[1], at, "ours")
            ref = None if f[2] == "-" else _number(f[2], at, "openssl")
            rows[f[0]] = (ours, ref, f[3], f[4] if len(f) == 5 else "")
            source[f[0]] = at
    return rows


def read_rows_dir(d):
    files = {}
    for p in sorted(glob.glob(os.path.join(d, "*.tsv"))):
        with open(p) as fh:
            files[os.path.basename(p)] = fh.read()
    return files


def _num(v, scale=None):
    """v as printed; scale (default v) picks the format, so both ends of a
    range are written alike."""
    scale = v if scale is None else scale
    if scale >= 10000:
        return "%.1fk" % (v / 1000)
    if scale >= 100:
        return "%.0f" % v
    return "%.1f" % v


def fmt(v, unit):
    return "%s %s" % (_num(v), unit)


def fmt_range(values, unit):
    """One figure, or the lowest and highest of several runs (lo–hi)."""
    lo, hi = _num(min(values), max(values)), _num(max(values))
    return "%s %s" % (lo if lo == hi else lo + "-" + hi, unit)


def build(targets, rows):
    """The table of one run: see build_runs."""
    return build_runs(targets, [rows])


def build_runs(targets, runs):
    """Table lines [(label, ours, openssl, ratio, target, result)], the
    notes [(label, note)] and the counts {met, not met, met in some runs,
    not measured} over the rows that have a target. runs: the rows of one
    or more runs (parse_rows); with several, each figure is the range over
    the runs that measured it and a row is met when every such run met it,
    not met when none did."""
    listed = [t[0] for t in targets]
    seen = sorted(set(i for rows in runs for i in rows))
    extra = [(i, i + " (not in targets.tsv)", None) for i in seen if i not in listed]
    lines, notes = [], []
    counts = {"met": 0, "not met": 0, SOME: 0, NOT_MEASURED: 0}
    for rid, label, target in list(targets) + extra:
        tgt = "-" if target is None else ">= %.2f" % target
        got = [rows[rid] for rows in runs if rid in rows]
        for note in sorted(set(r[3] for r in got if r[3])):
            notes.append((label, note))
        pairs = [(r[0], r[1]) for r in got if r[1]]
        if not pairs:
            result = NOT_MEASURED if target is not None else "-"
            if target is not None:
                counts[NOT_MEASURED] += 1
            ours = fmt_range([r[0] for r in got], got[0][2]) if got else NOT_MEASURED
            lines.append((label, ours, NOT_MEASURED, "-", tgt, result))
            continue
        unit = got[0][2]
        ratios = [round(o / r, 2) for o, r in pairs]
        ratio = "%.2f" % ratios[0] if min(ratios) == max(ratios) else \
            "%.2f-%.2f" % (min(ratios), max(ratios))
        if target is None:
            result = "-"
        else:
            met = sum(1 for x in ratios if x >= target)
            key = "met" if met == len(ratios) else "not met" if met == 0 else SOME
            counts[key] += 1
            result = key if key != SOME else "met in %d of %d runs" % (met, len(ratios))
        lines.append((label, fmt_range([r[0] for r in got], unit), fmt_range([p[1] for p in pairs], unit),
                      ratio, tgt, result))
    return lines, notes, counts


HEAD = ("primitive", "ours", "OpenSSL", "ratio", "target", "result")


def summary(counts):
    n = sum(counts.values())
    some = ", %d met in some runs" % counts[SOME] if counts[SOME] else ""
    return "targets: %d met, %d not met%s, %d not measured (of %d)" % (
        counts["met"], counts["not met"], some, counts[NOT_MEASURED], n)


def group_notes(notes):
    """[(labels joined, note)]: rows with the same note share one line."""
    order, labels = [], {}
    for label, note in notes:
        if note not in labels:
            order.append(note)
            labels[note] = []
        labels[note].append(label)
    return [("; ".join(labels[n]), n) for n in order]


def render_text(lines, notes, counts):
    w = [max(len(r[i]) for r in [HEAD] + lines) for i in range(len(HEAD))]
    out = []
    for r in [HEAD] + lines:
        cells = [r[0].ljust(w[0])] + [r[i].rjust(w[i]) for i in (1, 2, 3)] + \
                [r[4].ljust(w[4]), r[5]]
        out.append("  ".join(cells).rstrip())
    out.append(summary(counts))
    for label, note in group_notes(notes):
        out.append("note: %s: %s" % (label, note))
    return "\n".join(out) + "\n"


def render_markdown(lines, notes, counts):
    out = ["| " + " | ".join(HEAD) + " |", "|---|---:|---:|---:|---|---|"]
    for r in lines:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
    out.append("")
    out.append(summary(counts) + ".")
    for label, note in group_notes(notes):
        out.append("%s: %s." % (label, note))
    return "\n".join(out) + "\n"


def main(argv):
    args = argv[1:]
    markdown = "--markdown" in args
    args = [a for a in args if a != "--markdown"]
    if len(args) < 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        with open(args[0]) as fh:
            targets = parse_targets(fh.read(), args[0])
        runs = [parse_rows(read_rows_dir(d)) for d in args[1:]]
    except (OSError, TableError) as e:
        print("bench table: %s" % e, file=sys.stderr)
        return 1
    lines, notes, counts = build_runs(targets, runs)
    if markdown:
        sys.stdout.write(render_markdown(lines, notes, counts))
    elif len(runs) == 1:
        print("bench: every primitive, ours against OpenSSL measured in this run "
              "(rows %s/*.tsv, targets %s)" % (args[1], args[0]))
        sys.stdout.write(render_text(lines, notes, counts))
    else:
        print("bench: every primitive, ours against OpenSSL, lowest-highest over %d runs "
              "(rows %s, targets %s)" % (len(runs), " ".join(args[1:]), args[0]))
        sys.stdout.write(render_text(lines, notes, counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
