// Workspace, users, inboxes, FAQs, API keys and job enqueueing, each confined to the scope's workspace.
// Agents' emails and inbox webhook secrets are sealed (migration 0011); they are opened here.
import type {
  ChannelType,
  Inbox,
  JobRecord,
  JobStatus,
  Locale,
  Role,
  WorkspaceRepositories,
} from '@zhike/core';
import type { Selectable } from 'kysely';
import { USER_EMAIL_FIELD, WEBHOOK_SECRET_FIELD } from '../migrations/0011_auth.ts';
import type { PersonalDataCodec } from '../personalData.ts';
import type { InboxesTable, UsersTable } from '../schema.ts';
import { parseList, type Scope } from './scope.ts';

const userColumns = ['id', 'workspaceId', 'email', 'name', 'role', 'createdAt'] as const;

// Rows are sealed at start (sealAuthData); a value still in plaintext was written without a master key.
export const openSealed = (codec: PersonalDataCodec, stored: string, field: string) =>
  stored.startsWith('zk1:') ? codec.open(stored, field) : stored;

/** Column name bound into the sealed channel secrets (JSON { field: value }). */
export const CHANNEL_SECRETS_FIELD = 'inboxes.channel_secrets';

/**
 * An inbox's secrets as opened before: an inbox is read on every message it carries, and opening its
 * sealed webhook secret and channel secrets each time cost more than the rest of the read. Workspace-key
 * values only (never a customer's, whose erasure must leave nothing readable), keyed by workspace, field
 * and the sealed text itself, so a changed secret is a new entry and a value copied into another
 * workspace is opened (and refused) by that workspace's codec.
 */
const openedSecrets = new Map<string, string>();
const openInboxSecret = (
  codec: PersonalDataCodec,
  workspaceId: string,
  stored: string,
  field: string,
): string => {
  const key = `${workspaceId}\u0000${field}\u0000${stored}`;
  let value = openedSecrets.get(key);
  if (value === undefined) {
    value = openSealed(codec, stored, field);
    if (openedSecrets.size >= 1000) openedSecrets.delete(openedSecrets.keys().next().value as string);
    openedSecrets.set(key, value);
  }
  return value;
};

const openChannelSecrets = (
  codec: PersonalDataCodec,
  workspaceId: string,
  stored: string | null,
): Record<string, string> =>
  stored === null
    ? {}
    : (JSON.parse(openInboxSecret(codec, workspaceId, stored, CHANNEL_SECRETS_FIELD)) as Record<
        string,
        string
      >);

export const toInbox = (row: Selectable<InboxesTable>, codec: PersonalDataCodec): Inbox => ({
  id: row.id,
  workspaceId: row.workspaceId,
  name: row.name,
  channel: row.channel as ChannelType,
  widgetToken: row.widgetToken,
  allowedOrigins: parseList<string>(row.allowedOrigins),
  webhookUrl: row.webhookUrl,
  webhookSecret:
    row.webhookSecret === null
      ? null
      : openInboxSecret(codec, row.workspaceId, row.webhookSecret, WEBHOOK_SECRET_FIELD),
  greeting: row.greeting,
  adapter: row.adapter,
  channelConfig:
    row.channelConfig === null ? null : (JSON.parse(row.channelConfig) as Record<string, unknown>),
  secretsSet: Object.keys(openChannelSecrets(codec, row.workspaceId, row.channelSecrets)).sort(),
  hookId: row.hookId,
  enabled: row.disabledAt === null,
  createdAt: row.createdAt,
});

/** `row.email` must already be opened (see openUserEmail). */
export const toUser = (row: Pick<Selectable<UsersTable>, (typeof userColumns)[number]>) => ({
  id: row.id,
  workspaceId: row.workspaceId,
  email: row.email,
  name: row.name,
  role: row.role as Role,
  createdAt: row.createdAt,
});

