"""The llm= chat from the serial console against scripts/llm_server.py:
three turns with line editing, /help, /usage (the history's exact size),
/clear, /model, /system, an unknown command, Ctrl-C during an answer, the
retry lines, a refused plain-http connection and the key check of http://
URLs. The server answers every request; these tests check the kernel's
lines."""
import json
import re

import pytest
from test_https import LlmServer, kernel, pki, llm_server  # noqa: F401  (fixtures)
from qemu import boot, free_port

KEY = "sk-test-123"


@pytest.fixture
def srv(pki, tmp_path):  # noqa: F811
    s = LlmServer(pki, api_key=KEY, tmp=tmp_path)
    yield s
    s.stop()


def url(s):
    return "https://10.0.2.2:%d/v1/chat/completions" % s.port


def shown(answer):
    return "llm: answer: " + answer.replace("\n", "\n| ")


def esc_len(text):
    """Bytes of text inside a JSON string, as the kernel escapes it."""
    return len(json.dumps(text, ensure_ascii=False).encode()) - 2


def cost(role, text):
    """llm/history.h: the message JSON one turn costs."""
    return 25 + len(role) + esc_len(text)


def chained_answers(prompts):
    """The fake's answers to prompts asked in a row in one conversation: from
    the second on, each mentions the user turn before it (the history the
    request carried)."""
    out, prev = [], None
    for p in prompts:
        out.append(llm_server.answer_for(p, [("user", prev)] if prev else None))
        prev = p
    return out


class Script:
    """Types the next input when a line starts with its trigger."""

    def __init__(self, steps):
        self.steps = steps
        self.i = 0

    def __call__(self, line, proc):
        if self.i < len(self.steps) and line.startswith(self.steps[self.i][0]):
            data = self.steps[self.i][1]
            self.i += 1
            proc.stdin.write(data if isinstance(data, bytes) else data.encode())
            proc.stdin.flush()


def test_llm_chat_three_turns_and_commands(kernel, srv):  # noqa: F811
    p1, p2, p3, p4 = "first question", "second one", "third", "after clear"
    s = Script([
        ("llm: interactive:", "/help\r"),
        ("llm: commands:", p1 + "\r"),
        ("llm: done", b"second onX\x7fe\r"),             # backspace
        ("llm: done", "/usage\r"),
        ("llm: usage", b"caf\xc3\xa9\x7f\x15" + p3.encode() + b"\r"),  # UTF-8 rub-out, Ctrl-U
        ("llm: done", "/clear\r"),
        ("llm: history cleared", "/usage\r"),
        ("llm: usage", "/bogus arg\r"),
        ("llm: error=unknown_command", "/model other\r"),
        ("llm: model=", "/system be brief\r"),
        ("llm: system bytes=", p4 + "\r"),
        ("llm: done", "/usage\r"),
        ("llm: usage", "quit\r"),
    ])
    r = boot(kernel=kernel, cmdline="llm=%s model=demo key=%s exit=1" % (url(srv), KEY),
             timeout=300, on_line=s)
    assert s.i == len(s.steps), r.output
    assert r.status == "ok", r.output
    out = r.output
    assert re.search(r"^llm: interactive: provider=openai model=demo history_max=65536 "
                     r"\(/help for commands\)$", out, re.M), out
    assert re.search(r"^llm: commands: /help /clear /model NAME /models /system TEXT /usage "
                     r"/quit$", out, re.M), out
    # p4 follows /clear: its history holds no earlier user turn
    a1, a2, a3 = chained_answers((p1, p2, p3))
    a4 = llm_server.answer_for(p4)
    for a in (a1, a2, a3, a4):
        assert shown(a) in out, out
    done = re.findall(r"^llm: done status=200 provider=openai model=(\S+) bytes=(\d+) "
                      r"pieces=\d+ finish=stop stream=1 in_tokens=\S+ out_tokens=\S+ "
                      r"ttft_ms=(\d+) ms=(\d+) turn=(\d+) tool_calls=0$", out, re.M)
    assert [(d[0], d[4]) for d in done] == [("demo", "1"), ("demo", "2"), ("demo", "3"),
                                            ("other", "4")], out
    for d, a in zip(done, (a1, a2, a3, a4)):
        assert int(d[1]) == len(a.encode())
        assert int(d[2]) <= int(d[3])
    # the history's size is the message JSON of the turns held, exactly
    two = sum(cost("user", p) + cost("assistant", a) for p, a in ((p1, a1), (p2, a2)))
    usage = re.findall(r"^llm: usage turns=(\d+) in_tokens=\S+ out_tokens=\S+ "
                       r"history_bytes=(\d+) history_turns=(\d+)$", out, re.M)
    last = cost("system", "be brief") + cost("user", p4) + \
        cost("assistant", a4)
    assert usage == [("2", str(two), "4"), ("3", "0", "0"), ("4", str(last), "2")], out
    assert re.search(r"^llm: history cleared$", out, re.M), out
    assert re.search(r"^llm: error=unknown_command detail=/bogus$", out, re.M), out
    assert re.search(r"^llm: model=other$", out, re.M), out
    assert re.search(r"^llm: system bytes=8$", out, re.M), out
    assert "llm: history trimmed" not in out, out
    # all four over one keep-alive connection
    ev = [e for e in srv.events() if " req " in e]
    assert len(ev) == 4 and len({e.split()[1] for e in ev}) == 1, ev


