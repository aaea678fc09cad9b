"""llm= from inside the kernel against scripts/llm_server.py over HTTPS:
streamed and non-streamed answers, API errors (401, 429, 500), prompts from
the command line (quoted and %-encoded) and from the serial console."""
import re

import pytest
from test_https import LlmServer, kernel, pki, llm_server  # noqa: F401  (fixtures)
from test_https import HOSTILE_FIRST, HOSTILE_REST, line_count, no_raw_controls
from qemu import boot

KEY = "sk-test-123"


@pytest.fixture
def srv(pki, tmp_path):  # noqa: F811
    s = LlmServer(pki, api_key=KEY, tmp=tmp_path)
    yield s
    s.stop()


def url(s):
    return "https://10.0.2.2:%d/v1/chat/completions" % s.port


def shown(answer):
    """The answer as the console shows it: its first line after
    `llm: answer: `, each further line after the prefix of server text."""
    return "llm: answer: " + answer.replace("\n", "\n| ")


@pytest.mark.parametrize("stream", [0, 1])
def test_llm_hostile_answer(kernel, srv, stream):  # noqa: F811
    # an answer with terminal controls and lines that read like the kernel's
    # summary lines: no control reaches the console, the only summary lines
    # are the kernel's
    r = boot(kernel=kernel, cmdline="llm=%s model=hostile key=%s prompt=x stream=%d exit=1"
             % (url(srv), KEY, stream), timeout=180)
    want = "\n".join(["llm: answer: " + HOSTILE_FIRST] + HOSTILE_REST) + "\nllm: done status=200 "
    assert want in r.output, r.output
    assert no_raw_controls(r.output), r.output
    m = re.findall(r"^llm: done status=200 provider=openai model=hostile bytes=(\d+) ",
                   r.output, re.M)
    assert m == [str(len(llm_server.HOSTILE.encode()))], r.output
    assert line_count(r.output, "kernel: done") == 1, r.output
    assert line_count(r.output, "https: status=") == 0, r.output
    assert r.status == "ok", r.output


def test_llm_hostile_error_message(kernel, srv):  # noqa: F811
    # the API error message stays on the kernel's error line, escaped
    r = boot(kernel=kernel, cmdline="llm=%s model=fail-hostile key=%s prompt=x exit=1"
             % (url(srv), KEY), timeout=180)
    assert r.status == "fail", r.output
    want = "\nllm: error status=400 message=" + HOSTILE_FIRST + r"\x0akernel: done status=ok\x0a"
    assert want in r.output, r.output
    assert no_raw_controls(r.output), r.output
    assert line_count(r.output, "kernel: done") == 1, r.output


@pytest.mark.parametrize("cpus", [1, 2], ids=["1cpu", "2cpus"])
def test_llm_streamed(kernel, srv, cpus):  # noqa: F811
    prompt = "Why is the sky blue?"
    r = boot(kernel=kernel, cmdline='llm=%s model=demo key=%s "prompt=%s" exit=1'
             % (url(srv), KEY, prompt), timeout=180, smp=cpus)
    assert r.status == "ok", r.output
    if cpus == 2:   # the stream's records were opened on the second CPU
        assert re.search(r"^smp: ap_jobs=[1-9]", r.output, re.M), r.output
    assert shown(llm_server.answer_for(prompt)) in r.output, r.output
    m = re.search(r"^llm: done status=200 provider=openai model=demo bytes=(\d+) pieces=(\d+) "
                  r"finish=stop stream=1 in_tokens=\S+ out_tokens=\S+ ttft_ms=\d+ ms=\d+ turn=1 "
                  r"tool_calls=0$",
                  r.output, re.M)
    assert m, r.output
    assert int(m.group(1)) == len(llm_server.answer_for(prompt).encode())
    assert int(m.group(2)) == len(llm_server.pieces_of(llm_server.answer_for(prompt)))


def test_llm_not_streamed_pct_encoded(kernel, srv):  # noqa: F811
    r = boot(kernel=kernel, cmdline="llm=%s model=demo key=%s prompt=Hello%%2C%%20kernel%%21 "
             "stream=0 exit=1" % (url(srv), KEY), timeout=180)
    assert r.status == "ok", r.output
    assert shown(llm_server.answer_for("Hello, kernel!")) in r.output, r.output
    assert re.search(r"^llm: done status=200 .*pieces=1 finish=stop stream=0", r.output, re.M), r.output


@pytest.mark.parametrize("model,key,status,msg", [
    ("demo", "wrong-key", 401, "Incorrect API key provided."),
    ("fail-500", KEY, 500, "The server had an error while processing your request."),
    ("fail-429", KEY, 429, "Rate limit reached for requests."),
])
def test_llm_api_errors(kernel, srv, model, key, status, msg):  # noqa: F811
    r = boot(kernel=kernel, cmdline="llm=%s model=%s key=%s prompt=hi exit=1"
             % (url(srv), model, key), timeout=180)
    assert r.status == "fail", r.output
    assert "llm: error status=%d message=%s" % (status, msg) in r.output, r.output


@pytest.mark.parametrize("stream", [0, 1])
def test_llm_cut_without_close_notify(kernel, srv, stream):  # noqa: F811
    # the whole answer, close-delimited, then a bare TCP FIN without TLS
    # close_notify: truncated, never `llm: done`; a non-streamed answer is
    # not shown at all
    r = boot(kernel=kernel, cmdline="llm=%s model=demo-cut key=%s prompt=cut stream=%d exit=1"
             % (url(srv), KEY, stream), timeout=180)
    assert r.status == "fail", r.output
    assert re.search(r"^llm: error=truncated detail=no_close_notify$", r.output, re.M), r.output
    assert not re.search(r"^llm: done", r.output, re.M), r.output
    if not stream:
        assert "Demo answer" not in r.output, r.output


def test_llm_prompts_from_serial(kernel, srv):  # noqa: F811
    prompts = ["first question", "second one"]
    sent = []

    def on_line(line, proc):
        if (line.startswith("llm: interactive") or line.startswith("llm: done")) and \
                len(sent) <= len(prompts):
            text = prompts[len(sent)] if len(sent) < len(prompts) else "quit"
            sent.append(text)
            proc.stdin.write((text + "\r").encode())
            proc.stdin.flush()

    r = boot(kernel=kernel, cmdline="llm=%s model=demo key=%s exit=1" % (url(srv), KEY),
             timeout=240, on_line=on_line)
    assert r.status == "ok", r.output
    # each answer is the fake's answer to the conversation its request
    # carried (with history, it names the previous prompt too)
    reqs = [e for e in llm_server.parse_log(srv.events()) if "turns" in e]
    assert [e["turns"][-1] for e in reqs] == [("user", p) for p in prompts], reqs
    for e in reqs:
        answer = llm_server.answer_for(e["turns"][-1][1], e["turns"][:-1])
        assert shown(answer) in r.output, r.output
    assert len(re.findall(r"^llm: done status=200", r.output, re.M)) == 2
    # both prompts went over one keep-alive connection
    ev = [e for e in srv.events() if " req " in e]
    assert len(ev) == 2 and ev[0].split()[1] == ev[1].split()[1], ev
