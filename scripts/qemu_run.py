#!/usr/bin/python3
"""Boots the kernel in QEMU: the one place that knows the QEMU command line.

Used by `make run` / `make demo` (as a script) and by the integration tests
(imported through tests/integration/qemu.py).

Accelerator, probed once per process: KVM (`-accel kvm -accel tcg -cpu
host,-arch-capabilities`; plain `host`/`max` abort on some hosts with "failed
to set MSR 0x10a") is used only when /dev/kvm opens, QEMU starts with it, and
the kernel itself boots under it and passes `selftest=all` within
PROBE_TIMEOUT seconds. Some hosts offer a /dev/kvm without hardware
virtualisation (a page-table-based KVM, "kvm-pvm", that emulates a
non-paravirtual guest instruction by instruction): there the kernel stops at
its first SSE instruction with "KVM internal error ... emulation failure", so
the probe rejects KVM, says why on stderr, and TCG (`-cpu max`) runs
everything. OS_QEMU_ACCEL=tcg or =kvm skips the probe. fw_cfg=[(NAME,
PATH), ...] (--fw-cfg NAME=PATH) hands the guest files through QEMU's
fw_cfg device (`-fw_cfg name=NAME,file=PATH`; the kernel reads opt/llm/key
and opt/llm/config, docs/llm.md "Keys"). Exit codes: the kernel's isa-debug-exit write v makes QEMU exit
with (v << 1) | 1: 33 = ok, 35 = fail, 37 = exception (kernel/power.h).
"""
import argparse, os, re, shutil, subprocess, sys, time

QEMU = shutil.which("qemu-system-x86_64") or "qemu-system-x86_64"
EXIT_STATUS = {33: "ok", 35: "fail", 37: "exception"}
_accel_cache = None


def _kvm_usable():
    try:
        fd = os.open("/dev/kvm", os.O_RDWR)
        os.close(fd)
        return True
    except OSError:
        return False


PROBE_TIMEOUT = 30
KVM_ARGS = ["-accel", "kvm", "-accel", "tcg", "-cpu", "host,-arch-capabilities"]
TCG_ARGS = ["-accel", "tcg", "-cpu", "max"]
DEFAULT_KERNEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build",
                              "kernel32.elf")


def _read_output(proc, deadline, on_chunk):
    """Reads proc's stdout until it ends, proc exits, on_chunk(bytes) returns
    True, or the deadline (time.monotonic()) passes. True on the deadline."""
    import selectors
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            if not sel.select(min(left, 0.5)):
                if proc.poll() is not None:
                    return False
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk or on_chunk(chunk):
                return False


