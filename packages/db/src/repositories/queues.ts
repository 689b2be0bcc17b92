// Human queues, agents' profiles, offers and waits (migration 0014), each confined to the scope's workspace.
import {
  type AgentProfile,
  type AgentStatus,
  type ConversationOffer,
  DEFAULT_AUTO_AWAY_MINUTES,
  DEFAULT_CAPACITY,
  type Locale,
  type OfferStatus,
  type OverflowPolicy,
  type Priority,
  type Queue,
  type QueueSettings,
  type QueueStrategy,
  type QueueWait,
  type WaitOutcome,
  type WorkspaceRepositories,
} from '@zhike/core';
import { type Selectable, sql } from 'kysely';
import type { AgentProfilesTable, ConversationOffersTable, QueuesTable, QueueWaitsTable } from '../schema.ts';
import { parseList, type Scope } from './scope.ts';

const toQueue = (row: Selectable<QueuesTable>, memberIds: string[]): Queue => ({
  id: row.id,
  workspaceId: row.workspaceId,
  key: row.key,
  name: row.name,
  requiredSkills: parseList<string>(row.requiredSkills),
  language: row.language as Locale | null,
  strategy: row.strategy as QueueStrategy,
  pickupTimeoutSeconds: row.pickupTimeoutSeconds,
  overflowPolicy: row.overflowPolicy as OverflowPolicy,
  overflowAfterSeconds: row.overflowAfterSeconds,
  position: row.position,
  lastOfferedUserId: row.lastOfferedUserId,
  memberIds,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export function queuesRepository(s: Scope): WorkspaceRepositories['queues'] {
  const members = async (queueIds: string[]): Promise<Map<string, string[]>> => {
    const byQueue = new Map<string, string[]>(queueIds.map((id) => [id, []]));
    if (queueIds.length === 0) return byQueue;
    const rows = await s.db
      .selectFrom('queueMembers')
      .select(['queueId', 'userId'])
      .where('workspaceId', '=', s.workspaceId)
      .where('queueId', 'in', queueIds)
      .orderBy('createdAt')
      .orderBy('userId')
      .execute();
    for (const r of rows) byQueue.get(r.queueId)?.push(r.userId);
    return byQueue;
  };
  const one = async (row: Selectable<QueuesTable> | undefined) =>
    row ? toQueue(row, (await members([row.id])).get(row.id) ?? []) : null;
  const scoped = () => s.db.selectFrom('queues').selectAll().where('workspaceId', '=', s.workspaceId);
  // Only the workspace's own users can be members: anything else is dropped, not stored.
  const setMembers = async (queueId: string, userIds: readonly string[], at: string) => {
    await s.db
      .deleteFrom('queueMembers')
      .where('workspaceId', '=', s.workspaceId)
      .where('queueId', '=', queueId)
      .execute();
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return;
    const known = await s.db
      .selectFrom('users')
      .select('id')
      .where('workspaceId', '=', s.workspaceId)
      .where('id', 'in', unique)
      .execute();
    const ids = new Set(known.map((k) => k.id));
    const rows = unique
      .filter((id) => ids.has(id))
      .map((userId) => ({ workspaceId: s.workspaceId, queueId, userId, createdAt: at }));
    if (rows.length > 0) await s.db.insertInto('queueMembers').values(rows).execute();
  };
  const settingsRow = async (at: string) => {
    await s.db
      .insertInto('queueSettings')
      .values({
        workspaceId: s.workspaceId,
        autoAwayMinutes: DEFAULT_AUTO_AWAY_MINUTES,
        seededTemplate: null,
        dispatchSeq: 0,
        updatedAt: at,
      })
      .onConflict((oc) => oc.column('workspaceId').doNothing())
      .execute();
  };
  return {
    async list() {
      const rows = await scoped().orderBy('position').orderBy('createdAt').orderBy('id').execute();
      const byQueue = await members(rows.map((r) => r.id));
      return rows.map((r) => toQueue(r, byQueue.get(r.id) ?? []));
    },
    async get(id) {
      return one(await scoped().where('id', '=', id).executeTakeFirst());
    },
    async findByKey(key) {
      return one(await scoped().where('key', '=', key).executeTakeFirst());
    },
    async create(q) {
      const inserted = await s.db
        .insertInto('queues')
        .values({
          id: q.id,
          workspaceId: s.workspaceId,
          key: q.key,
          name: q.name,
          requiredSkills: JSON.stringify(q.requiredSkills),
          language: q.language,
          strategy: q.strategy,
          pickupTimeoutSeconds: q.pickupTimeoutSeconds,
          overflowPolicy: q.overflowPolicy,
          overflowAfterSeconds: q.overflowAfterSeconds,
          position: q.position,
          lastOfferedUserId: null,
          createdAt: q.createdAt,
          updatedAt: q.createdAt,
        })
        .onConflict((oc) => oc.columns(['workspaceId', 'key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return null;
      await setMembers(q.id, q.memberIds, q.createdAt);
      return one(await scoped().where('id', '=', q.id).executeTakeFirst());
    },
    async update(id, patch, at) {
      const existing = await scoped().where('id', '=', id).executeTakeFirst();
      if (!existing) return null;
      const values: Partial<Selectable<QueuesTable>> = { updatedAt: at };
      if (patch.key !== undefined) values.key = patch.key;
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.requiredSkills !== undefined) values.requiredSkills = JSON.stringify(patch.requiredSkills);
      if (patch.language !== undefined) values.language = patch.language;
      if (patch.strategy !== undefined) values.strategy = patch.strategy;
      if (patch.pickupTimeoutSeconds !== undefined) values.pickupTimeoutSeconds = patch.pickupTimeoutSeconds;
      if (patch.overflowPolicy !== undefined) values.overflowPolicy = patch.overflowPolicy;
      if (patch.overflowAfterSeconds !== undefined) values.overflowAfterSeconds = patch.overflowAfterSeconds;
      if (patch.position !== undefined) values.position = patch.position;
      await s.db
        .updateTable('queues')
        .set(values)
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .execute();
      if (patch.memberIds !== undefined) await setMembers(id, patch.memberIds, at);
      return one(await scoped().where('id', '=', id).executeTakeFirst());
    },
    async delete(id) {
      await s.db
        .deleteFrom('queueMembers')
        .where('workspaceId', '=', s.workspaceId)
        .where('queueId', '=', id)
        .execute();
      const result = await s.db
        .deleteFrom('queues')
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async setLastOffered(id, userId) {
      await s.db
        .updateTable('queues')
        .set({ lastOfferedUserId: userId })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .execute();
    },
    async settings() {
      const row = await s.db
        .selectFrom('queueSettings')
        .select(['autoAwayMinutes', 'seededTemplate'])
        .where('workspaceId', '=', s.workspaceId)
        .executeTakeFirst();
      return row ?? { autoAwayMinutes: DEFAULT_AUTO_AWAY_MINUTES, seededTemplate: null };
    },
    async saveSettings(patch, at) {
      await settingsRow(at);
      const values: Partial<QueueSettings> & { updatedAt: string } = { updatedAt: at };
      if (patch.autoAwayMinutes !== undefined) values.autoAwayMinutes = patch.autoAwayMinutes;
      if (patch.seededTemplate !== undefined) values.seededTemplate = patch.seededTemplate;
      await s.db.updateTable('queueSettings').set(values).where('workspaceId', '=', s.workspaceId).execute();
      return this.settings();
    },
    async lockDispatch(at) {
      await settingsRow(at);
      if (s.dialect === 'postgres') {
        await sql`select dispatch_seq from queue_settings where workspace_id = ${s.workspaceId} for update`.execute(
          s.db,
        );
      }
      // A write on SQLite takes the database's write lock now rather than at the first offer.
      await s.db
        .updateTable('queueSettings')
        .set((eb) => ({ dispatchSeq: eb('dispatchSeq', '+', 1) }))
        .where('workspaceId', '=', s.workspaceId)
        .execute();
    },
  };
}

const toProfile = (row: Selectable<AgentProfilesTable>): AgentProfile => ({
  userId: row.userId,
  skills: parseList<string>(row.skills),
  languages: parseList<Locale>(row.languages),
  capacity: row.capacity,
  status: row.status as AgentStatus,
  statusChangedAt: row.statusChangedAt,
  lastActivityAt: row.lastActivityAt,
  autoAway: row.autoAway === 1,
});

export function agentsRepository(s: Scope): WorkspaceRepositories['agents'] {
  const ensure = async (userId: string, at: string) => {
    const user = await s.db
      .selectFrom('users')
      .select(['id', 'createdAt'])
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw new Error('not a member of this workspace');
    await s.db
      .insertInto('agentProfiles')
      .values({
        workspaceId: s.workspaceId,
        userId,
        skills: '[]',
        languages: '[]',
        capacity: DEFAULT_CAPACITY,
        status: 'offline',
        statusChangedAt: at,
        lastActivityAt: at,
        autoAway: 0,
        updatedAt: at,
      })
      .onConflict((oc) => oc.columns(['workspaceId', 'userId']).doNothing())
      .execute();
  };
  const read = async (userId: string) => {
    const row = await s.db
      .selectFrom('agentProfiles')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('userId', '=', userId)
      .executeTakeFirst();
    return row ? toProfile(row) : null;
  };
  // Members without a profile yet have the defaults: offline, capacity 3, no skills.
  const defaults = (userId: string, at: string): AgentProfile => ({
    userId,
    skills: [],
    languages: [],
    capacity: DEFAULT_CAPACITY,
    status: 'offline',
    statusChangedAt: at,
    lastActivityAt: at,
    autoAway: false,
  });
  return {
    async list() {
      const users = await s.db
        .selectFrom('users')
        .select(['id', 'createdAt'])
        .where('workspaceId', '=', s.workspaceId)
        .where('deactivatedAt', 'is', null)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      const rows = await s.db
        .selectFrom('agentProfiles')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .execute();
      const byUser = new Map(rows.map((r) => [r.userId, toProfile(r)]));
      return users.map((u) => byUser.get(u.id) ?? defaults(u.id, u.createdAt));
    },
    async get(userId) {
      const profile = await read(userId);
      if (profile) return profile;
      const user = await s.db
        .selectFrom('users')
        .select(['id', 'createdAt'])
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', userId)
        .executeTakeFirst();
      return user ? defaults(user.id, user.createdAt) : null;
    },
    async save(userId, patch, at) {
      await ensure(userId, at);
      const before = await read(userId);
      const values: Partial<Selectable<AgentProfilesTable>> = { updatedAt: at };
      if (patch.skills !== undefined) values.skills = JSON.stringify(patch.skills);
      if (patch.languages !== undefined) values.languages = JSON.stringify(patch.languages);
      if (patch.capacity !== undefined) values.capacity = patch.capacity;
      if (patch.autoAway !== undefined) values.autoAway = patch.autoAway ? 1 : 0;
      if (patch.status !== undefined && patch.status !== before?.status) {
        values.status = patch.status;
        values.statusChangedAt = at;
      }
      // Choosing a status is activity: idle time counts from here (being made away for idleness is not).
      if (patch.status !== undefined && patch.autoAway !== true) values.lastActivityAt = at;
      await s.db
        .updateTable('agentProfiles')
        .set(values)
        .where('workspaceId', '=', s.workspaceId)
        .where('userId', '=', userId)
        .execute();
      return (await read(userId)) as AgentProfile;
    },
    async touch(userId, at) {
      await ensure(userId, at);
      await s.db
        .updateTable('agentProfiles')
        .set({ lastActivityAt: at })
        .where('workspaceId', '=', s.workspaceId)
        .where('userId', '=', userId)
        .where('lastActivityAt', '<', at)
        .execute();
      return (await read(userId)) as AgentProfile;
    },
    async heldCounts() {
      const rows = await s.db
        .selectFrom('conversations')
        .select(['assigneeId', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('workspaceId', '=', s.workspaceId)
        .where('assigneeId', 'is not', null)
        .where('status', '!=', 'resolved')
        .groupBy('assigneeId')
        .execute();
      return new Map(rows.map((r) => [r.assigneeId as string, Number(r.n)]));
    },
  };
}

const toOffer = (row: Selectable<ConversationOffersTable>): ConversationOffer => ({
  id: row.id,
  conversationId: row.conversationId,
  customerId: row.customerId,
  queueId: row.queueId,
  userId: row.userId,
  status: row.status as OfferStatus,
  offeredAt: row.offeredAt,
  expiresAt: row.expiresAt,
  respondedAt: row.respondedAt,
});

export function offersRepository(s: Scope): WorkspaceRepositories['offers'] {
  const scoped = () =>
    s.db.selectFrom('conversationOffers').selectAll().where('workspaceId', '=', s.workspaceId);
  return {
    async create(offer) {
      await s.db
        .insertInto('conversationOffers')
        .values({ ...offer, workspaceId: s.workspaceId })
        .execute();
    },
    async get(id) {
      const row = await scoped().where('id', '=', id).executeTakeFirst();
      return row ? toOffer(row) : null;
    },
    async pendingFor(conversationId) {
      const row = await scoped()
        .where('conversationId', '=', conversationId)
        .where('status', '=', 'pending')
        .orderBy('offeredAt', 'desc')
        .executeTakeFirst();
      return row ? toOffer(row) : null;
    },
    async pending() {
      const rows = await scoped().where('status', '=', 'pending').orderBy('offeredAt').execute();
      return rows.map(toOffer);
    },
    async refusedBy(conversationId, since) {
      const rows = await s.db
        .selectFrom('conversationOffers')
        .select('userId')
        .distinct()
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', '=', conversationId)
        .where('status', 'in', ['declined', 'expired'])
        .where('offeredAt', '>=', since)
        .execute();
      return rows.map((r) => r.userId);
    },
    async settle(id, status, at) {
      const result = await s.db
        .updateTable('conversationOffers')
        .set({ status, respondedAt: at })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

const toWait = (row: Selectable<QueueWaitsTable>): QueueWait => ({
  id: row.id,
  conversationId: row.conversationId,
  customerId: row.customerId,
  queueId: row.queueId,
  startedAt: row.startedAt,
  endedAt: row.endedAt,
  outcome: row.outcome as WaitOutcome | null,
  announcedPosition: row.announcedPosition,
  announcedWaitSeconds: row.announcedWaitSeconds,
  announcedAt: row.announcedAt,
});

export function queueWaitsRepository(s: Scope): WorkspaceRepositories['queueWaits'] {
  return {
    async current(conversationId) {
      const row = await s.db
        .selectFrom('queueWaits')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', '=', conversationId)
        .where('endedAt', 'is', null)
        .orderBy('startedAt', 'desc')
        .executeTakeFirst();
      return row ? toWait(row) : null;
    },
    async currentOf(conversationIds) {
      const open = new Map<string, QueueWait>();
      // In slices: a database caps the parameters of one statement.
      for (let at = 0; at < conversationIds.length; at += 500) {
        const rows = await s.db
          .selectFrom('queueWaits')
          .selectAll()
          .where('workspaceId', '=', s.workspaceId)
          .where('conversationId', 'in', conversationIds.slice(at, at + 500))
          .where('endedAt', 'is', null)
          .orderBy('startedAt')
          .execute();
        // Oldest first, so the newest open wait of a conversation is the one kept (as `current` returns).
        for (const row of rows) open.set(row.conversationId, toWait(row));
      }
      return open;
    },
    async start(wait) {
      await s.db
        .insertInto('queueWaits')
        .values({
          ...wait,
          workspaceId: s.workspaceId,
          endedAt: null,
          outcome: null,
          announcedPosition: null,
          announcedWaitSeconds: null,
          announcedAt: null,
        })
        .execute();
    },
    async end(conversationId, outcome, at) {
      await s.db
        .updateTable('queueWaits')
        .set({ endedAt: at, outcome })
        .where('workspaceId', '=', s.workspaceId)
        .where('conversationId', '=', conversationId)
        .where('endedAt', 'is', null)
        .execute();
    },
    async announce(id, position, waitSeconds, at) {
      await s.db
        .updateTable('queueWaits')
        .set({ announcedPosition: position, announcedWaitSeconds: waitSeconds, announcedAt: at })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .execute();
    },
    async recentPickupSeconds(queueId, since, limit) {
      let q = s.db
        .selectFrom('queueWaits')
        .select(['startedAt', 'endedAt'])
        .where('workspaceId', '=', s.workspaceId)
        .where('outcome', '=', 'picked_up')
        .where('endedAt', '>=', since);
      q = queueId === null ? q.where('queueId', 'is', null) : q.where('queueId', '=', queueId);
      const rows = await q.orderBy('endedAt', 'desc').limit(limit).execute();
      return rows.map((r) => Math.max(0, (Date.parse(r.endedAt as string) - Date.parse(r.startedAt)) / 1000));
    },
    async lastAgentOf(customerId) {
      const row = await s.db
        .selectFrom('conversations')
        .select('assigneeId')
        .where('workspaceId', '=', s.workspaceId)
        .where('customerId', '=', customerId)
        .where('assigneeId', 'is not', null)
        .orderBy('updatedAt', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row?.assigneeId ?? null;
    },
    async waiting() {
      const rows = await s.db
        .selectFrom('conversations')
        .select(['id', 'customerId', 'queueId', 'priority', 'priorityScore', 'waitingSince'])
        .where('workspaceId', '=', s.workspaceId)
        .where('waitingSince', 'is not', null)
        .where('assigneeId', 'is', null)
        .where('status', '!=', 'resolved')
        .execute();
      return rows.map((r) => ({
        conversationId: r.id,
        customerId: r.customerId,
        queueId: r.queueId,
        priority: r.priority as Priority,
        priorityScore: r.priorityScore,
        waitingSince: r.waitingSince as string,
      }));
    },
  };
}
