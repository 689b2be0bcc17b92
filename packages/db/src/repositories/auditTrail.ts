// One workspace's entries of the global audit chain, newest first, for the console and its export.
import type { AuditTrailRepository } from '@zhike/core';
import type { Scope } from './scope.ts';

export function auditTrailRepository(s: Scope): AuditTrailRepository {
  return {
    async list(filter) {
      let query = s.db
        .selectFrom('auditLog')
        .select([
          'seq',
          'id',
          'at',
          'actorType',
          'actorId',
          'action',
          'targetType',
          'targetId',
          'details',
          'hash',
        ])
        .where('workspaceId', '=', s.workspaceId);
      if (filter.from) query = query.where('at', '>=', filter.from);
      if (filter.to) query = query.where('at', '<=', filter.to);
      if (filter.actorId) query = query.where('actorId', '=', filter.actorId);
      if (filter.action) query = query.where('action', '=', filter.action);
      if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
      const rows = await query.orderBy('seq', 'desc').limit(filter.limit).execute();
      return rows.map((r) => ({
        seq: Number(r.seq),
        id: r.id,
        at: r.at,
        actor: { type: r.actorType, id: r.actorId },
        action: r.action,
        target: r.targetType !== null && r.targetId !== null ? { type: r.targetType, id: r.targetId } : null,
        details: JSON.parse(r.details) as Record<string, string | number | boolean | null>,
        hash: r.hash,
      }));
    },
  };
}
