"""The chat's tool loop (issue 23) against every provider's fake
(scripts/llm_server.py, models tools-SCENARIO), typed on the serial console
and checked on both sides: the console's `llm: tool call=` / `llm: tool
result=` lines and the done line's ` tool_calls=K`, and what the fake
received (its log: the tool names each request declared, the results each
follow-up carried, the turns of the history).

test_tool_scenarios (one boot per provider; ollama over https; the
scenarios typed in one chat with `/model NAME` between turns, tool_rounds=2,
a DNS fake that resolves demo.local):
  tools-clock    one call; the result is clock's JSON with a plausible unix
                 time, the final answer quotes it, done ends ` tool_calls=1`
  tools-two      clock and net_info in one answer, both results in one
                 follow-up, ` tool_calls=2`
  tools-frag     dns_lookup of demo.local, arguments in 1-byte fragments
  tools-unknown  the model receives {"error":"unknown_tool",...}
  tools-badjson  arguments `{"name":` cut short: {"error":"bad_arguments",...}
  tools-nxdomain dns_lookup of nope.invalid: {"error":"dns_nxdomain",...}
  tools-loop     calls in every answer: `llm: error=tool_rounds_exceeded
                 rounds=2` after two rounds; the chat goes on, and the next
                 turn's history holds every earlier exchange with its calls
                 and results but not the failed one.
test_tool_whole_answers: stream=0, tools-two and tools-badjson in each
provider's whole body.
test_tools_off: tools=0 declares nothing (the fake's log shows no tools),
so tools-clock answers with text and the done line ends ` tool_calls=0`.
test_https_get_tool: https_get through a tool call to the fake's own HTTPS
port: refused (address_refused, 10.0.2.2 is private) without tool_hosts=,
fetched with tool_hosts=10.0.2.2 and tools=https_get,clock (the model
receives the page's text; only the two tools are declared).
test_tools_key_errors: tools= with an unknown name, tool_rounds= 0 and 33
are errors before any request.

The kernel is the HTTPS tests' image (it trusts the test CA). Run alone with
    OS_TEST_BUILD=build /usr/bin/python3 -m pytest -q tests/integration/test_llm_tools_qemu.py"""
import json
import re
import time

import pytest
from llm_fixtures import FakeLlm, llm_server
from qemu import boot
from test_https import dns_server, kernel, pki  # noqa: F401  (fixtures)
from test_llm_providers_qemu import Script, command, done_lines, prompt

S = llm_server
KEY = "sk-tools-5c1e"
PROVIDERS = list(S.PROVIDERS)
TOOLS = ["clock", "net_info", "dns_lookup", "https_get"]
CALL = re.compile(r"^llm: tool call=(\S+) args=(.*)$")
RESULT = re.compile(r"^llm: tool result=(\S+) status=(ok|error) bytes=(\d+) ms=(\d+)"
                    r"(?: error=(\S+))?$")
# (model, prompt) typed in order in one chat
TURNS = [("tools-clock", "what time is it?"),
         ("tools-two", "time and network please"),
         ("tools-frag", "look up demo.local"),
         ("tools-unknown", "call something odd"),
         ("tools-badjson", "send broken arguments"),
         ("tools-nxdomain", "look up nope.invalid"),
         ("tools-loop", "loop forever"),
         ("tools-clock", "after the loop")]


@pytest.fixture
def fake(pki, tmp_path):  # noqa: F811
    s = FakeLlm(pki, tmp_path, api_key=KEY)
    yield s
    s.stop()


def cmdline(fake, provider, model, extra=""):
    return "llm=%s model=%s key=%s %s exit=1" % (fake.url(provider, model), model, KEY, extra)


def segments(out):
    """The console lines of each typed prompt: every line up to and
    including the `llm: done` or `llm: error` line that ends it."""
    segs, cur = [], []
    for line in out.splitlines():
        cur.append(line)
        if re.match(r"^llm: (done |error)", line):
            segs.append(cur)
            cur = []
    return segs


def tool_lines(seg):
    """(calls [(name, args)], results [(name, status, bytes, error)]) of a segment."""
    calls = [CALL.match(l).groups() for l in seg if CALL.match(l)]
    results = [RESULT.match(l).groups() for l in seg if RESULT.match(l)]
    return calls, [(n, st, int(b), e) for n, st, b, _, e in results]


def by_turn(reqs):
    """The chat requests grouped per user turn: a request whose last turn is
    a user prompt starts a turn, its follow-ups carry tool results."""
    out = []
    for e in reqs:
        if e["turns"] and e["turns"][-1][0] == "user":
            out.append([])
        assert out, reqs
        out[-1].append(e)
    return out


