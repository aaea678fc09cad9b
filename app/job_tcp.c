/* The tcpget= / tcpput= jobs, tools over net/tcp.h: a download and an
   upload over one TCP connection, each reporting its byte count, SHA-256
   and duration so a test can check the stream end to end, plus the
   connection's counters:
     tcpget=HOST:PORT reads until the peer closes:
       tcp: bytes=N sha256=HEX ms=N family=6|4     or     tcp: error=NAME
     tcpput=HOST:PORT bytes=N sends N bytes of the pattern byte[i] = i & 0xff,
     closes:   tcp: sent=N sha256=HEX ms=N family=6|4   or   tcp: error=NAME.
   HOST is a name, an IPv4 literal or an IPv6 literal in brackets
   ("tcpget=[2001:db8::1]:8080"); a name connects by Happy Eyeballs
   (app/app_tcp.h), family= says over which family. The line
   "tcp: connected peer=ADDR family=N connect_ms=N" comes first.
   tcptimeout=MS is the connect deadline and the longest wait without
   progress. */
#include "app/app_tcp.h"
#include "app/jobs.h"
#include "net/net.h"
#include "net/net_kernel.h"
#include "net/tcp.h"
#include "crypto/sha2.h"
#include "kernel/console.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include <string.h>

/* HOST:PORT (checked by app/keys.c) -> host (brackets stripped) and port;
   prints the error itself. An IPv6 literal needs its brackets: with more
   than one ':' outside them, which ':' starts the port is anybody's guess. */
static bool split_target(const char *hp, char host[256], uint16_t *port)
{
    const char *colon = strrchr(hp, ':');
    unsigned long p = 0;
    for (const char *c = colon + 1; *c; c++)
        p = p * 10 + (unsigned long)(*c - '0');
    size_t n = (size_t)(colon - hp);
    if (n >= 2 && hp[0] == '[' && hp[n - 1] == ']') {
        hp++;
        n -= 2;
    } else if (memchr(hp, ':', n) || memchr(hp, '[', n) || memchr(hp, ']', n)) {
        kprintf("tcp: error=bad_target detail=IPv6 needs [ADDR]:PORT\n");
        return false;
    }
    memcpy(host, hp, n);
    host[n] = 0;
    *port = (uint16_t)p;
    return true;
}

static void print_stats(int s)
{
    struct tcp_sock_stats st;
    tcp_get_stats(s, &st);
    kprintf("tcp: stats mss=%u srtt_ms=%u rto_ms=%u cwnd=%u retransmits=%lu fast_retransmits=%lu "
            "sack_retransmits=%lu rto_expiries=%lu out_of_order=%lu zero_window_probes=%lu "
            "challenge_acks=%lu tlp_probes=%lu timestamps=%u\n",
            st.mss, st.srtt_ms, st.rto_ms, st.cwnd, (unsigned long)st.retransmits,
            (unsigned long)st.fast_retransmits, (unsigned long)st.sack_retransmits,
            (unsigned long)st.rto_expiries, (unsigned long)st.out_of_order,
            (unsigned long)st.zero_window_probes, (unsigned long)st.challenge_acks,
            (unsigned long)st.tlp_probes, st.timestamps);
    unsigned long ended = (unsigned long)(st.recoveries_ended ? st.recoveries_ended : 1);
    unsigned long started = (unsigned long)(st.fast_retransmits ? st.fast_retransmits : 1);
    kprintf("tcp: recovery episodes=%lu ended=%lu ms=%lu cwnd_enter_avg=%lu cwnd_exit_avg=%lu "
            "stall_ack_ms=%lu stall_tlp_ms=%lu stall_rto_ms=%lu dsacks=%lu\n",
            (unsigned long)st.fast_retransmits, (unsigned long)st.recoveries_ended,
            (unsigned long)st.recovery_ms, (unsigned long)(st.cwnd_enter_sum / started),
            (unsigned long)(st.cwnd_exit_sum / ended), (unsigned long)st.stall_ack_ms,
            (unsigned long)st.stall_tlp_ms, (unsigned long)st.stall_rto_ms,
            (unsigned long)st.dsacks);
}

/* Reports a failed transfer (counters, then the error line with what moved)
   and drops the connection; returns the tool's failure status. */
