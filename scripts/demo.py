#!/usr/bin/python3
"""The main job (`make demo`): the kernel asks an LLM a question over HTTPS.

No internet needed: it makes a local CA and a server certificate
(scripts/demo_ca.sh), starts a local OpenAI-compatible HTTPS endpoint on
127.0.0.1 (scripts/llm_server.py: TLS is the host's OpenSSL through Python's
ssl module; it streams a deterministic answer), builds an ISO that trusts the
demo CA besides the default anchors (make CA_EXTRA=...), boots it in QEMU and
shows the streamed answer on this terminal. The guest reaches the host's
loopback as 10.0.2.2 (QEMU user networking).

    scripts/demo.py [--prompt TEXT] [--timeout S]
"""
import argparse, os, signal, subprocess, sys, time, urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import qemu_run  # noqa: E402

PY = "/usr/bin/python3"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prompt", default="What is the answer to everything?")
    ap.add_argument("--timeout", type=float, default=900)
    a = ap.parse_args()
    build = os.path.join(ROOT, "build", "demo")
    pki = os.path.join(build, "pki")
    os.makedirs(build, exist_ok=True)
    subprocess.run(["sh", os.path.join(ROOT, "scripts", "demo_ca.sh"), pki, "demo.local"],
                   check=True, stdout=subprocess.DEVNULL)
    key = "demo-key"
    srv = subprocess.Popen([PY, os.path.join(ROOT, "scripts", "llm_server.py"), "0",
                            "--cert", os.path.join(pki, "server.pem"),
                            "--key", os.path.join(pki, "server.key"), "--api-key", key,
                            "--log", os.path.join(build, "llm_server.log")],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = srv.stdout.readline()
        if not line.startswith("PORT "):
            print("demo: the local LLM server did not start", file=sys.stderr)
            return 1
        port = int(line.split()[1])
        print("demo: local OpenAI-compatible endpoint on https://127.0.0.1:%d "
              "(the guest sees it as 10.0.2.2:%d)" % (port, port), flush=True)
        # %-encoded: GRUB's command-line parsing would eat spaces and quotes
        prompt = urllib.parse.quote(a.prompt, safe="")
        cmdline = ('llm=https://10.0.2.2:%d/v1/chat/completions model=demo key=%s '
                   'prompt=%s exit=1' % (port, key, prompt))
        print("demo: building an ISO that trusts %s/ca.pem, command line: %s" % (pki, cmdline),
              flush=True)
        subprocess.run(["make", "-s", "-j2", "BUILD=" + build,
                        "CA_EXTRA=" + os.path.join(pki, "ca.pem"), "CMDLINE=" + cmdline,
                        os.path.join(build, "os.iso"),
                        # the accelerator probe (qemu_run) boots this copy
                        os.path.join(build, "kernel32.elf")], cwd=ROOT, check=True)
        # two CPUs: the second one decrypts the TLS records (kernel/smp.h)
        cmd = qemu_run.qemu_command(iso=os.path.join(build, "os.iso"), smp=2)
        print("demo: booting: " + " ".join(cmd), flush=True)
        q = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        try:
            rc = q.wait(timeout=a.timeout)
        except subprocess.TimeoutExpired:
            q.kill()
            print("demo: timed out after %ds" % a.timeout, file=sys.stderr)
            return 1
        status = qemu_run.EXIT_STATUS.get(rc)
        print("demo: kernel finished: %s" % (status or "exit code %d" % rc), flush=True)
        return 0 if status == "ok" else 1
    finally:
        srv.send_signal(signal.SIGTERM)
        try:
            srv.wait(timeout=10)
        except subprocess.TimeoutExpired:
            srv.kill()


if __name__ == "__main__":
    sys.exit(main())
