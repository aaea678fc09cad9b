# crypto/ public-key primitives: X25519, P-256/P-384 (ECDH, ECDSA verify),
# RSA verify (PKCS#1 v1.5, PSS) and their tests, constant-time checks, benchmarks.
SHARED_C += crypto/x25519.c
UNIT_TESTS += x25519
SHARED_C += crypto/bn.c crypto/ec_curves.c crypto/ec_field.c crypto/ec_point.c crypto/ec_dh.c \
            crypto/p256.c crypto/p384.c
UNIT_TESTS += p256
SHARED_C += crypto/ecdsa.c
UNIT_TESTS += ecdsa
SHARED_C += crypto/rsa.c
UNIT_TESTS += rsa
UNIT_TESTS += pk_diff
UNIT_pk_diff_LIBS := -lcrypto
