#!/usr/bin/python3
"""The main job (`make demo`): a four-turn chat with an LLM over HTTPS,
typed into the kernel's serial console, the last turn answered with the
help of a kernel tool.

No internet needed: it makes a local CA and a server certificate
(scripts/demo_ca.sh), starts a local OpenAI-compatible HTTPS endpoint on
127.0.0.1 (scripts/llm_server.py: TLS is the host's OpenSSL through Python's
ssl module; it streams a deterministic answer), builds an ISO that trusts the
demo CA besides the default anchors (make CA_EXTRA=...), boots it in QEMU and
types three questions into the chat (llm= without prompt=: each request
carries the conversation so far), then switches to the fake's model
tools-clock (/model tools-clock), whose first answer calls the kernel's
clock tool (`llm: tool call=clock ...`): the kernel runs it, sends the
result back and the model answers with it. Then /usage and quit, showing
the console on this terminal. The guest reaches the host's loopback as
10.0.2.2 (QEMU user networking). It succeeds when the four turns were
answered and the kernel ended with status=ok; it says how many tool calls
the fourth turn ran (tool_calls= of its done line).

    scripts/demo.py [--prompt TEXT]... [--timeout S]
"""
import argparse, os, re, subprocess, sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import llm_local, qemu_run  # noqa: E402

PROMPTS = ["What is the answer to everything?", "Why that number?",
           "Say it once more, briefly."]
TOOL_PROMPT = "What time is it?"     # asked of tools-clock


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prompt", action="append",
                    help="a question (give it up to three times; default: %s)"
                    % " / ".join(PROMPTS))
    ap.add_argument("--timeout", type=float, default=300)
    a = ap.parse_args()
    build = os.path.join(ROOT, "build", "demo")
    pki = os.path.join(build, "pki")
    os.makedirs(build, exist_ok=True)
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "demo_ca.sh"), pki, "demo.local"],
                   check=True, stdout=subprocess.DEVNULL)
    key = "demo-key"
    srv, port = llm_local.start(pki, key, log=os.path.join(build, "llm_server.log"))
    if srv is None:
        print("demo: the local LLM server did not start", file=sys.stderr)
        return 1
    try:
        print("demo: local OpenAI-compatible endpoint on https://127.0.0.1:%d "
              "(the guest sees it as 10.0.2.2:%d)" % (port, port), flush=True)
        prompts = (a.prompt or [])[:3]
        prompts += PROMPTS[len(prompts):]
        # the key reaches the kernel at run time through QEMU's fw_cfg
        # (opt/llm/key), never through the image
        keyfile = os.path.join(build, "llm.key")
        with open(keyfile, "w") as f:
            f.write(key)
        fw_cfg = [("opt/llm/key", keyfile)]
        cmdline = 'llm=https://10.0.2.2:%d/v1/chat/completions model=demo exit=1' % port
        print("demo: building an ISO that trusts %s/ca.pem, command line: %s" % (pki, cmdline),
              flush=True)
        subprocess.run(["make", "-s", "-j2", "BUILD=" + build,
                        "CA_EXTRA=" + os.path.join(pki, "ca.pem"), "CMDLINE=" + cmdline,
                        os.path.join(build, "os.iso"),
                        # the accelerator probe (qemu_run) boots this copy
                        os.path.join(build, "kernel32.elf")], cwd=ROOT, check=True)
        # two CPUs: the second one decrypts the TLS records (kernel/smp.h)
        iso = os.path.join(build, "os.iso")
        print("demo: booting: " + " ".join(qemu_run.qemu_command(iso=iso, smp=2, fw_cfg=fw_cfg)),
              flush=True)
        # what to type, each after the line that starts with its trigger
        script = [("llm: interactive:", prompts[0]), ("llm: done", prompts[1]),
                  ("llm: done", prompts[2]), ("llm: done", "/model tools-clock"),
                  ("llm: model=", TOOL_PROMPT), ("llm: done", "/usage"), ("llm: usage", "quit")]

        on_line = llm_local.typist(script, echo=True)
        r = qemu_run.boot(iso=iso, smp=2, timeout=a.timeout, on_line=on_line, fw_cfg=fw_cfg)
        if r.timed_out:
            print("demo: timed out after %ds" % a.timeout, file=sys.stderr)
            return 1
        done = re.findall(r"^llm: done status=200 .* turn=(\d+) tool_calls=(\d+)$", r.output,
                          re.M)
        turns = [t for t, _ in done]
        ok = r.status == "ok" and turns == ["1", "2", "3", "4"] and not script
        print("demo: kernel finished: %s, %d of 4 turns answered, the last with %s tool call(s)"
              % (r.status or "exit code %s" % r.returncode, len(turns),
                 done[3][1] if len(done) > 3 else "-"), flush=True)
        return 0 if ok else 1
    finally:
        llm_local.stop(srv)

if __name__ == "__main__":
    sys.exit(main())
