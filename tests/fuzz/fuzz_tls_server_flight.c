/* libFuzzer target for the TLS client engine's server-flight parsing:
   records and handshake messages. The engine is driven with the RFC 8448
   section 3 ClientHello and ephemeral key (test hook), so the fuzzer knows
   the server's traffic keys and can encrypt its input:
     mode 0: raw bytes as the server's first flight (record layer, plaintext
             ServerHello / HelloRetryRequest / alert parsing);
     mode 1: after the trace's ServerHello, input chunks [type, len16, data]
             are sealed with the server handshake key (EncryptedExtensions,
             CertificateRequest, Certificate, CertificateVerify, Finished);
     mode 2: after the complete trace handshake, chunks are sealed with the
             server application key (NewSessionTicket, KeyUpdate, alerts,
             application data);
     mode 3: like mode 0, but the engine builds its own ClientHello offering
             a resumption ticket (pre_shared_key in ServerHello/HRR);
     mode 4: like mode 2 with the receive pipeline (3 slots, at most 2 jobs
             queued on an executor that runs the newest job first whenever
             the engine waits), and chunks of type 0xff fed unsealed (bad
             headers reach the slots); every job must have run by the wipe.
   Certificate checks are stubbed to accept (the X.509 code has its own
   fuzzer), so deeper messages are reachable. Trace bytes: RFC 8448 (IETF
   Trust), see tests/vectors/README.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tls/tls.h"

static const char CH_HEX[] =
    "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece700000613011303130201"
    "0000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400"
    "230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b00"
    "03020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c"
    "00024001"
    ;  /* 196 bytes */
static const char XPRIV_HEX[] =
    "49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005"
    ;  /* 32 bytes */
static const char SH_REC_HEX[] =
    "160303005a020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e269280013010000"
    "2e00330024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304"
    ;  /* 95 bytes */
static const char FLIGHT_REC_HEX[] =
    "17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35edf7869fcf40aa40aa2b8ea73f848a7ca"
    "07612ef9f945cb960b4068905123ea78b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7b13b"
    "d9aefb0e57f271585b8ea9bb355c7c79020716cfb9b1183ef3ab20e37d57a6b9d7477609aee6e122a4cf51427325250c"
    "7d0e509289444c9b3a648f1d71035d2ed65b0e3cdd0cbae8bf2d0b227812cbb360987255cc744110c453baa4fcd61092"
    "8d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09ead686945ba246ab66e5edd8044b4c6de3fcf2a8"
    "9441ac66272fd8fb330ef8190579b3684596c960bd596eea520a56a8d650f563aad27409960dca63d3e688611ea5e22f"
    "4415cf9538d51a200c27034272968a264ed6540c84838d89f72c24461aad6d26f59ecaba9acbbb317b66d902f4f292a3"
    "6ac1b639c637ce343117b659622245317b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3bd7e"
    "1b7a6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da8c87c843f5e56eb4c5e8280a2b48052c"
    "f93b16499a66db7cca71e4599426f7d461e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881edbe"
    "5a37668936b335583b599186dc5c6918a396fa48a181d6b6fa4f9d62d513afbb992f2b992f67f8afe67f76913fa388cb"
    "5630c8ca01e0c65d11c66a1e2ac4c85977b7c7a6999bbf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b66763038"
    "ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b5b845e275592c12335ee340bbc4fddd50278"
    "4016e4b3be7ef04dda49f4b440a30cb5d2af939828fd4ae3794e44f94df5a631ede42c1719bfdabf0253fe5175be898e"
    "750edc53370d2b"
    ;  /* 679 bytes */
static const char SHS_KEY_HEX[] =
    "3fce516009c21727d0f2e4e86ee403bc"
    ;  /* 16 bytes */
static const char SHS_IV_HEX[] =
    "5d313eb2671276ee13000b30"
    ;  /* 12 bytes */
static const char SAP_KEY_HEX[] =
    "9f02283b6c9c07efc26bb9f2ac92e356"
    ;  /* 16 bytes */
static const char SAP_IV_HEX[] =
    "cf782b88dd83549aadf1e984"
    ;  /* 12 bytes */

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = strlen(h) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char ch = h[2 * i + k];
            v = v * 16 + (unsigned)(ch <= '9' ? ch - '0' : ch - 'a' + 10);
        }
        out[i] = (uint8_t)v;
    }
    return n;
}

static uint8_t ch[256], xpriv[32], sh_rec[128], flight[1024], shs_key[16], shs_iv[12],
    sap_key[16], sap_iv[12];
static size_t ch_len, sh_len, flight_len;
static int rng_calls;

static int rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    if (++rng_calls == 3 && len == 32)
        memcpy(out, xpriv, 32);
    else
        memset(out, 0x42, len);
    return 0;
}

static enum tls_err accept_chain(void *ctx, const uint8_t *const *certs, const size_t *lens, size_t n,
                                 const char *host)
{
    (void)ctx; (void)host;
    for (size_t i = 0; i < n; i++)
        if (!certs[i] || !lens[i])
            abort();
    return TLS_OK;
}

