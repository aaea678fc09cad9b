"""The kernel tools a model may call (app/tool.h), run one at a time with the
tool= job: clock, net_info, dns_lookup and https_get, with https_get's
policy (no private, loopback, link-local or metadata address unless the host
is on tool_hosts=, checked after DNS; the same certificate rules as every
connection) and strict arguments. Each boot prints the call's summary lines
and `tool: output {JSON}`; the JSON passes the console filter, which leaves
JSON text (no raw controls) as it is, so it is parsed back here.

The kernel is the HTTPS tests' image, which trusts the test CA."""
import json
import re
import time

import pytest
from test_https import LlmServer, kernel, pki, llm, llm_server, dns_server  # noqa: F401
from test_https import no_raw_controls
from qemu import boot

CALL = re.compile(r"^tool: tool call=(\S+) args=(.*)$", re.M)
RESULT = re.compile(r"^tool: tool result=(\S+) status=(ok|error) bytes=(\d+) ms=(\d+)"
                    r"(?: error=(\S+))?$", re.M)


def run_tool(kernel, name, args=None, extra="", timeout=180):
    cmd = "tool=%s" % name
    if args is not None:
        cmd += " tool_args='%s'" % json.dumps(args, separators=(",", ":"))
    r = boot(kernel=kernel, cmdline="%s %s exit=1" % (cmd, extra), timeout=timeout)
    m = re.search(r"^tool: output (.*)$", r.output, re.M)
    assert m, r.output
    res = RESULT.search(r.output)
    assert res and res.group(1) == name, r.output
    out = json.loads(m.group(1))
    assert int(res.group(3)) == len(m.group(1).encode()), r.output
    return r, res, out


def test_clock(kernel):
    before = time.time()
    r, res, out = run_tool(kernel, "clock")
    assert r.status == "ok" and res.group(2) == "ok", r.output
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", out["utc"]), out
    # QEMU's RTC starts at the host's UTC time
    assert before - 120 <= out["unix"] <= time.time() + 120, out
    assert time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(out["unix"])) == out["utc"]
    assert out["uptime_ms"] > 0
    assert CALL.search(r.output).group(2) == "{}"


def test_net_info(kernel):
    r, res, out = run_tool(kernel, "net_info")
    assert r.status == "ok", r.output
    assert out["link"] == "up" and out["dhcp"] is True, out
    assert out["address"] == "10.0.2.15" and out["gateway"] == "10.0.2.2", out
    assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", out["mac"]), out
    assert out["counters"]["rx_frames"] > 0 and out["counters"]["tx_frames"] > 0, out


def test_dns_lookup(kernel, dns_server):  # noqa: F811
    r, res, out = run_tool(kernel, "dns_lookup", {"name": "demo.local"},
                           "dns=10.0.2.2:%d" % dns_server)
    assert r.status == "ok", r.output
    assert out["addresses"] == ["10.0.2.2"] and out["name"] == "demo.local", out
    r, res, out = run_tool(kernel, "dns_lookup", {"name": "nope.demo.local"},
                           "dns=10.0.2.2:%d" % dns_server)
    assert r.status == "fail", r.output
    assert res.group(2) == "error" and res.group(5) == "dns_nxdomain", r.output
    assert out == {"error": "dns_nxdomain", "detail": "nope.demo.local"}, out


def test_bad_arguments_are_answers(kernel):
    # an unknown member, a wrong type, and not an object: the tool answers
    # with an error object; the job fails but nothing crashes
    for args, detail in [({"uri": "https://a.test/"}, "unknown_argument"),
                         ({"url": 5}, "wrong_argument_type"),
                         ([1, 2], "arguments_not_object")]:
        r, res, out = run_tool(kernel, "https_get", args)
        assert r.status == "fail", r.output
        assert out == {"error": "bad_arguments", "detail": detail}, (args, out)
        assert "net: up" not in r.output            # refused before any network work


def test_https_get_refuses_private_and_metadata(kernel, llm):  # noqa: F811
    # the local server is at a private address (10.0.2.2): refused before
    # any packet goes to it, without tool_hosts=
    r, res, out = run_tool(kernel, "https_get", {"url": "https://10.0.2.2:%d/" % llm.port})
    assert r.status == "fail", r.output
    assert out == {"error": "address_refused", "detail": "10.0.2.2 scope=private"}, out
    r, res, out = run_tool(kernel, "https_get", {"url": "https://169.254.169.254/latest/"})
    assert out == {"error": "address_refused", "detail": "169.254.169.254 scope=metadata"}, out
    r, res, out = run_tool(kernel, "https_get", {"url": "https://127.0.0.1:%d/" % llm.port})
    assert out["error"] == "address_refused", out
    r, res, out = run_tool(kernel, "https_get", {"url": "http://10.0.2.2:%d/" % llm.port})
    assert out["error"] == "https_only", out
    assert not [e for e in llm.events() if " req " in e], llm.events()


def test_https_get_by_name_checks_the_resolved_address(kernel, llm, dns_server):  # noqa: F811
    url = "https://demo.local:%d/hostile" % llm.port
    dns = "dns=10.0.2.2:%d" % dns_server
    r, res, out = run_tool(kernel, "https_get", {"url": url}, dns)
    assert r.status == "fail", r.output
    assert out == {"error": "address_refused", "detail": "10.0.2.2 scope=private"}, out
    assert not [e for e in llm.events() if " req " in e], llm.events()
    # a host on tool_hosts= may be reached at its private address; the body
    # is the model's data: only the JSON (escaped) reaches the console
    r, res, out = run_tool(kernel, "https_get", {"url": url}, dns + " tool_hosts=demo.local")
    assert r.status == "ok", r.output
    assert out["status"] == 200 and out["content_type"] == "text/plain", out
    assert out["truncated"] is False and out["bytes"] == len(llm_server.HOSTILE_BODY), out
    assert out["text"] == llm_server.HOSTILE + " \ufffd\ufffd", out     # invalid UTF-8 replaced
    assert no_raw_controls(r.output)
    # a host not on the list is refused by name, before DNS
    r, res, out = run_tool(kernel, "https_get", {"url": url}, dns + " tool_hosts=other.test")
    assert out == {"error": "host_not_allowed", "detail": "demo.local"}, out


def test_https_get_truncates_and_marks_binary(kernel, llm):  # noqa: F811
    r, res, out = run_tool(kernel, "https_get", {"url": "https://10.0.2.2:%d/file/100000" % llm.port},
                           "tool_hosts=10.0.2.2")
    assert r.status == "ok", r.output
    assert out["status"] == 200 and out["binary"] is True and out["truncated"] is True, out
    assert "text" not in out and 16384 <= out["bytes"] < 100000, out


def test_https_get_untrusted_certificate(kernel, pki, tmp_path):  # noqa: F811
    srv = LlmServer(pki, leaf="untrusted", tmp=tmp_path)
    try:
        r, res, out = run_tool(kernel, "https_get", {"url": "https://10.0.2.2:%d/" % srv.port},
                               "tool_hosts=10.0.2.2")
    finally:
        srv.stop()
    assert r.status == "fail", r.output
    assert out["error"] == "cert_untrusted", out
    assert not [e for e in srv.events() if " req " in e], srv.events()
