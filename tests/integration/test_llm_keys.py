"""The API key and the llm= configuration at run time through QEMU's fw_cfg
(opt/llm/key, opt/llm/config) against scripts/llm_server.py, which checks
the bearer key (--api-key): the key reaches the server without being on the
command line, in the image or on the console; the command line overrides
the config file; key= on the command line still works but warns; a bad key
in the config file stops the run before any network work; without fw_cfg
files nothing changes. And `make chat`, which boots an ISO without the key
and hands the key file over through fw_cfg."""
import os
import re
import secrets
import select
import subprocess
import time

import pytest
from test_https import LlmServer, kernel, pki, llm_server, KBUILD, PKI  # noqa: F401
from qemu import boot, ROOT, ISO


@pytest.fixture
def key():
    # a fresh key per test: finding it anywhere can only be a leak
    return "sk-fwcfg-" + secrets.token_hex(12)


@pytest.fixture
def srv(pki, tmp_path, key):  # noqa: F811
    s = LlmServer(pki, api_key=key, tmp=tmp_path)
    yield s
    s.stop()


def url(s):
    return "https://10.0.2.2:%d/v1/chat/completions" % s.port


def files(tmp_path, key=None, config=None):
    """fw_cfg files for boot(): the key file (with a trailing newline, as an
    editor leaves it) and the config file."""
    out = []
    if key is not None:
        p = tmp_path / "llm.key"
        p.write_text(key + "\n")
        out.append(("opt/llm/key", str(p)))
    if config is not None:
        p = tmp_path / "llm.config"
        p.write_text(config)
        out.append(("opt/llm/config", str(p)))
    return out


def shown(answer):
    return "llm: answer: " + answer.replace("\n", "\n| ")


def lines(out, prefix):
    return [l for l in out.splitlines() if l.startswith(prefix)]


def image_bytes(kernel):  # noqa: F811
    """The kernel image booted, its ELF64 original, the ISO beside them when
    there is one, and the build's os.iso."""
    d = os.path.dirname(kernel)
    paths = [kernel, os.path.join(d, "kernel.elf"), os.path.join(d, "os.iso"), ISO]
    return {p: open(p, "rb").read() for p in paths if os.path.exists(p)}


def test_key_only_in_fw_cfg(kernel, srv, key, tmp_path):  # noqa: F811
    # (a) the key file alone authenticates the request; the key is on the
    # console, in the command line and in the images nowhere
    prompt = "Why is the sky blue?"
    cmdline = 'llm=%s model=demo "prompt=%s" exit=1' % (url(srv), prompt)
    r = boot(kernel=kernel, cmdline=cmdline, timeout=180, fw_cfg=files(tmp_path, key=key))
    assert r.status == "ok", r.output
    assert lines(r.output, "fw_cfg: ") == ["fw_cfg: llm config keys=0 key=present"], r.output
    assert shown(llm_server.answer_for(prompt)) in r.output, r.output
    assert re.search(r"^llm: done status=200 ", r.output, re.M), r.output
    assert "key_on_command_line" not in r.output, r.output
    assert key not in r.output
    assert key[len("sk-fwcfg-"):] not in r.output
    assert key not in " ".join(r.cmd)                 # only the file's path is
    imgs = image_bytes(kernel)
    assert imgs
    for path, data in imgs.items():
        assert key.encode() not in data, path
    # the server saw the request (and its key check passed: status 200)
    assert len([e for e in srv.events() if " req " in e]) == 1, srv.events()


def test_config_file_and_command_line_override(kernel, srv, key, tmp_path):  # noqa: F811
    # (b) llm=, model= and prompt= from the config file; model= on the
    # command line wins: the config's model (fail-500) would get a 500
    prompt = "What is a kernel?"
    config = 'llm=%s\nmodel=fail-500\n"prompt=%s"\n' % (url(srv), prompt)
    r = boot(kernel=kernel, cmdline="model=demo exit=1", timeout=180,
             fw_cfg=files(tmp_path, key=key, config=config))
    assert r.status == "ok", r.output
    assert lines(r.output, "fw_cfg: ") == ["fw_cfg: llm config keys=3 key=present"], r.output
    assert shown(llm_server.answer_for(prompt)) in r.output, r.output
    done = lines(r.output, "llm: done status=200 ")
    assert len(done) == 1, r.output
    if " model=" in done[0]:                          # the done line names the model
        assert " model=demo " in done[0], done
    assert "status=500" not in r.output, r.output
    assert key not in r.output


