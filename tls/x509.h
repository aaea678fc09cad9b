/* x509: X.509 v3 certificate parsing (RFC 5280), chain building and
   verification against build-time trust anchors and SPKI pins, host-name
   matching (RFC 9525 / RFC 6125) and TLS 1.3 CertificateVerify signature
   checking (RFC 8446 4.4.3).

   Memory: nothing is allocated. struct x509_cert and struct x509_pubkey hold
   pointers into the caller's DER buffers, which must outlive them. The chain
   verifier keeps its working state (one struct x509_cert per input cert, at
   most X509_MAX_CERTS) on the stack: about 4 KiB.

   Policy (no switch turns it off):
   - host names are matched against subjectAltName dNSName / iPAddress only;
     the subject CN is never used for matching (RFC 9525 section 6.3), only
     shown in messages;
   - RSA keys under 2048 bits are refused in certificates (X509_ERR_KEY_TOO_SMALL);
   - at most X509_MAX_DEPTH certificates in a path (leaf included);
   - issuer/subject names are compared bytewise;
   - unknown critical extensions make a certificate unusable;
   - nameConstraints (RFC 5280 4.2.1.10) are enforced for dNSName, iPAddress
     and directoryName, on wildcards too (a wildcard that could match an
     excluded name, or a name outside a permitted subtree, is refused); a
     critical nameConstraints with subtrees of another name type (otherName,
     rfc822Name, URI, ...) refuses the chain (X509_ERR_NC_UNSUPPORTED);
   - an issuer whose extendedKeyUsage lacks serverAuth and anyExtendedKeyUsage
     cannot issue a server certificate (X509_ERR_KEY_USAGE);
   - a leaf that is a CA (cA=TRUE, keyCertSign or nameConstraints) is refused
     (X509_ERR_LEAF_IS_CA);
   - trust anchors keep their notAfter, nameConstraints, pathLenConstraint
     and extendedKeyUsage and apply them to the path; an anchor past its
     notAfter is not used (X509_ERR_ANCHOR_EXPIRED).
   docs/tls.md ("Certificate policy") gives the reason for each choice.

   Errors: functions return enum x509_err (X509_OK = 0). */
#ifndef TLS_X509_H
#define TLS_X509_H
#include <stddef.h>
#include <stdint.h>

enum x509_err {
    X509_OK = 0,
    X509_ERR_MALFORMED,          /* DER or certificate structure invalid */
    X509_ERR_UNTRUSTED,          /* no path to a trust anchor */
    X509_ERR_EXPIRED,            /* now > notAfter on a path certificate */
    X509_ERR_NOT_YET_VALID,      /* now < notBefore */
    X509_ERR_HOSTNAME_MISMATCH,  /* no SAN matches the host */
    X509_ERR_BAD_SIGNATURE,      /* a signature did not verify */
    X509_ERR_BAD_CHAIN,          /* issuer is not a CA, or pathLen exceeded */
    X509_ERR_UNSUPPORTED_ALG,    /* signature / key algorithm or curve not supported */
    X509_ERR_KEY_USAGE,          /* keyUsage / extendedKeyUsage forbids this use */
    X509_ERR_PIN_MISMATCH,       /* pinned host, no pinned SPKI in the path */
    X509_ERR_KEY_TOO_SMALL,      /* RSA modulus under 2048 bits */
    X509_ERR_CHAIN_TOO_LONG,     /* more than X509_MAX_DEPTH / X509_MAX_CERTS */
    X509_ERR_UNKNOWN_CRITICAL,   /* unrecognised critical extension */
    X509_ERR_EMPTY_CHAIN,        /* no certificates */
    X509_ERR_BAD_ARG,            /* NULL pointer or bad parameter from the caller */
    X509_ERR_NAME_CONSTRAINTS,   /* a name outside an issuer's nameConstraints */
    X509_ERR_ANCHOR_EXPIRED,     /* the only anchors for the path are past notAfter */
    X509_ERR_LEAF_IS_CA,         /* leaf with cA=TRUE, keyCertSign or nameConstraints */
    X509_ERR_NC_UNSUPPORTED,     /* critical nameConstraints of a name type not processed */
    X509_ERR_COUNT
};

/* Stable names used in user-facing errors ("cert_untrusted", "cert_expired",
   "hostname_mismatch", "bad_signature", ...). */
const char *x509_err_str(int err);

#define X509_MAX_CERTS 12  /* certificates accepted from the peer */
#define X509_MAX_DEPTH 8   /* certificates in a path, leaf included */
#define X509_MIN_RSA_BITS 2048

enum x509_key_type { X509_KEY_NONE = 0, X509_KEY_RSA, X509_KEY_EC_P256, X509_KEY_EC_P384 };

/* A public key; pointers go into the certificate (or anchor) DER. For RSA, n
   and e are big-endian magnitudes without a sign byte; for EC, point is the
   uncompressed SEC 1 point 04||X||Y. */
