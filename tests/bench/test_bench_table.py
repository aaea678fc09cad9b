"""Host unit test of scripts/bench_table.py, the one table `make bench`
prints: rows in (as the benchmarks write them), table out. Checks met / not
met against the targets (as the ratio is printed, two decimals), rows no
benchmark wrote shown as not measured, a reference not measured, rows not in
the targets file, malformed input, the exit status (0 whatever the
ratios), the real targets file, and the rows writers of the C and Python
benchmarks (bench_rows.h through a small C program, bench_rows.py).
Run by `make test-bench-table` (part of `make test`)."""
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.path.insert(0, HERE)
import bench_table  # noqa: E402
import bench_rows  # noqa: E402

TARGETS = ("# comment\n"
           "aead-open\tAEAD open 16 KiB\t0.6\n"
           "aead-seal\tAEAD seal 16 KiB\t0.6\n"
           "x25519\tX25519\t0.85\n"
           "kem\tKEM keygen\t-\n"
           "hs\tHandshakes\t-\n"
           "edge\tEdge\t0.7\n"
           "gone\tNever written\t0.8\n")


def table(targets, files):
    lines, notes, counts = bench_table.build(bench_table.parse_targets(targets),
                                             bench_table.parse_rows(files))
    return {l[0]: l for l in lines}, [l[0] for l in lines], notes, counts


def test_met_not_met_and_not_measured():
    rows, order, notes, counts = table(TARGETS, {
        "crypto.tsv": "aead-open\t3000\t4000\tMB/s\naead-seal\t2000\t4000\tMB/s\n",
        "pk.tsv": "x25519\t26000\t30000\tops/s\n",
        "mlkem.tsv": "kem\t25000\t-\tops/s\tDebian 13 root unavailable: no debootstrap\n",
        "hs.tsv": "hs\t838\t748\thandshakes/s\n",
        "edge.tsv": "edge\t0.6996\t1\tops/s\n",
    })
    # table order is the targets file's
    assert order == ["AEAD open 16 KiB", "AEAD seal 16 KiB", "X25519", "KEM keygen", "Handshakes",
                     "Edge", "Never written"]
    assert rows["AEAD open 16 KiB"] == ("AEAD open 16 KiB", "3000 MB/s", "4000 MB/s", "0.75",
                                        ">= 0.60", "met")
    assert rows["AEAD seal 16 KiB"][3:] == ("0.50", ">= 0.60", "not met")
    assert rows["X25519"][1:] == ("26.0k ops/s", "30.0k ops/s", "0.87", ">= 0.85", "met")
    # no reference: ours shown, OpenSSL not measured, no ratio, the note kept
    assert rows["KEM keygen"][1:] == ("25.0k ops/s", "not measured", "-", "-", "-")
    assert notes == [("KEM keygen", "Debian 13 root unavailable: no debootstrap")]
    assert rows["Handshakes"][3:] == ("1.12", "-", "-")
    # 0.6996 prints as 0.70 and so meets 0.7
    assert rows["Edge"][3:] == ("0.70", ">= 0.70", "met")
    assert rows["Never written"][1:] == ("not measured", "not measured", "-", ">= 0.80",
                                         "not measured")
    assert counts == {"met": 3, "not met": 1, "met in some runs": 0, "not measured": 1}


def test_reference_missing_on_a_row_with_a_target_is_not_measured():
    rows, _, _, counts = table("a\tA\t0.5\n", {"x.tsv": "a\t10\t-\tMB/s\n"})
    assert rows["A"][1:] == ("10.0 MB/s", "not measured", "-", ">= 0.50", "not measured")
    assert counts == {"met": 0, "not met": 0, "met in some runs": 0, "not measured": 1}


def test_several_runs_give_ranges():
    runs = [bench_table.parse_rows({"a.tsv": r}) for r in (
        "a\t3000\t4000\tMB/s\nb\t500\t1000\tMB/s\nc\t80\t100\tMB/s\nd\t5\t-\tops/s\n",
        "a\t2000\t4100\tMB/s\nb\t700\t1000\tMB/s\nc\t90\t100\tMB/s\n",
        "b\t650\t1000\tMB/s\nc\t85\t100\tMB/s\nd\t7\t-\tops/s\n")]
    lines, _, counts = bench_table.build_runs(
        bench_table.parse_targets("a\tA\t0.6\nb\tB\t0.6\nc\tC\t0.7\nd\tD\t0.5\ne\tE\t-\n"), runs)
    rows = {l[0]: l for l in lines}
    # a: 0.75 and 0.49 (the third run did not write it): met in one of two
    assert rows["A"][1:] == ("2000-3000 MB/s", "4000-4100 MB/s", "0.49-0.75", ">= 0.60",
                             "met in 1 of 2 runs")
    assert rows["B"][3:] == ("0.50-0.70", ">= 0.60", "met in 2 of 3 runs")
    assert rows["C"][2:] == ("100 MB/s", "0.80-0.90", ">= 0.70", "met")
    assert rows["D"][1:] == ("5.0-7.0 ops/s", "not measured", "-", ">= 0.50", "not measured")
    assert rows["E"][1:] == ("not measured", "not measured", "-", "-", "-")
    # both ends of a range in the same format
    assert bench_table.fmt_range([9465, 11700], "ops/s") == "9.5k-11.7k ops/s"
    assert bench_table.fmt_range([80, 100], "MB/s") == "80-100 MB/s"
    assert counts == {"met": 1, "not met": 0, "met in some runs": 2, "not measured": 1}
    assert bench_table.summary(counts) == \
        "targets: 1 met, 0 not met, 2 met in some runs, 1 not measured (of 4)"


