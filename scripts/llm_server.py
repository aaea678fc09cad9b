#!/usr/bin/python3
"""Local fake of five LLM APIs over HTTPS (and plain HTTP) for the demo and
the tests.

Usage: llm_server.py PORT --cert server.pem --key server.key [--api-key KEY]
                     [--log FILE] [--http-port HPORT]
  PORT 0 picks a free port; the chosen one is printed as "PORT <n>" on stdout.
  --http-port adds a plain-HTTP listener with the same endpoints (Ollama on
  the local network); 0 picks a free port, printed as "HTTP_PORT <n>" on the
  next line. Listens on 127.0.0.1 only; HTTPS is TLS 1.3 only (Python's ssl
  module) and the cipher suite is the client's first choice. Stops cleanly
  on SIGTERM/SIGINT.

Providers (HTTP/1.1, keep-alive unless the client sends Connection: close).
A path may carry a prefix before /v1/, /v1beta/ or /api/ (a proxy's base
path); the rest picks the provider:
  openai     POST /v1/chat/completions  {"model","messages","stream",
             "stream_options":{"include_usage"}?}; bearer key. Stream: unnamed
             SSE chunks (choices[0].delta.content), a finish_reason chunk,
             with include_usage a last chunk with "choices": [] and the usage
             (the other chunks then carry "usage": null), then data: [DONE].
             Body: chat.completion with usage.
  responses  POST /v1/responses  {"model","instructions"?,"input","stream"};
             bearer key. Stream: named events response.created,
             response.in_progress, response.output_item.added,
             response.content_part.added, response.output_text.delta...,
             response.output_text.done, response.content_part.done,
             response.output_item.done, response.completed (usage).
             Body: a response object with output[].content[] output_text.
  anthropic  POST /v1/messages  {"model","max_tokens","system"?,"messages",
             "stream"}; x-api-key and anthropic-version: 2023-06-01 (always
             required, as the API does). Stream: message_start (usage
             input_tokens), content_block_start, ping, content_block_delta
             (text_delta)..., content_block_stop, message_delta (stop_reason,
             usage.output_tokens), message_stop. Body: a message object.
  gemini     POST /v1beta/models/M:streamGenerateContent?alt=sse (SSE),
             .../M:streamGenerateContent (a JSON array, streamed element by
             element), .../M:generateContent (one JSON body). The model is M
             from the path. {"systemInstruction"?, "contents": [{"role":
             "user"|"model","parts":[{"text"}]}]}; x-goog-api-key. Every
             chunk carries usageMetadata (candidatesTokenCount so far); the
             last one finishReason STOP.
  ollama     POST /api/chat  {"model","messages","stream" (default true)};
             a bearer key is checked only when the request sends one (a
             local Ollama has no keys). Stream: application/x-ndjson lines,
             the last with done, done_reason, prompt_eval_count, eval_count.
  Model lists: GET /v1/models (Anthropic's shape when the request has
  x-api-key or anthropic-version, else OpenAI's), GET /v1beta/models
  (Gemini), GET /api/tags (Ollama); auth as for the provider's chat.
Auth failures (with --api-key) answer in the provider's own shape: openai
and responses 401 invalid_api_key ("Incorrect API key provided."),
anthropic 401 authentication_error ("invalid x-api-key") and 400 without
anthropic-version, gemini 403 PERMISSION_DENIED without a key and 400
INVALID_ARGUMENT ("API key not valid...") with a wrong one, ollama 401
{"error": "unauthorized"}. A request the API would reject (bad JSON, a role
the API does not have, Anthropic without max_tokens) is a 400 in the same
shape, so a client that encodes a conversation wrongly fails loudly.

The answer: answer_for(last user turn, earlier turns): deterministic, with
non-ASCII characters (one outside the BMP); when the conversation holds an
earlier user turn it ends in ' (you said before: X)' with the latest such X,
so a second answer shows that the first exchange was sent again. It is sent
as pieces_of(answer) (7 characters each). Usage (usage_for): in_tokens =
10 * the turns the request carried (system included) + the UTF-8 length of
the last user turn; out_tokens = the number of pieces.

Models (the model name picks a behaviour; words are joined by '-', and the
quirk words combine, e.g. "demo-crlf-nospace"):
  fail-500, fail-429, fail-500-text (text/plain), fail-hostile (a 400 whose
      message is HOSTILE): error answers in the provider's shape
  hostile...   the answer is HOSTILE (terminal controls, fake summary lines)
  long-slow    200 pieces "line NNN\\n", 100 ms apart (Ctrl-C tests)
  error-mid    three pieces, then the provider's error inside the stream
               (ERROR_MID[provider]: openai data: {"error": {...}};
               responses event: error {"type":"error","code","message"} then
               response.failed; anthropic event: error overloaded_error;
               gemini data: {"error": {"code":503,...,"status":"UNAVAILABLE"}};
               ollama {"error": "..."} line)
  retry-STATUS[-N]  the first N (default 1) requests of each conversation
               (model + the turns it carries) answer STATUS in the
               provider's shape, the next one 200; retry-429 adds
               Retry-After: 1, retry-529 is Anthropic's overloaded_error
  retry-after-ms  429 with retry-after-ms: 1200 and Retry-After: 5 (the
               first wins), then 200
  retry-date   429 with Retry-After as an HTTP-date 2 s after the Date
               header, then 200
  tools-SCENARIO[-quirks]  tool calling (issue 23): when the request
               declares tools, the first request of a user turn (no tool
               result after its prompt) is answered with the scenario's
               calls (TOOL_SCENARIOS, tool_calls_for) in the provider's
               native form: openai delta.tool_calls (id, type and name in
               the first chunk, then argument fragments keyed by index;
               finish tool_calls), responses function_call output items
               with response.function_call_arguments.delta/.done,
               anthropic tool_use blocks with input_json_delta fragments
               (the first empty; stop_reason tool_use), gemini whole
               functionCall parts (the first with thoughtSignature
               GEMINI_SIG), ollama whole message.tool_calls; whole bodies
               likewise. Fragments: 5 characters, 1 byte for tools-frag
               (tool_fragments). Arguments that are not an object go as a
               JSON string where the API has an object. The follow-up (the
               results after the prompt) gets tool_results_text(results):
               "Tool results: NAME=JSON; ..." quoting each result of the
               turn. tools-loop calls clock in every answer; tools-https
               calls https_get on the prompt's first http(s) URL. Without
               declared tools a tools- model answers like demo.
  Tool turns in requests (every model): each API's calls and results are
  read (OpenAI tool_calls + role tool, Responses function_call +
  function_call_output, Anthropic tool_use + tool_result blocks, Gemini
  functionCall + functionResponse parts, Ollama tool_calls + role tool with
  tool_name); a call without a result before the next turn or at the end,
  a result that answers no call, or a Gemini turn whose first functionCall
  lacks GEMINI_SIG is a 400 in the API's shape.
  Quirk words: cl (Content-Length instead of chunked), close (the body
  ends by closing the connection), cut (close-delimited, then a bare TCP FIN
  without TLS close_notify: a truncation), chunked (a non-streamed body
  chunked), slow (50 ms between events), pause (a 300 ms pause and an SSE
  ": keep-alive" comment before every event), crlf (SSE lines end in CRLF),
  nospace ("data:" and "event:" without the space), comments (a comment line
  before every event), named (openai/gemini events get "event: message"),
  unnamed (anthropic/responses events without "event:" lines; the data's
  "type" names them), ping (anthropic: a ping event between all deltas),
  usage (openai: the usage chunk even without include_usage).
  Every SSE stream also has one ": keep-alive comment\\r\\n" line (CRLF even
  in an LF stream) before its second event.

Other endpoints:
  GET /hostile         HOSTILE_BODY (text/plain, Content-Length)
  GET /file/N          N deterministic bytes (file_bytes(N)), Content-Length
  GET /chunked/N       the same bytes, chunked in pieces of varied sizes
  GET /close/N         the same bytes, delimited by closing the connection
  GET /cut/N           the same bytes, close-delimited, then a TCP FIN without
                       close_notify after the last whole TLS record
Every response carries X-Conn-Request: K (the K-th request on its
connection). --log FILE appends one line per event (parse_log() reads them):
  conn C req K METHOD PATH STATUS t=UNIXTIME scheme=https|http
      [provider=P model=M tools=NAMES results=QUOTED turns=JSON]
where turns is the JSON list of [role, text] pairs the request carried
(system first, roles normalised to system/user/assistant; a tool result
is ["tool", "NAME=JSON"]), tools the comma list of the declared tool names
("-" for none) and results the URL-quoted JSON list of [name, json] of the
results after the last user prompt (parse_log gives lists), and
  conn C tls-error NAME / conn C http-error NAME / conn cut without close_notify
"""
import argparse
import json
import re
import signal
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler

