#!/usr/bin/env python3
"""Network benchmarks on the loopback only (the guest reaches the host as
10.0.2.2 through QEMU's user-mode network) and, when run as root with
iproute2/nftables/ethtool, against Linux in private network namespaces
(tests/integration/netns.py: QEMU on a tap, a Linux router, a Linux peer):

  bench_net.py tcp   [--mb N]            guest plain-TCP download (tcpget=)
                                         vs the host's curl of the same file;
                                         then against Linux: download MB/s,
                                         8 MiB upload clean and at --loss %
                                         random loss each way (--rounds R),
                                         where each lossy upload's time went
                                         (the guest's recovery counters),
                                         and Linux-to-Linux uploading the
                                         same through the same router, clean
                                         and lossy, in the same run (and at
                                         the guest's RTT when netem exists)
  bench_net.py https [--mb N] [--rounds R] --kernel K
                                         guest HTTPS download (get=) vs guest
                                         plain TCP vs host curl, from the same
                                         server, and power-on -> first byte;
                                         R rounds (3), each HTTPS figure
                                         divided by its round's plain TCP

Every figure is measured in this run; ratios are against the reference
measured in the same run. The guest hashes every byte it receives (SHA-256)
and the hash is checked, so a figure is never reported for a wrong stream."""
import argparse, hashlib, os, re, socket, subprocess, sys, threading, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import qemu_run                # noqa: E402
import llm_server              # noqa: E402  (file_bytes)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import netns                   # noqa: E402  (the namespace lab)

NETCFG = "ip=10.0.2.15/24 gw=10.0.2.2"


class FileServer:
    """Serves one in-memory file: raw on .raw_port (the bytes, then FIN) and as
    HTTP/1.1 on .http_port (for curl). One thread per connection."""

    def __init__(self, data):
        self.data = data
        self.socks = []
        self.raw_port = self._listen(self._raw)
        self.http_port = self._listen(self._http)

    def _listen(self, handler):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(4)
        self.socks.append(s)
        threading.Thread(target=self._accept, args=(s, handler), daemon=True).start()
        return s.getsockname()[1]

    def _accept(self, s, handler):
        while True:
            try:
                c, _ = s.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c, handler), daemon=True).start()

    def _serve(self, c, handler):
        try:
            handler(c)
        except OSError:
            pass
        finally:
            c.close()

    def _raw(self, c):
        mv = memoryview(self.data)
        for i in range(0, len(mv), 1 << 20):
            c.sendall(mv[i:i + (1 << 20)])

    def _http(self, c):
        req = b""
        while b"\r\n\r\n" not in req:
            d = c.recv(4096)
            if not d:
                return
            req += d
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(self.data))
        self._raw(c)

    def close(self):
        for s in self.socks:
            s.close()


def curl(url, extra=()):
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{size_download} %{time_total}",
                          *extra, url], stdout=subprocess.PIPE, text=True, check=True).stdout
    n, t = out.split()
    return int(n), float(t)


SMP = None                     # -smp for the guest runs (--smp)