def test_rows_not_in_the_targets_file_go_at_the_end():
    _, order, _, _ = table("a\tA\t-\n", {"x.tsv": "zz\t1\t2\tMB/s\na\t1\t2\tMB/s\n"})
    assert order == ["A", "zz (not in targets.tsv)"]


@pytest.mark.parametrize("targets,files", [
    ("a\tA\n", {}),                                   # target column missing
    ("a\tA\tfast\n", {}),                             # target not a number
    ("a\tA\t0\n", {}),                                # target 0
    ("a\tA\t-\na\tB\t-\n", {}),                       # id twice
    ("a\tA\t-\n", {"x.tsv": "a\t1\t2\n"}),            # unit missing
    ("a\tA\t-\n", {"x.tsv": "a\tnan\t2\tMB/s\n"}),    # not a number
    ("a\tA\t-\n", {"x.tsv": "a\t-1\t2\tMB/s\n"}),     # negative
    ("a\tA\t-\n", {"x.tsv": "a\t1\t2\tMB/s\n", "y.tsv": "a\t1\t2\tMB/s\n"}),  # written twice
])
def test_malformed_input_is_an_error(targets, files):
    with pytest.raises(bench_table.TableError):
        table(targets, files)


def run_script(tmp_path, targets, files, *opts):
    t = tmp_path / "targets.tsv"
    t.write_text(targets)
    d = tmp_path / "rows"
    d.mkdir()
    for name, text in files.items():
        (d / name).write_text(text)
    return subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "bench_table.py")] +
                          list(opts) + [str(t), str(d)], capture_output=True, text=True)


def test_script_prints_the_table_and_exits_0_whatever_the_ratios(tmp_path):
    p = run_script(tmp_path, TARGETS, {"a.tsv": "aead-open\t1\t4000\tMB/s\n"})
    assert p.returncode == 0, p.stderr
    out = p.stdout.splitlines()
    head = [l for l in out if l.startswith("primitive")]
    assert len(head) == 1 and "OpenSSL" in head[0] and "target" in head[0]
    line = [l for l in out if l.startswith("AEAD open 16 KiB")][0]
    assert line.split()[-2:] == ["not", "met"] and "0.00" in line
    assert [l for l in out if l.startswith("Never written")][0].endswith("not measured")
    assert "targets: 0 met, 1 not met, 4 not measured (of 5)" in out


def test_script_several_rows_dirs(tmp_path):
    t = tmp_path / "targets.tsv"
    t.write_text("a\tA\t0.6\n")
    dirs = []
    for i, text in enumerate(("a\t3000\t4000\tMB/s\n", "a\t2000\t4000\tMB/s\n")):
        d = tmp_path / ("run%d" % i)
        d.mkdir()
        (d / "x.tsv").write_text(text)
        dirs.append(str(d))
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "bench_table.py"), "--markdown",
                        str(t)] + dirs, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "| A | 2000-3000 MB/s | 4000 MB/s | 0.50-0.75 | >= 0.60 | met in 1 of 2 runs |" \
        in p.stdout


def test_script_markdown(tmp_path):
    p = run_script(tmp_path, TARGETS, {"a.tsv": "aead-open\t3000\t4000\tMB/s\n"}, "--markdown")
    assert p.returncode == 0, p.stderr
    assert "| AEAD open 16 KiB | 3000 MB/s | 4000 MB/s | 0.75 | >= 0.60 | met |" in p.stdout
    assert "| Never written | not measured | not measured | - | >= 0.80 | not measured |" in p.stdout


def test_rows_with_the_same_note_share_one_line(tmp_path):
    p = run_script(tmp_path, "a\tA\t-\nb\tB\t-\nc\tC\t-\n",
                   {"m.tsv": "a\t1\t-\tops/s\tno root\nb\t1\t-\tops/s\tno root\nc\t1\t2\tops/s\tv3\n"})
    assert p.returncode == 0, p.stderr
    notes = [l for l in p.stdout.splitlines() if l.startswith("note:")]
    assert notes == ["note: A; B: no root", "note: C: v3"]


def test_script_malformed_rows_exit_1(tmp_path):
    p = run_script(tmp_path, TARGETS, {"a.tsv": "aead-open\t3000\n"})
    assert p.returncode == 1
    assert "a.tsv:1" in p.stderr