FIXED_CREATED = 1700000000
FIXED_ISO = "2023-11-14T22:13:20Z"
PROVIDERS = ("openai", "responses", "anthropic", "gemini", "ollama")
# the finish reason each provider reports for a whole answer
FINISH = {"openai": "stop", "responses": "completed", "anthropic": "end_turn",
          "gemini": "STOP", "ollama": "stop"}
# the message of the error event model "error-mid" sends inside the stream
ERROR_MID = {
    "openai": "The server had an error while processing your request. Sorry about that!",
    "responses": "An error occurred while processing your request.",
    "anthropic": "Overloaded",
    "gemini": "The model is overloaded. Please try again later.",
    "ollama": "an error was encountered while running the model: unexpected EOF",
}
ERROR_MID_AFTER = 3                 # pieces sent before the error
LONG_SLOW_PIECES = 200
LONG_SLOW_DELAY = 0.1
# the model lists: ids as each API spells them
MODELS = {
    "openai": ["gpt-4o-mini", "demo", "long-slow"],
    "anthropic": ["claude-sonnet-4-5-20250929", "demo"],
    "gemini": ["models/gemini-2.5-flash", "models/demo"],
    "ollama": ["llama3.2:latest", "demo:latest"],
}


def previous_user(history):
    """The latest user turn in history (a list of (role, text)), or None."""
    for role, text in reversed(history or []):
        if role == "user":
            return text
    return None


def answer_for(prompt, history=None):
    """The deterministic answer to a prompt (tests import this); history is
    the conversation before it, as (role, text) pairs."""
    text = ('Demo answer to "%s":\nThe answer is 42 \u2014 caf\u00e9 \U0001F600. '
            'Streaming works in several pieces.' % prompt)
    prev = previous_user(history)
    if prev is not None:
        text += " (you said before: %s)" % prev
    return text


# Text that tries to drive the terminal and forge the kernel's summary
# lines: clear screen, cursor home, a window title, 8-bit CSI (U+009B), a
# CR, then lines that read like the kernel's own (tests import this).
HOSTILE = ("ok \x1b[2J\x1b[H\x1b]0;pwned\x07 caf\u00e9 \u009b31m\r"
           "\nkernel: done status=ok\n"
           "https: status=200 bytes=1 sha256=" + "0" * 64 + " suite=TLS_AES_128_GCM_SHA256 "
           "group=x25519 sig=ecdsa_secp256r1_sha256 handshake_ms=1\n"
           "llm: done status=200 bytes=1 pieces=1 finish=stop stream=1\ntail")
# The same as a body, ending in bytes that are not UTF-8.
HOSTILE_BODY = HOSTILE.encode() + b" \xff\xfe"


def pieces_of(text, n=7):
    """How the answer is split into stream deltas."""
    return [text[i:i + n] for i in range(0, len(text), n)]


def long_slow_pieces():
    """Model long-slow's answer, one line per piece."""
    return ["line %03d\n" % i for i in range(LONG_SLOW_PIECES)]


def answer_pieces(model, prompt, history=None):
    """The pieces the server streams for model and conversation."""
    if model.startswith("long-slow"):
        return long_slow_pieces()
    text = HOSTILE if model.startswith("hostile") else answer_for(prompt, history)
    return pieces_of(text)


def usage_for(turns, npieces):
    """(in_tokens, out_tokens) the server reports: turns is every (role,
    text) the request carried, system and the last user turn included."""
    last = previous_user(turns) or ""
    return len(turns) * 10 + len(last.encode("utf-8")), npieces


_PERIOD = None


