// The weekly review's mailing settings and each week's outcome (migration 0036).
import {
  DEFAULT_REVIEW_MAIL,
  type ReviewMailing,
  type ReviewMailSettings,
  type ReviewMailStatus,
  type WorkspaceRepositories,
} from '@zhike/core';
import type { Scope } from './scope.ts';

export interface ReviewMailSettingsTable {
  workspaceId: string;
  settings: string;
  updatedAt: string;
}

export interface ReviewMailingsTable {
  workspaceId: string;
  week: string;
  status: string;
  recipients: number;
  detail: string | null;
  at: string;
}

function parseSettings(stored: string): ReviewMailSettings {
  const value = JSON.parse(stored) as Partial<ReviewMailSettings>;
  const hour = value.sendHour;
  return {
    enabled: typeof value.enabled === 'boolean' ? value.enabled : DEFAULT_REVIEW_MAIL.enabled,
    sendHour:
      typeof hour === 'number' && Number.isInteger(hour) && hour >= 0 && hour <= 23
        ? hour
        : DEFAULT_REVIEW_MAIL.sendHour,
    includeAdmins: value.includeAdmins === true,
  };
}

const toMailing = (row: Omit<ReviewMailingsTable, 'workspaceId'>): ReviewMailing => ({
  week: row.week,
  status: row.status as ReviewMailStatus,
  recipients: Number(row.recipients),
  detail: row.detail,
  at: row.at,
});

export function reviewMailRepository(s: Scope): WorkspaceRepositories['reviewMail'] {
  const columns = ['week', 'status', 'recipients', 'detail', 'at'] as const;
  return {
    async settings() {
      const row = await s.db
        .selectFrom('reviewMailSettings')
        .select(['settings', 'updatedAt'])
        .where('workspaceId', '=', s.workspaceId)
        .executeTakeFirst();
      return row
        ? { settings: parseSettings(row.settings), updatedAt: row.updatedAt }
        : { settings: { ...DEFAULT_REVIEW_MAIL }, updatedAt: null };
    },
    async saveSettings(settings, at) {
      const values = { settings: JSON.stringify(settings), updatedAt: at };
      await s.db
        .insertInto('reviewMailSettings')
        .values({ workspaceId: s.workspaceId, ...values })
        .onConflict((oc) => oc.column('workspaceId').doUpdateSet(values))
        .execute();
    },
    async record(mailing) {
      const values = {
        status: mailing.status,
        recipients: mailing.recipients,
        detail: mailing.detail,
        at: mailing.at,
      };
      await s.db
        .insertInto('reviewMailings')
        .values({ workspaceId: s.workspaceId, week: mailing.week, ...values })
        .onConflict((oc) => oc.columns(['workspaceId', 'week']).doUpdateSet(values))
        .execute();
    },
    async get(week) {
      const row = await s.db
        .selectFrom('reviewMailings')
        .select(columns)
        .where('workspaceId', '=', s.workspaceId)
        .where('week', '=', week)
        .executeTakeFirst();
      return row ? toMailing(row) : null;
    },
    async list(limit) {
      const rows = await s.db
        .selectFrom('reviewMailings')
        .select(columns)
        .where('workspaceId', '=', s.workspaceId)
        .orderBy('week', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toMailing);
    },
  };
}
