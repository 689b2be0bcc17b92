// The durable jobs of a workspace as the console sees them: failed ones to inspect and retry.
import Type from 'typebox';
import { Cursor, Id, Limit, Timestamp } from './common.ts';

export const JobStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('failed'),
]);
export type JobStatus = Type.Static<typeof JobStatus>;

const JobName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z_]+\\.[a-z_]+$' });

export const JobView = Type.Object({
  id: Id,
  name: Type.String(),
  status: JobStatus,
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  runAt: Timestamp,
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type JobView = Type.Static<typeof JobView>;

export const JobQuery = Type.Object(
  {
    status: Type.Optional(JobStatus),
    name: Type.Optional(JobName),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type JobQuery = Type.Static<typeof JobQuery>;

export const JobPage = Type.Object({
  jobs: Type.Array(JobView),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type JobPage = Type.Static<typeof JobPage>;

export const RetryFailedJobs = Type.Object({ name: JobName }, { additionalProperties: false });
export type RetryFailedJobs = Type.Static<typeof RetryFailedJobs>;

export const RetriedJobs = Type.Object({ retried: Type.Integer() });
export type RetriedJobs = Type.Static<typeof RetriedJobs>;