def test_llm_chat_history_trimmed(kernel, srv):  # noqa: F811
    # llm_history=1024 and exchanges of about 360 bytes (the answer repeats
    # the prompt): two fit, each further one drops the oldest exchange
    prompts = ["q%d %s" % (i, "x" * 100) for i in range(4)]
    steps = [("llm: interactive:", prompts[0] + "\r")]
    steps += [("llm: done", p + "\r") for p in prompts[1:]]
    steps += [("llm: done", "/usage\r"), ("llm: usage", "\x04")]   # Ctrl-D ends
    s = Script(steps)
    r = boot(kernel=kernel, cmdline="llm=%s model=demo key=%s llm_history=1024 exit=1"
             % (url(srv), KEY), timeout=300, on_line=s)
    assert s.i == len(s.steps), r.output
    assert r.status == "ok", r.output
    # the previous exchange always survives the trim, so each answer names
    # the prompt before it
    answers = chained_answers(prompts)
    ex = [cost("user", p) + cost("assistant", a) for p, a in zip(prompts, answers)]
    held = []
    for e in ex:            # the rule: the oldest whole exchanges go until it fits
        held.append(e)
        while sum(held) > 1024:
            held.pop(0)
    assert 0 < len(held) < len(ex), ex
    trims = [int(t) for t in re.findall(r"^llm: history trimmed turns=(\d+)$", r.output, re.M)]
    assert trims and sum(trims) == 2 * (len(ex) - len(held)), r.output
    m = re.search(r"^llm: usage turns=4 in_tokens=\S+ out_tokens=\S+ history_bytes=(\d+) "
                  r"history_turns=(\d+)$", r.output, re.M)
    assert m, r.output
    assert (int(m.group(1)), int(m.group(2))) == (sum(held), 2 * len(held)), (r.output, held)
    for a in answers:       # every turn was answered
        assert shown(a) in r.output, r.output


def test_llm_chat_ctrl_c_keeps_partial_answer(kernel, srv):  # noqa: F811
    # demo-slow sends a 7-byte piece every 50 ms: Ctrl-C once the answer's
    # first line is complete (5 of its 14 pieces) stops it; the partial
    # answer stays in the history
    prompt = "interrupt me"
    full = llm_server.answer_for(prompt)
    s = Script([
        ("llm: interactive:", prompt + "\r"),
        ("llm: answer:", b"\x03"),
        ("llm: interrupted", "/usage\r"),
        ("llm: usage", "quit\r"),
    ])
    r = boot(kernel=kernel, cmdline="llm=%s model=demo-slow key=%s exit=1" % (url(srv), KEY),
             timeout=300, on_line=s)
    assert s.i == len(s.steps), r.output
    assert r.status == "ok", r.output
    m = re.search(r"^llm: interrupted bytes=(\d+)$", r.output, re.M)
    assert m, r.output
    n = int(m.group(1))
    assert 0 < n < len(full.encode()), r.output
    assert not re.search(r"^llm: done", r.output, re.M), r.output
    partial = full.encode()[:n].decode(errors="ignore")
    m = re.search(r"^llm: usage turns=1 in_tokens=\S+ out_tokens=\S+ history_bytes=(\d+) "
                  r"history_turns=2$", r.output, re.M)
    assert m, r.output
    assert int(m.group(1)) == cost("user", prompt) + cost("assistant", partial), r.output


