/* Kernel tools a model may call (issue 23): each tool is a small module
   (app/tool_NAME.c) with a name, a description and the JSON Schema of its
   arguments, and a run function that takes the parsed arguments and writes
   its result as one JSON object. The result is data for the model: the
   console shows only a summary line per call (app_tool_call below).

   A run function returns NULL on success, or the name of its error
   ("bad_arguments", "dns_nxdomain", "address_refused", "cert_untrusted",
   ...), having written {"error": NAME, "detail": ...} (app_tool_error);
   the model receives either object, so a failing tool is an answer, never
   the end of the job.

   Memory: the caller owns the argument text, the parsed document and the
   result buffer; tools keep nothing between calls (https_get uses one
   connection struct from the kernel heap for the call's duration).
   Kernel-only (tools call the network and the clock); the argument and
   address-policy helpers they share are portable (app/tool_args.h). */
#ifndef APP_TOOL_H
#define APP_TOOL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "http/json.h"

struct app_tls_opts;

/* What a tool may use besides its arguments. */
struct tool_env {
    const struct app_tls_opts *tls;   /* certificate and TLS rules of every connection */
    const char *hosts;                /* tool_hosts=: comma list, or NULL */
    uint32_t timeout_ms;              /* per network operation */
};

struct app_tool {
    const char *name;
    const char *description;
    const char *parameters;           /* JSON Schema of the arguments object */
    const char *(*run)(const struct tool_env *env, const struct json_doc *d, int args,
                       struct json_w *out);
};

extern const struct app_tool app_tool_clock;
extern const struct app_tool app_tool_net_info;
extern const struct app_tool app_tool_dns_lookup;
extern const struct app_tool app_tool_https_get;

/* Every tool, in a fixed order; NULL-terminated. */
extern const struct app_tool *const app_tools_all[];
/* The tool named name[0..n), or NULL. */
const struct app_tool *app_tool_find(const char *name, size_t n);

/* The schema of a tool without arguments, and its check: NULL when args is
   an empty object, else the bad_arguments error written into out. */
#define APP_TOOL_NO_PARAMETERS \
    "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}"
const char *app_tool_no_args(const struct json_doc *d, int args, struct json_w *out);

/* Writes {"error": name, "detail": detail} into out and returns name. */
const char *app_tool_error(struct json_w *out, const char *name, const char *detail);

#define APP_TOOL_RESULT_MAX 24576     /* a result object: https_get's 16 KiB text, escaped */

/* Runs tool name[0..name_len) on the JSON text args[0..args_len) and
   writes its result object into out[0..cap) (*out_len its length). Prints
   `PREFIX tool call=NAME args=JSON` before and `PREFIX tool result=NAME
   status=ok|error bytes=N ms=T` after (the arguments through the console
   filter, cut at 200 bytes); an unknown tool or arguments that are not a
   JSON object are answered with an error object like any other failure.
   Returns true when the tool succeeded. */
bool app_tool_call(const struct tool_env *env, const char *prefix, const char *name,
                   size_t name_len, const char *args, size_t args_len, char *out, size_t cap,
                   size_t *out_len);

#endif
