"""The fake LLM APIs of scripts/llm_server.py, from the host (no QEMU): each
provider's wire format (streamed and whole), usage, auth failures in the
provider's own shape, the model lists, the plain-HTTP listener, the request
log (the turns each request carried), history-aware answers, and every
quirk the model name switches on (retry statuses and their Retry-After
forms, an error mid-stream, CRLF, "data:" without a space, comments, named
and unnamed events, pings, pauses, the long slow answer), and the tools-
models of tool calling: each scenario's calls per provider, streamed and
whole, the follow-up with results answered by text quoting them, a
follow-up without its results refused with a 400 in the API's shape. The
QEMU tests (test_llm.py, test_llm_providers_qemu.py,
test_llm_tools_qemu.py) rely on these fakes being right."""
import email.utils
import http.client
import json
import os
import re
import socket
import ssl
import time

import pytest
from llm_fixtures import FakeLlm, chat_path, llm_server
from test_https import pki  # noqa: F401  (fixture)

KEY = "sk-fake-1"
PROVIDERS = llm_server.PROVIDERS
S = llm_server


@pytest.fixture
def srv(pki, tmp_path):  # noqa: F811
    s = FakeLlm(pki, tmp_path, api_key=KEY)
    yield s
    s.stop()


@pytest.fixture
def ctx(pki):  # noqa: F811
    c = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
    c.check_hostname = False
    return c


def auth(provider, key=KEY):
    if provider == "anthropic":
        h = {"anthropic-version": "2023-06-01"}
        if key:
            h["x-api-key"] = key
        return h
    if provider == "gemini":
        return {"x-goog-api-key": key} if key else {}
    return {"Authorization": "Bearer " + key} if key else {}


def body(provider, turns, model="demo", stream=True, include_usage=False):
    """The request body provider's API takes for turns ((role, text) pairs)."""
    system = [t for r, t in turns if r == "system"]
    rest = [(r, t) for r, t in turns if r != "system"]
    if provider == "gemini":
        b = {"contents": [{"role": "model" if r == "assistant" else "user",
                           "parts": [{"text": t}]} for r, t in rest]}
        if system:
            b["systemInstruction"] = {"parts": [{"text": system[0]}]}
        return b
    msgs = [{"role": r, "content": t} for r, t in (turns if provider in ("openai", "ollama")
                                                     else rest)]
    b = {"model": model, "stream": stream}
    if provider == "responses":
        b["input"] = msgs
        if system:
            b["instructions"] = system[0]
    else:
        b["messages"] = msgs
    if provider == "anthropic":
        b["max_tokens"] = 100
        if system:
            b["system"] = system[0]
    if include_usage:
        b["stream_options"] = {"include_usage": True}
    return b


def post(srv, ctx, path, obj, headers, plain=False, raw=None):
    if plain:
        c = http.client.HTTPConnection("127.0.0.1", srv.http_port, timeout=30)
    else:
        c = http.client.HTTPSConnection("127.0.0.1", srv.port, context=ctx, timeout=30)
    data = raw if raw is not None else (json.dumps(obj).encode() if obj is not None else None)
    c.request("POST" if data is not None else "GET", path, body=data, headers=headers)
    r = c.getresponse()
    out = r.read()
    c.close()
    return r, out


def chat(srv, ctx, provider, turns, model="demo", stream=True, key=KEY, plain=False, **kw):
    return post(srv, ctx, chat_path(provider, model, stream),
                body(provider, turns, model, stream, **kw), auth(provider, key), plain)


def sse_events(raw):
    """(name, data) of each event of an SSE body (any line ending, comments
    skipped, one optional space after the colon)."""
    out, name, data = [], None, []
    for line in re.split(r"\r\n|\r|\n", raw.decode("utf-8")):
        if line == "":
            if data:
                out.append((name or "message", "\n".join(data)))
            name, data = None, []
        elif not line.startswith(":"):
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
    return out