export function workspaceRepository(s: Scope): WorkspaceRepositories['workspace'] {
  return {
    async get() {
      const row = await s.db
        .selectFrom('workspaces')
        .selectAll()
        .where('id', '=', s.workspaceId)
        .executeTakeFirstOrThrow();
      return { ...row, locale: row.locale as Locale };
    },
  };
}

export function usersRepository(s: Scope): WorkspaceRepositories['users'] {
  return {
    async list(filter) {
      const rows = await s.db
        .selectFrom('users')
        .select(userColumns)
        .where('workspaceId', '=', s.workspaceId)
        .$if(filter?.active === true, (q) => q.where('deactivatedAt', 'is', null))
        .orderBy('createdAt')
        .execute();
      const codec = await s.codec();
      return rows.map((r) => toUser({ ...r, email: openSealed(codec, r.email, USER_EMAIL_FIELD) }));
    },
    async get(id) {
      const row = await s.db
        .selectFrom('users')
        .select(userColumns)
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toUser({ ...row, email: openSealed(await s.codec(), row.email, USER_EMAIL_FIELD) }) : null;
    },
  };
}

export function inboxesRepository(s: Scope): WorkspaceRepositories['inboxes'] {
  const get = async (id: string) => {
    const row = await s.db
      .selectFrom('inboxes')
      .selectAll()
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toInbox(row, await s.codec()) : null;
  };
  const sealSecrets = async (secrets: Record<string, string>) =>
    Object.keys(secrets).length === 0
      ? null
      : (await s.codec()).seal(JSON.stringify(secrets), CHANNEL_SECRETS_FIELD);
  return {
    async create(input) {
      await s.db
        .insertInto('inboxes')
        .values({
          id: input.id,
          workspaceId: s.workspaceId,
          name: input.name,
          channel: input.channel,
          widgetToken: null,
          allowedOrigins: '[]',
          webhookUrl: null,
          webhookSecret: null,
          greeting: null,
          createdAt: input.createdAt,
          adapter: input.adapter,
          channelConfig: JSON.stringify(input.channelConfig),
          channelSecrets: await sealSecrets(input.secrets),
          hookId: input.hookId,
        })
        .execute();
      const created = await get(input.id);
      if (!created) throw new Error('inbox vanished while it was being created');
      return created;
    },
    async channelSecrets(id) {
      const row = await s.db
        .selectFrom('inboxes')
        .select('channelSecrets')
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? openChannelSecrets(await s.codec(), s.workspaceId, row.channelSecrets) : {};
    },
    async list() {
      const rows = await s.db
        .selectFrom('inboxes')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      const codec = await s.codec();
      return rows.map((r) => toInbox(r, codec));
    },
    get,
    async update(id, patch) {
      const values: Partial<Selectable<InboxesTable>> = {};
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.allowedOrigins !== undefined) values.allowedOrigins = JSON.stringify(patch.allowedOrigins);
      if (patch.webhookUrl !== undefined) values.webhookUrl = patch.webhookUrl;
      if (patch.greeting !== undefined) values.greeting = patch.greeting;
      if (patch.channelConfig !== undefined)
        values.channelConfig = patch.channelConfig === null ? null : JSON.stringify(patch.channelConfig);
      if (patch.secrets !== undefined) values.channelSecrets = await sealSecrets(patch.secrets);
      if (patch.enabled !== undefined) {
        const current = await get(id);
        // Keeps the first disabling's time when disabled twice.
        if (current && current.enabled !== patch.enabled)
          values.disabledAt = patch.enabled ? null : new Date().toISOString();
      }
      if (Object.keys(values).length > 0) {
        await s.db
          .updateTable('inboxes')
          .set(values)
          .where('workspaceId', '=', s.workspaceId)
          .where('id', '=', id)
          .execute();
      }
      return get(id);
    },
    async identitySecret(id) {
      const row = await s.db
        .selectFrom('inboxes')
        .select('identitySecret')
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row?.identitySecret) return null;
      return (await s.codec()).open(row.identitySecret, INBOX_IDENTITY_SECRET_FIELD);
    },
    async setIdentitySecret(id, secret, options) {
      const sealed = (await s.codec()).seal(secret, INBOX_IDENTITY_SECRET_FIELD);
      let q = s.db
        .updateTable('inboxes')
        .set({ identitySecret: sealed })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id);
      if (options?.onlyIfUnset) q = q.where('identitySecret', 'is', null);
      const result = await q.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

