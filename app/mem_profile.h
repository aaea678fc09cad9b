/* Memory profiles of the client connections (mem= key, issue 26 part 4):
   how big the TCP rings, the TLS buffers, the receive pipeline, the HTTP
   read buffer and the LLM response buffers of one connection are. `default` keeps the sizes
   built for bulk transfers; `small` sizes everything for one record of
   2 KiB (the client offers max_fragment_length 2^11 and record_size_limit
   2049, so the server's records fit the receive buffer), with no receive
   pipeline and a 1 KiB HTTP read buffer. The per-connection budget of
   both is in docs/memory.md.
   Pure data and parsing (the host tests build it with the options); no
   memory is owned here. */
#ifndef APP_MEM_PROFILE_H
#define APP_MEM_PROFILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/tcp.h"

enum app_mem { APP_MEM_DEFAULT = 0, APP_MEM_SMALL };

struct app_mem_sizes {
    struct tcp_bufs tcp;              /* TCP rings (net/tcp.h; 0: its defaults) */
    uint32_t tls_hs, tls_rx, tls_tx;  /* handshake, record receive, send buffers */
    uint8_t  tls_mfl;                 /* max_fragment_length code offered, 0: none */
    uint16_t tls_rsl;                 /* record_size_limit offered, 0: 16385 */
    bool     pipeline;                /* the second-CPU receive pipeline may run */
    uint32_t http_buf;                /* struct http_client's read buffer */
    uint32_t llm_toks;                /* JSON tokens of one event or body */
    uint32_t llm_piece, llm_body, llm_line, llm_data;  /* bytes */
};

/* The sizes of a profile (a static table). */
const struct app_mem_sizes *app_mem_sizes(enum app_mem m);
/* "default", "small". */
const char *app_mem_str(enum app_mem m);
/* The profile named v: true and *out, or false for another word. */
bool app_mem_parse(const char *v, enum app_mem *out);

#endif
