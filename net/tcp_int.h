/* Internal to net/tcp*.c: the socket structure, the segment wire format
   (parse/emit) and the functions the TCP files call in each other. */
#ifndef NET_TCP_INT_H
#define NET_TCP_INT_H
#include "net/tcp.h"
#include <string.h>

/* Sequence-number comparisons modulo 2^32 (RFC 9293 3.4). */
#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LE(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GE(a, b) SEQ_LE(b, a)

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

#define TCP_HDR_MIN 20
#define TCP_HDR_MAX 60
#define TCP_MAX_SACK 4          /* blocks parsed / sent */
#define TCP_RCV_WSCALE 3        /* 256 KiB >> 3 fits in 16 bits */
#define TCP_DEFAULT_MSS 536     /* RFC 9293 3.7.1 when no MSS option */
#define TCP_RTO_INIT_MS 1000    /* RFC 6298 2.1 */
#define TCP_RTO_MIN_MS 200      /* below RFC 6298's 1 s, as common stacks do */
#define TCP_RTO_MAX_MS 60000
#define TCP_MAX_RETRIES 12      /* RTO expiries in a row before giving up */
#define TCP_DELACK_MS 40
#define TCP_QUICKACKS 32        /* ACK every segment this long after start or loss */
#define TCP_MSL_MS 15000        /* TIME_WAIT lasts 2 * MSL */
#define TCP_OOO_MAX 8           /* out-of-order ranges held by a receiver */
#define TCP_SCORE_MAX 16        /* SACKed ranges remembered by a sender */
#define TCP_REXMIT_MAX 64       /* retransmissions a sender keeps track of */
#define TCP_TS_LEN 12           /* timestamps option with its two NOPs */
#define TCP_TLP_MIN_MS 10       /* floor of the tail loss probe timeout */
#define TCP_TLP_DELACK_MS 200   /* RFC 8985 7.2 WCDelAckT: one segment in flight */
#define TCP_V4_OVERHEAD 40      /* IPv4 + TCP headers without options */
#define TCP_V6_OVERHEAD 60      /* IPv6 + TCP headers without options */
#define TCP_V6_MSS_MIN (IP6_MIN_MTU - TCP_V6_OVERHEAD)   /* what every IPv6 path carries */

enum tcp_parse_err {
    TCP_PARSE_OK = 0,
    TCP_PARSE_SHORT,           /* fewer than 20 bytes */
    TCP_PARSE_BAD_OFFSET,      /* data offset < 5 or past the end */
    TCP_PARSE_BAD_OPTION,      /* option length 0/1 or past the header */
    TCP_PARSE_BAD_CHECKSUM,
};
const char *tcp_parse_err_str(enum tcp_parse_err e);

struct tcp_range { uint32_t l, r; };   /* [l, r) in sequence space */
/* One retransmission of [l, r), sent at `at` when snd_max was `mark`: what
   is SACKed above mark was sent after it (RFC 8985 6.2 in sequence space). */
struct tcp_rexmit { uint32_t l, r, mark; uint64_t at; };

/* A parsed segment; data points into the caller's buffer. */
struct tcp_seg {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    const uint8_t *data;
    size_t dlen;
    /* options */
    bool has_mss, has_ws, sack_perm;
    uint16_t mss;
    uint8_t ws;
    int nsack;
    struct tcp_range sack[TCP_MAX_SACK];
    bool has_ts;
    uint32_t tsval, tsecr;
};

/* Parses and (when src/dst given, check=true) verifies the checksum. */
enum tcp_parse_err tcp_parse(const uint8_t *buf, size_t len, bool check, ip4_addr src,
                             ip4_addr dst, struct tcp_seg *seg);
/* The same for either family: the checksum over the pseudo-header of src
   and dst (IPv4, or IPv6 of RFC 8200 8.1); addresses of another family, or
   of two different families, fail the check (TCP_PARSE_BAD_CHECKSUM). */
enum tcp_parse_err tcp_parse_ip(const uint8_t *buf, size_t len, bool check,
                                const struct ip_addr *src, const struct ip_addr *dst,
                                struct tcp_seg *seg);
/* Options to emit. */
struct tcp_opts {
    uint16_t mss;        /* 0: none */
    int ws;              /* < 0: none */
    bool sack_perm;
    int nsack;
    const struct tcp_range *sack;
    bool ts;             /* timestamps option with tsval / tsecr */
    uint32_t tsval, tsecr;
};
/* Builds a header with options into hdr (>= TCP_HDR_MAX) and its checksum
   over hdr + payload; returns the header length. */
