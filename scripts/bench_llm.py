#!/usr/bin/python3
"""Time to first token and per-turn time of the kernel's chat against the
local endpoint (`make bench-llm`), beside a host client measured in the
same run against the same server.

The kernel (built to trust the test CA) chats with scripts/llm_server.py
over HTTPS on one keep-alive connection: --turns prompts typed on the
serial console, each request carrying the conversation so far. Its done
lines give ttft_ms (request sent to the first content byte) and ms (the
whole exchange). The reference is a host client (Python's http.client and
ssl, the host's OpenSSL) that sends the same requests, the same growing
history, on one keep-alive connection to the same server, and times the
same two points. The per-turn overhead is the kernel's time per turn
minus the reference's (median of the turns after the first, which also
pays for the TLS handshake: that is reported on its own).

    scripts/bench_llm.py --kernel build/test-https/kernel32.elf --pki build/test-pki [--turns 10]
"""
import argparse, http.client, json, os, re, ssl, statistics, sys, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import llm_local, qemu_run  # noqa: E402

KEY = "bench-key"
DONE = re.compile(r"^llm: done status=200 .* ttft_ms=(\d+) ms=(\d+) turn=(\d+)", re.M)
CONNECTED = re.compile(r"^llm: connected .* handshake_ms=(\d+)", re.M)


def prompts(n):
    return ["Question %d: what is %d times %d?" % (i + 1, i + 2, i + 3) for i in range(n)]


def host_reference(port, cafile, qs):
    """(handshake_ms, [(ttft_ms, total_ms)]) of the host client."""
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = False          # the leaf names demo.local and 10.0.2.2, not 127.0.0.1
    t0 = time.monotonic()
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx)
    conn.connect()
    hs = (time.monotonic() - t0) * 1000
    history, out = [], []
    for q in qs:
        body = json.dumps({"model": "demo", "stream": True,
                           "messages": history + [{"role": "user", "content": q}]})
        t0 = time.monotonic()
        conn.request("POST", "/v1/chat/completions", body=body,
                     headers={"Content-Type": "application/json",
                              "Authorization": "Bearer " + KEY})
        r = conn.getresponse()
        first, text = None, []
        for raw in r:
            line = raw.decode().strip()
            if not line.startswith("data:") or line == "data: [DONE]":
                continue
            d = json.loads(line[5:])
            c = (d.get("choices") or [{}])[0].get("delta", {}).get("content")
            if c:
                if first is None:
                    first = time.monotonic()
                text.append(c)
        end = time.monotonic()
        out.append(((first - t0) * 1000, (end - t0) * 1000))
        history += [{"role": "user", "content": q}, {"role": "assistant", "content": "".join(text)}]
    conn.close()
    return hs, out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--pki", required=True)
    ap.add_argument("--turns", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()
    srv, port = llm_local.start(a.pki, KEY)
    if srv is None:
        print("bench-llm: the local LLM server did not start", file=sys.stderr)
        return 1
    try:
        qs = prompts(a.turns)
        keyfile = os.path.join(os.path.dirname(os.path.abspath(a.kernel)), "bench-llm.key")
        with open(keyfile, "w") as f:
            f.write(KEY)
        script = [("llm: interactive:", qs[0])] + [("llm: done", q) for q in qs[1:]] + \
                 [("llm: done", "quit")]

        on_line = llm_local.typist(script)
        r = qemu_run.boot(kernel=a.kernel, smp=2, timeout=a.timeout, on_line=on_line,
                          cmdline="llm=https://10.0.2.2:%d/v1/chat/completions model=demo exit=1"
                          % port, fw_cfg=[("opt/llm/key", keyfile)])
        done = [(int(t), int(m)) for t, m, _ in DONE.findall(r.output)]
        hs = CONNECTED.search(r.output)
        if r.status != "ok" or len(done) != a.turns or not hs:
            print(r.output[-3000:])
            print("bench-llm: the kernel answered %d of %d turns (status %s)"
                  % (len(done), a.turns, r.status), file=sys.stderr)
            return 1
        ref_hs, ref = host_reference(port, os.path.join(a.pki, "ca.pem"), qs)
    finally:
        llm_local.stop(srv)

    def med(xs):
        return statistics.median(xs)
    print("bench-llm: %d turns on one keep-alive connection, model demo (no server delay), "
          "guest under %s" % (a.turns, "KVM" if "kvm" in " ".join(r.cmd) else "TCG"))
    print("%-28s %10s %10s %8s" % ("", "kernel", "host", "ratio"))
    print("%-28s %10d %10.1f %8.1f" % ("TLS handshake ms", int(hs.group(1)), ref_hs,
                                       int(hs.group(1)) / max(ref_hs, 0.1)))
    rows = [("ttft ms, turn 1", done[0][0], ref[0][0]),
            ("ttft ms, median turns 2..N", med([d[0] for d in done[1:]]),
             med([x[0] for x in ref[1:]])),
            ("turn ms, median turns 2..N", med([d[1] for d in done[1:]]),
             med([x[1] for x in ref[1:]]))]
    for name, k, h in rows:
        print("%-28s %10.1f %10.1f %8.1f" % (name, k, h, k / max(h, 0.1)))
    print("per-turn overhead (kernel - host, median turns 2..N): %.1f ms"
          % (rows[2][1] - rows[2][2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
