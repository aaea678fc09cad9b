/* Chain building and path validation (RFC 5280 6.1, simplified to the Web PKI
   server case: no policies, names compared bytewise). see x509.h

   The peer's list is parsed once (duplicates dropped, unparsable extras
   ignored), then a depth-first search from the leaf tries every certificate
   whose subject equals the current issuer and whose signature check passes,
   until the current certificate is a trust anchor or was signed by one. A
   budget on signature checks bounds the work a hostile list can cause. */
#include "tls/x509.h"
#include "tls/x509_ext.h"
#include "crypto/sha2.h"
#include <string.h>
#include "lib/ascii.h"

#define SIG_BUDGET 32

struct chain {
    struct x509_cert certs[X509_MAX_CERTS];
    uint8_t usable[X509_MAX_CERTS];
    uint8_t used[X509_MAX_CERTS];
    int path[X509_MAX_DEPTH];
    size_t n;
    int sig_budget;
    int64_t now;
    const struct x509_trust *trust;
    const char *host;
    size_t hostlen;
    int pinned;
    int fail_idx, fail_pos;     /* certificate behind the first specific error */
    int top_idx, top_pos;       /* deepest certificate reached (for "untrusted") */
    const struct x509_anchor *fail_anchor; /* behind X509_ERR_ANCHOR_EXPIRED */
    int fail_anchor_pos;
};

static int span_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

/* Keeps the first error that says more than "untrusted", and remembers the
   certificate (list index, path position) it concerns. */
static int pick(struct chain *ch, int best, int e, int idx, int pos)
{
    if (best != X509_ERR_UNTRUSTED || e == X509_ERR_UNTRUSTED)
        return best;
    if (ch->fail_idx < 0 && idx >= 0) {
        ch->fail_idx = idx;
        ch->fail_pos = pos;
    }
    return e;
}

/* pick() for a failure that is about an anchor at path position pos. */
static int pick_anchor(struct chain *ch, int best, int e, const struct x509_anchor *a, int pos)
{
    int was = best;
    best = pick(ch, best, e, -1, -1);
    if (was == X509_ERR_UNTRUSTED && e == X509_ERR_ANCHOR_EXPIRED && !ch->fail_anchor) {
        ch->fail_anchor = a;
        ch->fail_anchor_pos = pos;
    }
    return best;
}

static int is_self_issued(const struct x509_cert *m)
{
    return span_eq(m->subject.p, m->subject.len, m->issuer.p, m->issuer.len);
}

/* RFC 5280 6.1.4 (l)/(m): intermediates strictly between an issuer at path
   position pos and the leaf, self-issued ones not counted. */
static int intermediates_below(const struct chain *ch, int pos)
{
    int below = 0;
    for (int i = 1; i < pos; i++)
        below += !is_self_issued(&ch->certs[ch->path[i]]);
    return below;
}

/* 6.1.3 (b)/(c): nameConstraints of an issuer at path position pos over
   every certificate below it, self-issued intermediates excepted (a
   self-issued leaf is checked). */
static int check_nc_below(const struct chain *ch, const uint8_t *nc, size_t nclen, int critical, int pos)
{
    for (int i = 0; nc && i < pos; i++) {
        const struct x509_cert *m = &ch->certs[ch->path[i]];
        if (i > 0 && is_self_issued(m))
            continue;
        int e = x509_nc_check(nc, nclen, critical, m);
        if (e)
            return e;
    }
    return X509_OK;
}

/* The anchor at path position pos (path[0..pos-1] below it) keeps the
   constraints of its certificate: notAfter, extendedKeyUsage,
   pathLenConstraint, nameConstraints. */
static int check_anchor(const struct chain *ch, const struct x509_anchor *a, int pos)
{
    if (a->not_after && ch->now > a->not_after)
        return X509_ERR_ANCHOR_EXPIRED;
    if (a->has_eku && !a->eku_server_auth)
        return X509_ERR_KEY_USAGE;
    if (a->has_path_len && intermediates_below(ch, pos) > a->path_len)
        return X509_ERR_BAD_CHAIN;
    return check_nc_below(ch, a->nc, a->nc_len, a->nc_critical, pos);
}

