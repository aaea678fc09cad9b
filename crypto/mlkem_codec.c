/* ML-KEM byte encodings (FIPS 203 section 4.2.1): ByteEncode_d and
   ByteDecode_d (Algorithms 5, 6) as a little-endian bit stream, d bits per
   coefficient, and their combination with Compress_d / Decompress_d.
   Buffers are the caller's; the one temporary is wiped.
   Loops and shifts depend only on d, never on the coefficient values. */
#include "crypto/mlkem_poly.h"
#include "crypto/crypto.h"

void mlkem_encode(uint8_t *out, const mlkem_poly *f, unsigned d)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    for (unsigned i = 0; i < MLKEM_N; i++) {
        acc |= (uint32_t)f->c[i] << bits;
        bits += d;
        while (bits >= 8) {
            *out++ = (uint8_t)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
}

void mlkem_decode(mlkem_poly *f, const uint8_t *in, unsigned d)
{
    uint32_t acc = 0, mask = (1u << d) - 1;
    unsigned bits = 0;
    for (unsigned i = 0; i < MLKEM_N; i++) {
        while (bits < d) {
            acc |= (uint32_t)*in++ << bits;
            bits += 8;
        }
        f->c[i] = (uint16_t)(acc & mask);
        acc >>= d;
        bits -= d;
    }
}

int mlkem_decode12(mlkem_poly *f, const uint8_t in[384])
{
    uint32_t over = 0;
    mlkem_decode(f, in, 12);
    for (unsigned i = 0; i < MLKEM_N; i++) {
        uint32_t v = f->c[i];
        over |= (uint32_t)(MLKEM_Q - 1 - v) >> 31; /* 1 when v >= q */
        f->c[i] = mlkem_fq_csub(v);                 /* v < 4096 < 2q */
    }
    return (int)over;
}

void mlkem_compress_encode(uint8_t *out, const mlkem_poly *f, unsigned d)
{
    mlkem_poly t;
    for (unsigned i = 0; i < MLKEM_N; i++)
        t.c[i] = mlkem_compress(f->c[i], d);
    mlkem_encode(out, &t, d);
    crypto_zeroize(&t, sizeof t); /* Compress_1 of w is the message m' */
}

void mlkem_decode_decompress(mlkem_poly *f, const uint8_t *in, unsigned d)
{
    mlkem_decode(f, in, d);
    for (unsigned i = 0; i < MLKEM_N; i++)
        f->c[i] = mlkem_decompress(f->c[i], d);
}
