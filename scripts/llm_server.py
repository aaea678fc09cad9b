#!/usr/bin/python3
"""Local OpenAI-compatible HTTPS endpoint for the demo and the tests.

Usage: llm_server.py PORT --cert server.pem --key server.key [--api-key KEY] [--log FILE]
  PORT 0 picks a free port; the chosen one is printed as "PORT <n>" on stdout.
  Listens on 127.0.0.1 only, TLS 1.3 only (Python's ssl module); the
  cipher suite is the client's first choice. Stops cleanly on SIGTERM/SIGINT.

Endpoints (HTTP/1.1, keep-alive unless the client sends Connection: close):
  POST /v1/chat/completions   {"model":M,"messages":[...],"stream":bool}
      - wrong/missing bearer key when --api-key is set: 401 + OpenAI error JSON
      - model "fail-500": 500 JSON error; "fail-429": 429 JSON error;
        "fail-500-text": 500 with a text/plain body
      - stream true: text/event-stream, the answer split into several
        `data:` deltas, then a finish_reason chunk and `data: [DONE]`.
        Chunked by default; model ending in "-cl" sends Content-Length,
        "-close" ends the body by closing the connection; "-slow" sleeps
        50 ms between events.
      - stream false: one JSON chat.completion (Content-Length; model
        ending in "-chunked": chunked)
      - model ending in "-cut": the whole answer (streamed or not),
        delimited by closing the connection, but the close is a bare TCP
        FIN without TLS close_notify (as an attacker cutting the
        connection would make it): the client must call it truncated
      The answer is answer_for(last user message): deterministic, with
      non-ASCII characters (one outside the BMP, sent as a surrogate pair).
      - model "hostile" (streamed or not): the answer is HOSTILE (terminal
        controls and lines that read like the kernel's summary lines);
        "fail-hostile": a 400 whose error message is HOSTILE
  GET /hostile         HOSTILE_BODY (text/plain, Content-Length)
  GET /file/N          N deterministic bytes (file_bytes(N)), Content-Length
  GET /chunked/N       the same bytes, chunked in pieces of varied sizes
  GET /close/N         the same bytes, delimited by closing the connection
  GET /cut/N           the same bytes, close-delimited, then a TCP FIN without
                       close_notify after the last whole TLS record
Every response carries X-Conn-Request: K (the K-th request on its
connection); --log FILE appends one line per event ("conn C req K METHOD
PATH STATUS", "conn C tls-error ...") for the tests.
"""
import argparse
import json
import os
import signal
import socket
import socketserver
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

FIXED_CREATED = 1700000000


def answer_for(prompt):
    """The deterministic answer to a prompt (tests import this)."""
    return ('Demo answer to "%s":\nThe answer is 42 \u2014 caf\u00e9 \U0001F600. '
            'Streaming works in several pieces.' % prompt)


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


