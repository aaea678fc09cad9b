"""The LLM chat against every provider's fake (scripts/llm_server.py), typed
on the serial console, checked against the console contract (docs/llm.md)
and against what the fake server received (its log: the turns each request
carried, statuses and arrival times).

Per provider (openai, responses, anthropic, gemini, ollama over https://,
and ollama over plain http:// without a key) two boots:
- test_conversation: /models, /system, a three-turn conversation whose
  every request carries the whole history (the answers depend on it), the
  done lines' provider/usage/turn fields against the fake's numbers,
  /usage, Ctrl-C during a long slow answer (the partial answer stays in the
  history of the next request), then long turns with llm_history=1024 until
  `llm: history trimmed turns=N` and the oldest exchanges are gone from the
  requests;
- test_retries_and_errors: 429 with Retry-After: 1, retry-after-ms and an
  HTTP-date Retry-After, each waited for and retried once (the server saw
  the gap); Anthropic's 529 overloaded; a 503 on every attempt ending in the
  error line after retries=3 attempts; an error event mid-stream; and the
  failed exchanges missing from the next request's history.
test_key_over_plain_http: a key with an http:// URL is refused before any
request. test_one_shot_wire (prompt=, works before the chat too): each
provider's parser against the fake's stream with several quirks at once
(CRLF, "data:" without a space, comments, named/unnamed events, pings,
pauses) and against its whole answer, chunked; test_one_shot_error_mid_stream:
each provider's error event after three pieces ends in the error line with
the server's message, never a done line. Run alone with
    OS_TEST_BUILD=build /usr/bin/python3 -m pytest -q tests/integration/test_llm_providers_qemu.py
(or `-m llm_providers`). Gemini's model is in its URL path: `/model NAME`
has to change that path for the long-slow and retry-* models to apply."""
import re

import pytest
from llm_fixtures import FakeLlm, llm_server
from qemu import boot
from test_https import kernel, pki  # noqa: F401  (fixtures)

pytestmark = pytest.mark.llm_providers

S = llm_server
KEY = "sk-providers-7f3a"
VARIANTS = [("openai", False), ("responses", False), ("anthropic", False), ("gemini", False),
            ("ollama", False), ("ollama", True)]
IDS = ["openai", "responses", "anthropic", "gemini", "ollama-https", "ollama-http"]
SYSTEM = "Be brief."
SLOW = "tell me a long story"
# long turns: about 500 bytes an exchange, so that 1024 bytes of history
# keep one exchange and drop the older ones
LONG = ["long turn %d:%s" % (i, (" lorem ipsum %d" % i) * 10) for i in (1, 2, 3)]
PROMPTS = ["first question", "second question", "third question", SLOW,
           "after the interruption"] + LONG
ANY_ERROR = r"^llm: error"


@pytest.fixture
def fake(pki, tmp_path):  # noqa: F811
    s = FakeLlm(pki, tmp_path, api_key=KEY)
    yield s
    s.stop()


class Script:
    """Types steps on the serial console as lines arrive (boot's on_line).
    A step is (text, until, on): text is typed (with CR) once the previous
    step is over, the step is over at the first line matching until (or
    ANY_ERROR), and on is an optional (regex, bytes) sent once when a line
    matches it during the step. "quit" follows the last step."""

    def __init__(self, steps, start=r"^llm: interactive: "):
        self.steps = list(steps) + [("quit", r"^kernel: done", None)]
        self.until = re.compile(start)
        self.on = None
        self.i = -1

    def __call__(self, line, proc):
        if self.on and re.search(self.on[0], line):
            proc.stdin.write(self.on[1])
            proc.stdin.flush()
            self.on = None
        if self.until is None or not (self.until.search(line) or re.search(ANY_ERROR, line)):
            return
        self.i += 1
        if self.i >= len(self.steps):
            self.until = None
            return
        text, until, on = self.steps[self.i]
        self.until, self.on = re.compile(until), on
        proc.stdin.write(text.encode() + b"\r")
        proc.stdin.flush()


