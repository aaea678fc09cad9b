/* see pk_selftest.h. Known answers: RFC 7748 sections 5.2 and 6.1 (X25519),
   RFC 5903 section 8.1 (P-256 ECDH), and the first valid case (tcId 1) of
   Wycheproof ecdsa_secp256r1_sha256_p1363, ecdsa_secp384r1_sha384_p1363,
   rsa_signature_2048_sha256 and rsa_pss_2048_sha256_mgf1_32 (Apache-2.0,
   see tests/vectors/README.md). Each check is also run with one flipped bit,
   which must be rejected. */
#include "crypto/pk_selftest.h"
#include "crypto/x25519.h"
#include "crypto/p256.h"
#include "crypto/ecdsa.h"
#include "crypto/rsa.h"
#include "crypto/sha2.h"
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes hex into out (cap bytes); returns the length or 0 on error. */
static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = strlen(h);
    if (n % 2 || n / 2 > cap)
        return 0;
    for (size_t i = 0; i < n / 2; i++) {
        int a = hexval(h[2 * i]), b = hexval(h[2 * i + 1]);
        if (a < 0 || b < 0)
            return 0;
        out[i] = (uint8_t)(a << 4 | b);
    }
    return n / 2;
}

static const char *const X_K = "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4";
static const char *const X_U = "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c";
static const char *const X_OUT = "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552";
static const char *const X_A = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
static const char *const X_B = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
static const char *const X_AB = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

static const char *const P_I = "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433";
static const char *const P_GI =
    "04dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
    "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3";
static const char *const P_GR =
    "04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
    "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab";
static const char *const P_Z = "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de";

static const char *const E256_PUB =
    "042927b10512bae3eddcfe467828128bad2903269919f7086069c8c4df6c7328"
    "38c7787964eaac00e5921fb1498a60f4606766b3d9685001558d1a974e734151"
    "3e";
static const char *const E256_MSG = "313233343030";
static const char *const E256_SIG =
    "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e18"
    "4cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76";
static const char *const E384_PUB =
    "042da57dda1089276a543f9ffdac0bff0d976cad71eb7280e7d9bfd9fee4bdb2"
    "f20f47ff888274389772d98cc5752138aa4b6d054d69dcf3e25ec49df870715e"
    "34883b1836197d76f8ad962e78f6571bbc7407b0d6091f9e4d88f01427440617"
    "4f";
static const char *const E384_MSG = "313233343030";
static const char *const E384_SIG =
    "12b30abef6b5476fe6b612ae557c0425661e26b44b1bfe19daf2ca28e3113083"
    "ba8e4ae4cc45a0320abd3394f1c548d71840da9fc1d2f8f8900cf485d5413b8c"
    "2574ee3a8d4ca03995ca30240e09513805bf6209b58ac7aa9cff54eecd82b9f1";

static const char *const RSA_N =
    "00a2b451a07d0aa5f96e455671513550514a8a5b462ebef717094fa1fee82224"
    "e637f9746d3f7cafd31878d80325b6ef5a1700f65903b469429e89d6eac88450"
    "97b5ab393189db92512ed8a7711a1253facd20f79c15e8247f3d3e42e46e48c9"
    "8e254a2fe9765313a03eff8f17e1a029397a1fa26a8dce26f490ed81299615d9"
    "814c22da610428e09c7d9658594266f5c021d0fceca08d945a12be82de4d1ece"
    "6b4c03145b5d3495d4ed5411eb878daf05fd7afc3e09ada0f1126422f590975a"
    "1969816f48698bcbba1b4d9cae79d460d8f9f85e7975005d9bc22c4e5ac0f7c1"
    "a45d12569a62807d3b9a02e5a530e773066f453d1f5b4c2e9cf7820283f742b9"
    "d5";
static const char *const RSA_E = "010001";
static const char *const RSA_MSG = "";
static const char *const RSA_SIG =
    "840f5dac53106dd1f9c57219224cf51289290c42f20466875ba8e830ac5690e5"
    "41536fcc8ab03b731f82bf66d83f194e7e180b3963ec7a2f3f7904a7ce49aed4"
    "7da4d4b79421eaf937d301b3e696169297b797c32c076a12be4de0b58e003c51"
    "23051a84a10c62f8dac2f42a8640008eb3c7cccd6760ff5b51b6897639225828"
    "45f048fb8150e5a7a6ca2eccc7bdc85349ad5b26c52137a79fa3fe5c29ab5cd7"
    "615013219c1941b6708e9c3c23feff5febaf0c8ebca5750b54e3e6e99a3e876b"
    "396f27860b7f3ec4e9191703c6332d944f6f69751167680c79c4f6b57f1cc875"
    "5d24b6ec158ccdbacdb23107a33cb6b332516c13274d1f9dccc21dced869e486";
static const char *const PSS_MSG = "";
static const char *const PSS_SIG =
    "4f01e0c12b08625ecac89a69231906edf826380f37c959a96690d046316d68ff"
    "ce9d5c471694fcebfc6b45534864689256e4fc81c78e583f675d0c94b4496474"
    "51e81beff01a11a516d5e5ce3f1a910437cb8a3a5096b19fb15f4524a35b23d8"
    "9cdba12cf5b71aac1047b28c562df7c5542c34ce23a182cf7e0e231934b17294"
    "799d44877a1d68ef1b8f073619b7618e6b7c22db20030d98cf591ffc3d4da5f5"
    "8613ecd5ecfc3b40a1d02f40891ca43695cd4c088b05a8054c89c595a47e2748"
    "16f35384226f74459ee63e25a1bfc03c360490552ec38343f8ace502f065303b"
    "00bc0ec320711b211fde92e57feb9013c3609342495ec0d7cabdec21e54acc38";

