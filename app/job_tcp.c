/* The tcpget= / tcpput= jobs, tools over net/tcp.h: a download and an
   upload over one TCP connection, each reporting its byte count, SHA-256
   and duration so a test can check the stream end to end, plus the
   connection's counters:
     tcpget=HOST:PORT reads until the peer closes:
       tcp: bytes=N sha256=HEX ms=N     or     tcp: error=NAME
     tcpput=HOST:PORT bytes=N sends N bytes of the pattern byte[i] = i & 0xff,
     closes:   tcp: sent=N sha256=HEX ms=N   or   tcp: error=NAME.
   tcptimeout=MS is the connect deadline and the longest wait without
   progress. */
#include "app/jobs.h"
#include "net/net.h"
#include "net/net_kernel.h"
#include "net/tcp.h"
#include "crypto/sha2.h"
#include "kernel/console.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include <string.h>

/* HOST:PORT (checked by app/keys.c) -> resolved address and port; prints
   the error itself. */
static bool resolve_target(const char *hp, struct ip_addr *ip, uint16_t *port)
{
    const char *colon = strrchr(hp, ':');
    char host[256];
    unsigned long p = 0;
    for (const char *c = colon + 1; *c; c++)
        p = p * 10 + (unsigned long)(*c - '0');
    memcpy(host, hp, (size_t)(colon - hp));
    host[colon - hp] = 0;
    enum net_err e = dns_resolve_blocking(host, ip, 10000);
    if (e != NET_OK) {
        kprintf("tcp: error=%s detail=resolving %s\n", net_err_str(e), host);
        return false;
    }
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

/* Resolves HOST:PORT and connects; prints the error itself, -1 on failure. */
static int tool_connect(const char *hostport, uint32_t timeout_ms)
{
    struct ip_addr ip;
    uint16_t port;
    if (!resolve_target(hostport, &ip, &port))
        return -1;
    enum net_err e;
    int s = tcp_connect_blocking(&ip, port, timeout_ms, &e);
    if (s < 0)
        kprintf("tcp: error=%s\n", net_err_str(e));
    return s;
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
    int s = tool_connect(o->tcpget, timeout_ms);
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
    kprintf("tcp: bytes=%lu sha256=%s ms=%lu\n", (unsigned long)total, hex, (unsigned long)ms);
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
    int s = tool_connect(o->tcpput, timeout_ms);
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
    kprintf("tcp: sent=%lu sha256=%s ms=%lu\n", sent, hex, (unsigned long)ms);
    return 0;
}
