/* see dns.h */
#include "net/dns.h"
#include "net/net.h"
#include "net/net_int.h"
#include "net/udp.h"
#include <string.h>
#include "lib/ascii.h"
#include "lib/bytes.h"

/* ---- messages ---------------------------------------------------------- */

size_t dns_name_len(const char *name)
{
    size_t n = 0;
    if (!name)
        return 0;
    while (n <= DNS_MAX_NAME + 1 && name[n])   /* reads at most 255 bytes */
        n++;
    if (n == DNS_MAX_NAME + 1 && name[n - 1] == '.')
        return DNS_MAX_NAME;                   /* 253 characters and the root's dot */
    if (n > DNS_MAX_NAME)
        return 0;
    if (n && name[n - 1] == '.')
        n--;
    return n;
}

size_t dns_build_query(uint8_t *out, size_t cap, uint16_t id, const char *name)
{
    size_t n = dns_name_len(name);
    if (n == 0 || cap < 12 + n + 2 + 4)
        return 0;
    memset(out, 0, 12);
    be16_put(out, id);
    be16_put(out + 2, 0x0100);                       /* RD */
    be16_put(out + 4, 1);                            /* QDCOUNT */
    size_t o = 12, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || name[i] == '.') {
            size_t l = i - start;
            if (l == 0 || l > 63)
                return 0;
            out[o++] = (uint8_t)l;
            memcpy(out + o, name + start, l);
            o += l;
            start = i + 1;
        }
    }
    out[o++] = 0;
    be16_put(out + o, 1);                            /* A */
    be16_put(out + o + 2, 1);                        /* IN */
    return o + 4;
}

enum net_err dns_read_name(const uint8_t *msg, size_t len, size_t *off, char *out, size_t cap)
{
    size_t pos = *off, w = 0;
    int jumps = 0;
    bool jumped = false;
    for (;;) {
        if (pos >= len)
            return NET_ERR_DNS_MALFORMED;
        uint8_t l = msg[pos];
        if ((l & 0xC0) == 0xC0) {
            if (pos + 1 >= len || ++jumps > 16)
                return NET_ERR_DNS_MALFORMED;
            size_t target = ((size_t)(l & 0x3F) << 8) | msg[pos + 1];
            if (!jumped)
                *off = pos + 2;
            jumped = true;
            if (target >= pos)                       /* pointers go backwards only */
                return NET_ERR_DNS_MALFORMED;
            pos = target;
            continue;
        }
        if (l & 0xC0)
            return NET_ERR_DNS_MALFORMED;            /* 0x40/0x80: reserved label types */
        pos++;
        if (l == 0)
            break;
        size_t grown = w + (w ? 1 : 0) + l;          /* text length with this label */
        if (pos + l > len || grown >= cap || grown > DNS_MAX_NAME)
            return NET_ERR_DNS_MALFORMED;
        if (w)
            out[w++] = '.';
        memcpy(out + w, msg + pos, l);
        w += l;
        pos += l;
    }
    if (!jumped)
        *off = pos;
    if (cap)
        out[w] = 0;
    return NET_OK;
}

static bool name_eq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la && a[la - 1] == '.') la--;
    if (lb && b[lb - 1] == '.') lb--;
    if (la != lb)
        return false;
    return ascii_caseeq(a, b, la);
}

#define MAX_RR 32

size_t dns_tcp_build_query(uint8_t *out, size_t cap, uint16_t id, const char *name)
{
    if (cap < 2)
        return 0;
    size_t n = dns_build_query(out + 2, cap - 2, id, name);
    if (!n)
        return 0;
    be16_put(out, (uint16_t)n);
    return n + 2;
}

void dns_tcp_reader_init(struct dns_tcp_reader *r, uint8_t *buf, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->buf = buf;
    r->cap = cap;
}

enum net_err dns_tcp_feed(struct dns_tcp_reader *r, const uint8_t *p, size_t n, size_t *used)
{
    size_t k = 0;
    while (r->got < 2 && k < n)
        r->prefix[r->got++] = p[k++];
    if (r->got < 2) {
        *used = k;
        return NET_ERR_AGAIN;
    }
    r->len = be16_get(r->prefix);
    if (r->len == 0 || r->len > r->cap) {
        *used = k;
        return NET_ERR_DNS_MALFORMED;
    }
    size_t have = r->got - 2, take = r->len - have;
    if (take > n - k)
        take = n - k;
    memcpy(r->buf + have, p + k, take);
    r->got += take;
    *used = k + take;
    return r->got - 2 == r->len ? NET_OK : NET_ERR_AGAIN;
}