class HostCPU:
    """Host CPU seconds spent while one guest boots: each QEMU thread (named
    with debug-threads: "CPU 0/TCG", "CPU 1/TCG", the main loop) and the
    host's idle time (/proc/stat). QEMU's threads are sampled every 0.2 s
    while it runs (they are gone once it exits), so a thread's last 0.2 s
    may be missing. One QEMU at a time."""
    TCK = os.sysconf("SC_CLK_TCK")

    def __init__(self):
        self.threads = {}
        self.stop = threading.Event()
        self.idle0 = self._idle()
        self.t0 = time.monotonic()
        self.th = threading.Thread(target=self._watch, daemon=True)
        self.th.start()

    @staticmethod
    def _idle():
        with open("/proc/stat") as f:
            v = f.readline().split()[1:]
        return (int(v[3]) + int(v[4])) / HostCPU.TCK      # idle + iowait

    def _sample(self, pid):
        for t in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/comm" % (pid, t)) as f:
                    name = f.read().strip()
                with open("/proc/%d/task/%s/stat" % (pid, t)) as f:
                    v = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            name = {"qemu-system-x86": "main loop"}.get(name, name)
            self.threads[(t, name)] = (int(v[11]) + int(v[12])) / self.TCK

    def _watch(self):
        # pgrep only until QEMU is found: a process spawned every 0.2 s took
        # ~3 % of the host's CPU from the guest (perf, 2026-12-06)
        pid = None
        while not self.stop.wait(0.2):
            if pid is None:
                found = subprocess.run(["pgrep", "-x", "-P", str(os.getpid()), "qemu-system-x86"],
                                       capture_output=True, text=True).stdout.split()
                pid = int(found[0]) if found else None
            if pid is not None:
                try:
                    self._sample(pid)
                except OSError:
                    pass

    def finish(self):
        self.stop.set()
        self.th.join()
        self.wall = time.monotonic() - self.t0
        self.idle = self._idle() - self.idle0
        by = {}
        for (_, name), v in self.threads.items():
            if name.startswith("CPU ") or name == "main loop":
                by[name] = by.get(name, 0) + v
        self.by = by
        return self

    def line(self):
        parts = ", ".join("%s %.1f" % (k, v) for k, v in sorted(self.by.items()))
        return ("host CPU s over the whole boot (%.1f s, %d cores): %s; host idle %.1f" %
                (self.wall, os.cpu_count(), parts, self.idle))


def guest(kernel, cmdline, timeout, on_line=None):
    cpu = HostCPU()
    r = qemu_run.boot(kernel=kernel, cmdline=NETCFG + " " + cmdline + " exit=1", timeout=timeout,
                      on_line=on_line, smp=SMP, extra=["-name", "bench,debug-threads=on"])
    r.host_cpu = cpu.finish()
    if r.timed_out or "kernel: done status=ok" not in r.output:
        sys.stderr.write(r.output[-3000:])
        sys.exit("bench: guest run failed")
    return r


def guest_tcp(kernel, port, size, want):
    r = guest(kernel, "tcpget=10.0.2.2:%d" % port, 1800)
    m = re.search(r"^tcp: bytes=(\d+) sha256=([0-9a-f]{64}) ms=(\d+)", r.output, re.M)
    if not m or int(m.group(1)) != size or m.group(2) != want:
        sys.exit("bench: guest TCP download wrong: %s" % (m.group(0) if m else r.output[-2000:]))
    return size / 1e6 / (int(m.group(3)) / 1000.0), r.host_cpu


def guest_https(kernel, port, size, want, suites, extra_args=""):
    """One boot with get=: MB/s, the summary match, host seconds from QEMU
    start to the first response byte, the kernel's own figure and the
    receive pipeline's line (None without one)."""
    first = {}

    def on_line(line, proc):
        if "first response byte" in line and "t" not in first:
            first["t"] = time.monotonic() - t0
    extra = (" tls_suites=" + suites if suites else "") + extra_args
    t0 = time.monotonic()
    r = guest(kernel, "get=https://10.0.2.2:%d/file/%d%s" % (port, size, extra), 1800, on_line)
    m = re.search(r"^https: status=200 bytes=(\d+) sha256=([0-9a-f]{64}) suite=(\S+) group=(\S+) "
                  r"sig=(\S+) handshake_ms=(\d+) .* ms=(\d+)", r.output, re.M)
    if not m or int(m.group(1)) != size or m.group(2) != want:
        sys.exit("bench: guest HTTPS download wrong: %s" % (m.group(0) if m else r.output[-2000:]))
    k = re.search(r"first response byte at kernel_ms=(\d+)", r.output)
    pipe = re.search(r"^tls: rx_pipeline (.*)$", r.output, re.M)
    smp = re.search(r"^smp: (ap_jobs=.*)$", r.output, re.M)
    if pipe and smp:
        pipe = pipe.group(1) + "; " + smp.group(1)
    elif pipe:
        pipe = pipe.group(1)
    return (size / 1e6 / (int(m.group(7)) / 1000.0), m, first.get("t", float("nan")),
            k.group(1) if k else "?", pipe, r.host_cpu)