def test_config_file_alone(kernel, srv, key, tmp_path):  # noqa: F811
    # the same config without an override: its model is the one asked for
    config = 'llm=%s model=fail-500 prompt=x' % url(srv)
    r = boot(kernel=kernel, cmdline="exit=1", timeout=180,
             fw_cfg=files(tmp_path, key=key, config=config))
    assert r.status == "fail", r.output
    assert "llm: error status=500 " in r.output, r.output


def test_key_on_command_line_warns(kernel, srv, key):  # noqa: F811
    # (c) key= on the command line: the request works, a warning says to
    # use the fw_cfg file, and the key is not echoed
    r = boot(kernel=kernel, cmdline="llm=%s model=demo key=%s prompt=hi exit=1" % (url(srv), key),
             timeout=180)
    assert r.status == "ok", r.output
    assert lines(r.output, "llm: warning") == ["llm: warning key_on_command_line"], r.output
    assert re.search(r"^llm: done status=200 ", r.output, re.M), r.output
    boot_line = lines(r.output, "boot: multiboot")
    assert len(boot_line) == 1 and " key=* " in boot_line[0], r.output
    assert key not in r.output
    assert not lines(r.output, "fw_cfg: "), r.output


def test_command_line_key_overrides_file(kernel, srv, key, tmp_path):  # noqa: F811
    # a wrong key in the file, the right one on the command line: the
    # command line wins (and warns)
    r = boot(kernel=kernel, cmdline="llm=%s model=demo key=%s prompt=hi exit=1" % (url(srv), key),
             timeout=180, fw_cfg=files(tmp_path, key="sk-wrong-key"))
    assert r.status == "ok", r.output
    assert "llm: warning key_on_command_line" in r.output, r.output
    assert re.search(r"^llm: done status=200 ", r.output, re.M), r.output
    assert key not in r.output and "sk-wrong-key" not in r.output


def test_bad_key_in_config_file(kernel, srv, key, tmp_path):  # noqa: F811
    # (d) a bad value in the config file is the command line's error, named
    # as the config file's, and the run stops before any network work
    config = "llm=%s model=demo timeout=abc prompt=hi" % url(srv)
    r = boot(kernel=kernel, cmdline="exit=1", timeout=120,
             fw_cfg=files(tmp_path, key=key, config=config))
    assert r.status == "fail", r.output
    assert lines(r.output, "cmdline: error") == [
        "cmdline: error key=timeout detail=bad_value source=fw_cfg"], r.output
    assert "llm: connected" not in r.output and "net: " not in r.output, r.output
    assert srv.events() == [], srv.events()
    assert key not in r.output


def test_bad_key_file(kernel, srv, tmp_path):  # noqa: F811
    # a key file with a space inside is refused like a bad key= value
    r = boot(kernel=kernel, cmdline="llm=%s model=demo prompt=hi exit=1" % url(srv), timeout=120,
             fw_cfg=files(tmp_path, key="sk two"))
    assert r.status == "fail", r.output
    assert lines(r.output, "cmdline: error") == [
        "cmdline: error key=key detail=bad_value source=fw_cfg"], r.output
    assert srv.events() == [], srv.events()


@pytest.mark.parametrize("name,data,want", [
    ("opt/llm/config", b'model=demo "prompt=never closed', "fw_cfg: error file=opt/llm/config "
     "detail=unterminated_quote"),
    ("opt/llm/config", b"model=demo\0timeout=abc", "fw_cfg: error file=opt/llm/config "
     "detail=nul_byte"),
    ("opt/llm/config", b"x" * 5000, "fw_cfg: error file=opt/llm/config detail=too_large"),
    ("opt/llm/key", b"k" * 400, "cmdline: error key=key detail=too_long source=fw_cfg"),
], ids=["quote", "nul", "big_config", "big_key"])
def test_unusable_fw_cfg_files(kernel, srv, tmp_path, name, data, want):  # noqa: F811
    # a file that is there but cannot be used ends the run before any work
    p = tmp_path / "f"
    p.write_bytes(data)
    r = boot(kernel=kernel, cmdline="llm=%s model=demo prompt=hi exit=1" % url(srv), timeout=120,
             fw_cfg=[(name, str(p))])
    assert r.status == "fail", r.output
    assert want in r.lines, r.output
    assert "llm: connected" not in r.output, r.output
    assert srv.events() == [], srv.events()


def test_no_fw_cfg_files(kernel, srv):  # noqa: F811
    # (e) no fw_cfg files: no fw_cfg line, and no key (the server refuses)
    r = boot(kernel=kernel, cmdline="llm=%s model=demo prompt=hi exit=1" % url(srv), timeout=180)
    assert r.status == "fail", r.output
    assert not lines(r.output, "fw_cfg:"), r.output
    assert "llm: error status=401 message=Incorrect API key provided." in r.output, r.output
    assert "key_on_command_line" not in r.output