def file_bytes(n):
    """N deterministic bytes for the download tests: byte i is
    (131 i + (i >> 8) + 7) & 0xff, which repeats every 65536 bytes."""
    global _PERIOD
    if _PERIOD is None:
        _PERIOD = bytes(((i * 131) + (i >> 8) + 7) & 0xFF for i in range(65536))
    return (_PERIOD * (n // 65536 + 1))[:n]


class FileBody:
    """file_bytes(n) produced slice by slice as it is written, so the
    headers of a large download leave at once (the time-to-first-byte
    figures measure the kernel, not this server building a body)."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, s):
        start, stop, _ = s.indices(self.n)
        if stop <= start:
            return b""
        file_bytes(0)  # builds _PERIOD
        off, n = start % 65536, stop - start
        if off + n <= 65536:
            return _PERIOD[off:off + n]
        return (_PERIOD * ((off + n) // 65536 + 1))[off:off + n]


def error_body(message, etype, code):
    return json.dumps({"error": {"message": message, "type": etype, "param": None,
                                 "code": code}}).encode()


# --- errors in each provider's shape ---------------------------------------

_OPENAI_ERR = {400: ("invalid_request_error", None), 401: ("invalid_request_error", "invalid_api_key"),
               404: ("invalid_request_error", "not_found"),
               429: ("requests", "rate_limit_exceeded")}
_ANTHROPIC_ERR = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                  404: "not_found_error", 413: "request_too_large", 429: "rate_limit_error",
                  500: "api_error", 529: "overloaded_error"}
_GOOGLE_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                  404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                  503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
# default messages for the retry-STATUS models
_STATUS_MSG = {408: "Request timed out.", 409: "Conflict, please retry.",
               429: "Rate limit reached for requests.",
               500: "The server had an error while processing your request.",
               502: "Bad gateway.", 503: "The service is temporarily unavailable.",
               504: "Gateway timeout.", 529: "Overloaded"}


def error_json(provider, status, message, etype=None):
    """The error body provider's API sends with status."""
    if provider == "anthropic":
        t = etype or _ANTHROPIC_ERR.get(status, "api_error")
        return json.dumps({"type": "error", "error": {"type": t, "message": message}}).encode()
    if provider == "gemini":
        return json.dumps({"error": {"code": status, "message": message,
                                     "status": etype or _GOOGLE_STATUS.get(status, "UNKNOWN")}},
                          indent=2).encode()
    if provider == "ollama":
        return json.dumps({"error": message}).encode()
    t, code = _OPENAI_ERR.get(status, ("server_error", None))
    return error_body(message, etype or t, code)


class ApiError(Exception):
    """A request the API rejects: answered as error_json(provider, status, message)."""

    def __init__(self, status, message, etype=None):
        super().__init__(message)
        self.status, self.message, self.etype = status, message, etype


# --- requests: each provider's body as (model, turns, stream, include_usage) -

def _text_of(content, kinds):
    """A message content: a string, or a list of parts whose type is in kinds."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        out = []
        for p in content:
            if not isinstance(p, dict) or p.get("type") not in kinds or \
                    not isinstance(p.get("text"), str):
                raise ApiError(400, "Invalid content part: %r" % (p,))
            out.append(p["text"])
        return "".join(out)
    raise ApiError(400, "Invalid content: %r" % (content,))


# --- tool calling: what a request declares and carries, the tools- models --

# the calls each tools-SCENARIO model makes (name, arguments text); "https"
# takes its URL from the prompt, "loop" calls in every answer
TOOL_SCENARIOS = {
    "clock": [("clock", "{}")],
    "two": [("clock", "{}"), ("net_info", "{}")],
    "frag": [("dns_lookup", '{"name":"demo.local"}')],
    "unknown": [("no_such_tool", "{}")],
    "badjson": [("dns_lookup", '{"name":')],
    "nxdomain": [("dns_lookup", '{"name":"nope.invalid"}')],
    "loop": [("clock", "{}")],
    "https": [("https_get", None)],
}
# Gemini 3 sends a thoughtSignature with each functionCall part and refuses a
# continuation whose functionCall parts lack it: the fake does the same
GEMINI_SIG = "ZmFrZS10aG91Z2h0LXNpZ25hdHVyZQ=="
# the finish reason of an answer that is only tool calls
TOOL_FINISH = {"openai": "tool_calls", "responses": "completed", "anthropic": "tool_use",
               "gemini": "STOP", "ollama": "stop"}
# what each API says when a call of the conversation has no result
_NO_RESULT = {
    "openai": "An assistant message with 'tool_calls' must be followed by tool messages "
              "responding to each 'tool_call_id'. The following tool_call_ids did not have "
              "response messages: %s",
    "responses": "No tool output found for function call %s.",
    "anthropic": "messages: `tool_use` ids were found without `tool_result` blocks "
                 "immediately after: %s. Each `tool_use` block must have a corresponding "
                 "`tool_result` block in the next message.",
    "gemini": "Please ensure that the number of function response parts is equal to the "
              "number of function call parts of the function call turn. (%s)",
    "ollama": "tool call %s has no tool result",
}


def tool_scenario(model):
    """The scenario word of a tools-SCENARIO[-quirks] model, else None."""
    w = model.split("-")
    return w[1] if w[0] == "tools" and len(w) > 1 else None


def tool_calls_for(scenario, prompt):
    """The calls (name, arguments text) model tools-SCENARIO answers with."""
    if scenario not in TOOL_SCENARIOS:
        raise ApiError(400, "Unknown tool scenario: %s" % scenario)
    out = []
    for name, args in TOOL_SCENARIOS[scenario]:
        if args is None:
            m = re.search(r"https?://\S+", prompt)
            args = json.dumps({"url": m.group(0) if m else ""}, separators=(",", ":"))
        out.append((name, args))
    return out


def tool_fragments(scenario, args):
    """How a call's arguments are streamed: 1-byte fragments for tools-frag,
    else pieces of 5 characters (always more than one for '{}' too: '{', '}')."""
    n = 1 if scenario == "frag" else 5
    if len(args) <= n:
        n = 1
    return [args[i:i + n] for i in range(0, len(args), n)]


def tool_results_text(results):
    """The answer to a follow-up: it quotes every result it received."""
    return "Tool results: " + "; ".join("%s=%s" % (n, t) for n, t in results)


def _args_value(args):
    """Arguments where an API sends an object: the object, or (not one
    object) the text as a JSON string, which a client must treat as bad."""
    try:
        v = json.loads(args)
    except ValueError:
        return args
    return v if isinstance(v, dict) else args


class ToolTurns:
    """The tool side of one request: the declared names, the calls of the
    assistant turns still waiting for a result (id or name -> name), and the
    results in order as (turn index, name, JSON text)."""

    def __init__(self, provider):
        self.provider = provider
        self.declared = []
        self.open = {}
        self.results = []

    def declare(self, tools):
        if tools is None:
            return
        if not isinstance(tools, list):
            raise ApiError(400, "Invalid type for 'tools': expected an array")
        for t in tools:
            if not isinstance(t, dict):
                raise ApiError(400, "Invalid tool: %r" % (t,))
            if self.provider == "gemini":
                decls = t.get("functionDeclarations", t.get("function_declarations"))
                if not isinstance(decls, list):
                    raise ApiError(400, "Invalid tool: %r" % (t,))
                names = [d.get("name") if isinstance(d, dict) else None for d in decls]
                schemas = [d.get("parametersJsonSchema", d.get("parameters", {}))
                           for d in decls if isinstance(d, dict)]
            elif self.provider == "anthropic":
                names, schemas = [t.get("name")], [t.get("input_schema")]
            elif self.provider == "responses":
                if t.get("type") != "function":
                    raise ApiError(400, "Invalid tool type: %r" % t.get("type"))
                names, schemas = [t.get("name")], [t.get("parameters")]
            else:
                f = t.get("function") if t.get("type") == "function" else None
                if not isinstance(f, dict):
                    raise ApiError(400, "Invalid tool: %r" % (t,))
                names, schemas = [f.get("name")], [f.get("parameters", {})]
            for n, s in zip(names, schemas):
                if not isinstance(n, str) or not re.match(r"^[A-Za-z0-9_-]{1,64}$", n) or \
                        not isinstance(s, dict) or s.get("type", "object") != "object":
                    raise ApiError(400, "Invalid function declaration: %r" % (t,))
                self.declared.append(n)

    def call(self, key, name, args_ok=True):
        """An assistant turn's call; results must follow before any other turn."""
        if not isinstance(name, str) or not name:
            raise ApiError(400, "A tool call needs a name")
        if not args_ok:
            raise ApiError(400, "Invalid tool call arguments for %s" % name)
        self.open[key if key else "%s#%d" % (name, len(self.open))] = name

    def result(self, at, key, name, text):
        """A call's result: key is the call's id (or None: matched by name)."""
        if key:
            if key not in self.open:
                raise ApiError(400, "Invalid parameter: tool result %s does not answer a "
                                    "preceding tool call" % key)
            name = name or self.open[key]
            if name != self.open[key]:
                raise ApiError(400, "Tool result for %s names %s" % (key, name))
            del self.open[key]
        else:
            k = next((k for k, n in self.open.items() if n == name), None)
            if k is None:
                raise ApiError(400, "Tool result %r does not answer a preceding tool call"
                               % (name,))
            del self.open[k]
        if not isinstance(text, str):
            raise ApiError(400, "Invalid tool result content for %s" % name)
        self.results.append((at, name, text))

    def turn(self):
        """Another (non-result) turn: every call before it must be answered."""
        if self.open:
            raise ApiError(400, _NO_RESULT[self.provider] % ", ".join(sorted(self.open)))


def _result_text(content):
    """A result's content: a string, or Anthropic's text blocks."""
    if isinstance(content, list):
        return _text_of(content, ("text",))
    return content


def _chat_messages(msgs, provider, tt):
    """OpenAI chat and Ollama messages (with tool calls and tool turns) as turns."""
    if not isinstance(msgs, list) or not msgs:
        raise ApiError(400, "messages must be a non-empty array")
    roles = ("system", "developer", "user", "assistant", "tool") if provider == "openai" \
        else ("system", "user", "assistant", "tool")
    turns = []
    for m in msgs:
        if not isinstance(m, dict) or m.get("role") not in roles:
            raise ApiError(400, "Invalid role in messages: %r" % (m.get("role") if
                                                                isinstance(m, dict) else m))
        if m["role"] == "tool":
            if provider == "openai":
                key, name = m.get("tool_call_id"), None
                if not isinstance(key, str) or not key:
                    raise ApiError(400, "Missing required parameter: 'tool_call_id'.")
            else:
                key, name = None, m.get("tool_name", m.get("name"))
            text = _result_text(m.get("content"))
            tt.result(len(turns), key, name, text)
            turns.append(("tool", "%s=%s" % (name or tt.results[-1][1], text)))
            continue
        tt.turn()
        role = "system" if m["role"] == "developer" else m["role"]
        calls = m.get("tool_calls") if role == "assistant" else None
        content = m.get("content")
        if calls is not None and content is None:
            content = ""
        turns.append((role, _text_of(content, ("text",))))
        if calls is None:
            continue
        if not isinstance(calls, list) or not calls:
            raise ApiError(400, "Invalid 'tool_calls': empty array")
        for c in calls:
            f = c.get("function") if isinstance(c, dict) else None
            if not isinstance(f, dict):
                raise ApiError(400, "Invalid tool call: %r" % (c,))
            if provider == "openai":
                if c.get("type") != "function" or not isinstance(c.get("id"), str):
                    raise ApiError(400, "Invalid tool call: %r" % (c,))
                tt.call(c["id"], f.get("name"), isinstance(f.get("arguments"), str))
            else:
                tt.call(None, f.get("name"), isinstance(f.get("arguments"), dict))
    return turns


def _anthropic_messages(msgs, tt):
    """Anthropic messages (text, tool_use and tool_result blocks) as turns."""
    if not isinstance(msgs, list) or not msgs:
        raise ApiError(400, "messages must be a non-empty array")
    turns = []
    for m in msgs:
        if not isinstance(m, dict) or m.get("role") not in ("user", "assistant"):
            raise ApiError(400, "Invalid role in messages: %r" % (m.get("role") if
                                                                isinstance(m, dict) else m))
        content = m.get("content")
        if not isinstance(content, list):
            tt.turn()
            turns.append((m["role"], _text_of(content, ("text",))))
            continue
        texts, calls, nresults = [], [], 0
        for p in content:
            kind = p.get("type") if isinstance(p, dict) else None
            if kind == "tool_result" and m["role"] == "user":
                nresults += 1
                if texts:
                    raise ApiError(400, "tool_result blocks must come first in the message")
                text = _result_text(p.get("content"))
                tt.result(len(turns), p.get("tool_use_id"), None, text)
                turns.append(("tool", "%s=%s" % (tt.results[-1][1], text)))
            elif kind == "tool_use" and m["role"] == "assistant":
                if not isinstance(p.get("id"), str) or not isinstance(p.get("input"), dict):
                    raise ApiError(400, "Invalid tool_use block: %r" % (p,))
                calls.append(p)
            else:
                texts.append(p)
        if texts or calls or not nresults:
            tt.turn()
            turns.append((m["role"], _text_of(texts, ("text",))))
        for p in calls:
            tt.call(p["id"], p.get("name"))
    return turns


def _responses_items(inp, tt):
    """Responses input items (messages, function_call, function_call_output)."""
    turns = []
    for m in inp:
        kind = m.get("type", "message") if isinstance(m, dict) else None
        if kind == "function_call_output":
            key = m.get("call_id")
            if not isinstance(key, str):
                raise ApiError(400, "Missing required parameter: 'input[].call_id'.")
            tt.result(len(turns), key, None, m.get("output"))
            turns.append(("tool", "%s=%s" % (tt.results[-1][1], m.get("output"))))
        elif kind == "function_call":
            if not isinstance(m.get("call_id"), str):
                raise ApiError(400, "Missing required parameter: 'input[].call_id'.")
            if not turns or turns[-1][0] != "assistant":
                tt.turn()
                turns.append(("assistant", ""))
            tt.call(m["call_id"], m.get("name"), isinstance(m.get("arguments"), str))
        elif kind == "message" and m.get("role") in ("system", "developer", "user",
                                                     "assistant"):
            tt.turn()
            role = "system" if m["role"] == "developer" else m["role"]
            turns.append((role, _text_of(m.get("content"), ("input_text", "output_text"))))
        else:
            raise ApiError(400, "Invalid input item: %r" % (m,))
    return turns


def _gemini_contents(contents, tt):
    """Gemini contents (text, functionCall and functionResponse parts)."""
    turns = []
    for c in contents:
        role = c.get("role", "user") if isinstance(c, dict) else None
        if role not in ("user", "model"):
            raise ApiError(400, "Please use a valid role: user, model.")
        parts = c.get("parts")
        if not isinstance(parts, list) or not parts or \
                not all(isinstance(p, dict) for p in parts):
            raise ApiError(400, "* GenerateContentRequest.contents.parts: must have text")
        texts, calls = [], []
        for p in parts:
            if "functionResponse" in p and role == "user":
                fr = p["functionResponse"]
                if not isinstance(fr, dict) or not isinstance(fr.get("response"), dict):
                    raise ApiError(400, "* functionResponse.response: must be an object")
                text = json.dumps(fr["response"], ensure_ascii=False, separators=(",", ":"))
                tt.result(len(turns), fr.get("id"), fr.get("name"), text)
                turns.append(("tool", "%s=%s" % (fr.get("name"), text)))
            elif "functionCall" in p and role == "model":
                fc = p["functionCall"]
                if not isinstance(fc, dict) or not isinstance(fc.get("args", {}), dict):
                    raise ApiError(400, "* functionCall.args: must be an object")
                # as Gemini 3: the first call of a turn must carry its signature
                if not calls and p.get("thoughtSignature") != GEMINI_SIG:
                    raise ApiError(400, "Function call is missing a thought_signature in "
                                        "functionCall parts.")
                calls.append(fc)
            elif isinstance(p.get("text"), str):
                texts.append(p["text"])
            else:
                raise ApiError(400, "* GenerateContentRequest.contents.parts: must have text")
        if texts or calls:
            tt.turn()
            turns.append(("assistant" if role == "model" else "user", "".join(texts)))
        for fc in calls:
            tt.call(fc.get("id"), fc.get("name"))
    return turns


def parse_request(provider, req, path_model, query):
    """(model, turns, stream, include_usage, ToolTurns) of a chat request
    body req. A tool result is a ("tool", "NAME=JSON") turn; a call that no
    result answers (before the next turn or at the end) is a 400."""
    if not isinstance(req, dict):
        raise ApiError(400, "The body must be a JSON object")
    tt = ToolTurns(provider)
    tt.declare(req.get("tools"))
    if provider == "gemini":
        turns = []
        si = req.get("systemInstruction", req.get("system_instruction"))
        if si is not None:
            parts = si.get("parts") if isinstance(si, dict) else None
            if not isinstance(parts, list):
                raise ApiError(400, "Invalid systemInstruction")
            turns.append(("system", "".join(str(p.get("text", "")) for p in parts)))
        contents = req.get("contents")
        if not isinstance(contents, list) or not contents:
            raise ApiError(400, "* GenerateContentRequest.contents: contents is not specified")
        turns += _gemini_contents(contents, tt)
        tt.turn()
        stream = path_model[1] == "streamGenerateContent"
        return path_model[0], turns, stream, False, tt
    model = req.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(400, "you must provide a model parameter")
    if provider == "openai":
        turns = _chat_messages(req.get("messages"), provider, tt)
        tt.turn()
        so = req.get("stream_options") or {}
        return model, turns, bool(req.get("stream", False)), bool(so.get("include_usage")), tt
    if provider == "ollama":
        turns = _chat_messages(req.get("messages"), provider, tt)
        tt.turn()
        return model, turns, bool(req.get("stream", True)), False, tt
    if provider == "anthropic":
        if not isinstance(req.get("max_tokens"), int):
            raise ApiError(400, "max_tokens: Field required")
        turns = []
        if req.get("system") is not None:
            turns.append(("system", _text_of(req["system"], ("text",))))
        turns += _anthropic_messages(req.get("messages"), tt)
        tt.turn()
        return model, turns, bool(req.get("stream", False)), False, tt
    # responses
    turns = []
    if req.get("instructions") is not None:
        if not isinstance(req["instructions"], str):
            raise ApiError(400, "Invalid type for 'instructions'")
        turns.append(("system", req["instructions"]))
    inp = req.get("input")
    if isinstance(inp, str):
        turns.append(("user", inp))
    elif isinstance(inp, list) and inp:
        turns += _responses_items(inp, tt)
    else:
        raise ApiError(400, "Missing required parameter: 'input'.")
    tt.turn()
    return model, turns, bool(req.get("stream", False)), False, tt


def route(path):
    """(provider or list kind, gemini (model, method), query) of a path; the
    provider is None for a path no API has."""
    p, _, query = path.partition("?")
    for mark in ("/v1/", "/v1beta/", "/api/"):
        i = p.find(mark)
        if i >= 0:
            p = p[i:]
            break
    if p == "/v1/chat/completions":
        return "openai", None, query
    if p == "/v1/responses":
        return "responses", None, query
    if p == "/v1/messages":
        return "anthropic", None, query
    if p == "/api/chat":
        return "ollama", None, query
    if p.startswith("/v1beta/models/") and ":" in p:
        model, _, method = p[len("/v1beta/models/"):].rpartition(":")
        if model and method in ("generateContent", "streamGenerateContent"):
            return "gemini", (model, method), query
    if p == "/v1/models":
        return "models-v1", None, query
    if p == "/v1beta/models":
        return "models-gemini", None, query
    if p == "/api/tags":
        return "models-ollama", None, query
    return None, None, query


def parse_log(lines):
    """The request lines of a --log file as dicts: conn, req (ints), method,
    path, status (int), t (float), scheme, and for chat requests provider,
    model and turns (a list of (role, text))."""
    out = []
    for line in lines:
        w = line.split(" ")
        if len(w) < 6 or w[0] != "conn" or w[2] != "req":
            continue
        e = {"conn": int(w[1]), "req": int(w[3]), "method": w[4], "path": w[5],
             "status": int(w[6])}
        head, _, turns = line.partition(" turns=")
        for kv in head.split(" ")[7:]:
            k, _, v = kv.partition("=")
            e[k] = float(v) if k == "t" else urllib.parse.unquote(v) if k in (
                "model", "results") else v
        if turns:
            e["turns"] = [tuple(x) for x in json.loads(turns)]
            tools = e.get("tools", "-")
            e["tools"] = [] if tools == "-" else tools.split(",")
            e["results"] = [tuple(x) for x in json.loads(e.get("results", "[]"))]
        out.append(e)
    return out


# --- streams: each provider's events ---------------------------------------

class Events:
    """The items of a streamed answer: (seconds to wait before, bytes)."""

    def __init__(self, flags, sse=True, ascii_json=False):
        self.flags = flags
        self.sse = sse
        self.ascii = ascii_json
        self.nl = "\r\n" if "crlf" in flags else "\n"
        self.sep = ":" if "nospace" in flags else ": "
        self.items = []

    def js(self, obj):
        return json.dumps(obj, ensure_ascii=self.ascii, separators=(",", ":"))

    def add(self, name, obj, delay=0.0):
        data = obj if isinstance(obj, str) else self.js(obj)
        if not self.sse:                        # NDJSON: one value per line
            if "pause" in self.flags:
                delay += 0.3
            elif "slow" in self.flags and self.items:
                delay += 0.05
            self.items.append((delay, (data + self.nl).encode()))
            return
        if "pause" in self.flags:
            self.items.append((delay + 0.15, (": keep-alive" + self.nl).encode()))
            delay = 0.15
        elif "slow" in self.flags and self.items:
            delay += 0.05
        s = ""
        if "comments" in self.flags:
            s += ": comment %d%s" % (len(self.items), self.nl)
        if name:
            s += "event" + self.sep + name + self.nl
        s += "data" + self.sep + data + self.nl + self.nl
        if len(self.items) == 1:
            s = ": keep-alive comment\r\n" + s
        self.items.append((delay, s.encode()))


def _piece_delay(model, k):
    return LONG_SLOW_DELAY if model.startswith("long-slow") and k > 0 else 0.0


def openai_usage_on(a):
    """The stream ends with a usage-only chunk (stream_options.include_usage)."""
    return a.include_usage or "usage" in a.flags


def openai_chunk(a, delta, finish=None):
    """One OpenAI chat completion chunk for choice 0."""
    o = {"id": "chatcmpl-demo", "object": "chat.completion.chunk", "created": FIXED_CREATED,
         "model": a.model, "system_fingerprint": None,
         "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
    if openai_usage_on(a):
        o["usage"] = None
    return o


def stream_openai(a, ev):
    """OpenAI chat completion chunks."""
    usage_on = openai_usage_on(a)

    def chunk(delta, finish=None):
        return openai_chunk(a, delta, finish)
    name = "message" if "named" in a.flags else None
    ev.add(name, chunk({"role": "assistant", "content": ""}))
    for k, p in enumerate(a.pieces):
        if a.error_mid and k == ERROR_MID_AFTER:
            ev.add(name, {"error": {"message": ERROR_MID["openai"], "type": "server_error",
                                    "param": None, "code": None}})
            return
        ev.add(name, chunk({"content": p}), _piece_delay(a.model, k))
    ev.add(name, chunk({}, "stop"))
    if usage_on:
        ev.add(name, {"id": "chatcmpl-demo", "object": "chat.completion.chunk",
                      "created": FIXED_CREATED, "model": a.model, "system_fingerprint": None,
                      "choices": [], "usage": {"prompt_tokens": a.in_tokens,
                                               "completion_tokens": a.out_tokens,
                                               "total_tokens": a.in_tokens + a.out_tokens}})
    ev.add(name, "[DONE]")


def _response_obj(a, status, output, usage, error=None):
    system = [t for r, t in a.turns if r == "system"]
    return {"id": "resp_demo", "object": "response", "created_at": FIXED_CREATED,
            "status": status, "error": error, "incomplete_details": None,
            "instructions": system[0] if system else None, "max_output_tokens": None,
            "model": a.model, "output": output, "parallel_tool_calls": True,
            "previous_response_id": None, "store": False, "temperature": 1.0,
            "text": {"format": {"type": "text"}}, "tool_choice": "auto", "tools": [],
            "top_p": 1.0, "truncation": "disabled", "usage": usage, "user": None,
            "metadata": {}}


def _response_usage(a):
    return {"input_tokens": a.in_tokens, "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": a.out_tokens, "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": a.in_tokens + a.out_tokens}


def _message_item(text, status):
    return {"id": "msg_demo", "type": "message", "status": status, "role": "assistant",
            "content": [{"type": "output_text", "annotations": [], "text": text}]}


def stream_responses(a, ev):
    """OpenAI Responses events."""
    seq = [0]

    def add(kind, body, delay=0.0):
        o = {"type": kind, "sequence_number": seq[0]}
        o.update(body)
        seq[0] += 1
        ev.add(None if "unnamed" in a.flags else kind, o, delay)
    add("response.created", {"response": _response_obj(a, "in_progress", [], None)})
    add("response.in_progress", {"response": _response_obj(a, "in_progress", [], None)})
    add("response.output_item.added", {"output_index": 0, "item": {
        "id": "msg_demo", "type": "message", "status": "in_progress", "content": [],
        "role": "assistant"}})
    part = {"item_id": "msg_demo", "output_index": 0, "content_index": 0}
    add("response.content_part.added", dict(part, part={"type": "output_text",
                                                          "annotations": [], "text": ""}))
    for k, p in enumerate(a.pieces):
        if a.error_mid and k == ERROR_MID_AFTER:
            add("error", {"code": "server_error", "message": ERROR_MID["responses"],
                          "param": None})
            add("response.failed", {"response": _response_obj(
                a, "failed", [], None, {"code": "server_error",
                                        "message": ERROR_MID["responses"]})})
            return
        add("response.output_text.delta", dict(part, delta=p, logprobs=[]),
            _piece_delay(a.model, k))
    text = "".join(a.pieces)
    add("response.output_text.done", dict(part, text=text, logprobs=[]))
    add("response.content_part.done", dict(part, part={"type": "output_text",
                                                         "annotations": [], "text": text}))
    add("response.output_item.done", {"output_index": 0,
                                      "item": _message_item(text, "completed")})
    add("response.completed", {"response": _response_obj(
        a, "completed", [_message_item(text, "completed")], _response_usage(a))})


def stream_anthropic(a, ev):
    """Anthropic Messages events."""
    def add(obj, delay=0.0):
        ev.add(None if "unnamed" in a.flags else obj["type"], obj, delay)
    add({"type": "message_start", "message": {
        "id": "msg_demo", "type": "message", "role": "assistant", "model": a.model,
        "content": [], "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": a.in_tokens, "output_tokens": 1}}})
    add({"type": "content_block_start", "index": 0,
         "content_block": {"type": "text", "text": ""}})
    add({"type": "ping"})
    for k, p in enumerate(a.pieces):
        if a.error_mid and k == ERROR_MID_AFTER:
            add({"type": "error", "error": {"type": "overloaded_error",
                                            "message": ERROR_MID["anthropic"]}})
            return
        if k and "ping" in a.flags:
            add({"type": "ping"})
        add({"type": "content_block_delta", "index": 0,
             "delta": {"type": "text_delta", "text": p}}, _piece_delay(a.model, k))
    add({"type": "content_block_stop", "index": 0})
    add({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
         "usage": {"output_tokens": a.out_tokens}})
    add({"type": "message_stop"})


def _gemini_chunk(a, text, count, final):
    c = {"content": {"parts": [{"text": text}], "role": "model"}, "index": 0}
    if final:
        c["finishReason"] = "STOP"
    return {"candidates": [c],
            "usageMetadata": {"promptTokenCount": a.in_tokens, "candidatesTokenCount": count,
                              "totalTokenCount": a.in_tokens + count},
            "modelVersion": a.model, "responseId": "demo-response"}


def _gemini_error():
    return {"error": {"code": 503, "message": ERROR_MID["gemini"], "status": "UNAVAILABLE"}}


def stream_gemini(a, ev):
    """Gemini GenerateContentResponse chunks (SSE, or elements of a JSON array)."""
    name = "message" if "named" in a.flags else None
    n = len(a.pieces)
    for k, p in enumerate(a.pieces):
        if a.error_mid and k == ERROR_MID_AFTER:
            ev.add(name, _gemini_error())
            return
        ev.add(name, _gemini_chunk(a, p, k + 1, k == n - 1), _piece_delay(a.model, k))


def stream_ollama(a, ev):
    """Ollama /api/chat NDJSON lines."""
    for k, p in enumerate(a.pieces):
        if a.error_mid and k == ERROR_MID_AFTER:
            ev.add(None, {"error": ERROR_MID["ollama"]})
            return
        ev.add(None, {"model": a.model, "created_at": FIXED_ISO,
                      "message": {"role": "assistant", "content": p}, "done": False},
               _piece_delay(a.model, k))
    ev.add(None, _ollama_final(a, ""))


def _ollama_final(a, text):
    return {"model": a.model, "created_at": FIXED_ISO,
            "message": {"role": "assistant", "content": text}, "done_reason": "stop",
            "done": True, "total_duration": 123456789, "load_duration": 1234567,
            "prompt_eval_count": a.in_tokens, "prompt_eval_duration": 2345678,
            "eval_count": a.out_tokens, "eval_duration": 98765432}


def whole_body(a):
    """A non-streamed answer: (content type, body object)."""
    text = "".join(a.pieces)
    if a.provider == "openai":
        return "application/json", {
            "id": "chatcmpl-demo", "object": "chat.completion", "created": FIXED_CREATED,
            "model": a.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": a.in_tokens, "completion_tokens": a.out_tokens,
                      "total_tokens": a.in_tokens + a.out_tokens}}
    if a.provider == "responses":
        return "application/json", _response_obj(a, "completed",
                                                  [_message_item(text, "completed")],
                                                  _response_usage(a))
    if a.provider == "anthropic":
        return "application/json", {
            "id": "msg_demo", "type": "message", "role": "assistant", "model": a.model,
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": a.in_tokens, "output_tokens": a.out_tokens}}
    if a.provider == "gemini":
        return "application/json; charset=UTF-8", _gemini_chunk(a, text, a.out_tokens, True)
    return "application/json; charset=utf-8", _ollama_final(a, text)


STREAMERS = {"openai": stream_openai, "responses": stream_responses,
             "anthropic": stream_anthropic, "gemini": stream_gemini, "ollama": stream_ollama}


# --- answers that are tool calls (the tools- models) ------------------------

def _frags(a, args):
    return tool_fragments(a.scenario, args)


def stream_openai_calls(a, ev):
    """OpenAI chat: the first chunk of each call carries its id, type and
    name with empty arguments, then argument fragments keyed by index."""
    usage_on = openai_usage_on(a)

    def chunk(delta, finish=None):
        return openai_chunk(a, delta, finish)
    name = "message" if "named" in a.flags else None
    for k, (cid, fname, args) in enumerate(a.calls):
        head = {"index": k, "id": "call_" + cid, "type": "function",
                "function": {"name": fname, "arguments": ""}}
        if k == 0:
            ev.add(name, chunk({"role": "assistant", "content": None, "tool_calls": [head],
                                "refusal": None}))
        else:
            ev.add(name, chunk({"tool_calls": [head]}))
        for f in _frags(a, args):
            ev.add(name, chunk({"tool_calls": [{"index": k, "function": {"arguments": f}}]}))
    ev.add(name, chunk({}, "tool_calls"))
    if usage_on:
        ev.add(name, {"id": "chatcmpl-demo", "object": "chat.completion.chunk",
                      "created": FIXED_CREATED, "model": a.model, "system_fingerprint": None,
                      "choices": [], "usage": {"prompt_tokens": a.in_tokens,
                                               "completion_tokens": a.out_tokens,
                                               "total_tokens": a.in_tokens + a.out_tokens}})
    ev.add(name, "[DONE]")


def _fc_item(cid, fname, args, status):
    return {"id": "fc_" + cid, "type": "function_call", "status": status,
            "arguments": args if status == "completed" else "", "call_id": "call_" + cid,
            "name": fname}


def stream_responses_calls(a, ev):
    """Responses: each call an output item (function_call) whose arguments
    come as response.function_call_arguments.delta events."""
    seq = [0]

    def add(kind, body):
        o = {"type": kind, "sequence_number": seq[0]}
        o.update(body)
        seq[0] += 1
        ev.add(None if "unnamed" in a.flags else kind, o)
    add("response.created", {"response": _response_obj(a, "in_progress", [], None)})
    add("response.in_progress", {"response": _response_obj(a, "in_progress", [], None)})
    for k, (cid, fname, args) in enumerate(a.calls):
        add("response.output_item.added", {"output_index": k,
                                           "item": _fc_item(cid, fname, args, "in_progress")})
        for f in _frags(a, args):
            add("response.function_call_arguments.delta",
                {"item_id": "fc_" + cid, "output_index": k, "delta": f})
        add("response.function_call_arguments.done",
            {"item_id": "fc_" + cid, "output_index": k, "arguments": args})
        add("response.output_item.done", {"output_index": k,
                                          "item": _fc_item(cid, fname, args, "completed")})
    add("response.completed", {"response": _response_obj(
        a, "completed", [_fc_item(c, n, g, "completed") for c, n, g in a.calls],
        _response_usage(a))})


def stream_anthropic_calls(a, ev):
    """Anthropic: a tool_use content block per call, its input as
    input_json_delta fragments (the first one empty, as the API sends)."""
    def add(obj):
        ev.add(None if "unnamed" in a.flags else obj["type"], obj)
    add({"type": "message_start", "message": {
        "id": "msg_demo", "type": "message", "role": "assistant", "model": a.model,
        "content": [], "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": a.in_tokens, "output_tokens": 1}}})
    for k, (cid, fname, args) in enumerate(a.calls):
        add({"type": "content_block_start", "index": k, "content_block": {
            "type": "tool_use", "id": "toolu_" + cid, "name": fname, "input": {}}})
        if k == 0:
            add({"type": "ping"})
        for f in [""] + _frags(a, args):
            add({"type": "content_block_delta", "index": k,
                 "delta": {"type": "input_json_delta", "partial_json": f}})
        add({"type": "content_block_stop", "index": k})
    add({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None},
         "usage": {"output_tokens": a.out_tokens}})
    add({"type": "message_stop"})