enum net_err dns_parse_response(const uint8_t *msg, size_t len, uint16_t id, const char *name,
                                struct dns_answer *a)
{
    memset(a, 0, sizeof *a);
    size_t cn = dns_name_len(name);
    if (cn == 0)
        return NET_ERR_INVALID_ARG;
    if (len < 12)
        return NET_ERR_DNS_MALFORMED;
    uint16_t flags = be16_get(msg + 2);
    if (be16_get(msg) != id || !(flags & 0x8000) || ((flags >> 11) & 0xF) != 0)
        return NET_ERR_DNS_MALFORMED;
    uint16_t qd = be16_get(msg + 4), an = be16_get(msg + 6);
    /* Every answer, whatever its RCODE or TC bit, must repeat our question
       (RFC 1035 4.1.1, 7.3): one entry, our name, type A, class IN. An
       error or a truncation for another question is not ours to act on. */
    if (qd != 1)
        return NET_ERR_DNS_MALFORMED;
    size_t off = 12;
    char owner[DNS_MAX_NAME + 2], target[DNS_MAX_NAME + 2];
    if (dns_read_name(msg, len, &off, owner, sizeof owner) != NET_OK || off + 4 > len)
        return NET_ERR_DNS_MALFORMED;
    if (!name_eq(owner, name) || be16_get(msg + off) != 1 || be16_get(msg + off + 2) != 1)
        return NET_ERR_DNS_MALFORMED;
    off += 4;
    if (flags & 0x0200) {                            /* TC: ask again over TCP */
        a->truncated = true;
        return NET_OK;
    }
    switch (flags & 0xF) {
    case 0: break;
    case 2: return NET_ERR_DNS_SERVFAIL;
    case 3: return NET_ERR_DNS_NXDOMAIN;
    case 5: return NET_ERR_DNS_REFUSED;
    default: return NET_ERR_DNS_SERVFAIL;
    }
    /* Index the answer records, then follow the CNAME chain through them. */
    struct { size_t name_off, rdata; uint16_t type, rdlen; uint32_t ttl; } rr[MAX_RR];
    int nrr = 0;
    for (int i = 0; i < an; i++) {
        size_t noff = off;
        if (dns_read_name(msg, len, &off, owner, sizeof owner) != NET_OK || off + 10 > len)
            return NET_ERR_DNS_MALFORMED;
        uint16_t type = be16_get(msg + off), cls = be16_get(msg + off + 2);
        uint32_t ttl = be32_get(msg + off + 4);
        uint16_t rdlen = be16_get(msg + off + 8);
        off += 10;
        if (off + rdlen > len)
            return NET_ERR_DNS_MALFORMED;
        if (cls == 1 && (type == 1 || type == 5) && nrr < MAX_RR) {
            if (type == 1 && rdlen != 4)
                return NET_ERR_DNS_MALFORMED;
            rr[nrr].name_off = noff;
            rr[nrr].rdata = off;
            rr[nrr].type = type;
            rr[nrr].rdlen = rdlen;
            rr[nrr].ttl = ttl > 0x7FFFFFFF ? 0 : ttl;   /* RFC 2181 8 */
            nrr++;
        }
        off += rdlen;
    }
    char current[DNS_MAX_NAME + 2];
    memcpy(current, name, cn);                       /* without a final dot */
    current[cn] = 0;
    uint32_t min_ttl = 0xFFFFFFFFu;
    for (int hop = 0; hop <= DNS_MAX_CNAMES; hop++) {
        bool followed = false;
        for (int i = 0; i < nrr; i++) {
            size_t o = rr[i].name_off;
            if (dns_read_name(msg, len, &o, owner, sizeof owner) != NET_OK)
                return NET_ERR_DNS_MALFORMED;
            if (!name_eq(owner, current))
                continue;
            if (rr[i].type == 1 && a->naddr < DNS_MAX_ADDRS) {
                a->addr[a->naddr++] = ip_addr_v4(be32_get(msg + rr[i].rdata));
                if (rr[i].ttl < min_ttl)
                    min_ttl = rr[i].ttl;
            } else if (rr[i].type == 5 && !followed && a->naddr == 0) {
                size_t t = rr[i].rdata;
                if (dns_read_name(msg, len, &t, target, sizeof target) != NET_OK ||
                    t > rr[i].rdata + rr[i].rdlen)
                    return NET_ERR_DNS_MALFORMED;
                if (rr[i].ttl < min_ttl)
                    min_ttl = rr[i].ttl;
                memcpy(current, target, strlen(target) + 1);
                followed = true;
            }
        }
        if (a->naddr || !followed)
            break;
    }
    if (!a->naddr)
        return NET_ERR_DNS_NO_ANSWER;
    a->ttl = min_ttl;
    memcpy(a->canonical, current, strlen(current) + 1);
    return NET_OK;
}

/* ---- resolver ---------------------------------------------------------- */

struct cache_entry {
    char name[DNS_MAX_NAME + 1];
    struct dns_answer ans;
    uint64_t expires;
    bool used;
};

static struct cache_entry cache[DNS_CACHE_SIZE];
static enum { Q_IDLE, Q_PENDING, Q_DONE } qstate;
static enum net_err qerr;
static struct dns_answer qans;
static char qname[DNS_MAX_NAME + 1];
static uint16_t qid;
static int qsock = -1;
static int qtries;
static uint64_t qsent;
static uint8_t qbuf[300];
static size_t qlen;

void dns_cache_clear(void) { memset(cache, 0, sizeof cache); }

void dns_reset(void)
{
    dns_cache_clear();
    if (qsock >= 0)
        udp_close(qsock);
    qsock = -1;
    qstate = Q_IDLE;
}