def prompt(text, until=r"^llm: (done|error)"):
    return (text, until, None)


def command(text, until):
    return (text, until, None)


def done_lines(out):
    """The fields of every `llm: done` line, in order."""
    return [dict(kv.split("=", 1) for kv in m.group(1).split(" "))
            for m in re.finditer(r"^llm: done (.*)$", out, re.M)]


def cmdline(fake, provider, plain, model="demo", extra=""):
    key = "" if plain else " key=%s" % KEY
    return "llm=%s model=%s%s %s exit=1" % (fake.url(provider, model, plain=plain), model, key,
                                             extra)


def list_ids(provider):
    return S.MODELS["openai" if provider in ("openai", "responses") else provider]


def check_key_hygiene(out, plain):
    # the key is never printed (the boot line echoes the command line)
    assert not [l for l in out.splitlines() if KEY in l and not l.startswith("boot: ")], out
    assert len(re.findall(r"^llm: warning key_on_command_line$", out, re.M)) == \
        (0 if plain else 1), out


def check_done(d, provider, req, answer, stream="1"):
    """A done line against the request the server answered and its answer."""
    assert d["status"] == "200" and d["provider"] == provider and d["model"] == req["model"], d
    assert d["finish"] == S.FINISH[provider] and d["stream"] == stream, d
    npieces = len(S.pieces_of(answer))
    assert int(d["bytes"]) == len(answer.encode()), d
    assert int(d["pieces"]) == (npieces if stream == "1" else 1), d
    want_in, want_out = S.usage_for(req["turns"], npieces)
    assert (int(d["in_tokens"]), int(d["out_tokens"])) == (want_in, want_out), (d, req)
    assert int(d["ttft_ms"]) <= int(d["ms"]), d