def _gemini_calls_chunk(a):
    parts = []
    for k, (cid, fname, args) in enumerate(a.calls):
        p = {"functionCall": {"name": fname, "args": _args_value(args)}}
        if k == 0:
            p["thoughtSignature"] = GEMINI_SIG
        parts.append(p)
    return {"candidates": [{"content": {"parts": parts, "role": "model"},
                            "finishReason": "STOP", "index": 0}],
            "usageMetadata": {"promptTokenCount": a.in_tokens,
                              "candidatesTokenCount": a.out_tokens,
                              "totalTokenCount": a.in_tokens + a.out_tokens},
            "modelVersion": a.model, "responseId": "demo-response"}


def stream_gemini_calls(a, ev):
    """Gemini: whole functionCall parts (the first with a thoughtSignature)."""
    ev.add("message" if "named" in a.flags else None, _gemini_calls_chunk(a))


def _ollama_calls(a):
    return [{"id": "call_" + cid, "function": {"index": k, "name": fname,
                                                "arguments": _args_value(args)}}
            for k, (cid, fname, args) in enumerate(a.calls)]


def stream_ollama_calls(a, ev):
    """Ollama: the calls whole in one message.tool_calls line, then the done line."""
    ev.add(None, {"model": a.model, "created_at": FIXED_ISO,
                  "message": {"role": "assistant", "content": "",
                              "tool_calls": _ollama_calls(a)}, "done": False})
    ev.add(None, _ollama_final(a, ""))


