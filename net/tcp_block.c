/* Blocking TCP helpers of net/tcp.h for the kernel: each loops on
   net_poll(time_ms()) until its condition holds, the connection fails, or
   its timeout passes without progress. */
#include "net/net.h"
#include "net/tcp_int.h"
#include "kernel/time.h"

int tcp_connect_blocking(const struct ip_addr *ip, uint16_t port, uint32_t timeout_ms,
                         enum net_err *err)
{
    net_poll(time_ms());                  /* tcp_now current before the SYN */
    int s = tcp_connect(ip, port, timeout_ms, err);
    if (s < 0)
        return -1;
    for (;;) {
        enum tcp_state st = tcp_state(s);
        if (st == TCP_ESTABLISHED || st == TCP_CLOSE_WAIT) {
            *err = NET_OK;
            return s;
        }
        if (st == TCP_CLOSED) {
            *err = tcp_error(s) != NET_OK ? tcp_error(s) : NET_ERR_CLOSED;
            tcp_abort(s);
            return -1;
        }
        net_poll(time_ms());
    }
}

long tcp_send_all(int s, const void *buf, size_t len, uint32_t timeout_ms, enum net_err *err)
{
    const uint8_t *p = buf;
    size_t done = 0;
    uint64_t last = time_ms();
    while (done < len) {
        long r = tcp_send(s, p + done, len - done);
        if (r < 0) {
            *err = (enum net_err)(-r);
            return -1;
        }
        if (r > 0) {
            done += (size_t)r;
            last = time_ms();
            continue;
        }
        if (time_ms() - last > timeout_ms) {
            *err = NET_ERR_TIMEOUT;
            return -1;
        }
        net_poll(time_ms());
    }
    net_flush();                          /* the caller may not poll again soon */
    *err = NET_OK;
    return (long)len;
}

long tcp_recv_blocking(int s, void *buf, size_t len, uint32_t timeout_ms, enum net_err *err)
{
    uint64_t start = time_ms();
    for (;;) {
        long r = tcp_recv(s, buf, len);
        if (r >= 0) {
            *err = NET_OK;
            return r;
        }
        if (r != -(long)NET_ERR_AGAIN) {
            *err = (enum net_err)(-r);
            return -1;
        }
        if (time_ms() - start > timeout_ms) {
            *err = NET_ERR_TIMEOUT;
            return -1;
        }
        net_poll(time_ms());
    }
}

void tcp_close_blocking(int s, uint32_t timeout_ms)
{
    struct tcp_sock *t = tcp_sock_get(s);
    if (!t)
        return;
    tcp_close(s);
    uint64_t start = time_ms();
    /* our FIN is acknowledged in FIN_WAIT_2 / TIME_WAIT, or the slot ended */
    while (t->used && t->app_closed && t->state != TCP_FIN_WAIT_2 &&
           t->state != TCP_TIME_WAIT && t->state != TCP_CLOSED &&
           time_ms() - start <= timeout_ms)
        net_poll(time_ms());
}
