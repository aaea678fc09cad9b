/* Reference client for bench-tls: N full TLS 1.3 handshakes with libssl
   (new session each time, chain + host name verified against --ca, the
   same work tlsget --hs-only does: handshake, close_notify, close).
   usage: bench_tls_osslclient HOST PORT CAFILE SERVERNAME N
   Prints "N handshakes in S s = R handshakes/s". Host benchmark only. */
#define _POSIX_C_SOURCE 200809L
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s HOST PORT CAFILE SERVERNAME N\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[5]);
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (SSL_CTX_load_verify_locations(ctx, argv[3], NULL) != 1)
        return 2;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    struct sockaddr_in sa = { 0 };
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &sa.sin_addr);
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa))
            return 1;
        SSL *s = SSL_new(ctx);
        SSL_set_tlsext_host_name(s, argv[4]);
        SSL_set1_host(s, argv[4]);
        SSL_set_fd(s, fd);
        if (SSL_connect(s) != 1) {
            fprintf(stderr, "handshake failed\n");
            return 1;
        }
        SSL_shutdown(s);
        SSL_free(s);
        close(fd);
    }
    double dt = now_s() - t0;
    printf("%d handshakes in %.3f s = %.1f handshakes/s\n", n, dt, n / dt);
    SSL_CTX_free(ctx);
    return 0;
}