def make_args():
    # what the kernel fixture built with, so `make chat` rebuilds nothing
    extra = [a for a in os.environ.get("HTTPS_MAKE_ARGS", "").split() if a]
    return ["BUILD=" + KBUILD, "CA_EXTRA=%s/ca.pem" % PKI, "CLIENT_CERT=%s/client.pem" % PKI,
            "CLIENT_KEY=%s/client.key" % PKI, *extra]


def test_make_chat_dry_run(kernel, key, tmp_path):  # noqa: F811
    # the command make chat runs: the key file through fw_cfg, the other
    # keys in a generated config file, the ISO's command line exit=1 only
    kf = tmp_path / "k"
    kf.write_text(key + "\n")
    r = subprocess.run(["make", "-s", "chat", *make_args(),
                        "LLM_URL=https://10.0.2.2:1/v1/messages", "LLM_MODEL=m 1",
                        "LLM_PROVIDER=anthropic", "LLM_SYSTEM=be \"brief\" it's",
                        "LLM_KEY_FILE=%s" % kf, "CHAT_ARGS=--dry-run"],
                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stdout
    assert re.search(r"-fw_cfg name=opt/llm/key,file=%s(\s|$)" % re.escape(str(kf)), r.stdout,
                     re.M), r.stdout
    chat = os.path.join(ROOT, KBUILD, "chat")
    assert "-fw_cfg name=opt/llm/config,file=%s/llm.config" % chat in r.stdout, r.stdout
    with open(os.path.join(chat, "llm.config")) as f:
        assert f.read() == ('llm="https://10.0.2.2:1/v1/messages"\nmodel="m 1"\n'
                            'provider="anthropic"\nsystem="be \\"brief\\" it\'s"\n')
    with open(os.path.join(chat, "isodir/boot/grub/grub.cfg")) as f:
        assert re.search(r"multiboot2 /boot/kernel.elf 'exit=1'\n", f.read())
    with open(os.path.join(chat, "os.iso"), "rb") as f:
        assert key.encode() not in f.read()
    assert key not in r.stdout
    # without LLM_KEY_FILE: no key file handed over, the rest the same
    r = subprocess.run(["make", "-s", "chat", *make_args(), "LLM_URL=https://10.0.2.2:1/v1/x",
                        "LLM_MODEL=m", "CHAT_ARGS=--dry-run"], cwd=ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=600)
    assert r.returncode == 0, r.stdout
    assert "chat: no LLM_KEY_FILE: no API key" in r.stdout, r.stdout
    assert "name=opt/llm/key" not in r.stdout and "name=opt/llm/config" in r.stdout, r.stdout
    # LLM_URL= and LLM_MODEL= are required
    r = subprocess.run(["make", "-s", "chat", *make_args(), "LLM_MODEL=m", "CHAT_ARGS=--dry-run"],
                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    assert r.returncode != 0 and "LLM_URL= and LLM_MODEL= are required" in r.stdout, r.stdout


def test_make_chat(kernel, srv, key, tmp_path):  # noqa: F811
    # `make chat` for real: one prompt typed at `llm> `, its answer, quit
    kf = tmp_path / "k"
    kf.write_text(key + "\n")
    p = subprocess.Popen(["make", "-s", "chat", *make_args(), "LLM_URL=" + url(srv),
                          "LLM_MODEL=demo", "LLM_KEY_FILE=%s" % kf, "CHAT_ARGS=--timeout 400"],
                         cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = bytearray()
    sent = []
    deadline = time.monotonic() + 480
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([p.stdout], [], [], 1)
            if not ready:
                if p.poll() is not None:
                    break
                continue
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out.extend(chunk)
            text = out.decode(errors="replace")
            if not sent and "llm> " in text:
                sent.append("hello there")
            elif len(sent) == 1 and re.search(r"^llm: done", text, re.M) and \
                    text.rstrip().endswith("llm>"):
                sent.append("quit")
            else:
                continue
            p.stdin.write((sent[-1] + "\r").encode())
            p.stdin.flush()
        rc = p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    text = out.decode(errors="replace").replace("\r\n", "\n")
    assert rc == 0, text
    assert sent == ["hello there", "quit"], text
    assert "fw_cfg: llm config keys=2 key=present" in text, text
    assert shown(llm_server.answer_for("hello there")) in text, text
    assert "key_on_command_line" not in text
    assert key not in text
    with open(os.path.join(ROOT, KBUILD, "chat", "os.iso"), "rb") as f:
        assert key.encode() not in f.read()
