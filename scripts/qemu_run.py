#!/usr/bin/python3
"""Boots the kernel in QEMU: the one place that knows the QEMU command line.

Used by `make run` / `make demo` (as a script) and by the integration tests
(imported through tests/integration/qemu.py).

Accelerator: `-accel kvm -accel tcg` when /dev/kvm is usable, else TCG. The
CPU model is probed once: under KVM `-cpu host,-arch-capabilities` (plain
`host`/`max` abort on some hosts with "failed to set MSR 0x10a"), under TCG
`-cpu max`. Exit codes: the kernel's isa-debug-exit write v makes QEMU exit
with (v << 1) | 1: 33 = ok, 35 = fail, 37 = exception (kernel/power.h).
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time

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


def accel_args():
    """Returns the accelerator and CPU arguments that work on this host."""
    global _accel_cache
    if _accel_cache is not None:
        return _accel_cache
    candidates = []
    if _kvm_usable():
        candidates.append(["-accel", "kvm", "-accel", "tcg", "-cpu", "host,-arch-capabilities"])
    candidates.append(["-accel", "tcg", "-cpu", "max"])
    for c in candidates:
        try:
            p = subprocess.run([QEMU, *c, "-display", "none", "-nodefaults", "-S",
                                "-machine", "pc", "-monitor", "none", "-serial", "none"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=8)
            ok = p.returncode == 0
        except subprocess.TimeoutExpired:
            ok = True        # it started and sat paused (-S): it works
        if ok:
            _accel_cache = c
            return c
    _accel_cache = candidates[-1]
    return _accel_cache


def qemu_command(kernel=None, iso=None, cmdline="", initrd=None, memory="512M",
                 net=True, hostfwd=None, rng=True, extra=None, serial="stdio", cpu=None):
    accel = list(accel_args())
    if cpu:                       # a CPU model for a test (TCG honours it; KVM shows the host's)
        accel[accel.index("-cpu") + 1] = cpu
    cmd = [QEMU, *accel, "-m", memory, "-display", "none", "-no-reboot",
           "-serial", serial, "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if iso:
        cmd += ["-cdrom", iso, "-boot", "d"]
    else:
        cmd += ["-kernel", kernel, "-append", cmdline]
        if initrd:
            cmd += ["-initrd", initrd]
    if net:
        user = "user,id=n0"
        for fwd in hostfwd or []:
            user += ",hostfwd=" + fwd
        cmd += ["-netdev", user, "-device", "virtio-net-pci,netdev=n0"]
    if rng:
        cmd += ["-object", "rng-random,id=rng0,filename=/dev/urandom",
                "-device", "virtio-rng-pci,rng=rng0"]
    cmd += extra or []
    return cmd


class Result:
    def __init__(self, output, returncode, duration, timed_out, cmd):
        self.output = output
        self.returncode = returncode
        self.duration = duration
        self.timed_out = timed_out
        self.cmd = cmd
        m = re.findall(r"kernel: done status=(\w+)", output)
        self.status = m[-1] if m else None
        self.lines = output.splitlines()

    def grep(self, pattern):
        """All regex matches (match objects) over the lines of the log."""
        rx = re.compile(pattern)
        return [m for m in (rx.search(l) for l in self.lines) if m]


def boot(kernel="build/kernel32.elf", iso=None, cmdline="", timeout=120, initrd=None,
         memory="512M", net=True, hostfwd=None, rng=True, extra=None, input_text=None,
         on_line=None, cpu=None):
    """Boots and waits for the kernel to power off (or the timeout, when QEMU is
    killed). Returns a Result. on_line(line, proc) is called for every serial
    line as it arrives (tests use it to answer or to time lines)."""
    cmd = qemu_command(kernel=kernel, iso=iso, cmdline=cmdline, initrd=initrd,
                       memory=memory, net=net, hostfwd=hostfwd, rng=rng, extra=extra, cpu=cpu)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, bufsize=0)
    if input_text is not None:
        proc.stdin.write(input_text.encode())
        proc.stdin.flush()
    out = bytearray()
    timed_out = False
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    pending = b""
    while True:
        left = timeout - (time.monotonic() - t0)
        if left <= 0:
            timed_out = True
            break
        if not sel.select(min(left, 0.5)):
            if proc.poll() is not None:
                break
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        out += chunk
        if on_line:
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                on_line(line.decode(errors="replace").rstrip("\r"), proc)
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    sel.close()
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
    a = ap.parse_args()
    kw = dict(kernel=None if a.iso else a.kernel, iso=a.iso, cmdline=a.cmdline,
              initrd=a.initrd, hostfwd=a.hostfwd)
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
