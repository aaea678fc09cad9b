/* The clock tool: UTC date and time from the RTC (read at boot, advanced
   by the TSC clock: kernel/time.h) and the time since boot. No arguments.
     {"utc": "2026-12-07T18:01:02Z", "unix": 1796666462, "uptime_ms": 5123} */
#include "app/tool.h"
#include "kernel/time.h"

static const char *clock_run(const struct tool_env *env, const struct json_doc *d, int args,
                             struct json_w *out)
{
    (void)env;
    const char *err = app_tool_no_args(d, args, out);
    if (err)
        return err;
    int64_t now = time_unix();
    char iso[24];
    time_format_iso(now, iso, sizeof iso);
    json_w_obj_begin(out);
    json_w_key(out, "utc");
    json_w_str(out, iso);
    json_w_key(out, "unix");
    json_w_int(out, now);
    json_w_key(out, "uptime_ms");
    json_w_int(out, (int64_t)time_ms());
    json_w_obj_end(out);
    return NULL;
}

const struct app_tool app_tool_clock = {
    .name = "clock",
    .description = "The current date and time (UTC) from the machine's real-time clock, "
                   "and the time since the kernel booted.",
    .parameters = APP_TOOL_NO_PARAMETERS,
    .run = clock_run,
};