def whole_body_calls(a):
    """A non-streamed answer that is only tool calls: (content type, body)."""
    if a.provider == "openai":
        calls = [{"id": "call_" + c, "type": "function",
                  "function": {"name": n, "arguments": g}} for c, n, g in a.calls]
        return "application/json", {
            "id": "chatcmpl-demo", "object": "chat.completion", "created": FIXED_CREATED,
            "model": a.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": None,
                                                 "tool_calls": calls, "refusal": None},
                         "logprobs": None, "finish_reason": "tool_calls"}],
            "usage": {"prompt_tokens": a.in_tokens, "completion_tokens": a.out_tokens,
                      "total_tokens": a.in_tokens + a.out_tokens}}
    if a.provider == "responses":
        return "application/json", _response_obj(
            a, "completed", [_fc_item(c, n, g, "completed") for c, n, g in a.calls],
            _response_usage(a))
    if a.provider == "anthropic":
        return "application/json", {
            "id": "msg_demo", "type": "message", "role": "assistant", "model": a.model,
            "content": [{"type": "tool_use", "id": "toolu_" + c, "name": n,
                         "input": _args_value(g)} for c, n, g in a.calls],
            "stop_reason": "tool_use", "stop_sequence": None,
            "usage": {"input_tokens": a.in_tokens, "output_tokens": a.out_tokens}}
    if a.provider == "gemini":
        return "application/json; charset=UTF-8", _gemini_calls_chunk(a)
    o = _ollama_final(a, "")
    o["message"]["tool_calls"] = _ollama_calls(a)
    return "application/json; charset=utf-8", o


