# crypto/: primitives, freestanding, built for the kernel and the host.
SHARED_C += crypto/util.c
# Symmetric primitives (hashes, MACs, KDF, DRBG, AES, GCM, ChaCha20-Poly1305).
SHARED_C += crypto/cpu_dispatch.c crypto/sha256.c crypto/sha256_shani.c crypto/sha512.c \
            crypto/hash.c crypto/hmac.c crypto/hkdf.c crypto/drbg.c
UNIT_TESTS += sha2
UNIT_TESTS += hmac
UNIT_TESTS += hkdf drbg
SHARED_C += crypto/aes.c crypto/aes_ct.c crypto/aes_ni.c
UNIT_TESTS += aes
UNIT_aes_LIBS := -lcrypto
SHARED_C += crypto/ghash.c crypto/ghash_pclmul.c crypto/gcm.c
UNIT_TESTS += gcm
SHARED_C += crypto/chacha20.c crypto/poly1305.c crypto/chacha20poly1305.c crypto/aead.c
UNIT_TESTS += chacha
UNIT_chacha_LIBS := -lcrypto
UNIT_TESTS += aead
UNIT_TESTS += crypto_diff
UNIT_crypto_diff_LIBS := -lcrypto
