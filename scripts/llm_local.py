"""The local LLM server (scripts/llm_server.py) as the demo and bench-llm
use it: started on a free port of 127.0.0.1, stopped by its own process,
and a typist that answers the kernel's console lines with scripted input.

start() returns (process, port) or (None, None) when the server did not
come up; stop() ends it (SIGTERM, then SIGKILL after 10 s)."""
import os, signal, subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PY = "/usr/bin/python3"


def start(pki, api_key, log=None):
    cmd = [PY, os.path.join(ROOT, "scripts", "llm_server.py"), "0",
           "--cert", os.path.join(pki, "server.pem"),
           "--key", os.path.join(pki, "server.key"), "--api-key", api_key]
    if log:
        cmd += ["--log", log]
    srv = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = srv.stdout.readline()
    if not line.startswith("PORT "):
        stop(srv)
        return None, None
    return srv, int(line.split()[1])


def stop(srv):
    if srv is None:
        return
    srv.send_signal(signal.SIGTERM)
    try:
        srv.wait(timeout=10)
    except subprocess.TimeoutExpired:
        srv.kill()


def typist(script, echo=False):
    """An on_line callback for qemu_run.boot: script is a list of
    (prefix, text); when a console line starts with the first prefix, its
    text is typed (with a carriage return) and the pair is dropped."""
    def on_line(line, proc):
        if echo:
            print(line, flush=True)
        if script and line.startswith(script[0][0]):
            proc.stdin.write((script.pop(0)[1] + "\r").encode())
            proc.stdin.flush()
    return on_line
