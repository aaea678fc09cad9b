/* x509-limbo over the verifier: every testcase that applies to a TLS client
   checking a server (validation_kind SERVER, expected peer name DNS or IP)
   is run through x509_verify_chain_detail as the TLS engine would run it,
   and our answer is compared with the suite's.

   Usage: limbo_run CASES.txt [LOG]
   CASES.txt is written at test time by tests/limbo/limbo_cases.py from
   ../shared/limbo/limbo.json.xz (see tls/x509.mk, make test-limbo); LOG
   receives one line per disagreement.

   The anchors are the testcase's trusted_certs through x509_anchor_from_cert
   (so they keep their constraints, as the built-in ones do); the peer's list
   is the leaf then the untrusted intermediates, cut to TLS_MAX_CHAIN as the
   engine does; the host is the expected peer name; the time is
   validation_time.

   A disagreement passes only when a policy of docs/tls.md ("Certificate
   policy") covers the case: the table `policy` below lists them by limbo id
   (fnmatch pattern) or feature, in one place, each with its direction
   (`accept` 0: we refuse what limbo accepts; 1: we accept what limbo
   refuses, a check we do not make by policy). Exit status 1 on any
   disagreement outside the table; the summary prints the count per policy. */
#include "tls/tls.h"
#include "tls/x509.h"
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The documented policy choices behind the disagreements we keep, each with
   the limbo ids (fnmatch patterns) or features it covers. `accept` marks
   the direction: 0 = we refuse what limbo accepts (false reject). */
struct policy {
    const char *name;    /* short name printed in the summary */
    const char *why;     /* the docs/tls.md policy it applies */
    const char *id_glob; /* fnmatch over the id, or NULL */
    const char *feature; /* a limbo feature, or NULL */
    int accept;          /* 1: a false accept is allowed (none today) */
    int hits;
};

static struct policy policy[] = {
    /* we refuse, limbo accepts */
    {"peer-list-10", "at most 10 certificates from the peer (TLS_MAX_CHAIN)",
     "bettertls::pathbuilding::tc6[1-8]", NULL, 0, 0},
    {"leaf-is-ca", "a CA certificate (cA, keyCertSign) is never a server certificate",
     "rfc5280::ca-as-leaf", NULL, 0, 0},
    {"leaf-is-ca", NULL, "pathlen::validation-ignores-pathlen-in-leaf", NULL, 0, 0},
    {"nc-other-type", "critical nameConstraints of a type we do not process refuse",
     "rfc5280::nc::nc-forbids-othername-noop", NULL, 0, 0},
    /* we accept, limbo refuses: checks we do not make, by policy */
    {"no-revocation", "no revocation checking (CRL, OCSP)", NULL, "has-crl", 1, 0},
    {"fixed-depth", "path depth is fixed at 8, not set per call", NULL, "max-chain-depth", 1, 0},
    {"cn-ignored", "the subject CN is never read, so its content is not checked",
     "webpki::cn::*", NULL, 1, 0},
    {"no-psl", "no public-suffix list", NULL, "pedantic-public-suffix-wildcard", 1, 0},
    {"no-aki-ski", "chains are built by name and signature; AKI/SKI not required",
     "rfc5280::aki::*", NULL, 1, 0},
    {"no-aki-ski", NULL, "rfc5280::ski::*", NULL, 1, 0},
    {"no-aki-ski", NULL, "webpki::aki::*", NULL, 1, 0},
    {"no-policies", "certificate policies are not processed", NULL, "has-policy-constraints", 1, 0},
    {"anchor-profile", "an anchor's basicConstraints form is not checked (it is trusted as configured)",
     "rfc5280::root-*-basic-constraints", NULL, 1, 0},
    {"anchor-profile", NULL, "webpki::eku::root-has-eku", NULL, 1, 0},
    {"leaf-eku", "a leaf may omit EKU or carry anyExtendedKeyUsage", NULL, "pedantic-webpki-eku", 1, 0},
    {"ca-profile", "issuance-profile rules (serial, SAN criticality, AIA, RSA size multiple of 8, "
                   "underscores) are not checked",
     NULL, "pedantic-serial-number", 1, 0},
    {"ca-profile", NULL, "rfc5280::san::noncritical-with-empty-subject", NULL, 1, 0},
    {"ca-profile", NULL, "webpki::san::san-critical-with-nonempty-subject", NULL, 1, 0},
    {"ca-profile", NULL, "rfc5280::san::underscore-dns", NULL, 1, 0},
    {"ca-profile", NULL, "webpki::malformed-aia", NULL, 1, 0},
    {"ca-profile", NULL, "webpki::forbidden-rsa-*divisible-by-8*", NULL, 1, 0},
    {"nc-lenient-form", "nameConstraints are enforced when not critical, and a leading-dot dNSName "
                        "constraint means subdomains",
     "rfc5280::nc::permitted-dns-match-noncritical", NULL, 1, 0},
    {"nc-lenient-form", NULL, "rfc5280::nc::invalid-dnsname-leading-period", NULL, 1, 0},
    {NULL, NULL, NULL, NULL, 0, 0},
};

