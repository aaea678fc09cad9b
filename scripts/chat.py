#!/usr/bin/python3
"""`make chat`: talk to an LLM endpoint from the kernel, the API key handed
over at run time through QEMU's fw_cfg, never on the command line or in the
image.

Writes the endpoint's keys (llm=, model=, provider=, system=) into
BUILD/llm.config, boots BUILD/os.iso (its GRUB command line is only
`exit=1`) with that file as fw_cfg opt/llm/config and the key file as
opt/llm/key, serial on this terminal: type prompts at `llm> `, `quit` or
Ctrl-D ends the chat and powers off (Ctrl-A X quits QEMU at any time).

    scripts/chat.py --build build/chat --url URL --model NAME
                    [--key-file PATH] [--provider P] [--system TEXT]
                    [--kernel32 ELF] [--dry-run] [--timeout S]

--dry-run prints the QEMU command and the config file and exits.
"""
import argparse, os, subprocess, sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import qemu_run  # noqa: E402


def config_word(key, value):
    """key="value" in the kernel's command-line syntax (kernel/cmdline.h):
    inside double quotes a backslash escapes the next character."""
    if any(c in value for c in "\r\n\0"):
        raise ValueError("%s= holds a line break or NUL" % key)
    return '%s="%s"' % (key, value.replace("\\", "\\\\").replace('"', '\\"'))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="directory with os.iso")
    ap.add_argument("--url", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--key-file", default="")
    ap.add_argument("--provider", default="")
    ap.add_argument("--system", default="")
    ap.add_argument("--kernel32", help="the image the accelerator probe boots")
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--timeout", type=float, default=0, help="seconds (0: none)")
    a = ap.parse_args()
    if not a.url or not a.model:
        ap.error("LLM_URL= and LLM_MODEL= are required")
    iso = os.path.join(a.build, "os.iso")
    words = [config_word("llm", a.url), config_word("model", a.model)]
    if a.provider:
        words.append(config_word("provider", a.provider))
    if a.system:
        words.append(config_word("system", a.system))
    config = os.path.join(a.build, "llm.config")
    with open(config, "w") as f:
        f.write("\n".join(words) + "\n")
    files = [("opt/llm/config", os.path.abspath(config))]
    if a.key_file:
        key = os.path.abspath(os.path.expanduser(a.key_file))
        if not os.path.isfile(key) or not os.access(key, os.R_OK):
            print("chat: cannot read the key file %s" % key, file=sys.stderr)
            return 2
        files.append(("opt/llm/key", key))
    else:
        print("chat: no LLM_KEY_FILE: no API key", file=sys.stderr)
    qemu_run.accel_args(a.kernel32)
    cmd = qemu_run.qemu_command(iso=iso, smp=2, serial="mon:stdio", fw_cfg=files)
    print("chat: " + " ".join(cmd), file=sys.stderr, flush=True)
    if a.dry_run:
        print("chat: %s:\n%s" % (config, "\n".join(words)), file=sys.stderr)
        return 0
    try:
        rc = subprocess.call(cmd, timeout=a.timeout or None)
    except subprocess.TimeoutExpired:
        print("chat: timed out after %ss" % a.timeout, file=sys.stderr)
        return 124
    status = qemu_run.EXIT_STATUS.get(rc)
    print("chat: exit code %d (%s)" % (rc, status or "no kernel status"), file=sys.stderr)
    return 0 if status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