def answer_line(text):
    return "llm: answer: " + text.replace("\n", "\n| ")


def check_quoted(seg, provider, follow):
    """The final answer quotes the results the fake received, and the
    console's byte counts are those results' lengths."""
    text = S.tool_results_text(follow["results"])
    assert answer_line(text) in "\n".join(seg), (seg, follow)
    _, results = tool_lines(seg)
    assert [r[0] for r in results] == [n for n, _ in follow["results"]], (seg, follow)
    if provider != "gemini":            # Gemini's functionResponse is re-encoded
        assert [r[2] for r in results] == [len(t.encode()) for _, t in follow["results"]]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_tool_scenarios(kernel, fake, dns_server, provider):  # noqa: F811
    steps = []
    for k, (model, text) in enumerate(TURNS):
        if k == 0 or model != TURNS[k - 1][0]:
            steps.append(command("/model " + model, r"^llm: model=%s$" % model))
        steps.append(prompt(text))
    before = time.time()
    r = boot(kernel=kernel, timeout=1200, on_line=Script(steps),
             cmdline=cmdline(fake, provider, "demo",
                             "dns=10.0.2.2:%d tool_rounds=2" % dns_server))
    # the tools-loop turn fails (tool_rounds_exceeded): the chat goes on to
    # the end, and the job reports that one exchange failed
    assert r.status == "fail", r.output
    assert r.output.count("llm: error=tool_rounds_exceeded") == 1, r.output
    check_scenarios(r.output, fake.chats(), provider, before)