def decode(provider, raw, stream=True):
    """What a client reads from an answer: text, pieces, finish, in/out
    tokens, error message, end marker."""
    d = {"text": "", "pieces": 0, "finish": None, "in": None, "out": None, "error": None,
         "done": False, "names": []}

    def text(t):
        if t:
            d["text"] += t
            d["pieces"] += 1
    if not stream:
        objs = [json.loads(raw)]
    elif provider == "ollama":
        objs = [json.loads(l) for l in raw.decode().split("\n") if l.strip()]
    else:
        objs = []
        for name, data in sse_events(raw):
            d["names"].append(name)
            if data == "[DONE]":
                d["done"] = True
                continue
            objs.append(json.loads(data))
    for o in objs:
        if provider == "openai":
            if "error" in o:
                d["error"] = o["error"]["message"]
            for c in o.get("choices", []):
                text((c.get("delta") or c.get("message") or {}).get("content"))
                d["finish"] = c.get("finish_reason") or d["finish"]
            if o.get("usage"):
                d["in"], d["out"] = o["usage"]["prompt_tokens"], o["usage"]["completion_tokens"]
        elif provider == "responses":
            t = o.get("type")
            if t == "response.output_text.delta":
                text(o["delta"])
            elif t == "error":
                d["error"] = o["message"]
            elif t in ("response.completed", None):
                r = o.get("response", o)
                d["finish"], d["done"] = r["status"], True
                d["in"], d["out"] = r["usage"]["input_tokens"], r["usage"]["output_tokens"]
                if t is None:
                    for it in r["output"]:
                        for p in it["content"]:
                            text(p["text"])
        elif provider == "anthropic":
            t = o["type"]
            if t == "message_start":
                d["in"] = o["message"]["usage"]["input_tokens"]
            elif t == "content_block_delta":
                text(o["delta"]["text"])
            elif t == "message_delta":
                d["finish"], d["out"] = o["delta"]["stop_reason"], o["usage"]["output_tokens"]
            elif t == "message_stop":
                d["done"] = True
            elif t == "error":
                d["error"] = o["error"]["message"]
            elif t == "message":
                for p in o["content"]:
                    text(p["text"])
                d["finish"] = o["stop_reason"]
                d["in"], d["out"] = o["usage"]["input_tokens"], o["usage"]["output_tokens"]
        elif provider == "gemini":
            if "error" in o:
                d["error"] = o["error"]["message"]
                continue
            c = o["candidates"][0]
            for p in c["content"]["parts"]:
                text(p["text"])
            d["finish"] = c.get("finishReason", d["finish"])
            u = o["usageMetadata"]
            d["in"], d["out"] = u["promptTokenCount"], u["candidatesTokenCount"]
        else:
            if "error" in o:
                d["error"] = o["error"]
                continue
            text(o["message"]["content"])
            if o["done"]:
                d["done"], d["finish"] = True, o["done_reason"]
                d["in"], d["out"] = o["prompt_eval_count"], o["eval_count"]
    return d


CONV = [("system", "Be brief."), ("user", "first question"),
        ("assistant", "an answer"), ("user", "second question")]


def test_answer_for_keeps_its_old_form():
    # test_llm.py calls answer_for(prompt): no history, no suffix
    a = S.answer_for("hi")
    assert a == S.answer_for("hi", []) and "you said before" not in a
    assert a.startswith('Demo answer to "hi":\n') and "\U0001F600" in a
    h = [("system", "s"), ("user", "one"), ("assistant", "x"), ("user", "two"),
         ("assistant", "y")]
    assert S.answer_for("three", h).endswith(" (you said before: two)")


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
def test_answer_wire_format(srv, ctx, provider, stream):
    r, raw = chat(srv, ctx, provider, CONV, stream=stream, include_usage=provider == "openai")
    assert r.status == 200, raw
    ctype = r.getheader("Content-Type")
    if not stream:
        assert ctype.startswith("application/json")
    elif provider == "ollama":
        assert ctype == "application/x-ndjson"
    else:
        assert ctype.startswith("text/event-stream")
    d = decode(provider, raw, stream)
    want = S.answer_for("second question", CONV[:3])
    assert want.endswith("(you said before: first question)")
    assert d["text"] == want and d["error"] is None
    assert d["pieces"] == (len(S.pieces_of(want)) if stream else 1)
    assert d["finish"] == S.FINISH[provider]
    # usage: 10 per turn (system included) + the last prompt's bytes; pieces
    assert (d["in"], d["out"]) == (4 * 10 + len("second question"), len(S.pieces_of(want)))
    assert (d["in"], d["out"]) == S.usage_for(CONV, len(S.pieces_of(want)))
    if stream and provider in ("openai", "responses", "anthropic"):
        assert d["done"]
    # the log line carries the turns, roles normalised, system first
    e = srv.chats()[-1]
    assert e["provider"] == provider and e["model"] == "demo" and e["status"] == 200
    assert e["turns"] == CONV and e["scheme"] == "https"


def test_openai_usage_chunk_only_when_asked(srv, ctx):
    _, raw = chat(srv, ctx, "openai", CONV[1:2])
    objs = [json.loads(d) for _, d in sse_events(raw) if d != "[DONE]"]
    assert all("usage" not in o for o in objs) and all(o["choices"] for o in objs)
    _, raw = chat(srv, ctx, "openai", CONV[1:2], include_usage=True)
    ev = sse_events(raw)
    assert ev[-1] == ("message", "[DONE]")
    last = json.loads(ev[-2][1])
    assert last["choices"] == [] and last["usage"]["completion_tokens"] > 0
    assert all(json.loads(d)["usage"] is None for _, d in ev[:-2])


def test_event_sequences(srv, ctx):
    _, raw = chat(srv, ctx, "anthropic", CONV[1:2])
    names = [n for n, _ in sse_events(raw)]
    k = len(S.pieces_of(S.answer_for("first question")))
    assert names == ["message_start", "content_block_start", "ping"] + \
        ["content_block_delta"] * k + ["content_block_stop", "message_delta", "message_stop"]
    for n, dt in sse_events(raw):
        assert json.loads(dt)["type"] == n
    _, raw = chat(srv, ctx, "responses", CONV[1:2])
    ev = sse_events(raw)
    names = [n for n, _ in ev]
    assert names[:4] == ["response.created", "response.in_progress",
                         "response.output_item.added", "response.content_part.added"]
    assert names[-4:] == ["response.output_text.done", "response.content_part.done",
                          "response.output_item.done", "response.completed"]
    seq = [json.loads(d)["sequence_number"] for _, d in ev]
    assert seq == list(range(len(ev)))
    # every SSE stream carries a comment line (CRLF-ended) before its second event
    for p in ("openai", "responses", "anthropic", "gemini"):
        _, raw = chat(srv, ctx, p, CONV[1:2])
        assert b"\n: keep-alive comment\r\n" in raw, p


