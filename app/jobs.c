/* Kernel hook for the app jobs (see app.h): kmain calls app_jobs_run()
   through a weak reference when app/ is linked in. */
#include "app/app.h"
#include "app/app_tls.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "app/app_tcp.h"

int app_jobs_run(void)
{
    const char *get = karg("get");
    const char *llm = karg("llm");
    if (!get && !llm)
        return -1;
    int rc = 0;
    app_tls_forget_tickets();    /* a job resumes only its own sessions */
    if (get)
        rc |= app_https_get_job(get);
    if (llm)
        rc |= app_llm_job(llm);
    app_net_report();        /* drops, retransmissions, device exits, ... */
    return rc ? 1 : 0;
}