@pytest.mark.parametrize("provider,plain", VARIANTS, ids=IDS)
def test_conversation(kernel, fake, provider, plain):  # noqa: F811
    steps = [command("/models", r"^llm: models count=\d+$"),
             command("/system " + SYSTEM, r"^llm: system bytes=")]
    steps += [prompt(p) for p in PROMPTS[:3]]
    steps += [command("/usage", r"^llm: usage "),
              command("/model long-slow", r"^llm: model=long-slow$"),
              (SLOW, r"^llm: (interrupted|done)", (r"^\| line 004$", b"\x03")),
              command("/model demo", r"^llm: model=demo$")]
    steps += [prompt(p) for p in PROMPTS[4:]]
    steps += [command("/usage", r"^llm: usage ")]
    r = boot(kernel=kernel, cmdline=cmdline(fake, provider, plain, extra="llm_history=1024"),
             timeout=900, on_line=Script(steps))
    out = r.output
    assert r.status == "ok", out
    assert re.search(r"^llm: interactive: provider=%s model=demo history_max=1024 "
                     r"\(/help for commands\)$" % provider, out, re.M), out
    check_key_hygiene(out, plain)

    # /models: the fake's list, one line per model, then the count
    ids = re.findall(r"^llm: model id=(\S+)$", out, re.M)
    want = list_ids(provider)
    assert [i if i.startswith("models/") or provider != "gemini" else "models/" + i
            for i in ids] == want, out
    assert re.search(r"^llm: models count=%d$" % len(want), out, re.M), out
    assert re.search(r"^llm: system bytes=%d$" % len(SYSTEM), out, re.M), out

    # what the server received: one request per prompt, each carrying the
    # system prompt, the history so far (after trimming: the newest whole
    # exchanges, never an older one again) and the prompt
    reqs = fake.chats()
    assert [e["status"] for e in reqs] == [200] * len(PROMPTS), reqs
    assert all(e["provider"] == provider and e["scheme"] == ("http" if plain else "https")
               for e in reqs), reqs
    m = re.search(r"^llm: interrupted bytes=(\d+)$", out, re.M)
    assert m, out
    partial = "".join(S.long_slow_pieces()).encode()[:int(m.group(1))].decode()
    assert 0 < len(partial) < len("".join(S.long_slow_pieces())), out
    hist, dropped, answers = [], 0, []
    for p, e in zip(PROMPTS, reqs):
        turns = e["turns"]
        assert turns[0] == ("system", SYSTEM) and turns[-1] == ("user", p), e
        kept = turns[1:-1]
        drop = len(hist) - len(kept)
        assert drop >= dropped and drop % 2 == 0 and kept == hist[drop:], (e, hist)
        dropped = drop
        if p == SLOW:
            assert e["model"] == "long-slow", e
            answer = partial
        else:
            assert e["model"] == "demo", e
            answer = S.answer_for(p, turns[:-1])
            answers.append((e, answer))
        hist += [("user", p), ("assistant", answer)]
    # the three-turn conversation went whole, and each answer shows it
    assert [len(e["turns"]) for e in reqs[:3]] == [2, 4, 6], reqs
    assert answers[1][1].endswith("(you said before: first question)")
    assert answers[2][1].endswith("(you said before: second question)")
    for e, a in answers[:3]:
        assert ("llm: answer: " + a.replace("\n", "\n| ")) in out, out
    # after Ctrl-C: the partial answer is in the next request's history
    after = reqs[PROMPTS.index("after the interruption")]["turns"]
    assert after[-3:] == [("user", SLOW), ("assistant", partial),
                          ("user", "after the interruption")], after
    # /usage after the first three turns and at the end
    usage = [tuple(int(x) for x in m) for m in re.findall(
        r"^llm: usage turns=(\d+) in_tokens=(\d+) out_tokens=(\d+) "
        r"history_bytes=(\d+) history_turns=(\d+)$", out, re.M)]
    assert len(usage) == 2, out
    assert all(0 < u[3] <= 1024 for u in usage), usage
    system_turns = usage[0][4] - 6          # whether history_turns counts the system prompt
    assert system_turns in (0, 1), usage
    held = usage[1][4] - system_turns       # user/assistant turns held at the end
    # trimming: said on the console (whole exchanges), the oldest turns gone
    # from the requests, and every turn not held any more was reported
    trims = [int(n) for n in re.findall(r"^llm: history trimmed turns=(\d+)$", out, re.M)]
    assert trims and all(n > 0 and n % 2 == 0 for n in trims), out
    assert sum(trims) >= dropped and sum(trims) == 2 * len(PROMPTS) - held, (trims, usage)
    last = reqs[-1]["turns"]
    assert ("user", PROMPTS[0]) not in last and ("user", LONG[0]) not in last, last
    assert last[-3:-1] == [("user", LONG[1]), hist[-3]], last

    # the done lines: one per answered request, usage as the fake counted it
    dones = done_lines(out)
    assert len(dones) == len(answers), out
    for d, (e, a) in zip(dones, answers):
        check_done(d, provider, e, a)
    assert [d["turn"] for d in dones[:3]] == ["1", "2", "3"], dones
    assert [int(d["turn"]) for d in dones[3:]] == list(range(5, len(PROMPTS) + 1)), dones
    assert usage[0][:3] == (3, sum(int(d["in_tokens"]) for d in dones[:3]),
                            sum(int(d["out_tokens"]) for d in dones[:3])), usage
    # at the end: every user turn; the usage of every answered one, plus
    # what the interrupted stream reported before Ctrl-C (Anthropic and
    # Gemini report the input early, OpenAI only at the end)
    slow_in = S.usage_for(reqs[PROMPTS.index(SLOW)]["turns"], 0)[0]
    sum_in = sum(int(d["in_tokens"]) for d in dones)
    sum_out = sum(int(d["out_tokens"]) for d in dones)
    assert usage[1][0] == len(PROMPTS), usage
    assert sum_in <= usage[1][1] <= sum_in + slow_in, (usage, sum_in, slow_in)
    assert sum_out <= usage[1][2] <= sum_out + S.LONG_SLOW_PIECES, (usage, sum_out)