struct x509_pubkey {
    int type;
    const uint8_t *n, *e, *point;
    size_t nlen, elen, pointlen;
};

/* Signature algorithms of certificates (AlgorithmIdentifier, RFC 4055 / 5758). */
enum x509_sig_alg {
    X509_SIG_NONE = 0,
    X509_SIG_RSA_PKCS1_SHA256, X509_SIG_RSA_PKCS1_SHA384, X509_SIG_RSA_PKCS1_SHA512,
    X509_SIG_RSA_PSS_SHA256, X509_SIG_RSA_PSS_SHA384, X509_SIG_RSA_PSS_SHA512,
    X509_SIG_ECDSA_SHA256, X509_SIG_ECDSA_SHA384, X509_SIG_ECDSA_SHA512,
};

/* keyUsage bits (RFC 5280 4.2.1.3): bit n of the BIT STRING = 1 << n. */
#define X509_KU_DIGITAL_SIGNATURE (1u << 0)
#define X509_KU_KEY_ENCIPHERMENT  (1u << 2)
#define X509_KU_KEY_AGREEMENT     (1u << 4)
#define X509_KU_KEY_CERT_SIGN     (1u << 5)
#define X509_KU_CRL_SIGN          (1u << 6)

struct x509_span {
    const uint8_t *p;
    size_t len;
};

struct x509_cert {
    struct x509_span raw;       /* whole Certificate */
    struct x509_span tbs;       /* tbsCertificate, tag and length included (signed bytes) */
    struct x509_span serial;    /* INTEGER content bytes */
    struct x509_span issuer;    /* Name, whole DER (compared bytewise) */
    struct x509_span subject;   /* Name, whole DER */
    struct x509_span spki;      /* SubjectPublicKeyInfo, whole DER (pinned bytes) */
    struct x509_span sig;       /* signatureValue BIT STRING content */
    struct x509_span cn;        /* last subject commonName value (may be empty) */
    struct x509_span issuer_cn; /* last issuer commonName value (may be empty) */
    struct x509_span san;       /* subjectAltName GeneralNames content */
    struct x509_span nc;        /* nameConstraints SEQUENCE content (has_nc) */
    int version;                /* 1, 2 or 3 */
    int sig_alg;                /* enum x509_sig_alg */
    int64_t not_before, not_after; /* Unix seconds */
    struct x509_pubkey key;
    uint8_t has_bc, is_ca, has_ku, has_eku, has_san, has_nc;
    uint8_t eku_server_auth, eku_any;
    uint8_t nc_critical;        /* nameConstraints marked critical */
    int path_len;               /* -1 when absent */
    uint16_t key_usage;         /* X509_KU_* */
};

/* Parses one DER certificate (no trailing bytes). Checks structure and
   extensions; does not check signatures or validity times. A signature
   algorithm or key type we do not implement is not a parse error: sig_alg is
   X509_SIG_NONE / key.type X509_KEY_NONE, and using the certificate's
   signature or key later gives X509_ERR_UNSUPPORTED_ALG. */
enum x509_err x509_parse(struct x509_cert *c, const uint8_t *der, size_t len);

/* Parses a SubjectPublicKeyInfo (whole DER). RSA keys report their size but
   are not rejected here; see x509_rsa_bits. */
enum x509_err x509_parse_spki(struct x509_pubkey *key, const uint8_t *der, size_t len);
/* Modulus size in bits (0 for non-RSA keys). */
size_t x509_rsa_bits(const struct x509_pubkey *key);

/* Verifies that `issuer_key` signed `c` (hashes c->tbs under c->sig_alg).
   RSA keys must be >= 2048 bits. */
enum x509_err x509_check_cert_signature(const struct x509_cert *c, const struct x509_pubkey *issuer_key);

/* ---- trust anchors and pins (see tls/anchors.h for the built-in set) ---- */

/* An anchor is a name and a key plus the constraints of its certificate,
   which apply to every path through it (RFC 5280 6.1.1 (d), as browsers
   do). Zero-valued constraint fields mean "none", so an anchor filled with
   the first five fields only is unconstrained. */
struct x509_anchor {
    const uint8_t *subject;  /* Name DER */
    size_t subject_len;
    const uint8_t *spki;     /* SubjectPublicKeyInfo DER */
    size_t spki_len;
    uint8_t spki_sha256[32]; /* pin value of spki */
    int64_t not_after;       /* Unix seconds; 0: not recorded (no limit) */
    const uint8_t *nc;       /* nameConstraints SEQUENCE content, NULL: none */
    size_t nc_len;
    uint8_t nc_critical;
    uint8_t has_path_len, path_len; /* pathLenConstraint */
    uint8_t has_eku, eku_server_auth; /* extendedKeyUsage; serverAuth or any */
};

struct x509_pin {
    const char *host;        /* lower-case host name */
    uint8_t spki_sha256[32];
};