class Log:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def write(self, line):
        sys.stderr.write("llm_server: %s\n" % line)
        if self.path:
            with self.lock, open(self.path, "a") as f:
                f.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "demo-llm/1.0"
    timeout = 60

    def setup(self):
        super().setup()
        self.conn_id = self.server.next_conn_id()
        self.req_count = 0

    def handle(self):
        try:
            super().handle()
        except (ssl.SSLError, ConnectionError, OSError) as e:
            self.server.log.write("conn %d tls-error %s" % (self.conn_id, e.__class__.__name__))

    def log_message(self, fmt, *args):
        pass

    def _start(self, status, ctype, length=None, chunked=False, close=False, extra=()):
        self.req_count += 1
        self.server.log.write("conn %d req %d %s %s %d" % (self.conn_id, self.req_count,
                                                          self.command, self.path, status))
        self.send_response(status)
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

    def _send(self, status, ctype, body, chunked=False, close=False, extra=()):
        if close:
            self._start(status, ctype, None, False, True, extra)
            self._write_body(body)
        elif chunked:
            self._start(status, ctype, None, True, False, extra)
            # varied chunk sizes exercise the client's chunk parser
            sizes, i, k = [1, 7, 100, 1000, 4096, 3], 0, 0
            while i < len(body):
                n = sizes[k % len(sizes)]
                self._chunk(body[i:i + n])
                i += n
                k += 1
            self.wfile.write(b"0\r\nX-Trailer: done\r\n\r\n")
        else:
            self._start(status, ctype, len(body), False, False, extra)
            self._write_body(body)
        self.wfile.flush()

    def do_GET(self):
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
        if self.path != "/v1/chat/completions":
            return self._send(404, "application/json",
                              error_body("Unknown path %s" % self.path,
                                         "invalid_request_error", "not_found"))
        raw = self._read_body()
        try:
            req = json.loads(raw.decode("utf-8"))
            model = str(req["model"])
            msgs = req["messages"]
            prompt = [m for m in msgs if m.get("role") == "user"][-1]["content"]
            stream = bool(req.get("stream", False))
        except Exception as e:  # noqa: BLE001 - any malformed request
            return self._send(400, "application/json",
                              error_body("Bad request: %s" % e.__class__.__name__,
                                         "invalid_request_error", None))
        key = self.server.api_key
        if key is not None and self.headers.get("Authorization", "") != "Bearer " + key:
            return self._send(401, "application/json",
                              error_body("Incorrect API key provided.",
                                         "invalid_request_error", "invalid_api_key"))
        if model == "fail-500":
            return self._send(500, "application/json",
                              error_body("The server had an error while processing your request.",
                                         "server_error", None))
        if model == "fail-500-text":
            return self._send(500, "text/plain", b"upstream exploded\n")
        if model == "fail-429":
            return self._send(429, "application/json",
                              error_body("Rate limit reached for requests.",
                                         "requests", "rate_limit_exceeded"))
        if model == "fail-hostile":
            return self._send(400, "application/json",
                              error_body(HOSTILE, "invalid_request_error", None))
        text = HOSTILE if model.startswith("hostile") else answer_for(prompt)
        cut = model.endswith("-cut")
        if cut:
            self.server.cut(self.request)
        if not stream:
            body = json.dumps({
                "id": "chatcmpl-demo", "object": "chat.completion", "created": FIXED_CREATED,
                "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": len(prompt.split()), "completion_tokens": 12,
                          "total_tokens": 12 + len(prompt.split())},
            }).encode()
            return self._send(200, "application/json", body,
                              chunked=model.endswith("-chunked"), close=cut)

        def chunk(delta, finish=None):
            return ("data: " + json.dumps({
                "id": "chatcmpl-demo", "object": "chat.completion.chunk",
                "created": FIXED_CREATED, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }) + "\n\n").encode()

        events = [chunk({"role": "assistant", "content": ""})]
        events += [chunk({"content": p}) for p in pieces_of(text)]
        events += [chunk({}, "stop"), b"data: [DONE]\n\n"]
        if model.endswith("-cl"):
            return self._send(200, "text/event-stream", b"".join(events))
        close = model.endswith("-close") or cut
        self._start(200, "text/event-stream", None, chunked=not close, close=close)
        for k, ev in enumerate(events):
            if k == 1:
                ev = b": keep-alive comment\r\n" + ev
            if close:
                self.wfile.write(ev)
                self.wfile.flush()
            else:
                self._chunk(ev)
            if model.endswith("-slow"):
                time.sleep(0.05)
        if not close:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, ctx, api_key, log):
        super().__init__(addr, Handler, bind_and_activate=True)
        self.ctx = ctx
        self.api_key = api_key
        self.log = log
        self._ids = 0
        self._cut = set()
        self._lock = threading.Lock()

    def next_conn_id(self):
        with self._lock:
            self._ids += 1
            return self._ids

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
    a = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    # Python's ssl sets OP_CIPHER_SERVER_PREFERENCE (then OpenSSL picks
    # AES-256-GCM whatever the client prefers); clear it so the client's
    # order decides, as with OpenSSL's and nginx's defaults.
    ctx.options &= ~ssl.OP_CIPHER_SERVER_PREFERENCE
    ctx.load_cert_chain(a.cert, a.key)
    srv = Server(("127.0.0.1", a.port), ctx, a.api_key, Log(a.log))
    print("PORT %d" % srv.server_address[1], flush=True)

    def stop(signum, frame):
        threading.Thread(target=srv.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