@pytest.mark.parametrize("provider,plain", VARIANTS, ids=IDS)
def test_retries_and_errors(kernel, fake, provider, plain):  # noqa: F811
    ok = ["hello", "again", "dated"]
    steps = [prompt("hello"),
             command("/model retry-after-ms", r"^llm: model="), prompt("again"),
             command("/model retry-date", r"^llm: model="), prompt("dated")]
    if provider == "anthropic":
        ok.append("overloaded")
        steps += [command("/model retry-529", r"^llm: model="), prompt("overloaded")]
    steps += [command("/model retry-503-9", r"^llm: model="), prompt("never"),
              command("/model error-mid", r"^llm: model="), prompt("break"),
              command("/model demo", r"^llm: model="), prompt("after errors")]
    r = boot(kernel=kernel, cmdline=cmdline(fake, provider, plain, model="retry-429"),
             timeout=900, on_line=Script(steps))
    out = r.output
    check_key_hygiene(out, plain)
    assert r.status in ("ok", "fail"), out        # failed exchanges may fail the job
    assert re.search(r"^kernel: done", out, re.M), out

    # the retry lines: the server's wait wins, the backoff is jittered below its cap
    retries = [(int(a), int(w), why) for a, w, why in re.findall(
        r"^llm: retry attempt=(\d+) wait_ms=(\d+) reason=(\S+)$", out, re.M)]
    want = [(2, 1000, "status_429"), (2, 1200, "status_429"), (2, 2000, "status_429")]
    assert retries[:3] == want, out
    rest = retries[3:]
    if provider == "anthropic":
        assert rest[0][0] == 2 and rest[0][1] <= 500 and rest[0][2] == "status_529", out
        rest = rest[1:]
    assert [(a, why) for a, _, why in rest] == [(2, "status_503"), (3, "status_503")], out
    assert rest[0][1] <= 500 and rest[1][1] <= 1000, out

    # the server: each retried request again, after at least the wait
    reqs = fake.chats()
    by_prompt = {}
    for e in reqs:
        by_prompt.setdefault(e["turns"][-1][1], []).append(e)
    waits = {"hello": 1.0, "again": 1.2, "dated": 2.0, "overloaded": 0.0}
    first = {"hello": 429, "again": 429, "dated": 429, "overloaded": 529}
    for p in ok:
        a, b = by_prompt[p]
        assert (a["status"], b["status"]) == (first[p], 200), (a, b)
        assert a["turns"] == b["turns"], (a, b)
        assert b["t"] - a["t"] >= waits[p], (a, b)
    assert [e["status"] for e in by_prompt["never"]] == [503, 503, 503], reqs
    assert re.search(r"^llm: error status=503 message=%s$" % re.escape(S._STATUS_MSG[503]),
                     out, re.M), out
    # an error event mid-stream ends the answer in the error line, not done
    assert [e["status"] for e in by_prompt["break"]] == [200], reqs
    assert re.search(r"^llm: error status=200 message=%s$" % re.escape(S.ERROR_MID[provider]),
                     out, re.M), out

    # the failed exchanges are not in the history of the next request
    hist = []
    for p in ok:
        turns = by_prompt[p][-1]["turns"]
        assert turns == hist + [("user", p)], (turns, hist)
        hist += [("user", p), ("assistant", S.answer_for(p, hist))]
    last = by_prompt["after errors"]
    assert len(last) == 1 and last[0]["turns"] == hist + [("user", "after errors")], last
    assert [e["turns"] for e in by_prompt["never"] + by_prompt["break"]] == \
        [hist + [("user", "never")]] * 3 + [hist + [("user", "break")]], reqs

    # one done line per answered prompt, none for the failed ones
    dones = done_lines(out)
    answered = [by_prompt[p][-1] for p in ok] + last
    assert len(dones) == len(answered), out
    for d, e in zip(dones, answered):
        check_done(d, provider, e, S.answer_for(e["turns"][-1][1], e["turns"][:-1]))
    assert dones[0]["turn"] == "1", dones