static enum tls_err accept_sig(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                               const uint8_t *sig, size_t siglen)
{
    (void)ctx; (void)scheme; (void)sig; (void)siglen;
    return content && len ? TLS_OK : TLS_ERR_INTERNAL;
}

/* mode 4's executor: a stack of jobs run newest first from relax(). */
static struct { void (*fn)(void *); void *arg; } jobs[8];
static size_t njobs;

static bool job_start(void *ctx, void (*fn)(void *), void *arg)
{
    (void)ctx;
    if (njobs == 8)
        return false;
    jobs[njobs].fn = fn;
    jobs[njobs++].arg = arg;
    return true;
}

static void job_relax(void *ctx)
{
    (void)ctx;
    if (njobs) {
        njobs--;
        jobs[njobs].fn(jobs[njobs].arg);
    }
}

static void drain(struct tls_conn *c)
{
    size_t n;
    while (tls_out_peek(c, &n))
        tls_out_ack(c, n);
    const uint8_t *p = tls_app_peek(c, &n);
    if (p)
        tls_app_ack(c, n);
}

static void feed(struct tls_conn *c, const uint8_t *p, size_t n)
{
    while (n && !tls_error(c)) {
        size_t used = tls_feed(c, p, n);
        p += used;
        n -= used;
        drain(c);
        if (!used && !tls_app_peek(c, &used))
            break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct tls_conn c;
    static struct tls_bufs bufs;
    static uint8_t hs[32768], rec[TLS_MAX_CIPHERTEXT + 64];
    static struct tls_rec_keys k;
    if (!ch_len) {
        ch_len = unhex(CH_HEX, ch);
        unhex(XPRIV_HEX, xpriv);
        sh_len = unhex(SH_REC_HEX, sh_rec);
        flight_len = unhex(FLIGHT_REC_HEX, flight);
        unhex(SHS_KEY_HEX, shs_key);
        unhex(SHS_IV_HEX, shs_iv);
        unhex(SAP_KEY_HEX, sap_key);
        unhex(SAP_IV_HEX, sap_iv);
    }
    if (size < 1)
        return 0;
    int mode = data[0] % 5;
    data++;
    size--;
    struct tls_config cfg = { 0 };
    cfg.rng = rng;
    cfg.verify_chain = accept_chain;
    cfg.verify_sig = accept_sig;
    /* the trace's offer: one x25519 share (third rng call); the default
       hybrid would draw an ML-KEM seed first and cost a keygen per input */
    static const uint16_t x25519_only[] = { TLS_GROUP_X25519 };
    cfg.groups = x25519_only;
    cfg.group_count = 1;
    rng_calls = 0;
    tls_client_init(&c, &cfg, "server", hs, sizeof hs);
    tls_client_use_bufs(&c, &bufs);
    static struct tls_ticket tk = { .len = 16, .suite = TLS_AES_128_GCM_SHA256, .lifetime = 60 };
    static struct tls_rx_slot slots[3];
    static const struct tls_offload off = { job_start, job_relax, NULL, 2 };
    njobs = 0;
    if (mode == 4 && tls_set_rx_pipeline(&c, slots, 3, &off))
        abort();
    if (mode == 3) {
        if (tls_client_set_resumption(&c, &tk, 1000))
            abort();
    } else {
        tls_test_set_client_hellos(&c, ch, ch_len, NULL, 0);
    }
    if (tls_client_start(&c))
        abort();
    drain(&c);
    if (mode == 0 || mode == 3) {
        feed(&c, data, size);
    } else {
        feed(&c, sh_rec, sh_len);
        if (mode >= 2)
            feed(&c, flight, flight_len);
        if (tls_error(&c))
            abort();                       /* the trace itself must pass */
        if (mode >= 2 && !tls_handshake_done(&c))
            abort();
        rec_set_keys(&k, TLS_AEAD_AES128_GCM, mode == 1 ? shs_key : sap_key, 16,
                     mode == 1 ? shs_iv : sap_iv);
        while (size >= 3 && !tls_error(&c)) {
            uint8_t type = data[0];
            size_t n = (size_t)data[1] << 8 | data[2];
            data += 3;
            size -= 3;
            if (n > size)
                n = size;
            if (n > TLS_MAX_PLAINTEXT)
                n = TLS_MAX_PLAINTEXT;
            if (mode == 4 && type == 0xff) {
                feed(&c, data, n);             /* unsealed bytes */
                data += n;
                size -= n;
                continue;
            }
            memcpy(rec + 5, data, n);
            size_t rl = rec_seal(&k, type, rec, n, type & 3);
            data += n;
            size -= n;
            if (rl)
                feed(&c, rec, rl);
            if (mode == 4 && rl && !c.piped && !tls_error(&c))
                abort();                   /* input must go through the slots */
        }
        rec_wipe(&k);
    }
    if (tls_handshake_done(&c) && !tls_error(&c))
        tls_app_write(&c, (const uint8_t *)"x", 1);
    tls_close(&c);
    drain(&c);
    tls_conn_wipe(&c);
    if (njobs)
        abort();                           /* a job outlived the connection */
    return 0;
}