static int check_time(const struct x509_cert *c, int64_t now)
{
    if (now < c->not_before)
        return X509_ERR_NOT_YET_VALID;
    if (now > c->not_after)
        return X509_ERR_EXPIRED;
    return X509_OK;
}

static int check_key_size(const struct x509_pubkey *k)
{
    if (k->type == X509_KEY_NONE)
        return X509_ERR_UNSUPPORTED_ALG;
    if (k->type == X509_KEY_RSA && x509_rsa_bits(k) < X509_MIN_RSA_BITS)
        return X509_ERR_KEY_TOO_SMALL;
    return X509_OK;
}

static int host_pinned(const struct chain *ch, const struct x509_pin *p)
{
    return ch->host && strlen(p->host) == ch->hostlen && ascii_caseeq(p->host, ch->host, ch->hostlen);
}

static int hash_pinned(const struct chain *ch, const uint8_t h[32])
{
    for (size_t i = 0; i < ch->trust->npins; i++)
        if (host_pinned(ch, &ch->trust->pins[i]) && memcmp(ch->trust->pins[i].spki_sha256, h, 32) == 0)
            return 1;
    return 0;
}

/* Pins (RFC 7469 2.6 semantics, static): some key on the validated path, the
   anchor's included, must carry a pinned SPKI hash. */
static int check_pins(const struct chain *ch, int depth, const struct x509_anchor *a)
{
    if (!ch->pinned)
        return X509_OK;
    if (a && hash_pinned(ch, a->spki_sha256))
        return X509_OK;
    for (int i = 0; i < depth; i++) {
        const struct x509_cert *c = &ch->certs[ch->path[i]];
        uint8_t h[32];
        sha256(c->spki.p, c->spki.len, h);
        if (hash_pinned(ch, h))
            return X509_OK;
    }
    return X509_ERR_PIN_MISMATCH;
}

static int sig_check(struct chain *ch, const struct x509_cert *c, const struct x509_pubkey *k)
{
    if (ch->sig_budget-- <= 0)
        return X509_ERR_CHAIN_TOO_LONG;
    return x509_check_cert_signature(c, k);
}

/* Requirements on a certificate used as an issuer at path position pos
   (leaf = 0): RFC 5280 6.1.4 (k) cA, (l)/(m) pathLen, (n) keyCertSign. */
static int check_issuer(const struct chain *ch, const struct x509_cert *c, int pos)
{
    int e;
    if ((e = check_time(c, ch->now)))
        return e;
    if (c->version != 3 || !c->has_bc || !c->is_ca)
        return X509_ERR_BAD_CHAIN;
    if (c->has_ku && !(c->key_usage & X509_KU_KEY_CERT_SIGN))
        return X509_ERR_KEY_USAGE;
    /* EKU chaining (CA/Browser Forum BR 7.1.2.2, Mozilla, browsers): a CA
       restricted to other purposes (S/MIME, code signing) cannot issue for
       TLS servers */
    if (c->has_eku && !c->eku_server_auth && !c->eku_any)
        return X509_ERR_KEY_USAGE;
    if (c->path_len >= 0 && intermediates_below(ch, pos) > c->path_len)
        return X509_ERR_BAD_CHAIN;
    if (c->has_nc && (e = check_nc_below(ch, c->nc.p, c->nc.len, c->nc_critical, pos)))
        return e;
    return check_key_size(&c->key);
}