struct tcase {
    char *id, *expected, *kind, *peer_name, *features;
    char *trusted, *untrusted, *peer;
    long long when;
    int max_depth;
};

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes a hex certificate in place (the text becomes the DER). */
static size_t unhex(char *s, size_t n)
{
    uint8_t *o = (uint8_t *)s;
    size_t k = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        int a = hexval(s[i]), b = hexval(s[i + 1]);
        if (a < 0 || b < 0)
            return 0;
        o[k++] = (uint8_t)(a << 4 | b);
    }
    return k;
}

#define MAX_LIST 128

/* Splits a comma list of hex certificates; "-" is empty; "x" stays a
   one-byte unparsable certificate. */
static size_t certs_of(char *list, const uint8_t **p, size_t *len, size_t cap)
{
    size_t n = 0;
    if (!strcmp(list, "-"))
        return 0;
    for (char *s = list; s && n < cap;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = 0;
        size_t sl = strlen(s);
        p[n] = (const uint8_t *)s;
        len[n] = sl == 1 ? 1 : unhex(s, sl);
        n++;
        s = comma ? comma + 1 : NULL;
    }
    return n;
}

static int has_feature(const char *features, const char *f)
{
    size_t fl = strlen(f);
    for (const char *s = features; (s = strstr(s, f)); s += fl)
        if ((s == features || s[-1] == ',') && (s[fl] == 0 || s[fl] == ','))
            return 1;
    return 0;
}

static struct policy *policy_of(const struct tcase *t, int accept)
{
    for (struct policy *p = policy; p->name; p++) {
        if (p->accept != accept)
            continue;
        if (p->id_glob && fnmatch(p->id_glob, t->id, 0) == 0)
            return p;
        if (p->feature && has_feature(t->features, p->feature))
            return p;
    }
    return NULL;
}