size_t tcp_build(uint8_t *hdr, ip4_addr src, ip4_addr dst, uint16_t sport, uint16_t dport,
                 uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
                 const struct tcp_opts *o, const uint8_t *payload, size_t plen);
/* tcp_build for either family (src and dst of the same family). */
size_t tcp_build_ip(uint8_t *hdr, const struct ip_addr *src, const struct ip_addr *dst,
                    uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                    uint16_t wnd, const struct tcp_opts *o, const uint8_t *payload, size_t plen);

struct tcp_sock {
    bool used, app_closed;
    enum tcp_state state;
    enum net_err err;
    struct ip_addr lip, rip;      /* family NONE: a listener not yet bound to a peer */
    uint16_t lport, rport;
    /* send side */
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2, max_snd_wnd;
    uint8_t snd_wscale, rcv_wscale;
    bool ws_ok, sack_ok;
    uint16_t mss;                 /* effective send MSS */
    uint16_t peer_mss;            /* the peer's MSS option (536 without); 0 before */
    size_t tx_head, tx_len;       /* ring: tx_len bytes from snd_una */
    bool fin_queued;              /* FIN after the tx data (seq snd_una+tx_len) */
    bool fin_sent;                /* the FIN went out (snd_max counts it) */
    /* congestion control */
    uint32_t cwnd, ssthresh, recover;
    int dupacks;
    bool in_recovery;
    struct tcp_range score[TCP_SCORE_MAX];
    int nscore;
    /* SACK loss recovery (RFC 6675) with RACK-TLP (RFC 8985), tcp_sack.c */
    struct tcp_rexmit rec[TCP_REXMIT_MAX];
    int nrec;
    uint32_t lost_to;             /* unSACKed bytes below it are lost (RACK) */
    bool rto_loss;                /* after an RTO: all unSACKed below recover lost */
    uint32_t reo_high;            /* highest SACK when the reorder timer was armed */
    uint64_t reo_at;              /* RACK reorder timer (holes or retransmissions) */
    uint64_t reo_hole_at;         /* when the holes below reo_high become lost */
    uint64_t tlp_at;              /* tail loss probe timer */
    bool tlp_out;                 /* a probe is outstanding */
    uint32_t tlp_high;            /* snd_max when the probe went out */
    /* F-RTO (RFC 5682): 1 after the RTO retransmission, 2 after new data */
    int frto;
    uint32_t frto_cwnd, frto_ssthresh;
    /* timestamps (RFC 7323) */
    bool ts_ok;
    uint32_t ts_recent, last_ack_sent;
    /* RTT / RTO (RFC 6298), ms */
    uint32_t srtt, rttvar, rto;
    bool rtt_valid, timing;
    uint32_t rtt_seq;
    uint64_t rtt_start;
    uint64_t rto_at, persist_at, delack_at, tw_at, connect_at;
    int retries;
    uint32_t persist_backoff;
    /* receive side */
    uint32_t irs, rcv_nxt, rcv_adv;   /* rcv_adv: right edge last advertised */
    size_t rx_head, rx_len;           /* ring: rx_len in-order unread bytes */
    struct tcp_range ooo[TCP_OOO_MAX];/* out-of-order data held in the ring */
    int nooo, ooo_last;
    bool fin_rcvd, rx_fin_pending;
    uint32_t rx_fin_seq;
    int segs_unacked;
    int quickack;                     /* segments still ACKed one by one */
    bool ack_now;
    struct tcp_sock_stats st;
    uint8_t rx[TCP_RX_BUF];
    uint8_t tx[TCP_TX_BUF];
};

extern struct tcp_sock tcp_socks[TCP_MAX_SOCKETS];
extern uint64_t tcp_now;

struct tcp_sock *tcp_sock_get(int s);
void tcp_sock_free(struct tcp_sock *t);
/* Moves to CLOSED with err; frees the slot when the app has let go. */
void tcp_sock_closed(struct tcp_sock *t, enum net_err err);

/* tcp_out.c */
enum net_err tcp_emit(struct tcp_sock *t, uint32_t seq, uint8_t flags, size_t off,
                      size_t dlen);   /* data from the tx ring at off */
