/* TCP socket table and the non-blocking API of net/tcp.h: open (active and
   one-shot passive), send into the ring, read from the ring (opening the
   window, RFC 9293 3.8.6.2.2), close (FIN), abort (RST), state and stats.
   Sockets of both families: the source of an IPv6 connection is chosen by
   net/slaac.h (or set by tcp_set_local_addr6). */
#include "net/net.h"
#include "net/slaac.h"
#include "net/tcp_int.h"

struct tcp_sock tcp_socks[TCP_MAX_SOCKETS];
static ip4_addr local_override;
static uint8_t local_override6[16];   /* :: = none */

void tcp_set_local_addr(ip4_addr a) { local_override = a; }

void tcp_set_local_addr6(const uint8_t *a)
{
    if (a)
        memcpy(local_override6, a, 16);
    else
        memset(local_override6, 0, 16);
}

void tcp_reset_all(void)
{
    ip6_set_upper(IP6_NH_TCP, tcp_input6);
    for (int i = 0; i < TCP_MAX_SOCKETS; i++) {
        tcp_socks[i].used = false;
        tcp_socks[i].state = TCP_CLOSED;
    }
}

struct tcp_sock *tcp_sock_get(int s)
{
    if (s < 0 || s >= TCP_MAX_SOCKETS || !tcp_socks[s].used)
        return NULL;
    return &tcp_socks[s];
}

void tcp_sock_free(struct tcp_sock *t)
{
    t->used = false;
    t->state = TCP_CLOSED;
}

void tcp_sock_closed(struct tcp_sock *t, enum net_err err)
{
    t->state = TCP_CLOSED;
    if (err != NET_OK && t->err == NET_OK)
        t->err = err;
    t->rto_at = t->persist_at = t->delack_at = t->tw_at = t->connect_at = 0;
    if (t->app_closed)
        tcp_sock_free(t);
}

/* A free slot; when none, the oldest TIME_WAIT slot is reused (its 2 MSL
   wait only guards against old duplicates of that same 4-tuple). */
static struct tcp_sock *sock_alloc(void)
{
    struct tcp_sock *tw = NULL;
    for (int i = 0; i < TCP_MAX_SOCKETS; i++) {
        if (!tcp_socks[i].used)
            return &tcp_socks[i];
        if (tcp_socks[i].state == TCP_TIME_WAIT && tcp_socks[i].app_closed &&
            (!tw || tcp_socks[i].tw_at < tw->tw_at))
            tw = &tcp_socks[i];
    }
    return tw;
}

static void sock_init(struct tcp_sock *t)
{
    /* clear everything but the (large) buffers */
    memset(t, 0, offsetof(struct tcp_sock, rx));
    t->used = true;
    t->rto = TCP_RTO_INIT_MS;
    t->mss = TCP_DEFAULT_MSS;
    t->rcv_wscale = TCP_RCV_WSCALE;
}

static int sock_index(const struct tcp_sock *t) { return (int)(t - tcp_socks); }

static bool port_in_use(uint16_t port)
{
    for (int i = 0; i < TCP_MAX_SOCKETS; i++)
        if (tcp_socks[i].used && tcp_socks[i].lport == port)
            return true;
    return false;
}

static enum net_err new_iss(struct tcp_sock *t)
{
    uint32_t r;
    enum net_err e = net_random(&r, sizeof r);
    if (e != NET_OK)
        return e;
    t->iss = r;
    t->snd_una = t->snd_nxt = t->snd_max = r;
    t->recover = r;
    return NET_OK;
}

/* RFC 5681 3.1: initial window of min(4 MSS, max(2 MSS, 4380)) bytes (RFC 3390). */
void tcp_cc_init(struct tcp_sock *t);
void tcp_cc_init(struct tcp_sock *t)
{
    uint32_t m = t->mss;
    uint32_t iw = 4 * m < (2 * m > 4380 ? 2 * m : 4380) ? 4 * m : (2 * m > 4380 ? 2 * m : 4380);
    t->cwnd = iw;
    t->ssthresh = 0x7FFFFFFF;
    t->lost_to = t->snd_una;
}

/* The addresses of a connection to dst: *src ours, *rip the peer's. */
static enum net_err v4_addrs(const struct ip_addr *dst, struct ip_addr *src, struct ip_addr *rip)
{
    ip4_addr d = 0;
    enum net_err e = ip4_from_addr(dst, &d);   /* FAMILY unless IPv4 */
    if (e != NET_OK)
        return e;
    ip4_addr s = local_override ? local_override : ipv4_local_addr();
    if (!s)
        return NET_ERR_NO_ROUTE;
    if (!d)
        return NET_ERR_INVALID_ARG;
    *src = ip_addr_v4(s);
    *rip = ip_addr_v4(d);
    return NET_OK;
}

