"""pytest glue: the QEMU helper module is importable as `qemu`, and serial logs
of passing tests are deleted at the end so build/test-logs keeps only the
logs of failures."""
import glob, os, sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

_passed = set()


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed:
        name = report.nodeid.replace("/", "_").replace("::", "__").replace("[", "_").replace("]", "")
        _passed.add(name)


def pytest_sessionfinish(session, exitstatus):
    for name in _passed:
        for f in glob.glob(os.path.join(qemu.LOG_DIR, glob.escape(name) + ".*.log")):
            os.remove(f)

# The Debian 13 root (OpenSSL 3.5) and what lives in it, for every test file.
from trixie import trixie, trixie_tmp, ossl35_pki  # noqa: E402,F401


def pytest_configure(config):
    # `-m llm_providers` runs the per-provider LLM chat boots alone
    config.addinivalue_line("markers", "llm_providers: the LLM chat against every provider's "
                            "fake (test_llm_providers_qemu.py)")


# A namespace lab (tests/integration/netns.py) for one test, deleted after
# it; test files that need one skip themselves when the lab cannot be made.
@pytest.fixture
def lab():
    import netns
    lab = netns.NetLab()
    try:
        yield lab
    finally:
        lab.close()
