/* The app jobs (kernel-only): get= (HTTPS download) and llm= (chat with an
   OpenAI-compatible endpoint). app_jobs_run() in app/jobs.c dispatches on
   the command line; each job returns 0 on success, 1 on failure. */
#ifndef APP_APP_H
#define APP_APP_H

/* get=https://host[:port]/path [print=0|1] [repeat=N] [loops=M] [timeout=MS] */
int app_https_get_job(const char *url);
/* llm=https://host[:port]/v1/chat/completions model= key= prompt= [stream=0|1] */
int app_llm_job(const char *url);
/* Kernel hook: -1 when the command line asked for no app job. */
int app_jobs_run(void);

#endif
