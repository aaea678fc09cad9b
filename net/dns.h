/* DNS stub resolver (RFC 1035) for A records.
   - Messages: dns_build_query / dns_parse_response are pure, bounds-checked
     functions (name compression with a jump limit, so pointer loops end in
     NET_ERR_DNS_MALFORMED; CNAME chains followed up to DNS_MAX_CNAMES).
   - Resolver: one query at a time over UDP to the configured server, with a
     random query id and a random source port (net_random), DNS_TRIES tries
     DNS_RETRY_MS apart, and a small cache that honours the answers' TTLs.
     A truncated answer (TC=1) completes with answer.truncated set: the
     caller repeats the query over TCP (net/net_kernel.c does).
   Time comes from net_poll; nothing blocks here. */
#ifndef NET_DNS_H
#define NET_DNS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/ipv4.h"
#include "net/net_err.h"

#define DNS_MAX_NAME   253
#define DNS_MAX_ADDRS  8
#define DNS_MAX_CNAMES 8
#define DNS_RETRY_MS   1000
#define DNS_TRIES      3
#define DNS_CACHE_SIZE 16

struct dns_answer {
    struct ip_addr addr[DNS_MAX_ADDRS];   /* IPv4 (A records) for now */
    int naddr;
    uint32_t ttl;                 /* smallest TTL on the path, seconds */
    bool truncated;
    char canonical[DNS_MAX_NAME + 1];   /* last CNAME target, or the name */
};

/* The length of name without one final dot ("a.test." -> 6), or 0 when
   that is empty or longer than DNS_MAX_NAME (253, RFC 1035 2.3.4 in text
   form). Every entry point below refuses a name this gives 0 for, so the
   name always fits canonical[] and the resolver's buffers. */
size_t dns_name_len(const char *name);
/* A/IN query with RD set; returns the length, or 0 when the name is invalid
   (dns_name_len 0, an empty or > 63-byte label) or cap too small. */
size_t dns_build_query(uint8_t *out, size_t cap, uint16_t id, const char *name);
/* Parses a response to query `id` for `name`. Every response, NOERROR or
   not and truncated or not, must carry id and exactly our question (name,
   A, IN), else NET_ERR_DNS_MALFORMED. Errors: NET_ERR_DNS_NXDOMAIN,
   _SERVFAIL, _REFUSED, _NO_ANSWER, _MALFORMED; NET_ERR_INVALID_ARG when
   dns_name_len(name) is 0. canonical is written without a final dot. */
enum net_err dns_parse_response(const uint8_t *msg, size_t len, uint16_t id, const char *name,
                                struct dns_answer *a);
/* Reads a possibly compressed name at *off into out (dotted, no final dot,
   at most DNS_MAX_NAME characters: cap DNS_MAX_NAME + 1 holds any);
   advances *off past it in the message. Exposed for tests. */
enum net_err dns_read_name(const uint8_t *msg, size_t len, size_t *off, char *out, size_t cap);

/* DNS over TCP (RFC 1035 4.2.2): each message goes with a 2-byte
   big-endian length before it. dns_tcp_build_query writes the prefixed
   query (the length of the whole, or 0 as dns_build_query). A struct
   dns_tcp_reader collects one prefixed response from a byte stream fed in
   pieces of any size into the caller's buffer. */
size_t dns_tcp_build_query(uint8_t *out, size_t cap, uint16_t id, const char *name);
struct dns_tcp_reader {
    uint8_t *buf;                 /* caller's, cap bytes: the message goes here */
    size_t cap;
    uint8_t prefix[2];
    size_t got;                   /* bytes taken so far, prefix included */
    size_t len;                   /* the message's length once the prefix is in */
};
void dns_tcp_reader_init(struct dns_tcp_reader *r, uint8_t *buf, size_t cap);
/* Takes bytes from p (at most until the message is whole; *used says how
   many). NET_ERR_AGAIN: more is needed; NET_OK: the message is
   buf[0..len); NET_ERR_DNS_MALFORMED: a zero length, or longer than cap. */
enum net_err dns_tcp_feed(struct dns_tcp_reader *r, const uint8_t *p, size_t n, size_t *used);

/* An address literal needs no lookup. The literal is told apart from a
   name by ip_addr_parse (lib/ip_addr.h), the parser URLs and the
   certificate host check use too: NET_OK with a->addr[0] the address (a
   strict dotted quad); NET_ERR_AGAIN: a name, to be looked up;
   NET_ERR_FAMILY: an IPv6 literal; NET_ERR_INVALID_ARG: a name over 253
   characters, or text shaped like an IPv4 literal that is not a strict
   dotted quad ("010.0.0.1", "1.2.3"), which is neither looked up nor
   connected to. */
enum net_err dns_literal(const char *name, struct dns_answer *a);
/* Starts resolving name: a literal (dns_literal) or a cache hit completes at
   once; dns_literal's errors, or NET_ERR_INVALID_ARG when dns_name_len(name)
   is 0, refuse it. */
enum net_err dns_query_start(const char *name);
/* NET_ERR_AGAIN while in flight; NET_OK with *a filled; or the error. */
enum net_err dns_query_result(struct dns_answer *a);
void dns_cache_clear(void);

#endif
