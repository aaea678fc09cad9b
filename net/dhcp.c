/* see dhcp.h */
#include "net/dhcp.h"
#include "net/net.h"
#include "net/net_int.h"
#include "net/udp.h"
#include <string.h>
#include "lib/reader.h"

#define BOOTP_FIXED 236
#define MAGIC 0x63825363u

enum state { ST_OFF, ST_SELECTING, ST_REQUESTING, ST_BOUND, ST_FAILED };

static enum state st;
static int sock = -1;
static uint32_t xid;
static int tries;
static uint64_t last_tx, bound_at;
static struct dhcp_msg offer;
static uint32_t lease_s;

enum net_err dhcp_parse(const uint8_t *p, size_t len, struct dhcp_msg *m)
{
    memset(m, 0, sizeof *m);
    if (len < BOOTP_FIXED + 4)
        return NET_ERR_MALFORMED;
    m->op = p[0];
    if (p[1] != 1 || p[2] != 6)                     /* Ethernet, 6-byte address */
        return NET_ERR_MALFORMED;
    m->xid = be32_get(p + 4);
    m->yiaddr = be32_get(p + 16);
    memcpy(m->chaddr, p + 28, 6);
    if (be32_get(p + BOOTP_FIXED) != MAGIC)
        return NET_ERR_MALFORMED;
    struct reader r = rd_init(p + BOOTP_FIXED + 4, len - BOOTP_FIXED - 4);
    while (rd_left(&r)) {
        uint8_t code = rd_u8(&r);
        if (code == 0)
            continue;                                /* pad */
        if (code == 255)
            break;                                   /* end */
        uint8_t olen = rd_u8(&r);
        const uint8_t *v = rd_bytes(&r, olen);
        if (!v)
            return NET_ERR_MALFORMED;
        switch (code) {
        case 53: if (olen == 1) m->type = v[0]; else return NET_ERR_MALFORMED; break;
        case 54: if (olen == 4) m->server_id = be32_get(v); break;
        case 1:  if (olen == 4) m->mask = be32_get(v); break;
        case 3:  if (olen >= 4) m->router = be32_get(v); break;
        case 6:  if (olen >= 4) m->dns = be32_get(v); break;
        case 51: if (olen == 4) m->lease_s = be32_get(v); break;
        default: break;
        }
    }
    if (!rd_ok(&r))
        return NET_ERR_MALFORMED;
    return NET_OK;
}

size_t dhcp_build(uint8_t *out, size_t cap, uint8_t type, uint32_t x, const uint8_t mac[6],
                  ip4_addr requested, ip4_addr server_id)
{
    size_t need = BOOTP_FIXED + 4 + 3 + 6 + 6 + 6 + 1;
    if (cap < need)
        return 0;
    memset(out, 0, need);
    out[0] = 1;                                      /* BOOTREQUEST */
    out[1] = 1;
    out[2] = 6;
    be32_put(out + 4, x);
    be16_put(out + 10, 0x8000);                      /* broadcast replies: no address yet */
    memcpy(out + 28, mac, 6);
    be32_put(out + BOOTP_FIXED, MAGIC);
    uint8_t *o = out + BOOTP_FIXED + 4;
    *o++ = 53; *o++ = 1; *o++ = type;
    if (requested) {
        *o++ = 50; *o++ = 4; be32_put(o, requested); o += 4;
    }
    if (server_id) {
        *o++ = 54; *o++ = 4; be32_put(o, server_id); o += 4;
    }
    *o++ = 55; *o++ = 4; *o++ = 1; *o++ = 3; *o++ = 6; *o++ = 51;
    *o++ = 255;
    return (size_t)(o - out);
}

static void send_msg(uint8_t type, ip4_addr req, ip4_addr sid)
{
    uint8_t buf[320];
    size_t n = dhcp_build(buf, sizeof buf, type, xid, net_mac(), req, sid);
    struct ip_addr bcast = ip_addr_v4(0xFFFFFFFFu);   /* limited broadcast */
    if (n && udp_sendto(sock, &bcast, 67, buf, n) == NET_OK)
        net_stats.dhcp_tx++;
    last_tx = net_now();
}

void dhcp_stop(void)
{
    if (sock >= 0)
        udp_close(sock);
    sock = -1;
    st = ST_OFF;
}

void dhcp_start(uint64_t now)
{
    dhcp_stop();
    sock = udp_open(68);
    if (sock < 0 || net_random(&xid, sizeof xid) != NET_OK) {
        st = ST_FAILED;
        net_dhcp_failed();
        return;
    }
    st = ST_SELECTING;
    tries = 1;
    (void)now;
    send_msg(DHCP_DISCOVER, 0, 0);
}

static void receive(uint64_t now)
{
    uint8_t buf[UDP_MAX_PAYLOAD];
    size_t n;
    while ((n = udp_recvfrom(sock, buf, sizeof buf, NULL, NULL)) > 0) {
        struct dhcp_msg m;
        if (dhcp_parse(buf, n, &m) != NET_OK) {
            net_stats.rx_malformed++;
            continue;
        }
        if (m.op != 2 || m.xid != xid || memcmp(m.chaddr, net_mac(), 6) != 0)
            continue;
        net_stats.dhcp_rx++;
        if (st == ST_SELECTING && m.type == DHCP_OFFER && m.yiaddr) {
            offer = m;
            st = ST_REQUESTING;
            tries = 1;
            send_msg(DHCP_REQUEST, m.yiaddr, m.server_id);
        } else if ((st == ST_REQUESTING || st == ST_BOUND) && m.type == DHCP_ACK && m.yiaddr) {
            ip4_addr mask = m.mask ? m.mask : offer.mask ? offer.mask : 0xFFFFFF00u;
            net_apply_lease(m.yiaddr, mask, m.router ? m.router : offer.router,
                            m.dns ? m.dns : offer.dns);
            offer.yiaddr = m.yiaddr;
            if (m.server_id)
                offer.server_id = m.server_id;
            lease_s = m.lease_s ? m.lease_s : 3600;
            bound_at = now;
            st = ST_BOUND;
        } else if (st == ST_REQUESTING && m.type == DHCP_NAK) {
            st = ST_SELECTING;
            tries = 1;
            send_msg(DHCP_DISCOVER, 0, 0);
        }
    }
}

void dhcp_timers(uint64_t now)
{
    if (st == ST_OFF || st == ST_FAILED)
        return;
    receive(now);
    if (st == ST_BOUND) {
        /* T1 = lease / 2: renew (broadcast REQUEST for the same address) */
        if (now - bound_at >= (uint64_t)lease_s * 500) {
            bound_at = now;
            net_random(&xid, sizeof xid);
            send_msg(DHCP_REQUEST, offer.yiaddr, offer.server_id);
        }
        return;
    }
    if (now - last_tx >= DHCP_RETRY_MS) {
        if (tries >= DHCP_MAX_TRIES) {
            st = ST_FAILED;
            net_dhcp_failed();
            return;
        }
        tries++;
        if (st == ST_SELECTING)
            send_msg(DHCP_DISCOVER, 0, 0);
        else
            send_msg(DHCP_REQUEST, offer.yiaddr, offer.server_id);
    }
}