def row(name, mbps, ref=None, ref_name=""):
    s = "  %-34s %9.1f MB/s" % (name, mbps)
    if ref:
        s += "   ratio %.2f of %s" % (mbps / ref, ref_name)
    print(s, flush=True)


def bench_tcp(args):
    size = args.mb << 20
    data = llm_server.file_bytes(size)
    want = hashlib.sha256(data).hexdigest()
    srv = FileServer(data)
    try:
        print("bench-net: %d MiB over plain TCP, guest %s -smp %d, QEMU user network" %
              (args.mb, " ".join(qemu_run.accel_args()), SMP or 1), flush=True)
        n, t = curl("http://127.0.0.1:%d/" % srv.http_port)
        assert n == size, n
        host = size / 1e6 / t
        g, _ = guest_tcp(args.kernel, srv.raw_port, size, want)
        row("host curl (loopback)", host)
        row("guest tcpget= (sha256 checked)", g, host, "host curl")
    finally:
        srv.close()
    bench_linux(args)


def lab_guest(kernel, lab, cmdline, what):
    """One boot on the lab's tap; returns (ms, tcp stats dict) from the
    guest's summary line and its `tcp: stats` line."""
    r = qemu_run.boot(kernel=kernel, cmdline="%s %s tcptimeout=60000 exit=1" %
                      (netns.GUEST_NET, cmdline), net=False, tap=lab.tap, timeout=600)
    m = re.search(r"^tcp: %s=(\d+) sha256=[0-9a-f]{64} ms=(\d+)" % what, r.output, re.M)
    st = re.search(r"^tcp: stats (.*)$", r.output, re.M)
    if r.timed_out or not m or not st:
        sys.stderr.write(r.output[-3000:])
        sys.exit("bench: guest run against Linux failed")
    stats = {k: int(v) for k, v in (kv.split("=") for kv in st.group(1).split())}
    rc = re.search(r"^tcp: recovery (.*)$", r.output, re.M)
    stats["recovery"] = dict(kv.split("=") for kv in rc.group(1).split()) if rc else {}
    return int(m.group(2)), stats


def lab_download(kernel, lab, size):
    src = lab.server_peer("source", size)
    try:
        ms, st = lab_guest(kernel, lab, "tcpget=%s:%d" % (netns.SERVER, netns.PORT), "bytes")
    finally:
        src.stop()
    return size / 1e6 / (ms / 1000.0), st


