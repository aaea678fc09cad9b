/* The jobs (kernel-only): every job is a key of the table in app/keys.c
   whose entry has a run function; app_jobs_run() runs the jobs the command
   line asked for, in the table's order (selftest=, netup=, resolve=,
   tcpget=, tcpput=, get=, llm=, tool=), each with the parsed options. A run
   function returns 0 on success, 1 on failure. */
#ifndef APP_JOBS_H
#define APP_JOBS_H
#include "app/options.h"

/* Runs the requested jobs; -1 when none was asked for, else 0 when all
   succeeded, 1 when any failed. Ends with the network's report (stack and
   driver counters) when a network job ran or the network is up. */
int app_jobs_run(const struct app_options *o);

/* The jobs, one per key. */
int app_selftest_job(const struct app_options *o);   /* app/job_selftest.c */
int app_netup_run(const struct app_options *o);      /* app/job_net.c */
int app_resolve_run(const struct app_options *o);    /* app/job_net.c */
int app_tcpget_run(const struct app_options *o);     /* app/job_tcp.c */
int app_tcpput_run(const struct app_options *o);     /* app/job_tcp.c */
int app_get_run(const struct app_options *o);        /* app/https_get.c */
int app_llm_run(const struct app_options *o);        /* app/llm_job.c */
int app_tool_run(const struct app_options *o);       /* app/job_tool.c */

/* Brings the interface up for a network job; prints `net: error=NAME`
   and returns 1 when it cannot. */
int app_net_job_up(void);

#endif