static int split(char *line, char **f, int nf)
{
    int n = 0;
    for (char *s = line; s && n < nf;) {
        f[n++] = s;
        char *tab = strchr(s, '\t');
        if (tab)
            *tab = 0;
        s = tab ? tab + 1 : NULL;
    }
    return n;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)sz + 1);
    if (!b || fread(b, 1, (size_t)sz, f) != (size_t)sz) {
        fclose(f);
        free(b);
        return NULL;
    }
    fclose(f);
    b[sz] = 0;
    *len = (size_t)sz;
    return b;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CASES.txt [LOG]\n", argv[0]);
        return 2;
    }
    size_t size;
    char *all = read_all(argv[1], &size);
    if (!all) {
        fprintf(stderr, "limbo_run: cannot read %s\n", argv[1]);
        return 2;
    }
    FILE *log = argc > 2 ? fopen(argv[2], "w") : NULL;
    int total = 0, applicable = 0, passed = 0, fa = 0, fr = 0, bad_fa = 0, bad_fr = 0;
    int fr_by_err[X509_ERR_COUNT] = {0};
    static struct x509_anchor anchors[MAX_LIST];
    static const uint8_t *tp[MAX_LIST], *cp[MAX_LIST];
    static size_t tl[MAX_LIST], cl[MAX_LIST];
    for (char *line = all, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        char *f[10];
        if (split(line, f, 10) != 10) {
            fprintf(stderr, "limbo_run: bad line %d\n", total + 1);
            return 2;
        }
        total++;
        struct tcase t = {f[0], f[1], f[3], f[4], f[6], f[7], f[8], f[9],
                          strtoll(f[2], NULL, 10), atoi(f[5])};
        if (strcmp(t.kind, "DNS") && strcmp(t.kind, "IP"))
            continue; /* client validations, or no peer name: not a TLS client's case */
        applicable++;
        size_t nt = certs_of(t.trusted, tp, tl, MAX_LIST), na = 0;
        for (size_t i = 0; i < nt; i++)
            if (x509_anchor_from_cert(&anchors[na], tp[i], tl[i]) == X509_OK)
                na++;
        cp[0] = (const uint8_t *)t.peer;
        cl[0] = unhex(t.peer, strlen(t.peer));
        size_t nc = 1 + certs_of(t.untrusted, cp + 1, cl + 1, MAX_LIST - 1);
        if (nc > TLS_MAX_CHAIN)
            nc = TLS_MAX_CHAIN; /* the engine passes the first TLS_MAX_CHAIN on */
        struct x509_trust trust = {anchors, na, NULL, 0};
        struct x509_verify_detail d;
        int64_t now = t.when >= 0 ? (int64_t)t.when : (int64_t)time(NULL);
        int e = x509_verify_chain_detail(cp, cl, nc, t.peer_name, now, &trust, NULL, &d);
        int want_ok = !strcmp(t.expected, "SUCCESS");
        if ((e == X509_OK) == want_ok) {
            passed++;
            continue;
        }
        struct policy *p = policy_of(&t, e == X509_OK);
        if (e == X509_OK) {
            fa++;
            bad_fa += !p;
        } else {
            fr++;
            bad_fr += !p;
            if (e > 0 && e < X509_ERR_COUNT)
                fr_by_err[e]++;
        }
        if (p)
            p->hits++;
        if (log || !p)
            fprintf(log && p ? log : stdout, "%s %s: expected %s, got %s (depth %d)%s%s\n",
                    e == X509_OK ? "FALSE-ACCEPT" : "FALSE-REJECT", t.id, t.expected,
                    x509_err_str(e), d.depth, p ? " policy " : "", p ? p->name : "");
    }
    printf("limbo: %d testcases, %d applicable, %d passed, %d false accepts, %d false rejects\n",
           total, applicable, passed, fa, fr);
    for (int e = 1; e < X509_ERR_COUNT; e++)
        if (fr_by_err[e])
            printf("limbo:   false rejects with %s: %d\n", x509_err_str(e), fr_by_err[e]);
    for (struct policy *p = policy; p->name; p++) {
        if (!p->why)
            continue; /* counted with the first row of its name */
        int hits = 0;
        for (struct policy *q = p; q->name; q++)
            hits += strcmp(q->name, p->name) ? 0 : q->hits;
        printf("limbo:   %s %-16s %4d  (%s)\n", p->accept ? "accepted by policy" : "refused by policy ",
               p->name, hits, p->why);
    }
    printf("limbo: %d false accepts and %d false rejects outside the documented policy\n",
           bad_fa, bad_fr);
    if (log)
        fclose(log);
    free(all);
    return bad_fa || bad_fr ? 1 : 0;
}
