"""X.509 inside the freestanding kernel under QEMU: `selftest=x509` runs
x509_selftest() (tls/x509_selftest.h): the RFC 8448 CertificateVerify
(RSA-PSS), a fixed P-384 -> P-256 chain with host-name / expiry / trust
failures, and the integrity of the built-in anchor table.

kernel/selftest.c runs it for the `x509` word and prints
`selftest: x509 ok|FAIL <message> us=<elapsed>`; a missing line is a
failure."""
import re
from qemu import boot


def test_x509_selftest_in_kernel():
    r = boot(cmdline="selftest=x509 exit=1", timeout=180)
    assert "selftest: x509" in r.output, "no x509 self-test line:\n" + r.output
    m = re.search(r"^selftest: x509 ok rfc8448_cv ok chain ok anchors=(\d+) usable=(\d+) pins=(\d+)",
                  r.output, re.M)
    assert m, r.output
    assert int(m.group(1)) >= 1 and int(m.group(2)) >= 1, r.output
    assert r.status == "ok", r.output