def _kernel_runs(args, kernel):
    """Boots `kernel` with `selftest=all exit=1` under args. Returns None when
    it passed, else the reason it did not."""
    cmd = [QEMU, *args, "-m", "512M", "-display", "none", "-no-reboot", "-serial", "stdio",
           "-monitor", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-kernel", kernel, "-append", "selftest=all exit=1"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    out = bytearray()

    def on_chunk(chunk):
        out.extend(chunk)
        return b"internal error" in out      # QEMU pauses the guest: do not wait
    deadline = time.monotonic() + PROBE_TIMEOUT
    _read_output(proc, deadline, on_chunk)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    text = out.decode(errors="replace")
    if proc.returncode == 33 and "kernel: done status=ok" in text:
        return None
    if "internal error" in text:
        return ("KVM internal error%s: this /dev/kvm emulates the guest's instructions "
                "instead of running them" % (" (emulation failure)" if "emulation failure" in text
                                             else ""))
    if "MSR" in text or (proc.returncode not in (None, 33, 35, 37) and "kernel:" not in text):
        return "QEMU did not start: %s" % text.strip()[-200:]
    if time.monotonic() >= deadline:
        return "selftest=all did not finish within %d s" % PROBE_TIMEOUT
    return "exit code %s" % proc.returncode


def accel_args(kernel=None):
    """Returns the accelerator and CPU arguments that run the kernel on this
    host; `kernel` (default build/kernel32.elf) is what the KVM probe boots."""
    global _accel_cache
    if _accel_cache is not None:
        return _accel_cache
    forced = os.environ.get("OS_QEMU_ACCEL", "")
    if forced in ("kvm", "tcg"):
        _accel_cache = KVM_ARGS if forced == "kvm" else TCG_ARGS
        return _accel_cache
    why = None
    if not _kvm_usable():
        why = "/dev/kvm is not usable"
    else:
        kernel = kernel or DEFAULT_KERNEL
        if not os.path.exists(kernel):
            why = "no kernel to probe with (%s)" % kernel
        else:
            why = _kernel_runs(KVM_ARGS, kernel)
    if why is None:
        _accel_cache = KVM_ARGS
    else:
        print("qemu: not using KVM (%s): TCG emulation" % why, file=sys.stderr)
        _accel_cache = TCG_ARGS
    return _accel_cache


def fw_cfg_args(files):
    """-fw_cfg arguments for [(name, path), ...] (QEMU doubles a comma in
    an option value)."""
    out = []
    for name, path in files or []:
        if "," in name or not name:
            raise ValueError("bad fw_cfg name %r" % name)
        out += ["-fw_cfg", "name=%s,file=%s" % (name, path.replace(",", ",,"))]
    return out


def qemu_command(kernel=None, iso=None, cmdline="", initrd=None, memory="512M",
                 net=True, hostfwd=None, rng=True, extra=None, serial="stdio", cpu=None,
                 smp=None, fw_cfg=None, tap=None):
    """tap=(NETNS, IFNAME): the NIC is the tap device IFNAME, which lives in the
    network namespace NETNS; QEMU itself runs there (ip netns exec)."""
    accel = list(accel_args(kernel or (os.path.join(os.path.dirname(iso), "kernel32.elf")
                                       if iso else None)))
    if cpu:                       # a CPU model for a test (TCG honours it; KVM shows the host's)
        accel[accel.index("-cpu") + 1] = cpu
    cmd = [QEMU, *accel, "-m", memory, "-display", "none", "-no-reboot",
           "-serial", serial, "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if smp:                       # CPU count (QEMU's default is 1)
        cmd += ["-smp", str(smp)]
    if iso:
        cmd += ["-cdrom", iso, "-boot", "d"]
    else:
        cmd += ["-kernel", kernel, "-append", cmdline]
        if initrd:
            cmd += ["-initrd", initrd]
    if tap:
        cmd = ["ip", "netns", "exec", tap[0]] + cmd
        cmd += ["-netdev", "tap,id=n0,ifname=%s,script=no,downscript=no" % tap[1],
                "-device", "virtio-net-pci,netdev=n0"]
    elif net:
        user = "user,id=n0"
        for fwd in hostfwd or []:
            user += ",hostfwd=" + fwd
        cmd += ["-netdev", user, "-device", "virtio-net-pci,netdev=n0"]
    if rng:
        cmd += ["-object", "rng-random,id=rng0,filename=/dev/urandom",
                "-device", "virtio-rng-pci,rng=rng0"]
    cmd += fw_cfg_args(fw_cfg)
    cmd += extra or []
    return cmd


class Result:
    def __init__(self, output, returncode, duration, timed_out, cmd):
        self.output = output
        self.returncode = returncode
        self.duration = duration
        self.timed_out = timed_out
        self.cmd = cmd
        # the kernel's line starts a line; server text printed by the
        # kernel never does (docs/cmdline.md, "Text from servers")
        m = re.findall(r"^kernel: done status=(\w+)", output, re.M)
        self.status = m[-1] if m else None
        self.lines = output.splitlines()

    def grep(self, pattern):
        """All regex matches (match objects) over the lines of the log."""
        rx = re.compile(pattern)
        return [m for m in (rx.search(l) for l in self.lines) if m]


def boot(kernel="build/kernel32.elf", iso=None, cmdline="", timeout=120, initrd=None,
         memory="512M", net=True, hostfwd=None, rng=True, extra=None, input_text=None,
         on_line=None, cpu=None, smp=None, fw_cfg=None, tap=None):
    """Boots and waits for the kernel to power off (or the timeout, when QEMU is
    killed). Returns a Result. on_line(line, proc) is called for every serial
    line as it arrives (tests use it to answer or to time lines)."""
    cmd = qemu_command(kernel=kernel, iso=iso, cmdline=cmdline, initrd=initrd,
                       memory=memory, net=net, hostfwd=hostfwd, rng=rng, extra=extra, cpu=cpu,
                       smp=smp, fw_cfg=fw_cfg, tap=tap)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, bufsize=0)
    if input_text is not None:
        proc.stdin.write(input_text.encode())
        proc.stdin.flush()
    out = bytearray()
    pending = bytearray()

    def on_chunk(chunk):
        out.extend(chunk)
        if on_line:
            pending.extend(chunk)
            while b"\n" in pending:
                i = pending.index(b"\n")
                line = bytes(pending[:i])
                del pending[:i + 1]
                on_line(line.decode(errors="replace").rstrip("\r"), proc)
        return False
    timed_out = _read_output(proc, t0 + timeout, on_chunk)
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    text = out.decode(errors="replace").replace("\r\n", "\n")
    return Result(text, proc.returncode, time.monotonic() - t0, timed_out, cmd)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--iso")
    ap.add_argument("--kernel", default="build/kernel32.elf")
    ap.add_argument("--cmdline", default="")
    ap.add_argument("--initrd")
    ap.add_argument("--timeout", type=float, default=0, help="seconds (0: none)")
    ap.add_argument("--interactive", action="store_true",
                    help="serial on this terminal (Ctrl-A X quits)")
    ap.add_argument("--hostfwd", action="append")
    ap.add_argument("--smp", type=int, help="number of CPUs (default 1)")
    ap.add_argument("--fw-cfg", action="append", metavar="NAME=PATH",
                    help="a fw_cfg file for the guest (e.g. opt/llm/key=~/.llm-key)")
    a = ap.parse_args()
    files = []
    for f in a.fw_cfg or []:
        name, eq, path = f.partition("=")
        if not eq or not path:
            ap.error("--fw-cfg wants NAME=PATH")
        files.append((name, path))
    kw = dict(kernel=None if a.iso else a.kernel, iso=a.iso, cmdline=a.cmdline,
              initrd=a.initrd, hostfwd=a.hostfwd, smp=a.smp, fw_cfg=files)
    if a.interactive:
        cmd = qemu_command(serial="mon:stdio", **kw)
        print(" ".join(cmd), file=sys.stderr)
        rc = subprocess.call(cmd)
    else:
        cmd = qemu_command(**kw)
        print(" ".join(cmd), file=sys.stderr)
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        try:
            rc = p.wait(timeout=a.timeout or None)
        except subprocess.TimeoutExpired:
            p.kill()
            print("qemu: timed out after %ss" % a.timeout, file=sys.stderr)
            return 124
    status = EXIT_STATUS.get(rc)
    print("qemu: exit code %d (%s)" % (rc, status or "no kernel status"), file=sys.stderr)
    return 0 if status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