CALL_STREAMERS = {"openai": stream_openai_calls, "responses": stream_responses_calls,
                  "anthropic": stream_anthropic_calls, "gemini": stream_gemini_calls,
                  "ollama": stream_ollama_calls}


class Answer:
    """What one chat request gets: its provider, model, turns, flags, the
    declared tools and received results, and the pieces (or, for a tools-
    model, the calls: (id, name, arguments text)) and usage of the answer."""

    def __init__(self, provider, model, turns, stream, include_usage, tt=None):
        self.provider, self.model, self.turns = provider, model, turns
        self.stream, self.include_usage = stream, include_usage
        self.flags = set(model.split("-"))
        self.error_mid = model.startswith("error-mid")
        self.declared = tt.declared if tt else []
        last = max((i for i, (r, _) in enumerate(turns) if r == "user"), default=None)
        prompt = turns[last][1] if last is not None else ""
        history = turns[:last] if last is not None else turns
        # the results of this user turn (the tool turns after its prompt)
        self.results = [tuple(t.partition("=")[::2]) for r, t in
                        turns[(last if last is not None else -1) + 1:] if r == "tool"]
        self.calls, self.scenario = [], tool_scenario(model)
        if self.scenario and self.declared and (self.scenario == "loop" or not self.results):
            rnd = sum(1 for r, _ in turns[(last or 0):] if r == "assistant")
            self.calls = [("%d_%d" % (rnd, k), n, args) for k, (n, args) in
                          enumerate(tool_calls_for(self.scenario, prompt))]
            self.pieces = [f for _, _, args in self.calls
                           for f in tool_fragments(self.scenario, args)]
        elif self.results and self.scenario:
            self.pieces = pieces_of(tool_results_text(self.results))
        else:
            self.pieces = answer_pieces(model, prompt, history)
        self.in_tokens, self.out_tokens = usage_for(turns, len(self.pieces))


