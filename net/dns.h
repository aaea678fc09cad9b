/* DNS stub resolver (RFC 1035) for A and AAAA (RFC 3596) records.
   - Messages: dns_build_query / dns_parse_response are pure, bounds-checked
     functions (name compression with a jump limit, so pointer loops end in
     NET_ERR_DNS_MALFORMED; CNAME chains followed up to DNS_MAX_CNAMES).
   - Resolver: one lookup at a time, of A, AAAA or both: the two queries
     are in flight together (Happy Eyeballs, RFC 8305 3), each over UDP to
     the configured server with its own random query id and random source
     port (net_random), DNS_TRIES tries DNS_RETRY_MS apart, and a small cache
     per (name, type) that honours the answers' TTLs. No address of one type
     (NODATA) with addresses of the other is no failure of the name
     (dns_answers_merge).
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
    struct ip_addr addr[DNS_MAX_ADDRS];   /* A: family 4; AAAA: family 6 */
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
/* The query types the resolver asks (RFC 1035 3.2.2, RFC 3596 2.1). */
enum dns_qtype {
    DNS_QTYPE_A = 1,
    DNS_QTYPE_AAAA = 28,
};
/* qtype/IN query with RD set; returns the length, or 0 when the name is
   invalid (dns_name_len 0, an empty or > 63-byte label), qtype is not A or
   AAAA, or cap too small. dns_build_query: A. */
size_t dns_build_query_type(uint8_t *out, size_t cap, uint16_t id, const char *name,
                            uint16_t qtype);
size_t dns_build_query(uint8_t *out, size_t cap, uint16_t id, const char *name);
/* Parses a response to query `id` for `name` of type qtype (A or AAAA).
   Every response, NOERROR or not and truncated or not, must carry id and
   exactly our question (name, qtype, IN), else NET_ERR_DNS_MALFORMED; so
   must every record of type qtype: 4 bytes for A, 16 for AAAA. The
   addresses of qtype at the end of the CNAME chain are the answer (A:
   family 4, AAAA: family 6); records of other types are skipped. Errors:
   NET_ERR_DNS_NXDOMAIN, _SERVFAIL, _REFUSED, _NO_ANSWER (NOERROR without
   an address of qtype: NODATA), _MALFORMED; NET_ERR_INVALID_ARG when
   dns_name_len(name) is 0 or qtype is another type. canonical is written
   without a final dot. dns_parse_response: qtype A. */
enum net_err dns_parse_response_type(const uint8_t *msg, size_t len, uint16_t id,
                                     const char *name, uint16_t qtype, struct dns_answer *a);
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
size_t dns_tcp_build_query_type(uint8_t *out, size_t cap, uint16_t id, const char *name,
                                uint16_t qtype);
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
   strict dotted quad, family 4, or an IPv6 literal, family 6);
   NET_ERR_AGAIN: a name, to be looked up; NET_ERR_INVALID_ARG: a name over
   253 characters, text shaped like an IPv4 literal that is not a strict
   dotted quad ("010.0.0.1", "1.2.3"), an IPv6 literal with a zone id
   ("fe80::1%eth0"), or any other text with a ':' (malformed IPv6,
   "host:80"), none of which is looked up or connected to. */
enum net_err dns_literal(const char *name, struct dns_answer *a);

/* Which types dns_lookup_start asks for (a bit set). */
#define DNS_WANT_A    1u
#define DNS_WANT_AAAA 2u
/* Starts resolving name for the types in want, both queries sent at once:
   a literal completes at once (its family's type holds it, the other type
   NET_ERR_DNS_NO_ANSWER), as does a type found in the cache; dns_literal's
   errors, NET_ERR_INVALID_ARG (dns_name_len(name) 0, want empty),
   NET_ERR_NO_ROUTE (no server), NET_ERR_NO_ENTROPY, NET_ERR_NO_SOCKETS
   refuse it. Starting a lookup drops the one before. */
enum net_err dns_lookup_start(const char *name, unsigned want);
/* The state of one type of the lookup (DNS_QTYPE_A or _AAAA):
   NET_ERR_AGAIN while in flight; NET_OK with *a filled (a->truncated: ask
   again over TCP); the type's error (NET_ERR_DNS_NO_ANSWER: the name has
   no address of this type); NET_ERR_INVALID_ARG when it was not asked. */
enum net_err dns_lookup_result(uint16_t qtype, struct dns_answer *a);
/* Drops the lookup in flight (its sockets closed). */
void dns_lookup_cancel(void);
/* The answer for the name from the answers of both types: the IPv6
   addresses first, then the IPv4 ones (at most DNS_MAX_ADDRS), the smaller
   TTL. NET_OK when either has an address; otherwise the AAAA error, else
   the A error, that is not NET_ERR_DNS_NO_ANSWER, else that. */
enum net_err dns_answers_merge(const struct dns_answer *a6, enum net_err e6,
                               const struct dns_answer *a4, enum net_err e4,
                               struct dns_answer *out);
/* A lookup of type A only (dns_lookup_start(name, DNS_WANT_A)) and its
   result (dns_lookup_result(DNS_QTYPE_A, a)). */
enum net_err dns_query_start(const char *name);
enum net_err dns_query_result(struct dns_answer *a);
void dns_cache_clear(void);

#endif