static enum net_err v6_addrs(const struct ip_addr *dst, struct ip_addr *src, struct ip_addr *rip)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    const uint8_t *d = dst->bytes;
    if (ip6_is_unspecified(d) || ip6_is_multicast(d) || !memcmp(d, mapped, 12))
        return NET_ERR_INVALID_ARG;   /* no peer, a group, or an IPv4 peer */
    if (ip6_is_loopback(d))
        return NET_ERR_NO_ROUTE;      /* no loopback interface */
    uint8_t s[16];
    if (!ip6_is_unspecified(local_override6))
        memcpy(s, local_override6, 16);
    else if (!slaac_source(d, s))
        return NET_ERR_NO_ROUTE;
    *src = ip_addr_v6(s);
    *rip = *dst;
    return NET_OK;
}

int tcp_connect(const struct ip_addr *dst_addr, uint16_t port, uint32_t timeout_ms,
                enum net_err *err)
{
    struct ip_addr src, dst;
    enum net_err e = dst_addr && ip_addr_is_v6(dst_addr) ? v6_addrs(dst_addr, &src, &dst)
                                                          : v4_addrs(dst_addr, &src, &dst);
    struct tcp_sock *t = NULL;
    if (e == NET_OK && !port)
        e = NET_ERR_INVALID_ARG;
    if (e == NET_OK && !(t = sock_alloc()))
        e = NET_ERR_NO_SOCKETS;
    if (e != NET_OK) {
        if (err)
            *err = e;
        return -1;
    }
    sock_init(t);
    uint16_t lp = 0;
    for (int tries = 0; tries < 64; tries++) {
        uint16_t r;
        if ((e = net_random(&r, sizeof r)) != NET_OK)
            break;
        lp = (uint16_t)(49152 + r % 16384);   /* RFC 6335 dynamic range */
        if (!port_in_use(lp))
            break;
        lp = 0;
    }
    if (e == NET_OK && !lp)
        e = NET_ERR_NO_SOCKETS;
    if (e == NET_OK)
        e = new_iss(t);
    if (e != NET_OK) {
        t->used = false;
        if (err)
            *err = e;
        return -1;
    }
    t->lip = src;
    t->rip = dst;
    t->lport = lp;
    t->rport = port;
    t->state = TCP_SYN_SENT;
    t->connect_at = tcp_now + (timeout_ms ? timeout_ms : 1);
    t->snd_nxt = t->iss + 1;
    t->snd_max = t->snd_nxt;
    t->rtt_start = tcp_now;          /* the SYN's round trip is the first sample */
    tcp_send_syn(t);
    tcp_rto_arm(t);
    if (err)
        *err = NET_OK;
    return sock_index(t);
}

int tcp_listen(uint16_t port, enum net_err *err)
{
    struct tcp_sock *t = sock_alloc();
    if (!t || port_in_use(port)) {
        if (err)
            *err = t ? NET_ERR_INVALID_ARG : NET_ERR_NO_SOCKETS;
        return -1;
    }
    sock_init(t);
    t->lport = port;
    t->state = TCP_LISTEN;
    if (err)
        *err = NET_OK;
    return sock_index(t);
}

enum tcp_state tcp_state(int s)
{
    struct tcp_sock *t = tcp_sock_get(s);
    return t ? t->state : TCP_CLOSED;
}

enum net_err tcp_error(int s)
{
    struct tcp_sock *t = tcp_sock_get(s);
    return t ? t->err : NET_ERR_CLOSED;
}

size_t tcp_send_space(int s)
{
    struct tcp_sock *t = tcp_sock_get(s);
    return t ? TCP_TX_BUF - t->tx_len : 0;
}

bool tcp_send_idle(int s)
{
    struct tcp_sock *t = tcp_sock_get(s);
    return !t || (t->tx_len == 0 && t->snd_una == t->snd_max);
}

long tcp_send(int s, const void *buf, size_t len)
{
    struct tcp_sock *t = tcp_sock_get(s);
    if (!t || t->app_closed)
        return -(long)NET_ERR_CLOSED;
    if (t->err != NET_OK)
        return -(long)t->err;
    switch (t->state) {
    case TCP_SYN_SENT: case TCP_SYN_RECEIVED: case TCP_ESTABLISHED: case TCP_CLOSE_WAIT:
        break;
    default:
        return -(long)NET_ERR_CLOSED;
    }
    if (t->fin_queued)
        return -(long)NET_ERR_CLOSED;
    size_t room = TCP_TX_BUF - t->tx_len;
    size_t n = len < room ? len : room;
    size_t pos = (t->tx_head + t->tx_len) % TCP_TX_BUF;
    size_t first = TCP_TX_BUF - pos < n ? TCP_TX_BUF - pos : n;
    memcpy(t->tx + pos, buf, first);
    if (n > first)
        memcpy(t->tx, (const uint8_t *)buf + first, n - first);
    t->tx_len += n;
    if (n)
        tcp_output(t);
    return (long)n;
}

size_t tcp_readable(int s)
{
    struct tcp_sock *t = tcp_sock_get(s);
    return t ? t->rx_len : 0;
}