def check_scenarios(out, reqs, provider, before):
    """test_tool_scenarios' console output out against the requests the
    fake answered (reqs), after a boot that started at time before."""
    segs = segments(out)
    assert len(segs) == len(TURNS), out
    assert all(e["status"] == 200 and e["provider"] == provider for e in reqs), reqs
    turns = by_turn(reqs)
    assert [t[0]["turns"][-1] for t in turns] == [("user", p) for _, p in TURNS], reqs
    assert all(e["model"] == m for (m, _), t in zip(TURNS, turns) for e in t), reqs
    assert all(d["stream"] == "1" for d in done_lines(out))
    # every request declares the four tools; a turn's first request carries
    # no result of its own
    assert all(sorted(e["tools"]) == sorted(TOOLS) for e in reqs), reqs
    assert all(t[0]["results"] == [] for t in turns), reqs
    done = done_lines(out)
    assert len(done) == len(TURNS) - 1, out
    assert [d["turn"] for d in done[:6]] == [str(i) for i in range(1, 7)], done
    assert int(done[6]["turn"]) > 6, done
    assert all(re.search(r" tool_calls=\d+$", l) for l in out.splitlines()
               if l.startswith("llm: done ")), out

    # tools-clock: one call, clock's JSON with the host's time, quoted back
    seg, t = segs[0], turns[0]
    calls, results = tool_lines(seg)
    assert calls == [("clock", "{}")] and [x[:2] for x in results] == [("clock", "ok")], seg
    assert len(t) == 2 and [n for n, _ in t[1]["results"]] == ["clock"], t
    clock = json.loads(t[1]["results"][0][1])
    assert set(clock) >= {"utc", "unix", "uptime_ms"}, clock
    assert before - 120 <= clock["unix"] <= time.time() + 120, clock
    assert time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(clock["unix"])) == clock["utc"]
    check_quoted(seg, provider, t[1])
    assert done[0]["tool_calls"] == "1" and done[0]["status"] == "200", done[0]
    assert t[1]["turns"][-3:-1] == [("user", TURNS[0][1]), ("assistant", "")], t[1]
    assert not [l for l in seg if l.startswith("llm: answer:") and "Tool results" not in l]

    # tools-two: both results in one follow-up
    seg, t = segs[1], turns[1]
    calls, results = tool_lines(seg)
    assert [c[0] for c in calls] == ["clock", "net_info"], seg
    assert [x[:2] for x in results] == [("clock", "ok"), ("net_info", "ok")], seg
    assert len(t) == 2 and [n for n, _ in t[1]["results"]] == ["clock", "net_info"], t
    net = json.loads(t[1]["results"][1][1])
    assert net["address"] == "10.0.2.15" and net["gateway"] == "10.0.2.2", net
    check_quoted(seg, provider, t[1])
    assert done[1]["tool_calls"] == "2", done[1]

    # tools-frag: dns_lookup's arguments streamed one byte at a time
    seg, t = segs[2], turns[2]
    calls, results = tool_lines(seg)
    assert calls == [("dns_lookup", '{"name":"demo.local"}')], seg
    assert [x[:2] for x in results] == [("dns_lookup", "ok")], seg
    got = json.loads(t[1]["results"][0][1])
    assert got["name"] == "demo.local" and got["addresses"] == ["10.0.2.2"], got
    check_quoted(seg, provider, t[1])
    assert done[2]["tool_calls"] == "1", done[2]

    # the three failing tools: the model receives the error object, the turn
    # ends with its answer
    for i, (name, err) in zip((3, 4, 5), (("no_such_tool", "unknown_tool"),
                                          ("dns_lookup", "bad_arguments"),
                                          ("dns_lookup", "dns_nxdomain"))):
        seg, t = segs[i], turns[i]
        calls, results = tool_lines(seg)
        assert [c[0] for c in calls] == [name], seg
        assert [(x[0], x[1], x[3]) for x in results] == [(name, "error", err)], seg
        assert len(t) == 2 and [n for n, _ in t[1]["results"]] == [name], t
        assert json.loads(t[1]["results"][0][1])["error"] == err, t[1]
        check_quoted(seg, provider, t[1])
        assert done[i]["tool_calls"] == "1" and done[i]["status"] == "200", done[i]
    assert tool_lines(segs[5])[0] == [("dns_lookup", '{"name":"nope.invalid"}')]
    assert json.loads(turns[5][1]["results"][0][1]) == {"error": "dns_nxdomain",
                                                        "detail": "nope.invalid"}
    assert json.loads(turns[3][1]["results"][0][1])["detail"], turns[3]

    # tools-loop: two rounds run, the third answer's calls are one too many
    seg, t = segs[6], turns[6]
    assert seg[-1] == "llm: error=tool_rounds_exceeded rounds=2", seg
    calls, results = tool_lines(seg)
    assert calls == [("clock", "{}")] * 2 and [x[:2] for x in results] == \
        [("clock", "ok")] * 2, seg
    assert not [l for l in seg if l.startswith(("llm: answer:", "llm: done "))], seg
    # (a follow-up logs every result of its user turn so far)
    assert len(t) == 3 and [len(e["results"]) for e in t] == [0, 1, 2], t

    # the chat went on: the last turn's history holds the six exchanges with
    # their calls and results, the failed one is gone
    seg, t = segs[7], turns[7]
    assert done[6]["tool_calls"] == "1" and len(t) == 2, (done[6], t)
    check_quoted(seg, provider, t[1])
    hist = t[0]["turns"]
    users = [x for r_, x in hist if r_ == "user"]
    assert users == [p for _, p in TURNS[:6]] + [TURNS[7][1]], hist
    assert TURNS[6][1] not in users
    tool_turns = [x.partition("=")[0] for r_, x in hist if r_ == "tool"]
    assert tool_turns == ["clock", "clock", "net_info", "dns_lookup", "no_such_tool",
                          "dns_lookup", "dns_lookup"], hist
    # each exchange: the prompt, the calls, the results, the quoting answer
    first = hist[hist.index(("user", TURNS[0][1])):hist.index(("user", TURNS[1][1]))]
    assert [r_ for r_, _ in first] == ["user", "assistant", "tool", "assistant"], first
    assert first[3][1] == S.tool_results_text(turns[0][1]["results"]), first
    assert not re.search(r"^llm: history trimmed", out, re.M), out


@pytest.mark.parametrize("provider", PROVIDERS)
def test_tool_whole_answers(kernel, fake, provider):  # noqa: F811
    # stream=0: the calls come in the provider's whole body (Anthropic's and
    # Gemini's and Ollama's broken arguments as a JSON string)
    steps = [prompt("time and network please"),
             command("/model tools-badjson", r"^llm: model=tools-badjson$"),
             prompt("send broken arguments")]
    r = boot(kernel=kernel, timeout=600, on_line=Script(steps),
             cmdline="llm=%s model=tools-two key=%s stream=0 exit=1" % (
                 fake.url(provider, "tools-two", stream=False), KEY))
    out = r.output
    assert r.status == "ok", out
    segs = segments(out)
    assert len(segs) == 2, out
    reqs = fake.chats()
    assert all(e["status"] == 200 for e in reqs) and len(reqs) == 4, reqs
    calls, results = tool_lines(segs[0])
    assert [c[0] for c in calls] == ["clock", "net_info"], out
    assert [x[:2] for x in results] == [("clock", "ok"), ("net_info", "ok")], out
    assert [n for n, _ in reqs[1]["results"]] == ["clock", "net_info"], reqs[1]
    check_quoted(segs[0], provider, reqs[1])
    calls, results = tool_lines(segs[1])
    assert [(x[0], x[1], x[3]) for x in results] == [("dns_lookup", "error", "bad_arguments")]
    assert json.loads(reqs[3]["results"][0][1])["error"] == "bad_arguments", reqs[3]
    check_quoted(segs[1], provider, reqs[3])
    d = done_lines(out)
    assert [x["stream"] for x in d] == ["0", "0"] and [x["tool_calls"] for x in d] == \
        ["2", "1"], d
    assert [x["turn"] for x in d] == ["1", "2"], d


