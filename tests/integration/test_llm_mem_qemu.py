"""Memory per connection (issue 26 part 4, docs/memory.md): one LLM request
over TLS to the fake server (scripts/llm_server.py, OpenAI's API) with
mem=small and with the default profile. The kernel prints
`mem: conn profile=P tcp=.. tcp_rx=.. tcp_tx=.. tls=.. tls_bufs=.. pipe=..
http=.. llm=.. total=.. request=.. calls=..` from the sizes the connection
was given; the test checks that the parts add up to the total, that small
stays within 64 KiB and below the default, that small asked for and got
2 KiB records (the TLS receive buffer holds one) and reads them through
a 1 KiB HTTP read buffer, and that the long answer
(a prompt of ~1.3 KB comes back quoted: ~200 stream events, ~55 KB of
records through a 4 KiB TCP window and 2 KiB TLS records) arrives whole.
Both totals are printed (pytest -s shows them). Run alone with
    OS_TEST_BUILD=build /usr/bin/python3 -m pytest -q -s tests/integration/test_llm_mem_qemu.py"""
import hashlib
import re

import pytest
from llm_fixtures import FakeLlm, llm_server
from qemu import boot
from test_https import check_summary, kernel, llm, pki, summaries  # noqa: F401  (fixtures)

S = llm_server
KEY = "sk-mem-5d1e"
LIMIT = 65536
PROMPT = "memory check " + " ".join("w%03d" % i for i in range(260))
PARTS = ("tcp", "tcp_rx", "tcp_tx", "tls", "tls_bufs", "pipe", "http", "llm")
MEM_RE = re.compile(r"^mem: conn profile=(\S+) " + " ".join(p + r"=(\d+)" for p in PARTS) +
                    r" total=(\d+) request=(\d+) calls=(\d+) peer_fragment=(\d+)$", re.M)


@pytest.fixture
def fake(pki, tmp_path):  # noqa: F811
    s = FakeLlm(pki, tmp_path, api_key=KEY)
    yield s
    s.stop()


def ask(kernel, fake, mem):  # noqa: F811
    # two CPUs: the default profile then takes its receive pipeline
    r = boot(kernel=kernel, cmdline="llm=%s model=demo key=%s prompt=%s tools=0 mem=%s exit=1" % (
        fake.url("openai"), KEY, PROMPT.replace(" ", "%20"), mem), timeout=600, smp=2)
    assert r.status == "ok", r.output
    answer = S.answer_for(PROMPT)
    assert ("llm: answer: " + answer.replace("\n", "\n| ")) in r.output, r.output
    m = re.search(r"^llm: done status=200 (?:.* )?bytes=(\d+) pieces=(\d+) finish=stop", r.output,
                  re.M)
    assert m and int(m.group(1)) == len(answer.encode()), r.output
    assert int(m.group(2)) == len(S.pieces_of(answer)) > 150, r.output
    found = MEM_RE.findall(r.output)
    assert len(found) == 1, r.output
    f = found[0]
    assert f[0] == mem, r.output
    parts = dict(zip(PARTS, (int(x) for x in f[1:1 + len(PARTS)])))
    total = int(f[1 + len(PARTS)])
    assert sum(parts.values()) == total, f
    parts["peer_fragment"] = int(f[-1])
    return parts, total, r


def test_small_and_default(kernel, fake):  # noqa: F811
    small, small_total, rs = ask(kernel, fake, "small")
    dflt, dflt_total, rd = ask(kernel, fake, "default")
    print("\nmem=small   total=%d %s\nmem=default total=%d %s" % (
        small_total, small, dflt_total, dflt))
    assert small_total <= LIMIT, small
    assert small_total < dflt_total, (small, dflt)
    # small: 4 KiB TCP rings, no pipeline, a TLS receive buffer of one
    # 2 KiB record (5 + 2048 + 1 + 16) in 8 KiB + 2070 + 3072 of buffers
    assert small["tcp_rx"] == 4096 and small["tcp_tx"] == 4096, small
    assert small["pipe"] == 0 and small["tls_bufs"] == 8192 + 2070 + 3072, small
    # the server (Python's ssl, OpenSSL 3.0) agreed to max_fragment_length
    assert small["peer_fragment"] == 2048, small
    assert dflt["peer_fragment"] == 0, dflt
    # default: today's rings, TLS buffers and the 8-slot receive pipeline
    assert dflt["tcp_rx"] == 256 * 1024 and dflt["tcp_tx"] == 128 * 1024, dflt
    assert dflt["tls_bufs"] == 16384 + 16645 + 4096, dflt
    assert dflt["pipe"] >= 8 * 32 * 1024, dflt   # 8 slots of one 16 KiB record and its plaintext
    assert small["tcp"] == dflt["tcp"] and small["tls"] == dflt["tls"], (small, dflt)
    # http: struct http_client (under 128 bytes) and its read buffer, 1 KiB
    # in small, today's 4 KiB by default
    assert small["http"] - 1024 == dflt["http"] - 4096, (small, dflt)
    assert 1024 < small["http"] < 1024 + 128, small


def test_bad_value(kernel):  # noqa: F811
    r = boot(kernel=kernel, cmdline="mem=tiny exit=1", timeout=120)
    assert "cmdline: error key=mem detail=bad_value" in r.output, r.output
    assert r.status == "fail", r.output


def test_get_small(kernel, llm):  # noqa: F811
    # get= takes the profile too: a 40000-byte body, which the server writes
    # at once, arrives in 2 KiB records (max_fragment_length) through the
    # one-record receive buffer and the 4 KiB TCP window, intact
    n = 40000
    r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/file/%d mem=small exit=1" % (
        llm.port, n), timeout=300)
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 1, r.output
    check_summary(s[0], n, hashlib.sha256(llm_server.file_bytes(n)).hexdigest())