static int tool_fail(int s, enum net_err e, const char *what, unsigned long n)
{
    print_stats(s);
    kprintf("tcp: error=%s %s=%lu\n", net_err_str(e), what, n);
    tcp_abort(s);
    return 1;
}

/* Resolves HOST:PORT and connects (app_tcp_connect: Happy Eyeballs for a
   name); prints the error itself, -1 on failure. *family: the peer's. */
static int tool_connect(const char *hostport, uint32_t timeout_ms, unsigned *family)
{
    char host[256];
    uint16_t port;
    if (!split_target(hostport, host, &port))
        return -1;
    static struct app_tcp t;
    uint64_t t0 = time_ms();
    if (!app_tcp_connect(&t, host, port, timeout_ms)) {
        kprintf("tcp: error=%s detail=%s\n", net_err_str(t.net_err), t.detail);
        return -1;
    }
    char a[IP_ADDR_STR_MAX];
    *family = t.peer.family;
    kprintf("tcp: connected peer=%s family=%u connect_ms=%lu\n",
            ip_addr_format(&t.peer, a, sizeof a), *family, (unsigned long)(time_ms() - t0));
    return t.sock;
}

/* Prints the counters, closes the connection and finishes the hash. */
static void tool_finish(int s, sha256_ctx *h, char hex[65])
{
    uint8_t d[32];
    print_stats(s);
    tcp_close_blocking(s, 2000);
    sha256_final(h, d);
    fmt_hex(d, 32, hex);
}

int app_tcpget_run(const struct app_options *o)
{
    if (app_net_job_up())
        return 1;
    const uint32_t timeout_ms = o->tcptimeout_ms;
    uint64_t t0 = time_ms();
    unsigned family = 0;
    int s = tool_connect(o->tcpget, timeout_ms, &family);
    if (s < 0)
        return 1;
    enum net_err e;
    static uint8_t buf[16384];
    sha256_ctx h;
    sha256_init(&h);
    uint64_t total = 0;
    for (;;) {
        long r = tcp_recv_blocking(s, buf, sizeof buf, timeout_ms, &e);
        if (r < 0)
            return tool_fail(s, e, "bytes", (unsigned long)total);
        if (r == 0)
            break;
        sha256_update(&h, buf, (size_t)r);
        total += (uint64_t)r;
    }
    uint64_t ms = time_ms() - t0;
    char hex[65];
    tool_finish(s, &h, hex);
    kprintf("tcp: bytes=%lu sha256=%s ms=%lu family=%u\n", (unsigned long)total, hex,
            (unsigned long)ms, family);
    return 0;
}

int app_tcpput_run(const struct app_options *o)
{
    if (!o->bytes_set) {
        kprintf("tcp: error=bad_config detail=tcpput= needs bytes=N\n");
        return 1;
    }
    if (app_net_job_up())
        return 1;
    const uint32_t timeout_ms = o->tcptimeout_ms;
    const unsigned long n = (unsigned long)o->bytes;
    uint64_t t0 = time_ms();
    unsigned family = 0;
    int s = tool_connect(o->tcpput, timeout_ms, &family);
    if (s < 0)
        return 1;
    enum net_err e;
    static uint8_t buf[16384];
    sha256_ctx h;
    sha256_init(&h);
    unsigned long sent = 0;
    while (sent < n) {
        size_t k = n - sent < sizeof buf ? n - sent : sizeof buf;
        for (size_t i = 0; i < k; i++)
            buf[i] = (uint8_t)((sent + i) & 0xff);
        if (tcp_send_all(s, buf, k, timeout_ms, &e) < 0)
            return tool_fail(s, e, "sent", sent);
        sha256_update(&h, buf, k);
        sent += k;
    }
    /* everything acknowledged before the FIN is counted as delivered */
    uint64_t start = time_ms();
    while (!tcp_send_idle(s) && tcp_state(s) != TCP_CLOSED && time_ms() - start < timeout_ms)
        net_poll(time_ms());
    if (!tcp_send_idle(s))
        return tool_fail(s, tcp_error(s) != NET_OK ? tcp_error(s) : NET_ERR_TIMEOUT, "sent", sent);
    uint64_t ms = time_ms() - t0;
    char hex[65];
    tool_finish(s, &h, hex);
    kprintf("tcp: sent=%lu sha256=%s ms=%lu family=%u\n", sent, hex, (unsigned long)ms, family);
    return 0;
}