@pytest.mark.parametrize("provider", PROVIDERS)
def test_tools_off(kernel, fake, provider):  # noqa: F811
    text = "no tools today"
    r = boot(kernel=kernel, timeout=600, on_line=Script([prompt(text)]),
             cmdline=cmdline(fake, provider, "tools-clock", "tools=0"))
    out = r.output
    assert r.status == "ok", out
    reqs = fake.chats()
    assert len(reqs) == 1 and reqs[0]["status"] == 200, reqs
    assert reqs[0]["tools"] == [] and reqs[0]["results"] == [], reqs
    assert reqs[0]["turns"] == [("user", text)], reqs
    assert answer_line(S.answer_for(text)) in out, out
    assert not re.search(r"^llm: tool ", out, re.M), out
    d = done_lines(out)
    assert len(d) == 1 and d[0]["tool_calls"] == "0" and d[0]["turn"] == "1", out


def test_https_get_tool(kernel, fake):  # noqa: F811
    url = "https://10.0.2.2:%d/" % fake.port
    text = "fetch %s now" % url
    runs = []
    for extra, declared in (("", TOOLS), ("tools=https_get,clock tool_hosts=10.0.2.2",
                                          ["clock", "https_get"])):
        n = len(fake.chats())
        r = boot(kernel=kernel, timeout=600, on_line=Script([prompt(text)]),
                 cmdline=cmdline(fake, "openai", "tools-https", extra))
        assert r.status == "ok", r.output
        reqs = fake.chats()[n:]
        assert len(reqs) == 2 and all(e["status"] == 200 for e in reqs), reqs
        # tools=NAME,...: only those are declared
        assert all(sorted(e["tools"]) == sorted(declared) for e in reqs), reqs
        segs = segments(r.output)
        assert len(segs) == 1, r.output
        calls, results = tool_lines(segs[0])
        assert calls == [("https_get", json.dumps({"url": url}, separators=(",", ":")))], \
            r.output
        check_quoted(segs[0], "openai", reqs[1])
        d = done_lines(r.output)
        assert len(d) == 1 and d[0]["tool_calls"] == "1", r.output
        runs.append((results, json.loads(reqs[1]["results"][0][1])))
    # without tool_hosts: 10.0.2.2 is private, refused before connecting
    (res, got), (res2, got2) = runs
    assert [(x[0], x[1], x[3]) for x in res] == [("https_get", "error", "address_refused")]
    assert got == {"error": "address_refused", "detail": "10.0.2.2 scope=private"}, got
    # with it: the page (GET / of the fake) reaches the model
    assert [x[:2] for x in res2] == [("https_get", "ok")], res2
    assert got2["status"] == 200 and got2["text"] == "demo-llm server\n", got2
    assert got2["content_type"] == "text/plain" and got2["truncated"] is False, got2
    assert got2["url"] == url and got2["bytes"] == len("demo-llm server\n"), got2
    gets = [e for e in fake.entries() if e["method"] == "GET" and e["path"] == "/"]
    assert len(gets) == 1 and gets[0]["status"] == 200, fake.entries()


def test_tools_key_errors(kernel, fake):  # noqa: F811
    # a tool name the kernel does not have, and tool_rounds out of 1..32:
    # errors before any request
    for extra, err in (("tools=clock,nope", "key=tools detail=bad_word"),
                       ("tool_rounds=0", "key=tool_rounds detail=out_of_range"),
                       ("tool_rounds=33", "key=tool_rounds detail=out_of_range")):
        r = boot(kernel=kernel, timeout=120, cmdline=cmdline(fake, "openai", "tools-clock", extra))
        assert r.status == "fail", r.output
        assert re.search(r"^cmdline: error %s( |$)" % err, r.output, re.M), r.output
    assert fake.entries() == []
