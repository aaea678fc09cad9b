/* see p384.h */
#include "crypto/p384.h"
#include "crypto/ec_internal.h"

int p384_keygen(uint8_t pub[97], const uint8_t priv[48])
{
    return ec_keygen(&ec_p384, pub, priv);
}

int p384_ecdh(uint8_t shared[48], const uint8_t priv[48], const uint8_t *peer_pub, size_t peer_len)
{
    return ec_ecdh(&ec_p384, shared, priv, peer_pub, peer_len);
}