bool tcp_eof(int s)
{
    struct tcp_sock *t = tcp_sock_get(s);
    return !t || t->fin_rcvd;
}

size_t tcp_peek(int s, const uint8_t **p)
{
    struct tcp_sock *t = tcp_sock_get(s);
    if (!t || t->rx_len == 0)
        return 0;
    *p = t->rx + t->rx_head;
    size_t first = TCP_RX_BUF - t->rx_head;
    return t->rx_len < first ? t->rx_len : first;
}

void tcp_consume(int s, size_t n)
{
    struct tcp_sock *t = tcp_sock_get(s);
    if (!t)
        return;
    if (n > t->rx_len)
        n = t->rx_len;
    /* received out-of-order bytes sit after rx_len relative to rx_head: the
       ring position of every byte moves with rx_head, offsets stay valid */
    t->rx_head = (t->rx_head + n) % TCP_RX_BUF;
    t->rx_len -= n;
    /* Window update when the edge we can advertise moved by 2 MSS or half
       the ring (SWS avoidance, RFC 9293 3.8.6.2.2). The edge is what the
       16-bit field can carry: with an unscaled peer (64 KiB cap) and a larger
       ring, reading does not move it, and an ACK then would be a pure
       duplicate (same ack, same window, no data: three of them are a loss
       signal to the sender, RFC 5681 3.2), sent for every read.
       The one exception: while a hole is open (out-of-order data held),
       each read repeats the ACK for the missing byte. That hole is real, so
       these duplicates ask for a retransmission that is needed; a sender
       without SACK or Limited Transmit (QEMU's slirp) with a small window
       would otherwise see fewer than three duplicates and wait for its
       retransmission timeout (measured: the lossy download took about twice
       as long without them). */
    if (t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 ||
        t->state == TCP_FIN_WAIT_2) {
        uint32_t edge = tcp_rcv_edge(t);
        uint32_t grow = edge - t->rcv_adv;
        if (t->nooo > 0 ||
            (SEQ_GT(edge, t->rcv_adv) && (grow >= 2u * t->mss || grow >= TCP_RX_BUF / 2))) {
            t->ack_now = true;
            tcp_output(t);
        }
    }
}

long tcp_recv(int s, void *buf, size_t len)
{
    struct tcp_sock *t = tcp_sock_get(s);
    if (!t)
        return -(long)NET_ERR_CLOSED;
    size_t got = 0;
    while (got < len) {
        const uint8_t *p;
        size_t n = tcp_peek(s, &p);
        if (n == 0)
            break;
        if (n > len - got)
            n = len - got;
        memcpy((uint8_t *)buf + got, p, n);
        got += n;
        tcp_consume(s, n);
    }
    if (got)
        return (long)got;
    if (t->fin_rcvd)
        return 0;
    if (t->err != NET_OK)
        return -(long)t->err;
    if (t->state == TCP_CLOSED)
        return -(long)NET_ERR_CLOSED;
    return -(long)NET_ERR_AGAIN;
}

void tcp_close(int s)
{
    struct tcp_sock *t = tcp_sock_get(s);
    if (!t || t->app_closed)
        return;
    t->app_closed = true;
    switch (t->state) {
    case TCP_CLOSED:
        tcp_sock_free(t);
        return;
    case TCP_LISTEN: case TCP_SYN_SENT:
        tcp_sock_free(t);
        return;
    case TCP_SYN_RECEIVED:
        /* RFC 9293 3.10.4: the FIN (and queued data) wait for the handshake
           to complete; tcp_input moves to FIN_WAIT_1 then. Sending now
           would take the unacknowledged SYN for the first data byte. */
        t->fin_queued = true;
        return;
    case TCP_ESTABLISHED:
        t->state = TCP_FIN_WAIT_1;
        break;
    case TCP_CLOSE_WAIT:
        t->state = TCP_LAST_ACK;
        break;
    default:
        return;
    }
    t->fin_queued = true;
    tcp_output(t);
}

void tcp_abort(int s)
{
    struct tcp_sock *t = tcp_sock_get(s);
    if (!t)
        return;
    switch (t->state) {
    case TCP_SYN_RECEIVED: case TCP_ESTABLISHED: case TCP_FIN_WAIT_1: case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
        tcp_emit(t, t->snd_nxt, TCP_RST | TCP_ACK, 0, 0);   /* RFC 9293 3.10.5 */
        break;
    default:
        break;
    }
    tcp_sock_free(t);
}

void tcp_get_stats(int s, struct tcp_sock_stats *st)
{
    struct tcp_sock *t = tcp_sock_get(s);
    memset(st, 0, sizeof *st);
    if (!t)
        return;
    *st = t->st;
    st->cwnd = t->cwnd;
    st->ssthresh = t->ssthresh;
    st->srtt_ms = t->srtt;
    st->rto_ms = t->rto;
    st->snd_wnd = t->snd_wnd;
    st->mss = t->mss;
    st->timestamps = t->ts_ok;
}