def test_gemini_json_array_stream(srv, ctx):
    path = "/v1beta/models/demo:streamGenerateContent"
    r, raw = post(srv, ctx, path, body("gemini", CONV), auth("gemini"))
    assert r.status == 200 and r.getheader("Transfer-Encoding") == "chunked"
    arr = json.loads(raw)
    text = "".join(o["candidates"][0]["content"]["parts"][0]["text"] for o in arr)
    assert text == S.answer_for("second question", CONV[:3])
    assert arr[-1]["candidates"][0]["finishReason"] == "STOP"


def test_gemini_model_from_path(srv, ctx):
    r, raw = chat(srv, ctx, "gemini", CONV[1:2], model="long-slow", stream=False)
    assert r.status == 200
    assert decode("gemini", raw, False)["text"] == "".join(S.long_slow_pieces())
    assert srv.chats()[-1]["model"] == "long-slow"


AUTH_FAIL = {
    # provider: (status without a key, status with a wrong one, message)
    "openai": (401, 401, "Incorrect API key provided."),
    "responses": (401, 401, "Incorrect API key provided."),
    "anthropic": (401, 401, "invalid x-api-key"),
    "gemini": (403, 400, "API key not valid. Please pass a valid API key."),
    "ollama": (200, 401, "unauthorized"),
}


def error_message(provider, raw):
    o = json.loads(raw)
    if provider == "anthropic":
        assert o["type"] == "error"
        return o["error"]["message"]
    if provider == "ollama":
        return o["error"]
    if provider == "gemini":
        assert isinstance(o["error"]["code"], int) and o["error"]["status"]
    return o["error"]["message"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_auth_in_provider_shape(srv, ctx, provider):
    none, wrong, msg = AUTH_FAIL[provider]
    r, raw = chat(srv, ctx, provider, CONV[1:2], key=None)
    assert r.status == none, raw
    r, raw = chat(srv, ctx, provider, CONV[1:2], key="wrong")
    assert r.status == wrong and error_message(provider, raw) == msg
    if provider == "gemini":
        assert json.loads(raw)["error"]["status"] == "INVALID_ARGUMENT"
    r, _ = chat(srv, ctx, provider, CONV[1:2])
    assert r.status == 200
    # the auth failures are logged with their status
    assert [e["status"] for e in srv.chats()] == [none, wrong, 200]


def test_anthropic_needs_version_and_max_tokens(srv, ctx):
    r, raw = post(srv, ctx, "/v1/messages", body("anthropic", CONV[1:2]), {"x-api-key": KEY})
    assert r.status == 400 and "anthropic-version" in error_message("anthropic", raw)
    b = body("anthropic", CONV[1:2])
    del b["max_tokens"]
    r, raw = post(srv, ctx, "/v1/messages", b, auth("anthropic"))
    assert r.status == 400 and json.loads(raw)["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize("provider,turns,want", [
    # a system turn inside Anthropic's messages, or an "assistant" role in
    # Gemini's contents, is an API error: a client that encodes a
    # conversation wrongly fails loudly
    ("anthropic", [{"role": "system", "content": "x"}, {"role": "user", "content": "y"}],
     "Invalid role"),
    ("gemini", [{"role": "assistant", "parts": [{"text": "x"}]},
                {"role": "user", "parts": [{"text": "y"}]}], "valid role"),
    ("openai", [{"role": "robot", "content": "x"}], "Invalid role"),
])
def test_wrong_roles_rejected(srv, ctx, provider, turns, want):
    b = body(provider, CONV[1:2])
    b["contents" if provider == "gemini" else "messages"] = turns
    r, raw = post(srv, ctx, chat_path(provider), b, auth(provider))
    assert r.status == 400 and want in error_message(provider, raw)


def test_ollama_plain_http_without_key(srv, ctx):
    r, raw = chat(srv, ctx, "ollama", CONV[1:2], key=None, plain=True)
    assert r.status == 200
    assert decode("ollama", raw)["text"] == S.answer_for("first question")
    assert srv.chats()[-1]["scheme"] == "http"
    # a wrong key is refused over plain HTTP as well
    r, _ = chat(srv, ctx, "ollama", CONV[1:2], key="wrong", plain=True)
    assert r.status == 401


