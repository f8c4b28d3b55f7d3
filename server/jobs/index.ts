export { enqueueJob } from "./queue";
export { ensureJobHandlers } from "./bootstrap";
export { registerJobHandler, getJobHandler, unregisterJobHandler } from "./registry";
export { startJobRunner, stopJobRunner, getJobRunner, kickJobRunner, JobRunner, type JobRunnerOptions } from "./runner";
export { SCHEDULES, fireDueSchedules, qstashScheduleId, type ScheduleDefinition } from "./schedules";
export { jobEndpointUrl, qstashEnabled, qstashClient, publishJob, verifyQstashSignature } from "./qstash";
export {
  PermanentJobError, isRetryable, jobRoute, kindFromRoute, JOB_KINDS,
  type DedupMode, type EnqueueJobInput, type EnqueueJobResult, type JobContext, type JobHandler, type JobKind, type JobRow, type JobStatus,
} from "./types";