def test_key_over_plain_http(kernel, fake):  # noqa: F811
    # a key would cross the network in the clear: refused before connecting
    r = boot(kernel=kernel, cmdline="llm=%s model=demo key=%s prompt=hi exit=1"
             % (fake.url("ollama", plain=True), KEY), timeout=300)
    assert r.status == "fail", r.output
    assert re.search(r"^llm: error=key_over_plain_http$", r.output, re.M), r.output
    assert not re.search(r"^llm: (done|answer)", r.output, re.M), r.output
    assert fake.entries() == [] and fake.lines() == [], fake.lines()


# the quirks real servers show, several at once, streamed; and each
# provider's whole (non-streamed) answer, chunked
QUIRKS = {
    "openai": "demo-crlf-nospace-comments-named",
    "responses": "demo-unnamed-crlf-comments",
    "anthropic": "demo-ping-nospace-unnamed",
    "gemini": "demo-crlf-named-pause",
    "ollama": "demo-crlf-slow",
}


@pytest.mark.parametrize("stream", [1, 0], ids=["quirks", "whole"])
@pytest.mark.parametrize("provider", S.PROVIDERS)
def test_one_shot_wire(kernel, fake, provider, stream):  # noqa: F811
    # one prompt= request per boot: the provider's parser reads the fake's
    # wire format, quirks included, to the same answer
    model = QUIRKS[provider] if stream else "demo-chunked"
    p = "wire check"
    r = boot(kernel=kernel, cmdline="llm=%s model=%s key=%s prompt=%s stream=%d exit=1" % (
        fake.url(provider, model, stream=bool(stream)), model, KEY, p.replace(" ", "%20"),
        stream), timeout=300)
    assert r.status == "ok", r.output
    answer = S.answer_for(p)
    assert ("llm: answer: " + answer.replace("\n", "\n| ")) in r.output, r.output
    m = re.search(r"^llm: done status=200 (?:.* )?bytes=(\d+) pieces=(\d+) finish=(\S+) "
                  r"stream=(\d)", r.output, re.M)
    assert m, r.output
    assert int(m.group(1)) == len(answer.encode()), r.output
    assert int(m.group(2)) == (len(S.pieces_of(answer)) if stream else 1), r.output
    assert m.group(3) == S.FINISH[provider] and m.group(4) == str(stream), r.output
    reqs = fake.chats()
    assert len(reqs) == 1 and reqs[0]["turns"] == [("user", p)], reqs
    assert reqs[0]["model"] == model and reqs[0]["status"] == 200, reqs


@pytest.mark.parametrize("provider", S.PROVIDERS)
def test_one_shot_error_mid_stream(kernel, fake, provider):  # noqa: F811
    # three pieces, then the provider's error event: the error line with
    # the server's message, never a done line
    r = boot(kernel=kernel, cmdline="llm=%s model=error-mid key=%s prompt=hi exit=1" % (
        fake.url(provider, "error-mid"), KEY), timeout=300)
    assert r.status == "fail", r.output
    partial = "".join(S.pieces_of(S.answer_for("hi"))[:S.ERROR_MID_AFTER])
    assert partial.endswith("\n")      # no continuation line follows it
    want = "llm: answer: %s\nllm: error status=200 message=%s\n" % (
        partial[:-1].replace("\n", "\n| "), S.ERROR_MID[provider])
    assert want in r.output, r.output
    assert not re.search(r"^llm: done", r.output, re.M), r.output
    assert [e["status"] for e in fake.chats()] == [200], fake.chats()