def test_empty_rows_dir_every_target_not_measured(tmp_path):
    p = run_script(tmp_path, TARGETS, {})
    assert p.returncode == 0, p.stderr
    assert "targets: 0 met, 0 not met, 5 not measured (of 5)" in p.stdout


def test_the_real_targets_file():
    with open(os.path.join(ROOT, "tests", "bench", "targets.tsv")) as f:
        t = {i: (label, target) for i, label, target in bench_table.parse_targets(f.read())}
    # issue 26's targets
    assert t["chacha20poly1305-seal-16k"][1] == 0.6
    assert t["chacha20poly1305-open-16k"][1] == 0.6
    assert t["aes128gcm-open-16k"][1] == 0.9
    assert t["tls-record-aes256gcm"][1] == 0.8
    assert t["sha256-16k"][1] == 0.85
    assert t["x25519"][1] == 0.85
    for i in ("p256-keygen", "p256-ecdh", "ecdsa-p256-verify"):
        assert t[i][1] == 0.7
    assert t["rsa2048-pkcs1-verify"][1] == 0.8
    assert t["tls-handshakes"][1] is None
    # RSA verify on both paths: the target is the host's path's (IFMA where
    # the CPU has it); the portable row, the kernel's path, has none
    assert "host's path" in t["rsa2048-pkcs1-verify"][0]
    assert t["rsa2048-pkcs1-verify-portable"][1] is None
    assert "kernel's path" in t["rsa2048-pkcs1-verify-portable"][0]
    labels = [label for label, _ in t.values()]
    assert len(labels) == len(set(labels))


def test_rsa_rows_with_their_path_notes():
    targets = ("rsa2048-pkcs1-verify\tRSA-2048 verify, host's path\t0.8\n"
               "rsa2048-pkcs1-verify-portable\tRSA-2048 verify, portable C\t-\n")
    rows, order, notes, counts = table(targets, {"pk.tsv": (
        "rsa2048-pkcs1-verify\t70000\t60000\tops/s\tauto path: AVX-512 IFMA\n"
        "rsa2048-pkcs1-verify-portable\t30000\t60000\tops/s\tportable: the kernel's path\n")})
    assert rows["RSA-2048 verify, host's path"][3:] == ("1.17", ">= 0.80", "met")
    # no target: the ratio is shown, nothing is met or missed
    assert rows["RSA-2048 verify, portable C"][3:] == ("0.50", "-", "-")
    assert notes == [("RSA-2048 verify, host's path", "auto path: AVX-512 IFMA"),
                     ("RSA-2048 verify, portable C", "portable: the kernel's path")]
    assert counts == {"met": 1, "not met": 0, "met in some runs": 0, "not measured": 0}


def test_python_rows_writer(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_ROWS_DIR", str(tmp_path / "rows"))
    bench_rows.write("mlkem", [("kem", 25000.0, None, "ops/s", "no\troot\nhere"),
                               ("hs", 838.25, 748.0, "handshakes/s")])
    text = (tmp_path / "rows" / "mlkem.tsv").read_text()
    assert text == "kem\t25000.000\t-\tops/s\tno root here\nhs\t838.250\t748.000\thandshakes/s\n"
    rows = bench_table.parse_rows({"mlkem.tsv": text})
    assert rows["kem"] == (25000.0, None, "ops/s", "no root here")
    monkeypatch.delenv("BENCH_ROWS_DIR")
    bench_rows.write("other", [("x", 1.0, 2.0, "MB/s")])   # no directory: nothing written
    assert not (tmp_path / "rows" / "other.tsv").exists()


C_WRITER = r"""
#include "bench_rows.h"
int main(void)
{
    bench_row("t", "aead-open", 3000.5, 4000, "MB/s");
    bench_row("t", "kem", 25000, -1, "ops/s");
    bench_row_note("t", "rsa", 7, 8, "ops/s", "auto\tpath:\nifma");
    return 0;
}
"""


def test_c_rows_writer(tmp_path):
    src = tmp_path / "w.c"
    src.write_text(C_WRITER)
    exe = tmp_path / "w"
    subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-D_DEFAULT_SOURCE",
                    "-I", HERE, "-o", str(exe), str(src)], check=True)
    d = tmp_path / "rows"
    env = dict(os.environ, BENCH_ROWS_DIR=str(d))
    subprocess.run([str(exe)], check=True, env=env)
    subprocess.run([str(exe)], check=True, env=env)   # a second run replaces, not appends
    text = (d / "t.tsv").read_text()
    assert text == ("aead-open\t3000.500\t4000.000\tMB/s\nkem\t25000.000\t-\tops/s\n"
                    "rsa\t7.000\t8.000\tops/s\tauto path: ifma\n")
    assert bench_table.parse_rows({"t.tsv": text})["rsa"] == (7.0, 8.0, "ops/s", "auto path: ifma")
    env.pop("BENCH_ROWS_DIR")
    (d / "t.tsv").unlink()
    subprocess.run([str(exe)], check=True, env=env)
    assert not (d / "t.tsv").exists()
