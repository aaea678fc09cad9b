/* Every boot key, in one place. kmain parses the command line once
   (kernel/cmdline.h) and hands it to app_options_parse_sources(), which
   checks every key against the table in app/keys.c, converts each value
   once into struct app_options and runs each job's own check (a URL,
   HOST:PORT, ...). Jobs and layers get their options as parameters from
   here: nothing else reads the command line.
   The keys come from up to three sources, applied in this order, a later
   one overriding an earlier one key by key: QEMU's fw_cfg file
   opt/llm/key (the API key alone), fw_cfg opt/llm/config (keys in
   command-line syntax), then the command line itself. So a key given in
   both the config file and the command line takes the command line's
   value.
   An unknown key or a malformed value is an error, never a silent default:
       cmdline: error key=NAME detail=unknown_key|bad_value|out_of_range|too_long|conflict|...
   (one line per bad key; ` source=fw_cfg` is appended for the fw_cfg
   files), and the run ends with status=fail before any network work.
   docs/cmdline.md lists exactly the keys of the table (a unit test
   compares them). Pure code: built for the host tests too.
   Strings in struct app_options point into the parsed struct cmdlines (or
   into the options' own buffers for %-decoded values and the key): the
   cmdlines must outlive the options. The API key is the options' own copy
   (key_buf): app_options_wipe_key() wipes it, cmdline_wipe_key() the
   parsed and raw command lines. */
#ifndef APP_OPTIONS_H
#define APP_OPTIONS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/cmdline.h"
#include "http/url.h"
#include "app/app_tls.h"
#include "net/ipv6.h"
#include "net/net.h"
#include "net/netfault.h"

enum app_opt_err {
    APP_OPT_OK = 0,
    APP_OPT_UNKNOWN_KEY,     /* not in the table */
    APP_OPT_BAD_VALUE,       /* not a number, not 0|1, not the key's syntax */
    APP_OPT_OUT_OF_RANGE,    /* a number outside the key's range */
    APP_OPT_TOO_LONG,        /* longer than the key's buffer */
    APP_OPT_MISSING_VALUE,   /* a bare word where a value is needed */
    APP_OPT_BAD_WORD,        /* a list word the key does not know */
    APP_OPT_JOB,             /* the job's own check failed (it printed why) */
    APP_OPT_CONFLICT,        /* good alone, refused together with another key */
};
const char *app_opt_err_str(enum app_opt_err e);

/* selftest= words (bit positions of selftest.words). */
enum app_selftest_word {
    APP_ST_HEAP, APP_ST_SLEEP, APP_ST_RANDOM, APP_ST_SYM, APP_ST_PK, APP_ST_X509,
    APP_ST_TLS, APP_ST_SMP, APP_ST_SPEED, APP_ST_FAIL, APP_ST_PAGEFAULT,
    APP_ST_DOUBLEFREE, APP_ST_DIVZERO, APP_ST_COUNT
};
#define APP_ST_ALL ((1u << APP_ST_HEAP) | (1u << APP_ST_SLEEP) | (1u << APP_ST_RANDOM) | \
                    (1u << APP_ST_SYM) | (1u << APP_ST_PK) | (1u << APP_ST_X509) |       \
                    (1u << APP_ST_TLS) | (1u << APP_ST_SMP))

#define APP_MODEL_MAX  128
#define APP_KEY_MAX    256
#define APP_PROMPT_MAX 2048
#define APP_RESOLVE_MAX 256

struct app_net_opts {
    const char *ip, *gw, *dns;       /* raw values, NULL when absent */
    struct net_config cfg;           /* parsed from ip=, gw=, dns= */
    const char *ipv6, *ip6, *gw6;    /* raw values, NULL when absent */
    struct ip6_config cfg6;          /* parsed from ipv6=, ip6=, gw6= (default: on) */
    bool fault_set;                  /* netfault= given */
    struct netfault_cfg fault;
};