def retry_plan(model):
    """(status, times, headers) for a retry-... model, else None; headers
    "date" means Retry-After as an HTTP-date 2 s after Date."""
    w = model.split("-")
    if w[0] != "retry" or len(w) < 2:
        return None
    if model.startswith("retry-after-ms"):
        return 429, 1, [("retry-after-ms", "1200"), ("Retry-After", "5")]
    if model.startswith("retry-date"):
        return 429, 1, "date"
    if not w[1].isdigit():
        return None
    status = int(w[1])
    times = int(w[2]) if len(w) > 2 and w[2].isdigit() else 1
    return status, times, [("Retry-After", "1")] if status == 429 else []


def model_list(kind):
    """(content type, body object) of a model list."""
    if kind == "anthropic":
        data = [{"type": "model", "id": m, "display_name": m.replace("-", " ").title(),
                 "created_at": FIXED_ISO} for m in MODELS["anthropic"]]
        return {"data": data, "has_more": False, "first_id": data[0]["id"],
                "last_id": data[-1]["id"]}
    if kind == "gemini":
        return {"models": [{"name": m, "version": "001", "displayName": m.split("/")[1],
                            "description": "A fake model.", "inputTokenLimit": 1048576,
                            "outputTokenLimit": 65536,
                            "supportedGenerationMethods": ["generateContent", "countTokens"]}
                           for m in MODELS["gemini"]]}
    if kind == "ollama":
        return {"models": [{"name": m, "model": m, "modified_at": FIXED_ISO, "size": 2019393189,
                            "digest": "%064x" % (i + 1),
                            "details": {"parent_model": "", "format": "gguf",
                                        "family": "llama", "families": ["llama"],
                                        "parameter_size": "3.2B",
                                        "quantization_level": "Q4_K_M"}}
                           for i, m in enumerate(MODELS["ollama"])]}
    return {"object": "list", "data": [{"id": m, "object": "model", "created": FIXED_CREATED,
                                        "owned_by": "system"} for m in MODELS["openai"]]}


# --- the server -------------------------------------------------------------

class Log:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, line):
        sys.stderr.write("llm_server: %s\n" % line)
        if self.path:
            with self.lock, open(self.path, "a") as f:
                f.write(line + "\n")


