// Human queues over REST: queue CRUD and agents' profiles (queues.manage), my status and my offers (any
// agent), the waiting line best first (the inbox). Agents' API use counts as activity for auto-away.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AcceptedOffer,
  Agent as AgentDto,
  AgentList,
  AgentStatusBody,
  CreateQueueBody,
  IdParams,
  OfferList,
  Queue as QueueDto,
  QueueList,
  QueueSettings as QueueSettingsDto,
  UpdateAgentBody,
  UpdateQueueBody,
  WaitingList,
} from '@zhike/contracts';
import {
  type AgentProfile,
  compareWaiting,
  DEFAULT_OVERFLOW_AFTER_SECONDS,
  DEFAULT_PICKUP_TIMEOUT_SECONDS,
  dispatchJob,
  isAvailable,
  type Queue,
  queuePlaces,
  UniqueViolation,
  type WorkspaceStore,
} from '@zhike/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { principalOf, userOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { maskedPii } from './presenters.ts';
import { HttpProblem } from './problems.ts';
import { problems } from './schemas.ts';

const queueDto = (q: Queue): QueueDto => ({
  id: q.id,
  key: q.key,
  name: q.name,
  requiredSkills: q.requiredSkills,
  language: q.language,
  strategy: q.strategy,
  pickupTimeoutSeconds: q.pickupTimeoutSeconds,
  overflowPolicy: q.overflowPolicy,
  overflowAfterSeconds: q.overflowAfterSeconds,
  position: q.position,
  memberIds: q.memberIds,
  createdAt: q.createdAt,
  updatedAt: q.updatedAt,
});

const UserIdParams = Type.Object({ userId: IdParams.properties.id }, { additionalProperties: false });

/**
 * A signed-in user's successful write (reply, assignment, status change …) is activity: it keeps them online
 * (at most one write per 30 s). Reads are not: an unattended tab that refreshes lists must still go idle;
 * the console reports real use over its socket (`activity` frames).
 */
export function registerAgentActivity(app: FastifyInstance, ctx: AppContext): void {
  const lastSeen = new Map<string, number>();
  app.addHook('onResponse', async (request, reply) => {
    const principal = request.principal;
    if (principal?.kind !== 'user' || reply.statusCode >= 400) return;
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const now = ctx.clock.now().getTime();
    if (now - (lastSeen.get(principal.user.id) ?? 0) < 30_000) return;
    lastSeen.set(principal.user.id, now);
    await ctx.commands
      .recordAgentActivity(principal.workspaceId, { userId: principal.user.id })
      .catch((err: unknown) => request.log.warn({ err }, 'agent activity not recorded'));
  });
}