struct x509_trust {
    const struct x509_anchor *anchors;
    size_t nanchors;
    const struct x509_pin *pins;
    size_t npins;
};

/* Fills an anchor, its constraints included, from a certificate (test and
   run-time helper: the pointers go into der). */
enum x509_err x509_anchor_from_cert(struct x509_anchor *a, const uint8_t *der, size_t len);

/* Parses "sha256/BASE64" (44 base64 chars) into a 32-byte pin value. */
enum x509_err x509_pin_parse(const char *s, size_t len, uint8_t out[32]);

/* ---- host names ---------------------------------------------------------- */

/* X509_OK when a subjectAltName of c matches host (see the policy above);
   X509_ERR_HOSTNAME_MISMATCH otherwise. */
enum x509_err x509_check_host(const struct x509_cert *c, const char *host);
/* The single-name rule: 1 when a dNSName pattern (possibly "*.rest") matches
   host, case-insensitively. Exposed for table tests. */
int x509_dns_name_match(const char *pattern, size_t plen, const char *host, size_t hlen);
/* Parses an address literal by ip_addr_parse (lib/ip_addr.h), optionally
   in URL brackets: IPv4 (out 4 bytes) or IPv6 (out 16 bytes; a mapped
   "::ffff:a.b.c.d" too); returns the byte count or 0 when host is not an IP
   literal (a zone id "fe80::1%eth0" is none). */
size_t x509_parse_ip(const char *host, size_t hlen, uint8_t out[16]);

/* ---- chain verification and TLS signatures --------------------------------- */

/* Verifies the peer's chain (certs[0] is the leaf, the others in any order,
   possibly with extras and duplicates) for `host` at time `now` (Unix seconds)
   against `trust`; on X509_OK, *leaf_key points into certs[0]. */
enum x509_err x509_verify_chain(const uint8_t *const *certs, const size_t *lens, size_t ncerts,
                      const char *host, int64_t now, const struct x509_trust *trust,
                      struct x509_pubkey *leaf_key);

/* What failed, for messages: the certificate concerned (path position, 0 =
   leaf; -1 when the failure is not about one certificate, e.g. bad arguments
   or a parse failure of certs[0] before its fields were known) with its
   subject and issuer CN (pointing into the caller's DER) and validity. */
struct x509_verify_detail {
    int err;                    /* the enum x509_err returned */
    int depth;
    struct x509_span subject_cn, issuer_cn;
    int64_t not_before, not_after;
    /* 1 when the failure is about a trust anchor (X509_ERR_ANCHOR_EXPIRED):
       depth is the position it takes in the path, subject_cn its CN (taken
       from its subject), not_after its notAfter, not_before 0 */
    int anchor;
};

/* x509_verify_chain that also fills *detail (may be NULL). */
enum x509_err x509_verify_chain_detail(const uint8_t *const *certs, const size_t *lens, size_t ncerts,
                             const char *host, int64_t now, const struct x509_trust *trust,
                             struct x509_pubkey *leaf_key, struct x509_verify_detail *detail);

/* One line for logs and user-facing errors, e.g.
   "cert_expired: depth 0 CN=www.example.com issuer CN=R3 valid 2024-01-01..2024-06-01",
   "anchor_expired: depth 2 anchor CN=Old Root notAfter 2021-09-30";
   returns the length the whole line would have (like snprintf). */
size_t x509_detail_format(const struct x509_verify_detail *d, char *buf, size_t cap);

/* TLS 1.3 SignatureScheme code points (RFC 8446 4.2.3) accepted in
   CertificateVerify. */
#define X509_TLS_ECDSA_SECP256R1_SHA256 0x0403
#define X509_TLS_ECDSA_SECP384R1_SHA384 0x0503
#define X509_TLS_RSA_PSS_RSAE_SHA256    0x0804
#define X509_TLS_RSA_PSS_RSAE_SHA384    0x0805
#define X509_TLS_RSA_PSS_RSAE_SHA512    0x0806

/* CertificateVerify (RFC 8446 4.4.3): verifies sig over content with key under
   scheme. The scheme must fit the key (curve / RSA); RSA keys must have at
   least X509_MIN_RSA_BITS. */
enum x509_err x509_verify_tls_signature(const struct x509_pubkey *key, uint16_t scheme,
                                        const uint8_t *content, size_t len,
                                        const uint8_t *sig, size_t siglen);
#ifdef TLS_TEST_HOOKS
/* Test hook (built only with TLS_TEST_HOOKS, see tls/tls.mk): the same with
   the RSA floor at 1024 bits, for replaying RFC 8448, whose server key has
   1024. */
enum x509_err x509_test_verify_tls_signature_rsa1024(const struct x509_pubkey *key,
                                                     uint16_t scheme, const uint8_t *content,
                                                     size_t len, const uint8_t *sig,
                                                     size_t siglen);
#endif

#endif
