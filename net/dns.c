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

size_t dns_build_query_type(uint8_t *out, size_t cap, uint16_t id, const char *name,
                            uint16_t qtype)
{
    if (qtype != DNS_QTYPE_A && qtype != DNS_QTYPE_AAAA)
        return 0;
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
    be16_put(out + o, qtype);                        /* A or AAAA */
    be16_put(out + o + 2, 1);                        /* IN */
    return o + 4;
}

size_t dns_build_query(uint8_t *out, size_t cap, uint16_t id, const char *name)
{
    return dns_build_query_type(out, cap, id, name, DNS_QTYPE_A);
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
    return dns_tcp_build_query_type(out, cap, id, name, DNS_QTYPE_A);
}

size_t dns_tcp_build_query_type(uint8_t *out, size_t cap, uint16_t id, const char *name,
                                uint16_t qtype)
{
    if (cap < 2)
        return 0;
    size_t n = dns_build_query_type(out + 2, cap - 2, id, name, qtype);
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
    return dns_parse_response_type(msg, len, id, name, DNS_QTYPE_A, a);
}

/* The record length of an address of type qtype (RFC 1035 3.4.1, RFC 3596 2.2). */
static size_t addr_rdlen(uint16_t qtype)
{
    return qtype == DNS_QTYPE_AAAA ? 16 : 4;
}

