"""Shared by the LLM test files: FakeLlm, which runs scripts/llm_server.py
with its HTTPS and plain-HTTP listeners on free ports of 127.0.0.1 (stopped
by its own pid), reads its request log back (llm_server.parse_log), and
builds each provider's URL as the guest reaches it (10.0.2.2)."""
import os
import re
import signal
import subprocess
import sys

from qemu import ROOT

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import llm_server  # noqa: E402

# provider -> the chat path its API uses (Gemini's carries the model)
PATHS = {
    "openai": "/v1/chat/completions",
    "responses": "/v1/responses",
    "anthropic": "/v1/messages",
    "gemini": "/v1beta/models/%s:streamGenerateContent?alt=sse",
    "ollama": "/api/chat",
}


def chat_path(provider, model="demo", stream=True):
    """The path of provider's chat endpoint (Gemini: the model's, streamed
    with alt=sse or not)."""
    if provider == "gemini":
        return "/v1beta/models/%s:%s" % (model, "streamGenerateContent?alt=sse" if stream
                                         else "generateContent")
    return PATHS[provider]


class FakeLlm:
    """scripts/llm_server.py on two free ports: .port (HTTPS) and .http_port."""

    def __init__(self, pki, tmp, api_key=None):
        self.log = os.path.join(str(tmp), "llm_server.log")
        argv = [sys.executable, os.path.join(ROOT, "scripts", "llm_server.py"), "0",
                "--cert", os.path.join(pki, "server.pem"),
                "--key", os.path.join(pki, "server.key"), "--log", self.log,
                "--http-port", "0"]
        if api_key:
            argv += ["--api-key", api_key]
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        lines = [self.p.stdout.readline(), self.p.stdout.readline()]
        m1 = re.match(r"PORT (\d+)$", lines[0].strip())
        m2 = re.match(r"HTTP_PORT (\d+)$", lines[1].strip())
        if not (m1 and m2):
            self.stop()
            raise AssertionError("llm_server did not print its ports: %r" % lines)
        self.port, self.http_port = int(m1.group(1)), int(m2.group(1))

    def url(self, provider, model="demo", plain=False, host="10.0.2.2", stream=True):
        """provider's chat URL on this server, as host reaches it."""
        return "%s://%s:%d%s" % ("http" if plain else "https", host,
                                 self.http_port if plain else self.port,
                                 chat_path(provider, model, stream))

    def lines(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return f.read().splitlines()

    def entries(self):
        """Every request the server answered (llm_server.parse_log)."""
        return llm_server.parse_log(self.lines())

    def chats(self):
        """The chat requests (those with turns), in order."""
        return [e for e in self.entries() if "turns" in e]

    def stop(self):
        if self.p.poll() is None:
            os.kill(self.p.pid, signal.SIGTERM)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.p.pid, signal.SIGKILL)
                self.p.wait()