@pytest.mark.parametrize("path,headers,ids", [
    ("/v1/models", {"Authorization": "Bearer " + KEY}, S.MODELS["openai"]),
    ("/v1/models", auth("anthropic"), S.MODELS["anthropic"]),
    ("/v1beta/models", auth("gemini"), S.MODELS["gemini"]),
    ("/api/tags", {}, S.MODELS["ollama"]),
    ("/some/prefix/v1/models", {"Authorization": "Bearer " + KEY}, S.MODELS["openai"]),
])
def test_model_lists(srv, ctx, path, headers, ids):
    r, raw = post(srv, ctx, path, None, headers)
    assert r.status == 200, raw
    o = json.loads(raw)
    if "anthropic-version" in headers:
        assert [m["id"] for m in o["data"]] == ids and o["has_more"] is False
        assert all(m["type"] == "model" for m in o["data"])
    elif path.endswith("/v1/models"):
        assert o["object"] == "list" and [m["id"] for m in o["data"]] == ids
    elif path == "/v1beta/models":
        assert [m["name"] for m in o["models"]] == ids
    else:
        assert [m["name"] for m in o["models"]] == ids


@pytest.mark.parametrize("path,headers,status", [
    ("/v1/models", {}, 401),
    ("/v1/models", {"x-api-key": "wrong", "anthropic-version": "2023-06-01"}, 401),
    ("/v1beta/models", {"x-goog-api-key": "wrong"}, 400),
    ("/api/tags", {"Authorization": "Bearer wrong"}, 401),
])
def test_model_lists_auth(srv, ctx, path, headers, status):
    r, raw = post(srv, ctx, path, None, headers)
    assert r.status == status and "error" in json.loads(raw)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_retry_429_then_200(srv, ctx, provider):
    turns = [("user", "retry me")]
    r, raw = chat(srv, ctx, provider, turns, model="retry-429")
    assert r.status == 429 and r.getheader("Retry-After") == "1"
    assert error_message(provider, raw)
    r, raw = chat(srv, ctx, provider, turns, model="retry-429")
    assert r.status == 200
    assert decode(provider, raw)["text"] == S.answer_for("retry me")
    # another conversation starts its own count
    r, _ = chat(srv, ctx, provider, [("user", "other")], model="retry-429")
    assert r.status == 429
    ts = [e["t"] for e in srv.chats()]
    assert [e["status"] for e in srv.chats()] == [429, 200, 429] and ts == sorted(ts)


def test_retry_529_anthropic_overloaded(srv, ctx):
    r, raw = chat(srv, ctx, "anthropic", CONV[1:2], model="retry-529")
    assert r.status == 529 and r.getheader("Retry-After") is None
    assert json.loads(raw) == {"type": "error", "error": {"type": "overloaded_error",
                                                          "message": "Overloaded"}}
    r, _ = chat(srv, ctx, "anthropic", CONV[1:2], model="retry-529")
    assert r.status == 200


def test_retry_n_times_and_header_forms(srv, ctx):
    for _ in range(2):
        r, raw = chat(srv, ctx, "gemini", CONV[1:2], model="retry-503-2")
        assert r.status == 503 and json.loads(raw)["error"]["status"] == "UNAVAILABLE"
    r, _ = chat(srv, ctx, "gemini", CONV[1:2], model="retry-503-2")
    assert r.status == 200
    r, _ = chat(srv, ctx, "openai", CONV[1:2], model="retry-after-ms")
    assert r.status == 429 and r.getheader("retry-after-ms") == "1200"
    assert r.getheader("Retry-After") == "5"
    r, _ = chat(srv, ctx, "responses", CONV[1:2], model="retry-date")
    assert r.status == 429
    date = email.utils.parsedate_to_datetime(r.getheader("Date"))
    after = email.utils.parsedate_to_datetime(r.getheader("Retry-After"))
    assert (after - date).total_seconds() == 2


@pytest.mark.parametrize("provider", PROVIDERS)
def test_error_mid_stream(srv, ctx, provider):
    r, raw = chat(srv, ctx, provider, CONV[1:2], model="error-mid")
    assert r.status == 200
    d = decode(provider, raw)
    assert d["text"] == "".join(S.pieces_of(S.answer_for("first question"))[:3])
    assert d["error"] == S.ERROR_MID[provider] and d["finish"] != S.FINISH[provider]
    if provider in ("anthropic", "responses"):
        assert "error" in d["names"]
    if provider == "openai":
        assert not d["done"]


def test_quirks_line_format(srv, ctx):
    _, raw = chat(srv, ctx, "gemini", CONV[1:2], model="demo-crlf")
    assert b"\r\n\r\n" in raw and b"}\n" not in raw.replace(b"}\r\n", b"")
    assert decode("gemini", raw)["text"] == S.answer_for("first question")
    _, raw = chat(srv, ctx, "anthropic", CONV[1:2], model="demo-nospace")
    assert b"\ndata:{" in raw and b"event:message_start" in raw and b"data: " not in raw
    assert decode("anthropic", raw)["text"] == S.answer_for("first question")
    _, raw = chat(srv, ctx, "openai", CONV[1:2], model="demo-comments-named")
    ev = sse_events(raw)
    assert raw.count(b"\n: comment ") + raw.startswith(b": comment ") == len(ev)
    assert b"event: message\n" in raw and all(n == "message" for n, _ in ev)
    _, raw = chat(srv, ctx, "responses", CONV[1:2], model="demo-unnamed")
    assert b"event:" not in raw
    assert decode("responses", raw)["finish"] == "completed"
    _, raw = chat(srv, ctx, "anthropic", CONV[1:2], model="demo-ping")
    names = [n for n, _ in sse_events(raw)]
    k = names.count("content_block_delta")
    assert names.count("ping") == k and k > 3