static void finish(enum net_err e)
{
    qerr = e;
    qstate = Q_DONE;
    if (qsock >= 0)
        udp_close(qsock);
    qsock = -1;
    if (e == NET_OK && !qans.truncated && qans.ttl > 0) {
        int slot = 0;
        uint64_t oldest = ~0ull;
        for (int i = 0; i < DNS_CACHE_SIZE; i++) {
            if (!cache[i].used) {
                slot = i;
                break;
            }
            if (cache[i].expires < oldest) {
                oldest = cache[i].expires;
                slot = i;
            }
        }
        struct cache_entry *c = &cache[slot];
        memcpy(c->name, qname, sizeof qname);
        c->ans = qans;
        c->expires = net_now() + (uint64_t)qans.ttl * 1000;
        c->used = true;
    }
}

static void send_query(void)
{
    struct ip_addr server;
    uint16_t port;
    if (net_dns_server(&server, &port))
        udp_sendto(qsock, &server, port, qbuf, qlen);
    qsent = net_now();
    net_stats.dns_queries++;
}

enum net_err dns_literal(const char *name, struct dns_answer *a)
{
    memset(a, 0, sizeof *a);
    size_t n = dns_name_len(name);
    if (n == 0)
        return NET_ERR_INVALID_ARG;
    struct ip_addr ip;
    switch (ip_addr_parse(name, strlen(name), &ip)) {
    case IP_ADDR_OK:
        a->addr[0] = ip;
        a->naddr = 1;
        memcpy(a->canonical, name, n);
        a->canonical[n] = 0;
        return NET_OK;
    case IP_ADDR_ERR_FAMILY: return NET_ERR_FAMILY;
    case IP_ADDR_ERR_V4_FORM: return NET_ERR_INVALID_ARG;
    case IP_ADDR_ERR_V6_ZONE: return NET_ERR_FAMILY;   /* not from ip_addr_parse */
    case IP_ADDR_ERR_SYNTAX: break;
    }
    return NET_ERR_AGAIN;
}

enum net_err dns_query_start(const char *name)
{
    size_t n = dns_name_len(name);
    if (n == 0)
        return NET_ERR_INVALID_ARG;
    if (qsock >= 0)
        udp_close(qsock);
    qsock = -1;
    qstate = Q_IDLE;
    enum net_err le = dns_literal(name, &qans);
    if (le != NET_ERR_AGAIN) {            /* a literal needs no lookup, or is refused */
        if (le != NET_OK)
            return le;
        qerr = NET_OK;
        qstate = Q_DONE;
        return NET_OK;
    }
    memcpy(qname, name, n);                           /* without a final dot */
    qname[n] = 0;
    for (int i = 0; i < DNS_CACHE_SIZE; i++) {
        if (cache[i].used && name_eq(cache[i].name, name)) {
            if (net_now() < cache[i].expires) {
                qans = cache[i].ans;
                qerr = NET_OK;
                qstate = Q_DONE;
                net_stats.dns_cache_hits++;
                return NET_OK;
            }
            cache[i].used = false;                    /* expired */
        }
    }
    struct ip_addr server;
    uint16_t port;
    if (!net_dns_server(&server, &port))
        return NET_ERR_NO_ROUTE;
    if (net_random(&qid, sizeof qid) != NET_OK)
        return NET_ERR_NO_ENTROPY;
    qlen = dns_build_query(qbuf, sizeof qbuf, qid, name);
    if (!qlen)
        return NET_ERR_INVALID_ARG;
    qsock = udp_open(0);                              /* random source port */
    if (qsock < 0)
        return NET_ERR_NO_SOCKETS;
    qtries = 1;
    qstate = Q_PENDING;
    send_query();
    return NET_OK;
}

enum net_err dns_query_result(struct dns_answer *a)
{
    if (qstate == Q_PENDING)
        return NET_ERR_AGAIN;
    if (qstate == Q_IDLE)
        return NET_ERR_INVALID_ARG;
    *a = qans;
    return qerr;
}

void dns_timers(uint64_t now)
{
    if (qstate != Q_PENDING)
        return;
    uint8_t buf[UDP_RX_MAX_PAYLOAD];   /* a reassembled answer may exceed one frame */
    struct ip_addr src;
    uint16_t sport;
    size_t n;
    struct ip_addr server = {0};
    uint16_t port = 0;
    (void)net_dns_server(&server, &port);
    while ((n = udp_recvfrom(qsock, buf, sizeof buf, &src, &sport)) > 0) {
        if (!ip_addr_eq(&src, &server) || sport != port)
            continue;                                 /* not from our server: ignore */
        if (n < 2 || be16_get(buf) != qid)
            continue;                                 /* stale or spoofed id */
        enum net_err e = dns_parse_response(buf, n, qid, qname, &qans);
        finish(e);
        return;
    }
    if (now - qsent >= DNS_RETRY_MS) {
        if (qtries >= DNS_TRIES) {
            finish(NET_ERR_DNS_TIMEOUT);
            return;
        }
        qtries++;
        net_stats.dns_retries++;
        send_query();
    }
}