static int fail(const char **failed, const char *name)
{
    if (failed)
        *failed = name;
    return CRYPTO_ERR_BAD_SIGNATURE;
}

int pk_selftest(const char **failed)
{
    uint8_t a[64], b[64], out[64], want[97], pub[97], sig[256], msg[64], d[48], n[257], e[3];
    size_t publen, siglen, msglen, nlen, elen;
    if (failed)
        *failed = NULL;

    /* X25519 */
    unhex(X_K, a, 32);
    unhex(X_U, b, 32);
    unhex(X_OUT, want, 32);
    if (x25519(out, a, b) != CRYPTO_OK || memcmp(out, want, 32))
        return fail(failed, "x25519_rfc7748_5.2");
    unhex(X_A, a, 32);
    unhex(X_B, b, 32);
    unhex(X_AB, want, 32);
    x25519_base(pub, b);
    if (x25519(out, a, pub) != CRYPTO_OK || memcmp(out, want, 32))
        return fail(failed, "x25519_rfc7748_6.1");
    pub[3] ^= 1;
    if (x25519(out, a, pub) == CRYPTO_OK && !memcmp(out, want, 32))
        return fail(failed, "x25519_tamper");

    /* P-256 keygen and ECDH */
    unhex(P_I, a, 32);
    unhex(P_GI, want, 65);
    if (p256_keygen(pub, a) != CRYPTO_OK || memcmp(pub, want, 65))
        return fail(failed, "p256_keygen_rfc5903");
    unhex(P_GR, pub, 65);
    unhex(P_Z, want, 32);
    if (p256_ecdh(out, a, pub, 65) != CRYPTO_OK || memcmp(out, want, 32))
        return fail(failed, "p256_ecdh_rfc5903");
    pub[40] ^= 1;
    if (p256_ecdh(out, a, pub, 65) != CRYPTO_ERR_BAD_POINT)
        return fail(failed, "p256_ecdh_offcurve");

    /* ECDSA */
    publen = unhex(E256_PUB, pub, sizeof pub);
    msglen = unhex(E256_MSG, msg, sizeof msg);
    siglen = unhex(E256_SIG, sig, sizeof sig);
    sha256(msg, msglen, d);
    if (ecdsa_verify_p1363(EC_P256, pub, publen, d, 32, sig, siglen) != CRYPTO_OK)
        return fail(failed, "ecdsa_p256_wycheproof_1");
    d[0] ^= 1;
    if (ecdsa_verify_p1363(EC_P256, pub, publen, d, 32, sig, siglen) != CRYPTO_ERR_BAD_SIGNATURE)
        return fail(failed, "ecdsa_p256_tamper");
    publen = unhex(E384_PUB, pub, sizeof pub);
    msglen = unhex(E384_MSG, msg, sizeof msg);
    siglen = unhex(E384_SIG, sig, sizeof sig);
    sha384(msg, msglen, d);
    if (ecdsa_verify_p1363(EC_P384, pub, publen, d, 48, sig, siglen) != CRYPTO_OK)
        return fail(failed, "ecdsa_p384_wycheproof_1");
    sig[5] ^= 1;
    if (ecdsa_verify_p1363(EC_P384, pub, publen, d, 48, sig, siglen) != CRYPTO_ERR_BAD_SIGNATURE)
        return fail(failed, "ecdsa_p384_tamper");

    /* RSA-2048 PKCS#1 v1.5 and PSS (same key) */
    nlen = unhex(RSA_N, n, sizeof n);
    elen = unhex(RSA_E, e, sizeof e);
    struct rsa_pubkey k = {n, nlen, e, elen};
    msglen = unhex(RSA_MSG, msg, sizeof msg);
    siglen = unhex(RSA_SIG, sig, sizeof sig);
    sha256(msg, msglen, d);
    if (rsa_verify_pkcs1(&k, &hash_sha256, d, sig, siglen) != CRYPTO_OK)
        return fail(failed, "rsa_pkcs1_wycheproof_1");
    sig[100] ^= 1;
    if (rsa_verify_pkcs1(&k, &hash_sha256, d, sig, siglen) != CRYPTO_ERR_BAD_SIGNATURE)
        return fail(failed, "rsa_pkcs1_tamper");
    msglen = unhex(PSS_MSG, msg, sizeof msg);
    siglen = unhex(PSS_SIG, sig, sizeof sig);
    sha256(msg, msglen, d);
    if (rsa_verify_pss(&k, &hash_sha256, d, sig, siglen, 32) != CRYPTO_OK)
        return fail(failed, "rsa_pss_wycheproof_1");
    d[31] ^= 1;
    if (rsa_verify_pss(&k, &hash_sha256, d, sig, siglen, 32) != CRYPTO_ERR_BAD_SIGNATURE)
        return fail(failed, "rsa_pss_tamper");
    return CRYPTO_OK;
}
