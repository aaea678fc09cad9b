"""Test-side QEMU helper: boot(), free_port() and the log keeping.

    from qemu import boot, free_port
    r = boot(cmdline="selftest=all exit=1", timeout=60)
    assert r.status == "ok", r.output

Every boot's serial log is written to build/test-logs/<test>.<n>.log; logs of
passing tests are removed at the end of the session (conftest.py), so the
logs of failing tests stay under build/. The images tested are build/'s, or
those of the build directory OS_TEST_BUILD names."""
import os, socket, sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import qemu_run as _runner                 # scripts/qemu_run.py  # noqa: E402

LOG_DIR = os.path.join(ROOT, "build", "test-logs")
# OS_TEST_BUILD=build/x tests the images `make BUILD=build/x all` made.
BUILD = os.path.join(ROOT, os.environ.get("OS_TEST_BUILD") or "build")
KERNEL = os.path.join(BUILD, "kernel32.elf")
ISO = os.path.join(BUILD, "os.iso")
EXIT_STATUS = _runner.EXIT_STATUS
_counter = {}


def _test_name():
    t = os.environ.get("PYTEST_CURRENT_TEST", "manual").split(" ")[0]
    return t.replace("/", "_").replace("::", "__").replace("[", "_").replace("]", "")


def boot(cmdline="", timeout=120, kernel=None, iso=None, **kw):
    """Boots build/kernel32.elf (or `iso`) with cmdline; returns a Result with
    .output .status ('ok'|'fail'|'exception'|None) .returncode .duration
    .timed_out .lines and .grep(regex)."""
    if iso is None and kernel is None:
        kernel = KERNEL
    r = _runner.boot(kernel=kernel, iso=iso, cmdline=cmdline, timeout=timeout, **kw)
    os.makedirs(LOG_DIR, exist_ok=True)
    name = _test_name()
    _counter[name] = _counter.get(name, 0) + 1
    path = os.path.join(LOG_DIR, "%s.%d.log" % (name, _counter[name]))
    with open(path, "w") as f:
        f.write("# %s\n# rc=%s timed_out=%s duration=%.1fs\n" %
                (" ".join(r.cmd), r.returncode, r.timed_out, r.duration))
        f.write(r.output)
    r.log_path = path
    return r


def free_port(kind=socket.SOCK_STREAM):
    """A port that is free on 127.0.0.1 right now (TCP by default)."""
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