def test_quirks_framing(srv, ctx):
    r, raw = chat(srv, ctx, "openai", CONV[1:2], model="demo-cl")
    assert r.getheader("Content-Length") == str(len(raw))
    r, raw = chat(srv, ctx, "anthropic", CONV[1:2], model="demo-close")
    assert r.getheader("Connection") == "close" and r.getheader("Content-Length") is None
    assert decode("anthropic", raw)["done"]
    r, raw = chat(srv, ctx, "ollama", CONV[1:2], model="demo-chunked", stream=False)
    assert r.getheader("Transfer-Encoding") == "chunked"
    assert decode("ollama", raw, False)["text"] == S.answer_for("first question")


def test_quirk_pause(srv, ctx):
    t0 = time.monotonic()
    _, raw = chat(srv, ctx, "ollama", CONV[1:2], model="demo-pause")
    n = len(S.pieces_of(S.answer_for("first question"))) + 1
    assert time.monotonic() - t0 >= 0.3 * n
    _, raw = chat(srv, ctx, "gemini", CONV[1:2], model="demo-pause")
    assert raw.count(b": keep-alive\n") == len(sse_events(raw))


def test_long_slow_pieces_are_100ms_apart(srv, ctx):
    c = http.client.HTTPSConnection("127.0.0.1", srv.port, context=ctx, timeout=30)
    c.request("POST", "/v1/messages", body=json.dumps(body("anthropic", CONV[1:2], "long-slow")),
              headers=auth("anthropic"))
    r = c.getresponse()
    times, lines = [], []
    while len(lines) < 6:
        line = r.readline()
        if line.startswith(b"data:") and b"text_delta" in line:
            lines.append(json.loads(line[5:])["delta"]["text"])
            times.append(time.monotonic())
    c.close()
    assert lines == S.long_slow_pieces()[:6] and len(S.long_slow_pieces()) == 200
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.08, gaps


def test_log_turns_per_provider(srv, ctx):
    # the turns are logged as each API carried them, normalised: Anthropic's
    # top-level system, Gemini's systemInstruction and "model" role,
    # Responses' instructions and input
    for p in PROVIDERS:
        r, _ = chat(srv, ctx, p, CONV)
        assert r.status == 200
    ch = srv.chats()
    assert [e["provider"] for e in ch] == list(PROVIDERS)
    assert all(e["turns"] == CONV for e in ch)
    # one line per request, which survives odd text
    odd = [("user", 'quote " newline \n turns= tab \t caf\u00e9 \U0001F600')]
    chat(srv, ctx, "openai", odd)
    assert srv.chats()[-1]["turns"] == odd
    assert len(srv.lines()) == len(srv.entries())


def test_path_prefix_and_unknown_path(srv, ctx):
    r, raw = post(srv, ctx, "/proxy/v1/messages", body("anthropic", CONV[1:2]),
                  auth("anthropic"))
    assert r.status == 200 and decode("anthropic", raw)["done"]
    r, raw = post(srv, ctx, "/v2/whatever", body("openai", CONV[1:2]), auth("openai"))
    assert r.status == 404


def test_http_port_is_plain_http(srv):
    # the plain listener speaks HTTP, not TLS
    s = socket.create_connection(("127.0.0.1", srv.http_port), 5)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        b = s.recv(4096)
        if not b:
            break
        data += b
    s.close()
    assert data.startswith(b"HTTP/1.1 200 ") and data.endswith(b"demo-llm server\n")


# --- tool calling: the tools- models (issue 23) ------------------------------

TOOL_NAMES = ["clock", "net_info", "dns_lookup", "https_get"]
SCHEMA = {"type": "object", "properties": {}}
URL = "https://10.0.2.2:4433/"
# results as the kernel's tools write them (compact JSON, one object)
RESULTS = {
    "clock": '{"utc":"2026-12-07T19:00:00Z","unix":1796670000,"uptime_ms":1234}',
    "net_info": '{"link":"up","mac":"52:54:00:12:34:56","address":"10.0.2.15"}',
    "dns_lookup": '{"error":"dns_nxdomain","detail":"nope.invalid does not exist"}',
    "no_such_tool": '{"error":"unknown_tool","detail":"no_such_tool"}',
    "https_get": '{"url":"%s","status":200,"text":"demo-llm server\\n"}' % URL,
}


def declare(provider, names):
    """The tools array provider's API takes (docs/llm.md, "Tool calling")."""
    if provider == "gemini":
        return [{"functionDeclarations": [{"name": n, "description": "d",
                                           "parametersJsonSchema": SCHEMA} for n in names]}]
    if provider == "anthropic":
        return [{"name": n, "description": "d", "input_schema": SCHEMA} for n in names]
    if provider == "responses":
        return [{"type": "function", "name": n, "description": "d", "parameters": SCHEMA,
                 "strict": False} for n in names]
    return [{"type": "function", "function": {"name": n, "description": "d",
                                              "parameters": SCHEMA}} for n in names]