const INBOX_IDENTITY_SECRET_FIELD = 'inboxes.identity_secret';

export function faqsRepository(s: Scope): WorkspaceRepositories['faqs'] {
  return {
    async list() {
      const rows = await s.db
        .selectFrom('faqs')
        .selectAll()
        .where('workspaceId', '=', s.workspaceId)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        question: r.question,
        similar: parseList<string>(r.similar),
        answer: r.answer,
        keywords: parseList<string>(r.keywords),
      }));
    },
  };
}

export function apiKeysRepository(s: Scope): WorkspaceRepositories['apiKeys'] {
  return {
    async list() {
      return s.db
        .selectFrom('apiKeys')
        .select(['id', 'name', 'prefix', 'createdAt', 'lastUsedAt'])
        .where('workspaceId', '=', s.workspaceId)
        .orderBy('createdAt')
        .execute();
    },
    async create(input) {
      await s.db
        .insertInto('apiKeys')
        .values({ ...input, workspaceId: s.workspaceId })
        .execute();
    },
    async delete(id) {
      const result = await s.db
        .deleteFrom('apiKeys')
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export function jobsEnqueuer(
  s: Scope,
  newId: () => string,
  maxAttempts: number,
): WorkspaceRepositories['jobs'] {
  const get = async (id: string) => {
    const row = await s.db
      .selectFrom('jobs')
      .select(JOB_COLUMNS)
      .where('workspaceId', '=', s.workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toJobRecord(row) : null;
  };
  return {
    async enqueue(job) {
      await s.db
        .insertInto('jobs')
        .values({
          id: newId(),
          workspaceId: s.workspaceId,
          name: job.name,
          payload: JSON.stringify(job.payload),
          status: 'pending',
          runAt: job.runAt,
          maxAttempts,
          lastError: null,
          lockedUntil: null,
          idempotencyKey: job.idempotencyKey ?? null,
          createdAt: job.runAt,
          updatedAt: job.runAt,
        })
        .onConflict((oc) => oc.column('idempotencyKey').doNothing())
        .execute();
    },
    async list(filter) {
      let q = s.db.selectFrom('jobs').select(JOB_COLUMNS).where('workspaceId', '=', s.workspaceId);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.name) q = q.where('name', '=', filter.name);
      if (filter.beforeId) q = q.where('id', '<', filter.beforeId);
      const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map(toJobRecord);
    },
    get,
    async retry(id, at) {
      const result = await s.db
        .updateTable('jobs')
        .set({ status: 'pending', attempts: 0, runAt: at, updatedAt: at })
        .where('workspaceId', '=', s.workspaceId)
        .where('id', '=', id)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return null;
      return get(id);
    },
    async retryFailed(name, at) {
      const result = await s.db
        .updateTable('jobs')
        .set({ status: 'pending', attempts: 0, runAt: at, updatedAt: at })
        .where('workspaceId', '=', s.workspaceId)
        .where('name', '=', name)
        .where('status', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

const JOB_COLUMNS = [
  'id',
  'name',
  'status',
  'attempts',
  'maxAttempts',
  'runAt',
  'lastError',
  'createdAt',
  'updatedAt',
] as const;

const toJobRecord = (r: {
  id: string;
  name: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}): JobRecord => ({
  ...r,
  attempts: Number(r.attempts),
  maxAttempts: Number(r.maxAttempts),
  status: r.status as JobStatus,
});
