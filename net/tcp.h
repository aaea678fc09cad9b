/* TCP (RFC 9293) for the polled stack: a static table of TCP_MAX_SOCKETS
   sockets, each with its own receive ring (TCP_RX_BUF, advertised with window
   scaling, RFC 7323) and send ring (TCP_TX_BUF). MSS option, SACK (RFC 2018)
   as receiver and sender, timestamps and PAWS (RFC 7323), RTO per RFC 6298
   with backoff, F-RTO (RFC 5682), SACK loss recovery (RFC 6675) with
   RACK-TLP (RFC 8985), NewReno (RFC 5681, RFC 6582) for peers without SACK,
   zero-window probing,
   RFC 5961 challenge ACKs, ISNs and ephemeral ports from net_random().
   Both IP families: a socket carries its addresses as struct ip_addr
   (lib/ip_addr.h); segments come in through tcp_input (IPv4) and tcp_input6
   (IPv6, registered with ip6_set_upper by tcp_reset_all), go out through
   ipv4_output or ip6_output (tcp_ip.c); the IPv6 MSS follows the path MTU
   that ICMPv6 Packet Too Big lowers (net/icmpv6.h ip6_path_mtu).
   Memory: all socket state and buffers are static inside net/tcp*.c; nothing
   is allocated. Callers hold integer handles.

   Time: shared code never reads a clock. tcp_timers(now_ms) (called by
   net_poll) records the current time and runs the timers; input and the API
   use that recorded time.

   Handle lifetime: every handle returned by tcp_connect / tcp_listen must be
   ended by tcp_close (orderly, the slot is freed once the connection finishes
   its FIN exchange) or tcp_abort (RST, slot freed at once). After either call
   the handle must not be used again. */
#ifndef NET_TCP_H
#define NET_TCP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/net_err.h"
#include "lib/ip_addr.h"

#define TCP_MAX_SOCKETS 4
#define TCP_RX_BUF (256u * 1024u)   /* receive ring = largest advertised window */
#define TCP_TX_BUF (128u * 1024u)   /* send ring: unacknowledged + unsent bytes */

enum tcp_state {
    TCP_CLOSED = 0, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED,
    TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
    TCP_TIME_WAIT,
};

/* ---- hooks of the stack ---- */
/* IPv4 input for protocol 6; src/dst in host order; seg = TCP header + data. */
void tcp_input(ip4_addr src, ip4_addr dst, const uint8_t *seg, size_t len);
/* IPv6 input for next header 6 (an ip6_upper_fn): h gives the addresses,
   seg[0..len) the TCP header and data. Checksum over the IPv6 pseudo-header
   (RFC 8200 8.1); segments to multicast, from :: or with an IPv4-mapped
   address (::ffff:0:0/96, RFC 4291 2.5.5.2: never on the wire) are dropped
   without an answer. */
void tcp_input6(const struct ip6_hdr *h, const uint8_t *seg, size_t len);
/* Records now_ms and runs retransmission, persist, delayed-ACK, TIME_WAIT and
   connect timers. Called from net_poll(). */
void tcp_timers(uint64_t now_ms);
/* Forgets every socket and registers tcp_input6 for IP6_NH_TCP (called by
   net_init before ip6_init, which keeps the handlers). */
void tcp_reset_all(void);

/* Segment output: by default ipv4_output for IPv4 addresses, ip6_output
   (default hop limit) for IPv6 ones. Host tests plug a fake link here; it
   gets both families: src and dst of the same family, proto 6. */
typedef enum net_err (*tcp_output_fn)(const struct ip_addr *src, const struct ip_addr *dst,
                                      uint8_t proto, const void *hdr, size_t hlen,
                                      const void *payload, size_t plen);
void tcp_set_output(tcp_output_fn fn);      /* NULL restores the IP layers */
/* Local address used for new connections; 0 (default) = ipv4_local_addr(). */
void tcp_set_local_addr(ip4_addr a);
/* Local IPv6 address used for new connections; NULL or :: (default) = the
   choice of slaac_source for the destination. */
void tcp_set_local_addr6(const uint8_t *a);

/* ---- non-blocking core API ---- */
/* Active open: sends a SYN to dst:port, returns a handle >= 0 (state
   SYN_SENT) or -1 with *err set (NO_SOCKETS, NO_ENTROPY, NO_ROUTE, FAMILY
   when dst is neither IPv4 nor IPv6, INVALID_ARG for a zero port, a zero
   IPv4 address, or an IPv6 destination that is ::, multicast or
   IPv4-mapped). IPv6: link-local destinations too; the source is
   tcp_set_local_addr6's or slaac_source's (NO_ROUTE when there is none,
   and for ::1: no loopback interface).
   The connection fails with NET_ERR_CONNECT_TIMEOUT if not established
   within timeout_ms, NET_ERR_REFUSED on a RST. Poll tcp_state(). */
int tcp_connect(const struct ip_addr *dst, uint16_t port, uint32_t timeout_ms, enum net_err *err);
/* Passive open of one connection on local port: the handle moves from LISTEN
   to SYN_RECEIVED to ESTABLISHED when a peer connects, over IPv4 or IPv6. */
int tcp_listen(uint16_t port, enum net_err *err);
enum tcp_state tcp_state(int s);
/* Why a connection failed (REFUSED, RESET, CONNECT_TIMEOUT, TIMEOUT) or NET_OK. */
enum net_err tcp_error(int s);
/* Queues up to len bytes for sending; returns the count queued (0 when the
   send ring is full: poll and retry) or -(enum net_err) (CLOSED after
   tcp_close / peer reset, the error of a failed connection). */
long tcp_send(int s, const void *buf, size_t len);
/* Free space in the send ring. */
size_t tcp_send_space(int s);
/* True once everything sent has been acknowledged. */
bool tcp_send_idle(int s);
/* Copies up to len received bytes: > 0 bytes, 0 orderly EOF (peer's FIN and
   everything before it read), -NET_ERR_AGAIN nothing yet, -(error) when the
   connection failed. Reading opens the receive window. */
long tcp_recv(int s, void *buf, size_t len);
/* Zero-copy read: *p points at the contiguous readable bytes in the receive
   ring (returns their count, 0 when none); then tcp_consume(s, n) with n <=
   that count releases them. */
size_t tcp_peek(int s, const uint8_t **p);
void tcp_consume(int s, size_t n);
/* Bytes ready to read (contiguous or not). */
size_t tcp_readable(int s);
/* True when the peer's FIN has been received (and all data before it). */
bool tcp_eof(int s);
/* Orderly close: queues a FIN after the pending data; the handle is released
   (the slot is freed when the FIN exchange ends or TIME_WAIT expires). */
void tcp_close(int s);
/* Abort: sends a RST (when synchronized) and frees the slot at once. */
void tcp_abort(int s);

/* Counters of one socket (for tests and reports). */
struct tcp_sock_stats {
    uint64_t retransmits, fast_retransmits, rto_expiries, sack_retransmits;
    uint64_t challenge_acks, zero_window_probes, out_of_order;
    uint64_t tlp_probes;        /* tail loss probes sent (RFC 8985 7) */
    uint64_t spurious_rtos;     /* timeouts F-RTO found spurious (RFC 5682) */
    uint64_t paws_drops;        /* segments dropped by PAWS (RFC 7323 5) */
    uint32_t cwnd, ssthresh, srtt_ms, rto_ms, snd_wnd, mss;
    uint32_t timestamps;        /* 1 when both ends agreed to RFC 7323 timestamps */
};
void tcp_get_stats(int s, struct tcp_sock_stats *st);


#endif