enum net_err dns_parse_response_type(const uint8_t *msg, size_t len, uint16_t id,
                                     const char *name, uint16_t qtype, struct dns_answer *a)
{
    memset(a, 0, sizeof *a);
    if (qtype != DNS_QTYPE_A && qtype != DNS_QTYPE_AAAA)
        return NET_ERR_INVALID_ARG;
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
       (RFC 1035 4.1.1, 7.3): one entry, our name, our type, class IN. An
       error or a truncation for another question is not ours to act on. */
    if (qd != 1)
        return NET_ERR_DNS_MALFORMED;
    size_t off = 12;
    char owner[DNS_MAX_NAME + 2], target[DNS_MAX_NAME + 2];
    if (dns_read_name(msg, len, &off, owner, sizeof owner) != NET_OK || off + 4 > len)
        return NET_ERR_DNS_MALFORMED;
    if (!name_eq(owner, name) || be16_get(msg + off) != qtype || be16_get(msg + off + 2) != 1)
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
        if (cls == 1 && (type == qtype || type == 5) && nrr < MAX_RR) {
            if (type == qtype && rdlen != addr_rdlen(qtype))
                return NET_ERR_DNS_MALFORMED;   /* an AAAA of 4 bytes, an A of 16 */
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
            if (rr[i].type == qtype && a->naddr < DNS_MAX_ADDRS) {
                a->addr[a->naddr++] = qtype == DNS_QTYPE_AAAA
                                          ? ip_addr_v6(msg + rr[i].rdata)
                                          : ip_addr_v4(be32_get(msg + rr[i].rdata));
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

/* ---- resolver ----------------------------------------------------------
   One lookup at a time, of up to two types: a slot per type (A, AAAA),
   each with its own socket, id, tries and answer, so both queries are in
   flight together (RFC 8305 3). */

struct cache_entry {
    char name[DNS_MAX_NAME + 1];
    uint16_t qtype;
    struct dns_answer ans;
    uint64_t expires;
    bool used;
};

enum slot_state { Q_IDLE, Q_PENDING, Q_DONE };
struct dns_slot {
    uint16_t qtype;
    enum slot_state state;
    enum net_err err;
    struct dns_answer ans;
    uint16_t id;
    int sock;
    int tries;
    uint64_t sent;
    uint8_t buf[300];
    size_t len;
};

static struct cache_entry cache[DNS_CACHE_SIZE];
static struct dns_slot slots[2] = { { .qtype = DNS_QTYPE_A, .sock = -1 },
                                    { .qtype = DNS_QTYPE_AAAA, .sock = -1 } };
static char qname[DNS_MAX_NAME + 1];

void dns_cache_clear(void) { memset(cache, 0, sizeof cache); }

static struct dns_slot *slot_of(uint16_t qtype)
{
    return qtype == DNS_QTYPE_AAAA ? &slots[1] : qtype == DNS_QTYPE_A ? &slots[0] : NULL;
}

static void slot_close(struct dns_slot *q)
{
    if (q->sock >= 0)
        udp_close(q->sock);
    q->sock = -1;
}

void dns_reset(void)
{
    dns_cache_clear();
    for (int i = 0; i < 2; i++) {
        slot_close(&slots[i]);
        slots[i].state = Q_IDLE;
    }
}

/* The configured server and its port: the one place that reads them
   (family NONE when there is none yet). */
static struct ip_addr dns_server(uint16_t *port)
{
    struct ip_addr server;
    memset(&server, 0, sizeof server);
    *port = 0;
    if (!net_dns_server(&server, port))
        memset(&server, 0, sizeof server);
    return server;
}

static void finish(struct dns_slot *q, enum net_err e)
{
    q->err = e;
    q->state = Q_DONE;
    slot_close(q);
    if (e == NET_OK && !q->ans.truncated && q->ans.ttl > 0) {
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
        c->qtype = q->qtype;
        c->ans = q->ans;
        c->expires = net_now() + (uint64_t)q->ans.ttl * 1000;
        c->used = true;
    }
}

static void send_query(struct dns_slot *q)
{
    uint16_t port;
    struct ip_addr server = dns_server(&port);
    udp_sendto(q->sock, &server, port, q->buf, q->len);
    q->sent = net_now();
    net_stats.dns_queries++;
}

/* A cache hit for the slot's type completes it. */
static bool from_cache(struct dns_slot *q, const char *name)
{
    for (int i = 0; i < DNS_CACHE_SIZE; i++) {
        if (cache[i].used && cache[i].qtype == q->qtype && name_eq(cache[i].name, name)) {
            if (net_now() < cache[i].expires) {
                q->ans = cache[i].ans;
                q->err = NET_OK;
                q->state = Q_DONE;
                net_stats.dns_cache_hits++;
                return true;
            }
            cache[i].used = false;                    /* expired */
        }
    }
    return false;
}

static enum net_err slot_start(struct dns_slot *q, const char *name)
{
    if (from_cache(q, name))
        return NET_OK;
    uint16_t port;
    if (dns_server(&port).family == IP_FAMILY_NONE)
        return NET_ERR_NO_ROUTE;
    if (net_random(&q->id, sizeof q->id) != NET_OK)
        return NET_ERR_NO_ENTROPY;
    q->len = dns_build_query_type(q->buf, sizeof q->buf, q->id, name, q->qtype);
    if (!q->len)
        return NET_ERR_INVALID_ARG;
    q->sock = udp_open(0);                            /* random source port */
    if (q->sock < 0)
        return NET_ERR_NO_SOCKETS;
    q->tries = 1;
    q->state = Q_PENDING;
    send_query(q);
    return NET_OK;
}

enum net_err dns_lookup_start(const char *name, unsigned want)
{
    size_t n = dns_name_len(name);
    if (n == 0 || !(want & (DNS_WANT_A | DNS_WANT_AAAA)))
        return NET_ERR_INVALID_ARG;
    for (int i = 0; i < 2; i++) {
        slot_close(&slots[i]);
        slots[i].state = Q_IDLE;
    }
    struct dns_answer lit;
    enum net_err le = dns_literal(name, &lit);
    if (le != NET_ERR_AGAIN) {            /* a literal needs no lookup, or is refused */
        if (le != NET_OK)
            return le;
        /* its own family's slot holds it, the other has no address */
        for (int i = 0; i < 2; i++) {
            struct dns_slot *q = &slots[i];
            if (!(want & (i ? DNS_WANT_AAAA : DNS_WANT_A)))
                continue;
            bool mine = (lit.addr[0].family == IP_FAMILY_V6) == (q->qtype == DNS_QTYPE_AAAA);
            memset(&q->ans, 0, sizeof q->ans);
            if (mine)
                q->ans = lit;
            q->err = mine ? NET_OK : NET_ERR_DNS_NO_ANSWER;
            q->state = Q_DONE;
        }
        return NET_OK;
    }
    memcpy(qname, name, n);                           /* without a final dot */
    qname[n] = 0;
    for (int i = 0; i < 2; i++) {
        if (!(want & (i ? DNS_WANT_AAAA : DNS_WANT_A)))
            continue;
        enum net_err e = slot_start(&slots[i], name);
        if (e != NET_OK) {
            for (int k = 0; k < 2; k++) {
                slot_close(&slots[k]);
                slots[k].state = Q_IDLE;
            }
            return e;
        }
    }
    return NET_OK;
}

enum net_err dns_lookup_result(uint16_t qtype, struct dns_answer *a)
{
    struct dns_slot *q = slot_of(qtype);
    if (!q || q->state == Q_IDLE)
        return NET_ERR_INVALID_ARG;
    if (q->state == Q_PENDING)
        return NET_ERR_AGAIN;
    *a = q->ans;
    return q->err;
}

void dns_lookup_cancel(void)
{
    for (int i = 0; i < 2; i++) {
        slot_close(&slots[i]);
        slots[i].state = Q_IDLE;
    }
}

enum net_err dns_query_start(const char *name)
{
    return dns_lookup_start(name, DNS_WANT_A);
}

enum net_err dns_query_result(struct dns_answer *a)
{
    return dns_lookup_result(DNS_QTYPE_A, a);
}

enum net_err dns_answers_merge(const struct dns_answer *a6, enum net_err e6,
                               const struct dns_answer *a4, enum net_err e4,
                               struct dns_answer *out)
{
    memset(out, 0, sizeof *out);
    bool ok6 = e6 == NET_OK && a6->naddr > 0, ok4 = e4 == NET_OK && a4->naddr > 0;
    if (!ok6 && !ok4) {
        /* neither has an address: the first error that says more than
           "no address of this type" names the failure */
        if (e6 != NET_OK && e6 != NET_ERR_DNS_NO_ANSWER)
            return e6;
        if (e4 != NET_OK && e4 != NET_ERR_DNS_NO_ANSWER)
            return e4;
        return NET_ERR_DNS_NO_ANSWER;
    }
    uint32_t ttl = 0xFFFFFFFFu;
    const struct dns_answer *parts[2] = { ok6 ? a6 : NULL, ok4 ? a4 : NULL };
    for (int p = 0; p < 2; p++) {
        if (!parts[p])
            continue;
        for (int i = 0; i < parts[p]->naddr && out->naddr < DNS_MAX_ADDRS; i++)
            out->addr[out->naddr++] = parts[p]->addr[i];
        if (parts[p]->ttl < ttl)
            ttl = parts[p]->ttl;
        if (!out->canonical[0])
            memcpy(out->canonical, parts[p]->canonical, sizeof out->canonical);
    }
    out->ttl = ttl;
    return NET_OK;
}

static void slot_timers(struct dns_slot *q, uint64_t now)
{
    if (q->state != Q_PENDING)
        return;
    uint8_t buf[UDP_RX_MAX_PAYLOAD];   /* a reassembled answer may exceed one frame */
    struct ip_addr src;
    uint16_t sport, port;
    size_t n;
    struct ip_addr server = dns_server(&port);
    while ((n = udp_recvfrom(q->sock, buf, sizeof buf, &src, &sport)) > 0) {
        if (!ip_addr_eq(&src, &server) || sport != port)
            continue;                                 /* not from our server: ignore */
        if (n < 2 || be16_get(buf) != q->id)
            continue;                                 /* stale or spoofed id */
        enum net_err e = dns_parse_response_type(buf, n, q->id, qname, q->qtype, &q->ans);
        finish(q, e);
        return;
    }
    if (now - q->sent >= DNS_RETRY_MS) {
        if (q->tries >= DNS_TRIES) {
            finish(q, NET_ERR_DNS_TIMEOUT);
            return;
        }
        q->tries++;
        net_stats.dns_retries++;
        send_query(q);
    }
}

void dns_timers(uint64_t now)
{
    for (int i = 0; i < 2; i++)
        slot_timers(&slots[i], now);
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
    case IP_ADDR_ERR_V6_ZONE: return NET_ERR_INVALID_ARG;
    case IP_ADDR_ERR_SYNTAX: break;
    }
    if (memchr(name, ':', n))
        return NET_ERR_INVALID_ARG;   /* malformed IPv6, or "host:port": no name */
    return NET_ERR_AGAIN;
}