class State:
    """What both listeners share: the key, the log, connection ids and the
    retry counters (per provider, model and conversation)."""

    def __init__(self, api_key, log):
        self.api_key = api_key
        self.log = log
        self._ids = 0
        self._counts = {}
        self._lock = threading.Lock()

    def next_conn_id(self):
        with self._lock:
            self._ids += 1
            return self._ids

    def bump(self, key):
        """How many times key was counted, this time included."""
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + 1
            return self._counts[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "demo-llm/1.0"
    timeout = 60

    def setup(self):
        super().setup()
        self.conn_id = self.server.state.next_conn_id()
        self.req_count = 0
        self.t0 = time.time()
        self.info = ""

    def handle(self):
        try:
            super().handle()
        except (ssl.SSLError, ConnectionError, OSError) as e:
            self.server.log.write("conn %d %s %s" % (self.conn_id, "tls-error" if self.server.tls
                                                     else "http-error", e.__class__.__name__))

    def log_message(self, fmt, *args):
        pass

    def _start(self, status, ctype, length=None, chunked=False, close=False, extra=(),
               date=None):
        self.req_count += 1
        self.server.log.write("conn %d req %d %s %s %d t=%.3f scheme=%s%s" % (
            self.conn_id, self.req_count, self.command, self.path, status, self.t0,
            "https" if self.server.tls else "http", self.info))
        self.send_response_only(status, "Overloaded" if status == 529 else None)
        self.send_header("Server", self.version_string())
        self.send_header("Date", self.date_time_string(date))
        self.send_header("Content-Type", ctype)
        self.send_header("X-Conn-Request", str(self.req_count))
        for k, v in extra:
            self.send_header(k, v)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif length is not None:
            self.send_header("Content-Length", str(length))
        if close or self.close_connection:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()

    def _chunk(self, data):
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    def _write_body(self, body):
        # in slices: a socket timeout bounds each write, and a large body over
        # a lossy link may take minutes in total
        for i in range(0, len(body), 256 * 1024):
            self.wfile.write(body[i:i + 256 * 1024])

    def _send(self, status, ctype, body, chunked=False, close=False, extra=(), date=None):
        if close:
            self._start(status, ctype, None, False, True, extra, date)
            self._write_body(body)
        elif chunked:
            self._start(status, ctype, None, True, False, extra, date)
            # varied chunk sizes exercise the client's chunk parser
            sizes, i, k = [1, 7, 100, 1000, 4096, 3], 0, 0
            while i < len(body):
                n = sizes[k % len(sizes)]
                self._chunk(body[i:i + n])
                i += n
                k += 1
            self.wfile.write(b"0\r\nX-Trailer: done\r\n\r\n")
        else:
            self._start(status, ctype, len(body), False, False, extra, date)
            self._write_body(body)
        self.wfile.flush()

    def _stream(self, items, ctype, flags):
        """A streamed answer: items are (seconds to wait before, bytes)."""
        if "cl" in flags:
            return self._send(200, ctype, b"".join(b for _, b in items))
        cut = "cut" in flags
        if cut:
            self.server.cut(self.request)
        close = cut or "close" in flags
        self._start(200, ctype, None, chunked=not close, close=close)
        for delay, data in items:
            if delay:
                time.sleep(delay)
            if close:
                self.wfile.write(data)
                self.wfile.flush()
            else:
                self._chunk(data)
        if not close:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _api_error(self, provider, e, extra=(), date=None):
        return self._send(e.status, "application/json; charset=utf-8",
                          error_json(provider, e.status, e.message, e.etype), extra=extra,
                          date=date)

    def _auth(self, provider):
        """Raises ApiError when the request's credentials are not what
        provider's API asks for."""
        key, h = self.server.state.api_key, self.headers
        if provider == "anthropic":
            v = h.get("anthropic-version")
            if v is None:
                raise ApiError(400, "anthropic-version: header is required")
            if v != "2023-06-01":
                raise ApiError(400, "anthropic-version: unknown version %s" % v)
            if key is not None and h.get("x-api-key") != key:
                raise ApiError(401, "invalid x-api-key")
        elif provider == "gemini":
            if key is not None:
                got = h.get("x-goog-api-key")
                if got is None:
                    raise ApiError(403, "Method doesn't allow unregistered callers (callers "
                                   "without established identity). Please use API Key or "
                                   "other form of API consumer identity to call this API.")
                if got != key:
                    raise ApiError(400, "API key not valid. Please pass a valid API key.")
        elif provider == "ollama":
            auth = h.get("Authorization")
            if key is not None and auth is not None and auth != "Bearer " + key:
                raise ApiError(401, "unauthorized")
        elif key is not None and h.get("Authorization", "") != "Bearer " + key:
            raise ApiError(401, "Incorrect API key provided.")

    def do_GET(self):
        self.t0, self.info = time.time(), ""
        kind, _, _ = route(self.path)
        if kind in ("models-v1", "models-gemini", "models-ollama"):
            if kind == "models-v1":
                anth = "x-api-key" in self.headers or "anthropic-version" in self.headers
                provider = "anthropic" if anth else "openai"
            else:
                provider = kind.split("-")[1]
            try:
                self._auth(provider)
            except ApiError as e:
                return self._api_error(provider, e)
            return self._send(200, "application/json",
                              json.dumps(model_list(provider)).encode())
        parts = self.path.split("/")
        if len(parts) == 3 and parts[1] in ("file", "chunked", "close", "cut") and \
                parts[2].isdigit():
            n = int(parts[2])
            if n > 1 << 30:
                return self._send(413, "text/plain", b"too large\n")
            body = FileBody(n)
            if parts[1] == "cut":
                self.server.cut(self.request)
            return self._send(200, "application/octet-stream", body,
                              chunked=parts[1] == "chunked", close=parts[1] in ("close", "cut"))
        if self.path == "/hostile":
            return self._send(200, "text/plain", HOSTILE_BODY)
        if self.path == "/":
            return self._send(200, "text/plain", b"demo-llm server\n")
        self._send(404, "text/plain", b"not found\n")

    def _read_body(self):
        n = self.headers.get("Content-Length")
        if n is None or not n.isdigit() or int(n) > 1 << 20:
            return None
        return self.rfile.read(int(n))

    def do_POST(self):
        self.t0, self.info = time.time(), ""
        provider, gm, query = route(self.path)
        if provider not in PROVIDERS:
            return self._send(404, "application/json",
                              error_body("Unknown path %s" % self.path,
                                         "invalid_request_error", "not_found"))
        raw = self._read_body()
        bad, a = None, None
        try:
            req = json.loads(raw.decode("utf-8"))
            a = Answer(provider, *parse_request(provider, req, gm, query))
            self.info = " provider=%s model=%s tools=%s results=%s turns=%s" % (
                provider, urllib.parse.quote(a.model, safe=":/.@"),
                ",".join(a.declared) or "-",
                urllib.parse.quote(json.dumps([list(r) for r in a.results],
                                              separators=(",", ":"))),
                json.dumps([list(t) for t in a.turns], separators=(",", ":")))
        except ApiError as e:
            bad = e
        except Exception as e:  # noqa: BLE001 - any malformed request
            bad = ApiError(400, "Bad request: %s" % e.__class__.__name__)
        try:
            self._auth(provider)
        except ApiError as e:
            return self._api_error(provider, e)
        if bad:
            return self._api_error(provider, bad)
        if gm and gm[1] == "streamGenerateContent" and query != "alt=sse":
            a.json_array = True
        return self._answer(a)

    def _answer(self, a):
        model, provider = a.model, a.provider
        if model == "fail-500":
            return self._api_error(provider, ApiError(
                500, "The server had an error while processing your request."))
        if model == "fail-500-text":
            return self._send(500, "text/plain", b"upstream exploded\n")
        if model == "fail-429":
            return self._api_error(provider, ApiError(429, "Rate limit reached for requests."))
        if model == "fail-hostile":
            return self._api_error(provider, ApiError(400, HOSTILE))
        plan = retry_plan(model)
        if plan:
            status, times, headers = plan
            key = (provider, model, json.dumps(a.turns))
            if self.server.state.bump(key) <= times:
                now = int(time.time())
                if headers == "date":
                    headers = [("Retry-After", self.date_time_string(now + 2))]
                return self._api_error(provider, ApiError(status, _STATUS_MSG.get(
                    status, "Please retry.")), extra=headers, date=now)
        if not a.stream:
            cut = "cut" in a.flags
            if cut:
                self.server.cut(self.request)
            ctype, obj = whole_body_calls(a) if a.calls else whole_body(a)
            body = json.dumps(obj, ensure_ascii=provider == "openai").encode()
            return self._send(200, ctype, body, chunked="chunked" in a.flags,
                              close=cut or "close" in a.flags)
        if getattr(a, "json_array", False):
            ev = Events(a.flags, sse=False)
            (stream_gemini_calls if a.calls else stream_gemini)(a, ev)
            items = [(d, (b"[" if k == 0 else b",\r\n") + b.rstrip(b"\r\n"))
                     for k, (d, b) in enumerate(ev.items)] + [(0.0, b"]")]
            return self._stream(items, "application/json; charset=UTF-8", a.flags)
        ev = Events(a.flags, sse=provider != "ollama", ascii_json=provider == "openai")
        (CALL_STREAMERS if a.calls else STREAMERS)[provider](a, ev)
        ctype = "application/x-ndjson" if provider == "ollama" else \
            "text/event-stream; charset=utf-8"
        return self._stream(ev.items, ctype, a.flags)


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """One listener: HTTPS when ctx is an SSLContext, plain HTTP when None."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, ctx, state):
        super().__init__(addr, Handler, bind_and_activate=True)
        self.ctx = ctx
        self.tls = ctx is not None
        self.state = state
        self.log = state.log
        self._cut = set()
        self._lock = threading.Lock()

    def cut(self, request):
        """End this connection with a bare TCP FIN, no close_notify."""
        with self._lock:
            self._cut.add(request)

    def shutdown_request(self, request):
        with self._lock:
            cut = request in self._cut
            self._cut.discard(request)
        if cut:
            # Python's ssl sends close_notify only from unwrap(): without it
            # the close below is a TCP FIN after the last whole record
            self.log.write("conn cut without close_notify")
            return super().shutdown_request(request)
        if self.tls:
            # send close_notify before the TCP close, so a close-delimited body
            # cannot be confused with a truncation (RFC 8446 6.1)
            try:
                request.settimeout(5)
                request.unwrap()
            except (OSError, ValueError, ssl.SSLError):
                pass
        super().shutdown_request(request)

    def get_request(self):
        sock, addr = self.socket.accept()
        if not self.tls:
            return sock, addr
        # the handshake runs in the handler thread, on first use
        return self.ctx.wrap_socket(sock, server_side=True,
                                    do_handshake_on_connect=False), addr


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("port", type=int)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--api-key", default=None)
    ap.add_argument("--log", default=None)
    ap.add_argument("--http-port", type=int, default=None,
                    help="also serve plain HTTP on this port (0: a free one)")
    a = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    # Python's ssl sets OP_CIPHER_SERVER_PREFERENCE (then OpenSSL picks
    # AES-256-GCM whatever the client prefers); clear it so the client's
    # order decides, as with OpenSSL's and nginx's defaults.
    ctx.options &= ~ssl.OP_CIPHER_SERVER_PREFERENCE
    ctx.load_cert_chain(a.cert, a.key)
    state = State(a.api_key, Log(a.log))
    servers = [Server(("127.0.0.1", a.port), ctx, state)]
    print("PORT %d" % servers[0].server_address[1], flush=True)
    if a.http_port is not None:
        servers.append(Server(("127.0.0.1", a.http_port), None, state))
        print("HTTP_PORT %d" % servers[1].server_address[1], flush=True)
        threading.Thread(target=servers[1].serve_forever, kwargs={"poll_interval": 0.2},
                         daemon=True).start()

    def stop(signum, frame):
        for s in servers:
            threading.Thread(target=s.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        servers[0].serve_forever(poll_interval=0.2)
    finally:
        for s in servers:
            s.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