def lab_upload(kernel, lab, size):
    sink = lab.server_peer("sink")
    try:
        ms, st = lab_guest(kernel, lab, "tcpput=%s:%d bytes=%d" % (netns.SERVER, netns.PORT, size),
                           "sent")
        got = sink.wait(60)
    finally:
        sink.stop()
    want = hashlib.sha256((bytes(range(256)) * (size // 256 + 1))[:size]).hexdigest()
    if not got or got.get("sha256") != want:
        sys.exit("bench: the Linux sink got a wrong stream: %r" % got)
    return ms, st


def linux_same_rtt(lab, ms):
    """Delays the router's frames to the Linux client by ms (netem), so a
    Linux-to-Linux upload sees about the guest's round trip; returns a
    description, or why not."""
    r = subprocess.run(["ip", "netns", "exec", lab.router, "tc", "qdisc", "add", "dev", "vc",
                        "root", "netem", "delay", "%dms" % ms], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        return None, "no netem in this kernel (%s): Linux at its own RTT" % r.stdout.strip()
    return True, "netem delay %d ms on the router toward the Linux client" % ms


def recovery_line(st, rc):
    """One line from the guest's counters: where the lossy upload's time went."""
    return ("RTOs %s, probes %s, recoveries %s (%s ms in them, cwnd %s -> %s B), stalls ended "
            "by ACK/probe/RTO %s/%s/%s ms, D-SACKs %s" %
            (st["rto_expiries"], st["tlp_probes"], rc.get("episodes", "?"), rc.get("ms", "?"),
             rc.get("cwnd_enter_avg", "?"), rc.get("cwnd_exit_avg", "?"),
             rc.get("stall_ack_ms", "?"), rc.get("stall_tlp_ms", "?"), rc.get("stall_rto_ms", "?"),
             rc.get("dsacks", "?")))


def bench_linux(args):
    why = netns.available()
    if why:
        print("bench-net: against Linux skipped (%s)" % why, flush=True)
        return
    up = 8 << 20
    print("bench-net: against Linux in network namespaces (QEMU tap, Linux router, "
          "random loss on the router each way), guest %s -smp 1" % " ".join(qemu_run.accel_args()),
          flush=True)
    lab = netns.NetLab(0)
    try:
        mbps, _ = lab_download(args.kernel, lab, args.linux_mb << 20)
        row("guest tcpget= from Linux, %d MiB" % args.linux_mb, mbps)
        clean, lclean, srtt = [], [], []
        for _ in range(args.rounds):
            ms, st = lab_upload(args.kernel, lab, up)
            clean.append(ms)
            srtt.append(st["srtt_ms"])
            lclean.append(lab.linux_upload(up)[0])
        print("  guest tcpput= 8 MiB to Linux, no loss: ms %s (guest SRTT ms %s)" %
              (" ".join(map(str, clean)), " ".join(map(str, srtt))), flush=True)
        print("  Linux to Linux 8 MiB, same router, no loss: ms %s" % " ".join(map(str, lclean)),
              flush=True)
        lab.set_loss(args.loss)
        lossy, rtos, linux = [], [], []
        for _ in range(args.rounds):
            d0 = lab.drops()
            ms, st = lab_upload(args.kernel, lab, up)
            d1 = lab.drops()
            lossy.append(ms)
            rtos.append(st["rto_expiries"])
            print("    upload %d ms: %d frames from the guest and %d to it dropped; %s" %
                  (ms, d1["tap0"] - d0["tap0"], d1["vs"] - d0["vs"],
                   recovery_line(st, st.get("recovery", {}))), flush=True)
            linux.append(lab.linux_upload(up)[0])
        print("  guest tcpput= 8 MiB to Linux, %d %% loss: ms %s (RTOs %s)" %
              (args.loss, " ".join(map(str, lossy)), " ".join(map(str, rtos))), flush=True)
        print("  Linux to Linux 8 MiB, same router, %d %% loss: ms %s" %
              (args.loss, " ".join(map(str, linux))), flush=True)
        # Linux at about the guest's RTT, when the kernel can delay frames
        delay = max(1, int(round(median(srtt))))
        ok, how = linux_same_rtt(lab, delay)
        print("  Linux to Linux at the guest's RTT: %s" % how, flush=True)
        if ok:
            ld = [lab.linux_upload(up)[0] for _ in range(args.rounds)]
            lab.set_loss(0)
            lc = [lab.linux_upload(up)[0] for _ in range(args.rounds)]
            lab.set_loss(args.loss)
            print("  Linux to Linux 8 MiB, +%d ms: no loss ms %s, %d %% loss ms %s (lossy / clean "
                  "%.2f)" % (delay, " ".join(map(str, lc)), args.loss, " ".join(map(str, ld)),
                             median(ld) / max(1, median(lc))), flush=True)
            subprocess.run(["ip", "netns", "exec", lab.router, "tc", "qdisc", "del", "dev", "vc",
                            "root"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        mbps, st = lab_download(args.kernel, lab, 16 << 20)
        row("guest tcpget= 16 MiB from Linux, %d %% loss" % args.loss, mbps)
        print("summary: lossy / clean upload (median) guest %.2f (target <= 2), Linux %.2f in the "
              "same run; guest / Linux lossy upload (median) %.1f" %
              (median(lossy) / median(clean), median(linux) / max(1, median(lclean)),
               median(lossy) / max(1, median(linux))), flush=True)
    finally:
        lab.close()


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def bench_https(args):
    size = args.mb << 20
    data = llm_server.file_bytes(size)
    want = hashlib.sha256(data).hexdigest()
    pki = args.pki
    p = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts/llm_server.py"), "0",
                          "--cert", pki + "/server.pem", "--key", pki + "/server.key"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    srv = FileServer(data)
    try:
        port = int(re.match(r"PORT (\d+)", p.stdout.readline()).group(1))
        print("bench-https: %d MiB, guest %s -smp %d, QEMU user network, server "
              "scripts/llm_server.py (Python ssl = OpenSSL), %d rounds" %
              (args.mb, " ".join(qemu_run.accel_args()), SMP or 1, args.rounds), flush=True)
        n, t = curl("https://127.0.0.1:%d/file/%d" % (port, size), ["--cacert", pki + "/ca.pem"])
        assert n == size, n
        host = size / 1e6 / t
        row("host curl https (loopback)", host)
        # the suite the kernel prefers (the server follows the client's order):
        # ChaCha20-Poly1305 under TCG, where the AES-NI/PCLMULQDQ instructions
        # are emulated one helper call at a time while scalar code translates
        # well; then AES-256-GCM, what a server that insists on its own order
        # (Python's ssl by default) would pick. With a second CPU the records
        # are decrypted there (the receive pipeline); the last run turns that
        # off: one CPU does everything.
        # Each round boots plain TCP first and every HTTPS run is divided by
        # the TCP figure of its own round: on a noisy host that pairs each
        # ratio with its nearest reference in time.
        runs = [(None, ""), ("aes256", "")]
        if (SMP or 1) > 1:
            runs.append((None, " tls_pipeline=0"))
        ratios = [[] for _ in runs]
        names = [""] * len(runs)
        for rnd in range(1, args.rounds + 1):
            print("round %d of %d" % (rnd, args.rounds), flush=True)
            tcp, cpu = guest_tcp(args.kernel, srv.raw_port, size, want)
            row("guest tcpget= plain TCP", tcp, host, "host curl")
            print("    " + cpu.line(), flush=True)
            for i, (suites, extra) in enumerate(runs):
                https, m, first, k, pipe, cpu = guest_https(args.kernel, port, size, want, suites,
                                                            extra)
                names[i] = "%s%s%s" % (m.group(3), "" if suites else " (kernel's choice)", extra)
                ratios[i].append(https / tcp)
                row("guest get= HTTPS (%s)" % names[i], https, tcp, "guest TCP")
                print("    " + cpu.line(), flush=True)
                if pipe:
                    print("    receive pipeline: %s" % pipe, flush=True)
                if suites is None:
                    print("    handshake %s ms (group %s, sig %s); power-on to first response byte "
                          "%.2f s (host clock, QEMU start), %s ms on the kernel clock" %
                          (m.group(6), m.group(4), m.group(5), first, k), flush=True)
        print("summary: guest HTTPS / guest plain TCP of the same round (target >= 0.80)", flush=True)
        for name, v in zip(names, ratios):
            print("  %-42s median %.2f   rounds: %s   >= 0.80 in %d of %d" %
                  (name, median(v), " ".join("%.2f" % x for x in v),
                   sum(x >= 0.8 for x in v), len(v)), flush=True)
    finally:
        srv.close()
        p.terminate()
        p.wait(10)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["tcp", "https"])
    ap.add_argument("--mb", type=int, default=256)
    ap.add_argument("--kernel", default=os.path.join(ROOT, "build/kernel32.elf"))
    ap.add_argument("--pki", default=os.path.join(ROOT, "build/test-pki"))
    ap.add_argument("--smp", type=int, default=2, help="guest CPUs (QEMU -smp)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="https: rounds of (plain TCP, then each HTTPS run); tcp: uploads "
                    "to Linux per loss setting")
    ap.add_argument("--linux-mb", type=int, default=64,
                    help="tcp: MiB of the clean download from Linux")
    ap.add_argument("--loss", type=int, default=3, help="tcp: router loss, percent each way")
    args = ap.parse_args()
    global SMP
    SMP = args.smp
    (bench_tcp if args.mode == "tcp" else bench_https)(args)


if __name__ == "__main__":
    main()
