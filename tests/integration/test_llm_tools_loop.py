"""The llm= job's tool loop (app/llm_tools.c) in QEMU against a small
plain-HTTP OpenAI chat fake of its own (the shared fakes of
scripts/llm_server.py learn tool calls separately): the first request of
a turn is answered, streamed, with two calls (clock and net_info, their
arguments split into several deltas); the follow-up, which must carry
the calls and both results, gets a text answer. The kernel's lines and
the request bodies are checked."""
import json
import re
import threading
import http.server

from test_https import kernel, pki  # noqa: F401  (fixtures)
from qemu import boot


class ToolFake:
    """OpenAI chat completions over plain HTTP on 127.0.0.1; records every
    request body."""

    def __init__(self):
        bodies = self.bodies = []

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def chunk(self, obj):
                return ("data: " + json.dumps(obj) + "\n\n").encode()

            def do_POST(self):
                req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                bodies.append(req)
                msgs = req.get("messages", [])
                out = b""
                if msgs and msgs[-1].get("role") == "tool":
                    results = ["%s=%s" % (m.get("tool_call_id"), m.get("content"))
                               for m in msgs if m.get("role") == "tool"]
                    text = "Tool results: " + "; ".join(results)
                    out += self.chunk({"choices": [{"index": 0, "delta": {"content": text}}]})
                    out += self.chunk({"choices": [{"index": 0, "delta": {},
                                                    "finish_reason": "stop"}]})
                else:
                    for i, name in enumerate(("clock", "net_info")):
                        out += self.chunk({"choices": [{"index": 0, "delta": {"tool_calls": [
                            {"index": i, "id": "call_%s" % name, "type": "function",
                             "function": {"name": name, "arguments": ""}}]}}]})
                        for frag in ("{", "}"):
                            out += self.chunk({"choices": [{"index": 0, "delta": {
                                "tool_calls": [{"index": i, "function": {"arguments": frag}}]}}]})
                    out += self.chunk({"choices": [{"index": 0, "delta": {},
                                                    "finish_reason": "tool_calls"}]})
                out += b"data: [DONE]\n\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
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


def test_llm_tool_loop_two_calls(kernel):  # noqa: F811
    srv = ToolFake()
    try:
        r = boot(kernel=kernel, cmdline="llm=http://10.0.2.2:%d/v1/chat/completions "
                 "model=tools-two prompt=status? tools=clock,net_info exit=1" % srv.port,
                 timeout=240)
    finally:
        srv.stop()
    assert r.status == "ok", r.output
    out = r.output
    assert re.search(r"^llm: tool call=clock args=\{\}$", out, re.M), out
    assert re.search(r"^llm: tool result=clock status=ok bytes=\d+ ms=\d+$", out, re.M), out
    assert re.search(r"^llm: tool call=net_info args=\{\}$", out, re.M), out
    assert re.search(r"^llm: tool result=net_info status=ok bytes=\d+ ms=\d+$", out, re.M), out
    # the calls-only round printed neither an answer nor a done line
    assert len(re.findall(r"^llm: answer: ", out, re.M)) == 1, out
    done = re.findall(r"^llm: done status=200 provider=openai model=tools-two .* turn=(\d+) "
                      r"tool_calls=(\d+)$", out, re.M)
    assert done == [("1", "2")], out
    assert "llm: answer: Tool results: call_clock={" in out, out
    # the declared tools, then the follow-up with the calls and results
    assert len(srv.bodies) == 2, srv.bodies
    assert [t["function"]["name"] for t in srv.bodies[0]["tools"]] == ["clock", "net_info"]
    msgs = srv.bodies[1]["messages"]
    assert [m["role"] for m in msgs] == ["user", "assistant", "tool", "tool"], msgs
    assert msgs[0]["content"] == "status?"
    assert [(c["id"], c["function"]["name"], c["function"]["arguments"])
            for c in msgs[1]["tool_calls"]] == [("call_clock", "clock", "{}"),
                                                ("call_net_info", "net_info", "{}")], msgs
    clock = json.loads(msgs[2]["content"])
    assert msgs[2]["tool_call_id"] == "call_clock"
    assert re.match(r"^\d{4}-\d\d-\d\dT", clock["utc"]), clock
    assert msgs[3]["tool_call_id"] == "call_net_info"
    assert isinstance(json.loads(msgs[3]["content"]), dict)
    assert "tools" in srv.bodies[1]
