// The workspace's durable jobs for admins: list them by status and name (failed ones above all), retry
// one failed job, or every failed job of a name. A retried job starts with a fresh set of attempts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, JobPage, JobQuery, JobView, RetriedJobs, RetryFailedJobs } from '@zhike/contracts';
import { userOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

export const jobRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const jobsOf = (request: Parameters<typeof userOf>[0]) =>
      ctx.db.forWorkspace(userOf(request).workspaceId).jobs;

    app.get(
      '/api/v1/jobs',
      {
        config: { auth: 'session', permission: 'jobs.manage' },
        schema: {
          tags: ['jobs'],
          summary: "This workspace's background jobs, newest first",
          querystring: JobQuery,
          response: { 200: JobPage, ...problems },
        },
      },
      async (request) => {
        const q = request.query;
        const limit = q.limit ?? 50;
        const jobs = await jobsOf(request).list({
          status: q.status,
          name: q.name,
          beforeId: q.cursor,
          limit,
        });
        return { jobs, nextCursor: jobs.length === limit ? (jobs.at(-1)?.id ?? null) : null };
      },
    );

    app.post(
      '/api/v1/jobs/:id/retry',
      {
        config: { auth: 'session', permission: 'jobs.manage' },
        schema: {
          tags: ['jobs'],
          summary: 'Run a failed job again, with a fresh set of attempts',
          params: IdParams,
          response: { 200: JobView, ...problems },
        },
      },
      async (request) => {
        const jobs = jobsOf(request);
        const retried = await jobs.retry(request.params.id, ctx.clock.now().toISOString());
        if (retried) {
          ctx.worker.wake();
          return retried;
        }
        const job = await jobs.get(request.params.id);
        if (!job) throw new HttpProblem('not_found', 'No such job');
        throw new HttpProblem('conflict', `Only a failed job can be retried; this one is ${job.status}`);
      },
    );

    app.post(
      '/api/v1/jobs/retry',
      {
        config: { auth: 'session', permission: 'jobs.manage' },
        schema: {
          tags: ['jobs'],
          summary: 'Run every failed job of one name again',
          body: RetryFailedJobs,
          response: { 200: RetriedJobs, ...problems },
        },
      },
      async (request) => {
        const retried = await jobsOf(request).retryFailed(request.body.name, ctx.clock.now().toISOString());
        if (retried > 0) ctx.worker.wake();
        return { retried };
      },
    );
  };