def test_llm_retry_then_error(kernel, srv):  # noqa: F811
    r = boot(kernel=kernel, cmdline="llm=%s model=fail-500 key=%s prompt=hi retries=2 exit=1"
             % (url(srv), KEY), timeout=180)
    assert r.status == "fail", r.output
    retries = re.findall(r"^llm: retry attempt=(\d+) wait_ms=(\d+) reason=(\S+)$",
                         r.output, re.M)
    assert [(a, why) for a, _, why in retries] == [("2", "status_500")], r.output
    assert all(int(w) <= 500 for _, w, _ in retries), r.output
    assert len(re.findall(r"^llm: error status=500 ", r.output, re.M)) == 1, r.output
    ev = [e for e in srv.events() if " req " in e]
    assert len(ev) == 2, ev


def test_llm_plain_http_refused_and_retried(kernel):  # noqa: F811
    port = free_port()      # nothing listens there
    r = boot(kernel=kernel, cmdline="llm=http://10.0.2.2:%d/api/chat model=m prompt=hi "
             "retries=3 timeout=5000 exit=1" % port, timeout=180)
    assert r.status == "fail", r.output
    reasons = re.findall(r"^llm: retry attempt=(\d+) wait_ms=\d+ reason=(\S+)$", r.output, re.M)
    assert reasons == [("2", "connect_refused"), ("3", "connect_refused")], r.output
    assert re.search(r"^llm: error=tcp_refused ", r.output, re.M), r.output


def test_llm_key_over_plain_http(kernel):  # noqa: F811
    r = boot(kernel=kernel, cmdline="llm=http://10.0.2.2:9/api/chat model=m key=secret-k "
             "prompt=hi exit=1", timeout=120)
    assert r.status == "fail", r.output
    assert re.search(r"^llm: error=key_over_plain_http$", r.output, re.M), r.output
    assert not re.search(r"^llm: connected", r.output, re.M), r.output
    assert "secret-k" not in r.output.split("llm: error")[1], r.output


class OllamaPlain:
    """A plain-HTTP /api/chat endpoint on 127.0.0.1 (Ollama's NDJSON
    stream) that records every request body."""

    def __init__(self):
        import http.server
        import threading
        bodies = self.bodies = []

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                bodies.append(req)
                text = "plain answer %d" % len(bodies)
                lines = [{"model": req["model"], "message": {"role": "assistant",
                                                            "content": text[i:i + 5]},
                          "done": False} for i in range(0, len(text), 5)]
                lines.append({"model": req["model"], "message": {"role": "assistant",
                                                                 "content": ""},
                              "done": True, "done_reason": "stop"})
                out = "".join(json.dumps(x) + "\n" for x in lines).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_llm_chat_plain_http_ollama_sends_history(kernel):  # noqa: F811
    srv = OllamaPlain()
    try:
        s = Script([("llm: interactive:", "hello there\r"), ("llm: done", "and again\r"),
                    ("llm: done", "quit\r")])
        r = boot(kernel=kernel, cmdline="llm=http://10.0.2.2:%d/api/chat model=llama3 "
                 "system=terse exit=1" % srv.port, timeout=240, on_line=s)
    finally:
        srv.stop()
    assert s.i == len(s.steps), r.output
    assert r.status == "ok", r.output
    assert re.search(r"^llm: connected 10\.0\.2\.2:%d plain_http " % srv.port, r.output,
                     re.M), r.output
    assert re.search(r"^llm: interactive: provider=ollama model=llama3 ", r.output, re.M)
    assert "llm: answer: plain answer 1" in r.output, r.output
    done = re.findall(r"^llm: done status=200 provider=ollama model=llama3 bytes=(\d+) .* "
                      r"turn=(\d+) tool_calls=0$", r.output, re.M)
    assert done == [("14", "1"), ("14", "2")], r.output
    # the second request carries the conversation so far
    assert len(srv.bodies) == 2, srv.bodies
    assert srv.bodies[0]["messages"] == [{"role": "system", "content": "terse"},
                                         {"role": "user", "content": "hello there"}]
    assert srv.bodies[1]["messages"] == [{"role": "system", "content": "terse"},
                                         {"role": "user", "content": "hello there"},
                                         {"role": "assistant", "content": "plain answer 1"},
                                         {"role": "user", "content": "and again"}]