export const queueRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const store = (request: FastifyRequest): WorkspaceStore =>
      ctx.db.forWorkspace(principalOf(request).workspaceId);
    const at = () => ctx.clock.now().toISOString();
    /** Member ids must be the workspace's users: a foreign id is a 400, not silently dropped. */
    const checkMembers = async (s: WorkspaceStore, ids: readonly string[] | undefined) => {
      if (!ids?.length) return;
      const users = new Set((await s.users.list()).map((u) => u.id));
      if (ids.some((id) => !users.has(id)))
        throw new HttpProblem('validation_failed', 'memberIds: not a member of this workspace');
    };
    const redispatch = async (s: WorkspaceStore, reason: string) => {
      const now = at();
      await s.jobs.enqueue(dispatchJob(s.workspaceId, `${reason}:${now}`, now));
      ctx.worker.wake();
    };

    app.get(
      '/api/v1/queues',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags: ['queues'],
          summary: 'The workspace’s queues',
          response: { 200: QueueList, ...problems },
        },
      },
      async (request) => ({ queues: (await store(request).queues.list()).map(queueDto) }),
    );

    app.post(
      '/api/v1/queues',
      {
        config: { auth: 'session', permission: 'queues.manage' },
        schema: {
          tags: ['queues'],
          summary: 'Create a queue',
          body: CreateQueueBody,
          response: { 201: QueueDto, ...problems },
        },
      },
      async (request, reply) => {
        const s = store(request);
        const b = request.body;
        await checkMembers(s, b.memberIds);
        const queue = await s.queues.create({
          id: ctx.newId(),
          key: b.key,
          name: b.name,
          requiredSkills: b.requiredSkills ?? [],
          language: b.language ?? null,
          strategy: b.strategy ?? 'least_busy',
          pickupTimeoutSeconds: b.pickupTimeoutSeconds ?? DEFAULT_PICKUP_TIMEOUT_SECONDS,
          overflowPolicy: b.overflowPolicy ?? 'wait',
          overflowAfterSeconds: b.overflowAfterSeconds ?? DEFAULT_OVERFLOW_AFTER_SECONDS,
          position: b.position ?? (await s.queues.list()).length,
          memberIds: b.memberIds ?? [],
          createdAt: at(),
        });
        if (!queue) throw new HttpProblem('conflict', `A queue with key ${b.key} exists`);
        return reply.code(201).send(queueDto(queue));
      },
    );

    app.get(
      '/api/v1/queues/:id',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags: ['queues'],
          summary: 'One queue',
          params: IdParams,
          response: { 200: QueueDto, ...problems },
        },
      },
      async (request) => {
        const queue = await store(request).queues.get(request.params.id);
        if (!queue) throw new HttpProblem('not_found', 'No such queue');
        return queueDto(queue);
      },
    );

    app.patch(
      '/api/v1/queues/:id',
      {
        config: { auth: 'session', permission: 'queues.manage' },
        schema: {
          tags: ['queues'],
          summary: 'Change a queue (strategy, timeout, overflow, members …)',
          params: IdParams,
          body: UpdateQueueBody,
          response: { 200: QueueDto, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        await checkMembers(s, request.body.memberIds);
        let queue: Queue | null;
        try {
          queue = await s.transaction((tx) => tx.queues.update(request.params.id, request.body, at()));
        } catch (error) {
          if (error instanceof UniqueViolation)
            throw new HttpProblem('conflict', `A queue with key ${request.body.key} exists`);
          throw error;
        }
        if (!queue) throw new HttpProblem('not_found', 'No such queue');
        await redispatch(s, `queue:${queue.id}`);
        return queueDto(queue);
      },
    );

    app.delete(
      '/api/v1/queues/:id',
      {
        config: { auth: 'session', permission: 'queues.manage' },
        schema: {
          tags: ['queues'],
          summary: 'Delete a queue',
          params: IdParams,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const s = store(request);
        // Its conversations wait on in the default queue (see resolveQueue).
        if (!(await s.transaction((tx) => tx.queues.delete(request.params.id))))
          throw new HttpProblem('not_found', 'No such queue');
        await redispatch(s, `queue-deleted:${request.params.id}`);
        return reply.code(204).send(null);
      },
    );

    /** Everyone active, or the one agent named (active or not: a deactivated agent's profile can still be set). */
    const agentDtos = async (
      s: WorkspaceStore,
      only?: string,
    ): Promise<{ agents: AgentDto[]; autoAwayMinutes: number }> => {
      const one = only ? await s.agents.get(only) : null;
      const [users, profiles, held, pending, settings] = await Promise.all([
        s.users.list(),
        one ? [one] : s.agents.list(),
        s.agents.heldCounts(),
        s.offers.pending(),
        s.queues.settings(),
      ]);
      const now = ctx.clock.now();
      const byId = new Map(users.map((u) => [u.id, u]));
      const offered = new Map<string, number>();
      for (const o of pending) offered.set(o.userId, (offered.get(o.userId) ?? 0) + 1);
      const dto = (p: AgentProfile): AgentDto => ({
        userId: p.userId,
        name: byId.get(p.userId)?.name ?? '',
        role: byId.get(p.userId)?.role ?? 'agent',
        skills: p.skills,
        languages: p.languages,
        capacity: p.capacity,
        status: p.status,
        available: isAvailable(p, now, settings.autoAwayMinutes),
        statusChangedAt: p.statusChangedAt,
        lastActivityAt: p.lastActivityAt,
        load: (held.get(p.userId) ?? 0) + (offered.get(p.userId) ?? 0),
      });
      return {
        agents: profiles.filter((p) => byId.has(p.userId)).map(dto),
        autoAwayMinutes: settings.autoAwayMinutes,
      };
    };

    app.get(
      '/api/v1/agents',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags: ['queues'],
          summary: 'Agents with their skills, capacity, presence and load',
          response: { 200: AgentList, ...problems },
        },
      },
      async (request) => agentDtos(store(request)),
    );

    app.patch(
      '/api/v1/agents/:userId',
      {
        config: { auth: 'session', permission: 'queues.manage' },
        schema: {
          tags: ['queues'],
          summary: 'Set an agent’s skills, languages and capacity',
          params: UserIdParams,
          body: UpdateAgentBody,
          response: { 200: AgentDto, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        if (!(await s.users.get(request.params.userId))) throw new HttpProblem('not_found', 'No such user');
        await s.transaction((tx) => tx.agents.save(request.params.userId, request.body, at()));
        // More capacity or new skills may let waiting conversations through.
        await redispatch(s, `agent:${request.params.userId}`);
        const [agent] = (await agentDtos(s, request.params.userId)).agents;
        if (!agent) throw new HttpProblem('not_found', 'No such user');
        return agent;
      },
    );

    app.put(
      '/api/v1/agents/me/status',
      {
        config: { auth: 'session', permission: 'conversations.assign_self' },
        schema: {
          tags: ['queues'],
          summary: 'Go online, away or offline (conversations already held stay yours)',
          body: AgentStatusBody,
          response: { 200: AgentDto, ...problems },
        },
      },
      async (request) => {
        const { workspaceId, user } = userOf(request);
        await ctx.commands.setAgentStatus(workspaceId, { userId: user.id, status: request.body.status });
        const [agent] = (await agentDtos(store(request), user.id)).agents;
        if (!agent) throw new HttpProblem('not_found', 'No such user');
        return agent;
      },
    );

    app.get(
      '/api/v1/queue-settings',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags: ['queues'],
          summary: 'Auto-away minutes',
          response: { 200: QueueSettingsDto, ...problems },
        },
      },
      async (request) => ({ autoAwayMinutes: (await store(request).queues.settings()).autoAwayMinutes }),
    );

    app.put(
      '/api/v1/queue-settings',
      {
        config: { auth: 'session', permission: 'queues.manage' },
        schema: {
          tags: ['queues'],
          summary: 'Set the auto-away minutes',
          body: QueueSettingsDto,
          response: { 200: QueueSettingsDto, ...problems },
        },
      },
      async (request) => {
        const saved = await store(request).queues.saveSettings(request.body, at());
        return { autoAwayMinutes: saved.autoAwayMinutes };
      },
    );

    app.get(
      '/api/v1/offers',
      {
        config: { auth: 'session', permission: 'conversations.assign_self' },
        schema: {
          tags: ['queues'],
          summary: 'My outstanding offers',
          response: { 200: OfferList, ...problems },
        },
      },
      async (request) => {
        const { user } = userOf(request);
        const offers = (await store(request).offers.pending()).filter((o) => o.userId === user.id);
        return {
          offers: offers.map((o) => ({
            id: o.id,
            conversationId: o.conversationId,
            userId: o.userId,
            queueId: o.queueId,
            offeredAt: o.offeredAt,
            expiresAt: o.expiresAt,
          })),
        };
      },
    );

    app.post(
      '/api/v1/offers/:id/accept',
      {
        config: { auth: 'session', permission: 'conversations.assign_self' },
        schema: {
          tags: ['queues'],
          summary: 'Accept an offer: the conversation becomes mine',
          params: IdParams,
          response: { 200: AcceptedOffer, ...problems },
        },
      },
      async (request) => {
        const { workspaceId, user } = userOf(request);
        const result = await ctx.commands.acceptOffer(workspaceId, {
          offerId: request.params.id,
          userId: user.id,
        });
        return { conversationId: result.conversationId };
      },
    );

    app.post(
      '/api/v1/offers/:id/decline',
      {
        config: { auth: 'session', permission: 'conversations.assign_self' },
        schema: {
          tags: ['queues'],
          summary: 'Decline an offer: it goes to the next agent at once',
          params: IdParams,
          response: { 204: Type.Null(), ...problems },
        },
      },
      async (request, reply) => {
        const { workspaceId, user } = userOf(request);
        await ctx.commands.declineOffer(workspaceId, { offerId: request.params.id, userId: user.id });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/queues/waiting',
      {
        config: { auth: 'session', permission: 'conversations.read' },
        schema: {
          tags: ['queues'],
          summary: 'Conversations waiting for a human, best first, with queue, priority and wait',
          response: { 200: WaitingList, ...problems },
        },
      },
      async (request) => {
        const s = store(request);
        const [places, queues, pending] = await Promise.all([
          queuePlaces(s, s.workspaceId, ctx.clock.now()),
          s.queues.list(),
          s.offers.pending(),
        ]);
        const placeOf = new Map(places.map((p) => [p.conversationId, p]));
        const queueOf = new Map(queues.map((q) => [q.id, q]));
        const offerOf = new Map(pending.map((o) => [o.conversationId, o]));
        const waiting = [];
        for (const w of await s.queueWaits.waiting()) {
          const summary = await s.conversations.summary(w.conversationId);
          const place = placeOf.get(w.conversationId);
          const queue = place?.queueId ? queueOf.get(place.queueId) : undefined;
          const offer = offerOf.get(w.conversationId);
          waiting.push({
            conversationId: w.conversationId,
            customerName: maskedPii.name(summary?.customerName ?? null),
            queue: queue ? { id: queue.id, key: queue.key, name: queue.name } : null,
            priority: w.priority,
            priorityScore: w.priorityScore,
            waitingSince: w.waitingSince,
            position: place?.position ?? 0,
            estimatedWaitSeconds: place?.waitSeconds ?? null,
            offeredTo: offer ? { userId: offer.userId, expiresAt: offer.expiresAt } : null,
            order: w,
          });
        }
        waiting.sort((a, b) => compareWaiting(a.order, b.order));
        return { waiting: waiting.map(({ order: _order, ...row }) => row) };
      },
    );
  };