/* Extends the path whose last certificate sits at position depth-1. */
static int search(struct chain *ch, int depth)
{
    const int cur_idx = ch->path[depth - 1];
    const struct x509_cert *cur = &ch->certs[cur_idx];
    const struct x509_trust *t = ch->trust;
    int best = X509_ERR_UNTRUSTED, e;
    if (depth - 1 > ch->top_pos) {
        ch->top_pos = depth - 1;
        ch->top_idx = cur_idx;
    }

    /* The current certificate is itself an anchor (same name and key). An
       issuer's key was already proven by the signature below it; a leaf that
       is an anchor (a self-signed server certificate trusted directly) must
       at least carry a valid self-signature, so that no unsigned copy of an
       anchor passes as a certificate. */
    for (size_t i = 0; i < t->nanchors; i++) {
        const struct x509_anchor *a = &t->anchors[i];
        if (span_eq(a->subject, a->subject_len, cur->subject.p, cur->subject.len) &&
            span_eq(a->spki, a->spki_len, cur->spki.p, cur->spki.len)) {
            e = check_anchor(ch, a, depth - 1);
            if (e) {
                best = pick_anchor(ch, best, e, a, depth - 1);
                continue;
            }
            e = depth == 1 ? sig_check(ch, cur, &cur->key) : X509_OK;
            if (!e)
                e = check_pins(ch, depth, a);
            if (!e)
                return X509_OK;
            best = pick(ch, best, e, cur_idx, depth - 1);
        }
    }
    /* Signed by an anchor. */
    for (size_t i = 0; i < t->nanchors; i++) {
        const struct x509_anchor *a = &t->anchors[i];
        struct x509_pubkey k;
        if (!span_eq(a->subject, a->subject_len, cur->issuer.p, cur->issuer.len))
            continue;
        if (x509_parse_spki(&k, a->spki, a->spki_len))
            continue; /* anchor with a key type we cannot use */
        e = sig_check(ch, cur, &k);
        if (e) {
            best = pick(ch, best, e, cur_idx, depth - 1);
            continue;
        }
        e = check_anchor(ch, a, depth);
        if (e) {
            best = pick_anchor(ch, best, e, a, depth);
            continue;
        }
        e = check_pins(ch, depth, a);
        if (!e)
            return X509_OK;
        best = pick(ch, best, e, cur_idx, depth - 1);
    }
    /* Signed by another certificate of the list. */
    for (size_t i = 0; i < ch->n; i++) {
        const struct x509_cert *c = &ch->certs[i];
        if (!ch->usable[i] || ch->used[i] ||
            !span_eq(c->subject.p, c->subject.len, cur->issuer.p, cur->issuer.len))
            continue;
        if (depth >= X509_MAX_DEPTH) {
            best = pick(ch, best, X509_ERR_CHAIN_TOO_LONG, cur_idx, depth - 1);
            continue;
        }
        ch->path[depth] = (int)i;
        e = check_issuer(ch, c, depth);
        if (e) {
            best = pick(ch, best, e, (int)i, depth);
            continue;
        }
        e = sig_check(ch, cur, &c->key);
        if (e) {
            best = pick(ch, best, e, cur_idx, depth - 1);
            continue;
        }
        ch->used[i] = 1;
        e = search(ch, depth + 1);
        ch->used[i] = 0;
        if (!e)
            return X509_OK;
        best = pick(ch, best, e, -1, -1); /* recorded deeper */
    }
    return best;
}

static int check_leaf(const struct chain *ch, const struct x509_cert *leaf)
{
    int e;
    if ((e = check_time(leaf, ch->now)))
        return e;
    if ((e = check_key_size(&leaf->key)))
        return e;
    /* RFC 5280 4.2.1.3 / 4.2.1.12, RFC 8446 4.4.2.2: the key signs the handshake. */
    if (leaf->has_ku && !(leaf->key_usage & X509_KU_DIGITAL_SIGNATURE))
        return X509_ERR_KEY_USAGE;
    if (leaf->has_eku && !leaf->eku_server_auth && !leaf->eku_any)
        return X509_ERR_KEY_USAGE;
    /* Leaf profile (RFC 5280 4.2.1.9/4.2.1.10, BR 7.1.2.7): a CA certificate
       is not a server certificate */
    if ((leaf->has_bc && leaf->is_ca) || (leaf->has_ku && (leaf->key_usage & X509_KU_KEY_CERT_SIGN)) ||
        leaf->has_nc)
        return X509_ERR_LEAF_IS_CA;
    return X509_OK;
}

static void fill_detail(struct x509_verify_detail *d, const struct chain *ch, int err, int idx, int pos)
{
    memset(d, 0, sizeof *d);
    d->err = err;
    d->depth = -1;
    if (idx < 0 || (size_t)idx >= ch->n)
        return;
    const struct x509_cert *c = &ch->certs[idx];
    d->depth = pos;
    d->subject_cn = c->cn;
    d->issuer_cn = c->issuer_cn;
    d->not_before = c->not_before;
    d->not_after = c->not_after;
}