void tcp_output(struct tcp_sock *t);  /* sends what windows allow, ACKs */
void tcp_send_syn(struct tcp_sock *t);
void tcp_send_ack(struct tcp_sock *t);
void tcp_send_rst_reply(const struct ip_addr *src, const struct ip_addr *dst,
                        const struct tcp_seg *seg);
void tcp_retransmit_una(struct tcp_sock *t);
uint32_t tcp_flight(const struct tcp_sock *t);
uint16_t tcp_rcv_wnd_field(struct tcp_sock *t);   /* also moves rcv_adv */
/* The right edge of the window a segment sent now would advertise (what the
   16-bit field can say, not the free space when that is larger). */
uint32_t tcp_rcv_edge(const struct tcp_sock *t);
/* RCV.WND of RFC 9293: from rcv_nxt to the right edge we last advertised
   (rcv_adv), 0 when rcv_nxt is at or past it. Incoming data is accepted up
   to that edge only, never up to the free ring space beyond it. */
uint32_t tcp_rcv_wnd(const struct tcp_sock *t);
/* The (unscaled) window field of a SYN or SYN-ACK. */
uint16_t tcp_syn_window(const struct tcp_sock *t);
void tcp_rto_arm(struct tcp_sock *t);

/* tcp_in.c: a segment from src to dst (same family), either IP layer */
void tcp_input_ip(const struct ip_addr *src, const struct ip_addr *dst, const uint8_t *buf,
                  size_t len);

/* tcp_ip.c: the IP layer below, per family */
/* Sends hdr + payload from src to dst through the hook or the IP layer. */
enum net_err tcp_ip_output(const struct ip_addr *src, const struct ip_addr *dst,
                           const void *hdr, size_t hlen, const void *payload, size_t plen);
/* Pseudo-header sum for a TCP segment of len bytes (feed to inet_sum). */
uint32_t tcp_pseudo_sum(const struct ip_addr *src, const struct ip_addr *dst, size_t len);
/* The MSS we advertise to peer: link MTU - 40 (IPv4) or - 60 (IPv6). */
uint16_t tcp_adv_mss(const struct ip_addr *peer);
/* The send MSS of t (before any option): the peer's MSS, the path MTU to
   it (IPv6: ip6_path_mtu - 60, never below 1220), the timestamps option. */
uint16_t tcp_mss_calc(const struct tcp_sock *t);
/* Follows a changed path MTU (from tcp_output and tcp_timers): a lowered MSS
   sends what is in flight again in segments of the new size (RFC 8201 5.4:
   the big ones were dropped; not a congestion signal). */
void tcp_mss_check(struct tcp_sock *t);

/* tcp_rx.c: receive ring and reassembly */
void tcp_rx_data(struct tcp_sock *t, uint32_t seq, const uint8_t *data, size_t len);
uint32_t tcp_rx_window(const struct tcp_sock *t);
int tcp_rx_sack_blocks(const struct tcp_sock *t, struct tcp_range *out, int max);

/* tcp_timer.c */
void tcp_rtt_sample(struct tcp_sock *t, uint32_t rtt_ms);

/* tcp_sack.c: scoreboard, pipe, loss detection (RFC 6675, RFC 8985) */
bool tcp_sack_take(struct tcp_sock *t, const struct tcp_seg *s);  /* true: new SACKed bytes */
uint32_t tcp_sack_high(const struct tcp_sock *t);
uint32_t tcp_sack_pipe(struct tcp_sock *t);
bool tcp_sack_lost_any(struct tcp_sock *t);      /* a hole is lost: enter recovery */
void tcp_sack_enter(struct tcp_sock *t);         /* RFC 6675 5 (4.x): starts recovery */
void tcp_sack_output(struct tcp_sock *t);        /* retransmits lost, then new data */
void tcp_sack_ack(struct tcp_sock *t);           /* after snd_una moved */
void tcp_sack_rto(struct tcp_sock *t);           /* after an RTO (RFC 6675 5.1) */
void tcp_sack_timers(struct tcp_sock *t);        /* reorder timer and TLP */
void tcp_tlp_arm(struct tcp_sock *t);
void tcp_rexmit_note(struct tcp_sock *t, uint32_t l, uint32_t r);
/* tcp_out.c: one segment from seq, at most to limit; returns its sequence length */
uint32_t tcp_send_seg(struct tcp_sock *t, uint32_t seq, uint32_t limit);

#endif