struct app_options {
    /* kernel */
    bool exit_on_finish;             /* exit= (bare or 1) */
    bool smp;                        /* smp=, default 1 */
    bool help;                       /* help: list the keys and stop */
    /* selftest= */
    const char *selftest;
    unsigned    selftest_words;      /* 1 << enum app_selftest_word */
    /* network jobs */
    bool        netup;               /* netup= */
    const char *resolve;             /* comma list of names */
    const char *tcpget, *tcpput;     /* HOST:PORT */
    bool        bytes_set;
    uint64_t    bytes;               /* tcpput's byte count */
    uint32_t    tcptimeout_ms;       /* default 20000 */
    struct app_net_opts net;
    /* get= and llm= */
    const char *get, *llm;           /* URLs as given */
    struct url  get_url, llm_url;    /* parsed (get: https:// checked; llm: http or https) */
    bool        print;
    long        repeat, loops;       /* default 1 */
    long        timeout_ms;          /* -1: the job's default */
    bool        heapcheck;
    const char *model, *key, *prompt, *system;   /* %-decoded, NULL when absent */
    const char *provider;            /* checked name (llm_provider_by_name), NULL: from the path */
    bool        stream;              /* default 1 */
    uint32_t    llm_idle_s;          /* default 600 */
    /* tool= (app/tool.h) */
    const char *tool;                /* a name of tool_names */
    const char *tool_args;           /* %-decoded JSON text, NULL: {} */
    const char *tool_hosts;          /* comma list, NULL: public addresses only */
    /* llm= tool calling: bit i declares tool_names[i] (app/tool_args.h);
       default all; 0: none (tools=0) */
    uint32_t    tools_mask;
    long        tool_rounds;         /* model->tools->model rounds per user turn, default 8 */
    uint32_t    llm_history;         /* bytes of message JSON, default 65536 */
    unsigned    retries;             /* attempts in all, default 3 */
    struct app_tls_opts tls;
    uint64_t    given;               /* bit i: app_keys[i] was set (any source) */
    uint64_t    given_cmdline;       /* bit i: app_keys[i] was on the command line itself */
    /* storage for the %-decoded values */
    char model_buf[APP_MODEL_MAX], key_buf[APP_KEY_MAX];
    char prompt_buf[APP_PROMPT_MAX], system_buf[APP_PROMPT_MAX];
    char tool_args_buf[APP_PROMPT_MAX];
};

/* One key of the table (app/keys.c). parse converts and checks the value
   (v is "" for a bare word); NULL for a key no value of which is wrong. */
struct app_key {
    const char *name;
    enum app_opt_err (*parse)(struct app_options *o, const char *v);
    const char *syntax;              /* for the help text */
    const char *help;
};
extern const struct app_key app_keys[];
extern const size_t app_nkeys;
const struct app_key *app_key_find(const char *name);
/* True when key name was set (and parsed), from any source. */
bool app_options_given(const struct app_options *o, const char *name);
/* True when key name was on the boot command line itself (key=: the llm=
   job warns `llm: warning key_on_command_line`). */
bool app_options_on_cmdline(const struct app_options *o, const char *name);

/* Defaults for every key. */
void app_options_defaults(struct app_options *o);
/* app_options_parse_sources with the command line c as the only source. */
int app_options_parse(struct app_options *o, const struct cmdline *c);
/* The sources of the options (see the top); NULL / 0 for an absent one. */
struct app_option_sources {
    const char           *key_file;      /* fw_cfg opt/llm/key: the key's bytes */
    size_t                key_file_len;  /* trailing spaces/newlines are ignored */
    const struct cmdline *config;        /* fw_cfg opt/llm/config, parsed */
    const struct cmdline *cmdline;       /* the boot command line, parsed */
};
/* Defaults, then each source in order (within one, the last of a repeated
   key wins). Prints one `cmdline: error ...` line per bad key; returns the
   number of bad keys (0: all good). */
int app_options_parse_sources(struct app_options *o, const struct app_option_sources *s);
/* The key= value from a file (app/keys.c): the bytes as they are, no
   %-decoding, trailing whitespace dropped; printable ASCII only. */
enum app_opt_err app_options_key_file(struct app_options *o, const char *p, size_t n);
/* Wipes the key (key_buf, with a wipe the compiler cannot drop); o->key
   becomes NULL. Called when the jobs are over. */
void app_options_wipe_key(struct app_options *o);
/* Prints every key with its syntax and help (the help= key). */
void app_options_help(void);

#endif