def _obj(args):
    try:
        v = json.loads(args)
    except ValueError:
        return {}
    return v if isinstance(v, dict) else {}


def tool_body(provider, conv, model, stream=True, names=TOOL_NAMES):
    """A request body for conv: ("user", text), ("assistant", text),
    ("calls", [call dicts as decode_calls returns them]) and ("results",
    [(call, result text)]), in
    each provider's native form, as the kernel writes them (llm/tool_json.c)."""
    msgs = []
    for kind, v in conv:
        if kind in ("user", "assistant"):
            if provider == "gemini":
                msgs.append({"role": "user" if kind == "user" else "model",
                             "parts": [{"text": v}]})
            else:
                msgs.append({"role": kind, "content": v})
        elif kind == "calls" and provider == "openai":
            msgs.append({"role": "assistant", "content": None, "tool_calls": [
                {"id": c["id"], "type": "function",
                 "function": {"name": c["name"], "arguments": c["args"]}} for c in v]})
        elif kind == "calls" and provider == "responses":
            msgs += [{"type": "function_call", "call_id": c["id"], "name": c["name"],
                      "arguments": c["args"]} for c in v]
        elif kind == "calls" and provider == "anthropic":
            msgs.append({"role": "assistant", "content": [
                {"type": "tool_use", "id": c["id"], "name": c["name"],
                 "input": _obj(c["args"])} for c in v]})
        elif kind == "calls" and provider == "gemini":
            parts = []
            for c in v:
                p = {"functionCall": {"name": c["name"], "args": _obj(c["args"])}}
                if c.get("sig"):
                    p["thoughtSignature"] = c["sig"]
                parts.append(p)
            msgs.append({"role": "model", "parts": parts})
        elif kind == "calls":
            msgs.append({"role": "assistant", "content": "", "tool_calls": [
                {"function": {"name": c["name"], "arguments": _obj(c["args"])}} for c in v]})
        elif provider == "openai":
            msgs += [{"role": "tool", "tool_call_id": c["id"], "content": t} for c, t in v]
        elif provider == "responses":
            msgs += [{"type": "function_call_output", "call_id": c["id"], "output": t}
                     for c, t in v]
        elif provider == "anthropic":
            msgs.append({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": c["id"], "content": t} for c, t in v]})
        elif provider == "gemini":
            msgs.append({"role": "user", "parts": [
                {"functionResponse": {"name": c["name"], "response": json.loads(t)}}
                for c, t in v]})
        else:
            msgs += [{"role": "tool", "content": t, "tool_name": c["name"]} for c, t in v]
    if provider == "gemini":
        b = {"contents": msgs}
    else:
        b = {"model": model, "stream": stream}
        b["input" if provider == "responses" else "messages"] = msgs
        if provider == "anthropic":
            b["max_tokens"] = 100
    if names:
        b["tools"] = declare(provider, names)
    return b


def tool_chat(srv, ctx, provider, conv, model, stream=True, names=TOOL_NAMES):
    return post(srv, ctx, chat_path(provider, model, stream),
                tool_body(provider, conv, model, stream, names), auth(provider))


def decode_calls(provider, raw, stream=True):
    """The calls of an answer, read as each API documents them: a list of
    {id, name, args (text), frags (argument fragments), sig}, and the
    finish reason."""
    calls, finish = {}, None

    def get(k):
        return calls.setdefault(k, {"id": None, "name": None, "args": "", "frags": [],
                                    "sig": None})

    def whole(k, cid, name, args, sig=None):
        c = get(k)
        c.update(id=cid, name=name, sig=sig,
                 args=args if isinstance(args, str) else json.dumps(args,
                                                                    separators=(",", ":")))
    if not stream:
        objs = [json.loads(raw)]
    elif provider == "ollama":
        objs = [json.loads(l) for l in raw.decode().split("\n") if l.strip()]
    else:
        objs = [json.loads(d) for _, d in sse_events(raw) if d != "[DONE]"]
    for o in objs:
        if provider == "openai":
            for ch in o.get("choices", []):
                finish = ch.get("finish_reason") or finish
                m = ch.get("delta") if stream else ch["message"]
                for k, tc in enumerate(m.get("tool_calls") or []):
                    if not stream:
                        whole(k, tc["id"], tc["function"]["name"], tc["function"]["arguments"])
                        continue
                    c = get(tc["index"])
                    c["id"] = tc.get("id", c["id"])
                    c["name"] = tc.get("function", {}).get("name", c["name"])
                    f = tc.get("function", {}).get("arguments", "")
                    if f:
                        c["frags"].append(f)
                        c["args"] += f
        elif provider == "responses":
            t = o.get("type")
            if t == "response.output_item.added" and o["item"]["type"] == "function_call":
                c = get(o["output_index"])
                c["id"], c["name"] = o["item"]["call_id"], o["item"]["name"]
            elif t == "response.function_call_arguments.delta":
                c = calls[o["output_index"]]
                c["frags"].append(o["delta"])
                c["args"] += o["delta"]
            elif t == "response.function_call_arguments.done":
                assert calls[o["output_index"]]["args"] == o["arguments"]
            elif t in ("response.completed", None):
                r = o.get("response", o)
                finish = r["status"]
                items = [i for i in r["output"] if i["type"] == "function_call"]
                if t is None:
                    for k, i in enumerate(items):
                        whole(k, i["call_id"], i["name"], i["arguments"])
                assert [i["arguments"] for i in items] == \
                    [calls[k]["args"] for k in sorted(calls)]
        elif provider == "anthropic":
            t = o["type"]
            if t == "content_block_start" and o["content_block"]["type"] == "tool_use":
                c = get(o["index"])
                c["id"], c["name"] = o["content_block"]["id"], o["content_block"]["name"]
            elif t == "content_block_delta" and o["delta"]["type"] == "input_json_delta":
                c = calls[o["index"]]
                if o["delta"]["partial_json"]:
                    c["frags"].append(o["delta"]["partial_json"])
                c["args"] += o["delta"]["partial_json"]
            elif t == "message_delta":
                finish = o["delta"]["stop_reason"]
            elif t == "message":
                finish = o["stop_reason"]
                for k, p in enumerate(p for p in o["content"] if p["type"] == "tool_use"):
                    whole(k, p["id"], p["name"], p["input"])
        elif provider == "gemini":
            c0 = o["candidates"][0]
            finish = c0.get("finishReason", finish)
            for p in c0["content"]["parts"]:
                if "functionCall" in p:
                    fc = p["functionCall"]
                    whole(len(calls), fc.get("id"), fc["name"], fc["args"],
                          p.get("thoughtSignature"))
        else:
            for k, tc in enumerate(o["message"].get("tool_calls") or []):
                whole(len(calls), tc.get("id"), tc["function"]["name"],
                      tc["function"]["arguments"])
            if o["done"]:
                finish = o["done_reason"]
    return [calls[k] for k in sorted(calls)], finish


def scenario_prompt(scenario):
    return "fetch %s please" % URL if scenario == "https" else "use your tools"


def first_answer(srv, ctx, provider, scenario, stream=True):
    model = "tools-" + scenario
    conv = [("user", scenario_prompt(scenario))]
    r, raw = tool_chat(srv, ctx, provider, conv, model, stream)
    assert r.status == 200, raw
    calls, finish = decode_calls(provider, raw, stream)
    return model, conv, calls, finish


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
def test_tool_calls_first_answer(srv, ctx, provider, stream):
    for scenario in S.TOOL_SCENARIOS:
        model, conv, calls, finish = first_answer(srv, ctx, provider, scenario, stream)
        want = S.tool_calls_for(scenario, scenario_prompt(scenario))
        assert want and [c["name"] for c in calls] == [n for n, _ in want], (scenario, calls)
        assert finish == S.TOOL_FINISH[provider], (scenario, finish)
        if scenario == "https":
            assert json.loads(calls[0]["args"]) == {"url": URL}
        for c, (name, args) in zip(calls, want):
            if provider in ("gemini", "ollama") or not stream:
                # whole objects (a JSON string where the arguments are broken)
                assert _obj(c["args"]) == _obj(args) and (c["args"] == args or
                                                          json.loads(c["args"]) == args)
            else:
                # fragments: the text, in several pieces; 1 byte each for frag
                assert c["args"] == args and len(c["frags"]) > 1, (scenario, c)
                if scenario == "frag":
                    assert all(len(f) == 1 for f in c["frags"]) and \
                        len(c["frags"]) == len(args)
        if provider in ("gemini", "ollama"):
            assert all(c["id"] is None or c["id"] for c in calls)
        else:
            assert all(c["id"] for c in calls) and len({c["id"] for c in calls}) == len(calls)
        if provider == "gemini":
            assert calls[0]["sig"] == S.GEMINI_SIG
        e = srv.chats()[-1]
        assert e["status"] == 200 and e["model"] == model, e
        assert e["tools"] == TOOL_NAMES and e["results"] == [], e
        assert e["turns"] == [("user", scenario_prompt(scenario))], e


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
def test_tool_follow_up_quotes_results(srv, ctx, provider, stream):
    for scenario in ("clock", "two", "unknown", "nxdomain", "https"):
        model, conv, calls, _ = first_answer(srv, ctx, provider, scenario, stream)
        results = [(c, RESULTS[c["name"]]) for c in calls]
        conv += [("calls", calls), ("results", results)]
        r, raw = tool_chat(srv, ctx, provider, conv, model, stream)
        assert r.status == 200, raw
        d = decode(provider, raw, stream)
        want = [(c["name"], t) for c, t in results]
        assert d["text"] == S.tool_results_text(want) and d["finish"] == S.FINISH[provider], d
        assert d["text"].startswith("Tool results: %s=" % calls[0]["name"])
        e = srv.chats()[-1]
        assert e["tools"] == TOOL_NAMES and e["status"] == 200
        # the log keeps each result's JSON (Gemini re-encodes the object)
        assert [(n, json.loads(t)) for n, t in e["results"]] == \
            [(n, json.loads(t)) for n, t in want], e
        assert e["turns"][0] == ("user", scenario_prompt(scenario))
        assert e["turns"][1] == ("assistant", "")
        assert [t for t in e["turns"] if t[0] == "tool"] == \
            [("tool", "%s=%s" % (n, json.dumps(json.loads(t), separators=(",", ":"),
                                               ensure_ascii=False)
                                 if provider == "gemini" else t)) for n, t in want]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_tool_loop_calls_again_and_next_turn(srv, ctx, provider):
    model, conv, calls, _ = first_answer(srv, ctx, provider, "loop")
    conv += [("calls", calls), ("results", [(c, RESULTS["clock"]) for c in calls])]
    r, raw = tool_chat(srv, ctx, provider, conv, model)
    assert r.status == 200, raw
    again, _ = decode_calls(provider, raw)
    assert [c["name"] for c in again] == ["clock"]
    if provider not in ("gemini", "ollama"):
        assert again[0]["id"] != calls[0]["id"]
    assert srv.chats()[-1]["results"] == [("clock", RESULTS["clock"])] or provider == "gemini"
    # a new user turn after a finished exchange: calls again, no results yet
    model, conv2, calls2, _ = first_answer(srv, ctx, provider, "clock")
    conv = conv2 + [("calls", calls2), ("results", [(c, RESULTS["clock"]) for c in calls2]),
                    ("user", "and now?")]
    # (the final text answer of the first exchange is not needed by the fake)
    r, raw = tool_chat(srv, ctx, provider, conv, "tools-clock")
    assert r.status == 200, raw
    assert [c["name"] for c in decode_calls(provider, raw)[0]] == ["clock"]
    assert srv.chats()[-1]["results"] == []


def _error_message(provider, raw):
    o = json.loads(raw)
    if provider == "ollama":
        return o["error"]
    if provider == "anthropic":
        assert o["type"] == "error" and o["error"]["type"] == "invalid_request_error"
    if provider == "gemini":
        assert o["error"]["code"] == 400 and o["error"]["status"] == "INVALID_ARGUMENT"
    if provider in ("openai", "responses"):
        assert o["error"]["type"] == "invalid_request_error"
    return o["error"]["message"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_tool_follow_up_without_results_is_400(srv, ctx, provider):
    model, conv, calls, _ = first_answer(srv, ctx, provider, "two")
    # the calls sent back without their results: the API refuses it
    r, raw = tool_chat(srv, ctx, provider, conv + [("calls", calls)], model)
    assert r.status == 400, raw
    msg = _error_message(provider, raw)
    assert ("net_info" in msg or "clock" in msg or "call_" in msg or "toolu_" in msg or
            "function response" in msg), msg
    # only one of the two results: refused as well
    r, raw = tool_chat(srv, ctx, provider, conv + [("calls", calls),
                                                     ("results", [(calls[0], "{}")])], model)
    assert r.status == 400, raw
    # a result that answers no call
    stray = dict(calls[0], id="call_nope", name="nope")
    r, raw = tool_chat(srv, ctx, provider, conv + [("results", [(stray, "{}")])], model)
    assert r.status == 400, raw
    _error_message(provider, raw)
    assert srv.entries()[-1]["status"] == 400 and "turns" not in srv.entries()[-1]


def test_gemini_follow_up_needs_thought_signature(srv, ctx):
    model, conv, calls, _ = first_answer(srv, ctx, "gemini", "clock")
    bare = [dict(c, sig=None) for c in calls]
    r, raw = tool_chat(srv, ctx, "gemini", conv + [("calls", bare), ("results", [
        (bare[0], RESULTS["clock"])])], model)
    assert r.status == 400 and "thought_signature" in _error_message("gemini", raw), raw


@pytest.mark.parametrize("provider", PROVIDERS)
def test_tools_model_without_tools_declared(srv, ctx, provider):
    # tools=0: no tools in the request, so no calls: the usual answer
    conv = [("user", "use your tools")]
    r, raw = tool_chat(srv, ctx, provider, conv, "tools-clock", names=[])
    assert r.status == 200, raw
    assert decode_calls(provider, raw)[0] == []
    assert decode(provider, raw)["text"] == S.answer_for("use your tools")
    e = srv.chats()[-1]
    assert e["tools"] == [] and e["results"] == [] and e["turns"] == [("user", "use your tools")]
    # and a plain request's log line says the same
    chat(srv, ctx, provider, CONV[1:2])
    assert srv.chats()[-1]["tools"] == []


def test_tool_log_survives_odd_results(srv, ctx):
    odd = '{"text":"a b \\" turns= tools=x results=y caf\u00e9 \U0001F600"}'
    model, conv, calls, _ = first_answer(srv, ctx, "openai", "clock")
    r, raw = tool_chat(srv, ctx, "openai", conv + [("calls", calls),
                                                   ("results", [(calls[0], odd)])], model)
    assert r.status == 200, raw
    e = srv.chats()[-1]
    assert e["results"] == [("clock", odd)] and e["turns"][-1] == ("tool", "clock=" + odd)
    assert e["tools"] == TOOL_NAMES and len(srv.lines()) == len(srv.entries())
