/* see p256.h */
#include "crypto/p256.h"
#include "crypto/ec_internal.h"

int p256_keygen(uint8_t pub[65], const uint8_t priv[32])
{
    return ec_keygen(&ec_p256, pub, priv);
}

int p256_ecdh(uint8_t shared[32], const uint8_t priv[32], const uint8_t *peer_pub, size_t peer_len)
{
    return ec_ecdh(&ec_p256, shared, priv, peer_pub, peer_len);
}
