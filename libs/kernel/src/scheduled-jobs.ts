/**
 * What a scheduled job tells of its runs, for the platform's metrics. The platform provides it under
 * SCHEDULED_JOB_RUNS; a job injects it as optional, so it runs the same without.
 */
export interface ScheduledJobRuns {
  /** One run of the job ended; `failed` when it threw. */
  ran(job: string, outcome: 'succeeded' | 'failed'): void;
}

export const SCHEDULED_JOB_RUNS = 'ScheduledJobRuns';
