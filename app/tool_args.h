/* Helpers the kernel tools (app/tool.h) share that need no kernel: reading
   their JSON arguments strictly, and the address policy of tools that
   reach the network. Portable; the host unit tests build them.

   Arguments: a tool's arguments are a JSON object whose members the tool
   names; any other member is an error (a model that invents a parameter
   learns it at once rather than having it ignored).

   Address policy (https_get): with a tool_hosts= list, only the hosts on it
   may be reached (names compared without case, one final dot dropped;
   addresses as written), and then at any address; without a list, any
   host, but only at a public address (lib/ip_scope.h): never loopback,
   private, shared, link-local, the cloud metadata address, multicast or
   reserved ranges, checked on the address DNS gave, the one connected to. */
#ifndef APP_TOOL_ARGS_H
#define APP_TOOL_ARGS_H
#include <stdbool.h>
#include <stddef.h>
#include "http/json.h"
#include "lib/ip_addr.h"

/* The tools' names, in the order of app_tools_all (app/tool.h):
   "clock", "net_info", "dns_lookup", "https_get"; NULL-terminated. The
   option parser checks names against it without the kernel's tools. */
extern const char *const tool_names[];
/* Index of name[0..n) in tool_names, or -1. */
int tool_name_index(const char *name, size_t n);
/* A tool_hosts= value: 1..16 comma-separated host names or addresses, each
   1..253 bytes of letters, digits, '-', '.', ':' (no ports, no spaces). */
bool tool_hosts_valid(const char *hosts);

enum tool_arg_err {
    TOOL_ARG_OK = 0,
    TOOL_ARG_NOT_OBJECT,      /* the arguments are not a JSON object */
    TOOL_ARG_UNKNOWN_MEMBER,  /* a member the tool does not take */
    TOOL_ARG_MISSING,         /* a required member is absent */
    TOOL_ARG_WRONG_TYPE,      /* a member of another JSON type */
    TOOL_ARG_TOO_LONG,        /* a string longer than the tool takes */
    TOOL_ARG_BAD_TEXT,        /* a string with a NUL or a control character */
};
const char *tool_arg_err_str(enum tool_arg_err e);

/* Checks that args is an object whose members are all in names[] (NULL-
   terminated); *bad gets the first other member's token (or -1). */
enum tool_arg_err tool_args_only(const struct json_doc *d, int args, const char *const names[],
                                 int *bad);
/* Member key of args as a string into out[0..cap) (NUL-terminated; at most
   cap - 1 bytes, else TOOL_ARG_TOO_LONG). Absent: TOOL_ARG_MISSING when
   required, else TOOL_ARG_OK with out "". Controls (< 0x20, 0x7f) are
   refused: no argument of ours carries them. */
enum tool_arg_err tool_arg_str(const struct json_doc *d, int args, const char *key, bool required,
                               char *out, size_t cap);

enum tool_policy {
    TOOL_POLICY_OK = 0,
    TOOL_POLICY_HOST_NOT_ALLOWED,   /* tool_hosts= is set and the host is not on it */
    TOOL_POLICY_ADDRESS_REFUSED,    /* no tool_hosts= and the address is not public */
};
const char *tool_policy_str(enum tool_policy p);   /* "host_not_allowed", "address_refused" */

/* The host check, before any lookup: hosts NULL or "" allows every host. */
enum tool_policy tool_policy_host(const char *hosts, const char *host);
/* The address check, after the lookup: with a host list the host was
   checked already and any address is fine; without one only a public
   address is. */
enum tool_policy tool_policy_addr(const char *hosts, const struct ip_addr *a);

#endif
