/* ML-KEM-768 (FIPS 203): key generation from seeds, encapsulation from a
   message, decapsulation with implicit rejection, and the input checks of
   FIPS 203 section 7 (encapsulation-key modulus check, decapsulation-key
   hash check). Deterministic entry points: the caller supplies the random
   d, z (keygen) and m (encaps) from its DRBG.
   Pure functions: the caller owns every buffer; nothing is allocated or
   kept, and every secret intermediate is wiped before return. Secrets
   (d, z, m, the decapsulation key, the re-encryption result) never steer a
   branch, a table index or a division.
   Memory: the caller keeps dk (2400 bytes, secret) between keygen and
   decaps and wipes it with crypto_zeroize after use; the functions use
   at most about 7 KB of stack (x86-64, -O2). */
#ifndef CRYPTO_MLKEM_H
#define CRYPTO_MLKEM_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/crypto.h"

#define MLKEM768_EK_BYTES 1184
#define MLKEM768_DK_BYTES 2400 /* dk_PKE (1152) || ek (1184) || H(ek) (32) || z (32) */
#define MLKEM768_CT_BYTES 1088
#define MLKEM768_SS_BYTES 32
#define MLKEM768_SEED_BYTES 64 /* d || z */

/* ML-KEM.KeyGen_internal(d, z) (Algorithm 16). */
void mlkem768_keygen(uint8_t ek[MLKEM768_EK_BYTES], uint8_t dk[MLKEM768_DK_BYTES],
                     const uint8_t d[32], const uint8_t z[32]);

/* The same from seed = d || z, as a TLS client uses 64 random bytes.
   CRYPTO_ERR_BAD_LENGTH (outputs zeroed) unless seed_len is 64. */
enum crypto_err mlkem768_keygen_seed(uint8_t ek[MLKEM768_EK_BYTES], uint8_t dk[MLKEM768_DK_BYTES],
                                     const uint8_t *seed, size_t seed_len);

/* Encapsulation-key check (FIPS 203 7.2): CRYPTO_ERR_BAD_LENGTH unless
   ek_len is 1184, CRYPTO_ERR_BAD_KEY when a coefficient of t is >= q. */
enum crypto_err mlkem768_check_ek(const uint8_t *ek, size_t ek_len);

/* Decapsulation-key check (FIPS 203 7.3): CRYPTO_ERR_BAD_LENGTH unless
   dk_len is 2400, CRYPTO_ERR_BAD_KEY when H(ek) inside dk does not match. */
enum crypto_err mlkem768_check_dk(const uint8_t *dk, size_t dk_len);

/* ML-KEM.Encaps_internal(ek, m) (Algorithm 17) after mlkem768_check_ek:
   writes the shared secret ss and the ciphertext ct. On an error both are
   zeroed. */
enum crypto_err mlkem768_encaps(uint8_t ss[MLKEM768_SS_BYTES], uint8_t ct[MLKEM768_CT_BYTES],
                                const uint8_t *ek, size_t ek_len, const uint8_t m[32]);

/* ML-KEM.Decaps (Algorithm 18) after the checks of FIPS 203 7.3
   (CRYPTO_ERR_BAD_LENGTH for a ct other than 1088 bytes or a dk other than
   2400, CRYPTO_ERR_BAD_KEY for a dk failing mlkem768_check_dk; ss zeroed).
   A well-formed but wrong ct is not an error: ss is then the
   implicit-rejection key J(z || ct), chosen without a branch. */
enum crypto_err mlkem768_decaps(uint8_t ss[MLKEM768_SS_BYTES], const uint8_t *ct, size_t ct_len,
                                const uint8_t *dk, size_t dk_len);

#endif