static int verify(struct chain *ch, const uint8_t *const *certs, const size_t *lens, size_t ncerts,
                  const char *host, struct x509_pubkey *leaf_key)
{
    int e;
    if (!certs[0])
        return X509_ERR_BAD_ARG;
    if ((e = x509_parse(&ch->certs[0], certs[0], lens[0])))
        return e;
    ch->n = ncerts;
    for (size_t i = 1; i < ncerts; i++) {
        if (!certs[i] || x509_parse(&ch->certs[i], certs[i], lens[i]))
            continue; /* extras we cannot use do not spoil the chain */
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = (j == 0 || ch->usable[j]) &&
                  span_eq(ch->certs[j].raw.p, ch->certs[j].raw.len, ch->certs[i].raw.p, ch->certs[i].raw.len);
        ch->usable[i] = !dup;
    }
    const struct x509_cert *leaf = &ch->certs[0];
    ch->fail_idx = 0; /* leaf checks first */
    if ((e = check_leaf(ch, leaf)))
        return e;
    ch->fail_idx = -1;
    ch->used[0] = 1;
    ch->path[0] = 0;
    if ((e = search(ch, 1))) {
        if (e == X509_ERR_UNTRUSTED) {
            ch->fail_idx = ch->top_idx;
            ch->fail_pos = ch->top_pos;
        }
        return e;
    }
    ch->fail_idx = 0;
    ch->fail_pos = 0;
    if ((e = x509_check_host(leaf, host)))
        return e;
    if (leaf_key)
        *leaf_key = leaf->key;
    return X509_OK;
}

/* see x509.h */
enum x509_err x509_verify_chain_detail(const uint8_t *const *certs, const size_t *lens, size_t ncerts,
                             const char *host, int64_t now, const struct x509_trust *trust,
                             struct x509_pubkey *leaf_key, struct x509_verify_detail *detail)
{
    static const struct x509_trust empty;
    struct chain ch;
    int e;
    memset(&ch, 0, sizeof ch);
    ch.fail_idx = -1;
    if (leaf_key)
        memset(leaf_key, 0, sizeof *leaf_key);
    if (!certs || !lens)
        e = X509_ERR_BAD_ARG;
    else if (ncerts == 0)
        e = X509_ERR_EMPTY_CHAIN;
    else if (ncerts > X509_MAX_CERTS)
        e = X509_ERR_CHAIN_TOO_LONG;
    else if (!host || !host[0])
        e = X509_ERR_HOSTNAME_MISMATCH;
    else {
        ch.trust = trust ? trust : &empty;
        ch.now = now;
        ch.host = host;
        ch.hostlen = strlen(host);
        if (ch.hostlen > 1 && host[ch.hostlen - 1] == '.')
            ch.hostlen--;
        ch.sig_budget = SIG_BUDGET;
        for (size_t i = 0; i < ch.trust->npins; i++)
            ch.pinned |= host_pinned(&ch, &ch.trust->pins[i]);
        e = verify(&ch, certs, lens, ncerts, host, leaf_key);
    }
    if (detail) {
        fill_detail(detail, &ch, e, e ? ch.fail_idx : -1, ch.fail_pos);
        if (e == X509_ERR_ANCHOR_EXPIRED && ch.fail_anchor) {
            const struct x509_anchor *a = ch.fail_anchor;
            detail->depth = ch.fail_anchor_pos;
            detail->anchor = 1;
            x509_name_cn(a->subject, a->subject_len, &detail->subject_cn);
            detail->issuer_cn = detail->subject_cn;
            detail->not_after = a->not_after;
        }
    }
    return e;
}

/* see x509.h */
enum x509_err x509_verify_chain(const uint8_t *const *certs, const size_t *lens, size_t ncerts,
                      const char *host, int64_t now, const struct x509_trust *trust,
                      struct x509_pubkey *leaf_key)
{
    return x509_verify_chain_detail(certs, lens, ncerts, host, now, trust, leaf_key, NULL);
}
