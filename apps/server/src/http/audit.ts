// The audit log for owners: filtered pages, a streamed export (CSV or JSON lines) that starts with the
// chain verification, and the verification alone. Exports are themselves audited.
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type * as C from '@zhike/contracts';
import { AuditExportQuery, AuditPage, AuditQuery, AuditVerification } from '@zhike/contracts';
import type { AuditTrailEntry, AuditTrailFilter, WorkspaceStore } from '@zhike/core';
import type { ChainVerdict } from '@zhike/security';
import Type from 'typebox';
import { actorOf, recordAudit } from '../audit.ts';
import { userOf } from '../auth/authenticate.ts';
import type { AppContext } from '../context.ts';
import { problems } from './schemas.ts';

const EXPORT_PAGE = 500;

export const verificationDto = (v: ChainVerdict): C.AuditVerification =>
  v.ok
    ? { ok: true, count: v.count, head: v.head, reason: null, brokenAtSeq: null }
    : { ok: false, count: v.index, head: null, reason: v.reason, brokenAtSeq: v.seq ?? null };

const csvCell = (value: string): string => {
  // Leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const csvLine = (e: AuditTrailEntry): string =>
  [
    String(e.seq),
    e.id,
    e.at,
    e.actor.type,
    e.actor.id,
    e.action,
    e.target?.type ?? '',
    e.target?.id ?? '',
    JSON.stringify(e.details),
    e.hash,
  ]
    .map(csvCell)
    .join(',');

async function* pages(store: WorkspaceStore, filter: Omit<AuditTrailFilter, 'limit' | 'beforeSeq'>) {
  let beforeSeq: number | undefined;
  for (;;) {
    const entries = await store.auditTrail.list({ ...filter, beforeSeq, limit: EXPORT_PAGE });
    for (const entry of entries) yield entry;
    if (entries.length < EXPORT_PAGE) return;
    beforeSeq = entries.at(-1)!.seq;
  }
}

export const auditRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/audit',
      {
        config: { auth: 'session', permission: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: "This workspace's audit entries, newest first",
          querystring: AuditQuery,
          response: { 200: AuditPage, ...problems },
        },
      },
      async (request) => {
        const q = request.query;
        const limit = q.limit ?? 50;
        const entries = await ctx.db.forWorkspace(userOf(request).workspaceId).auditTrail.list({
          from: q.from,
          to: q.to,
          actorId: q.actor,
          action: q.action,
          beforeSeq: q.cursor === undefined ? undefined : Number(q.cursor),
          limit,
        });
        return { entries, nextCursor: entries.length === limit ? String(entries.at(-1)!.seq) : null };
      },
    );

    app.post(
      '/api/v1/audit/verify',
      {
        config: { auth: 'session', permission: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: 'Walk the hash chain (as `zhike audit verify` does)',
          response: { 200: AuditVerification, ...problems },
        },
      },
      async () => verificationDto(await ctx.db.audit.verify()),
    );

    app.get(
      '/api/v1/audit/export',
      {
        config: { auth: 'session', permission: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: 'Export (CSV or JSON lines), starting with the chain verification',
          querystring: AuditExportQuery,
          // Streamed as it is read, never serialised: a stream in the schema's type.
          response: {
            200: Type.Unsafe<Readable>({
              type: 'string',
              description: 'CSV (# summary line first) or JSON lines',
            }),
            ...problems,
          },
        },
      },
      async (request, reply) => {
        const p = userOf(request);
        const q = request.query;
        const format = q.format ?? 'csv';
        const filter = { from: q.from, to: q.to, actorId: q.actor, action: q.action };
        const verification = verificationDto(await ctx.db.audit.verify());
        // Recorded before the first byte: an export that fails half-way still shows up in the log.
        await recordAudit(ctx, {
          workspaceId: p.workspaceId,
          actor: actorOf(p),
          action: 'audit.exported',
          details: {
            format,
            chainOk: verification.ok,
            from: q.from ?? null,
            to: q.to ?? null,
            action: q.action ?? null,
            actor: q.actor ?? null,
          },
        });
        const store = ctx.db.forWorkspace(p.workspaceId);
        const exportedAt = ctx.clock.now().toISOString();
        async function* body() {
          if (format === 'jsonl') {
            yield `${JSON.stringify({ type: 'verification', exportedAt, workspaceId: p.workspaceId, ...verification })}\n`;
            for await (const entry of pages(store, filter))
              yield `${JSON.stringify({ type: 'entry', ...entry })}\n`;
            return;
          }
          const summary = verification.ok
            ? `chain intact: ${verification.count} entries, head ${verification.head}`
            : `chain BROKEN at seq ${verification.brokenAtSeq ?? '?'} (${verification.reason})`;
          yield `# Zhike audit export ${exportedAt}; workspace ${p.workspaceId}; ${summary}\n`;
          yield 'seq,id,at,actor_type,actor_id,action,target_type,target_id,details,hash\n';
          for await (const entry of pages(store, filter)) yield `${csvLine(entry)}\n`;
        }
        const stamp = exportedAt.slice(0, 10);
        return reply
          .header(
            'content-type',
            format === 'jsonl' ? 'application/x-ndjson; charset=utf-8' : 'text/csv; charset=utf-8',
          )
          .header('content-disposition', `attachment; filename="zhike-audit-${stamp}.${format}"`)
          .header('cache-control', 'no-store')
          .send(Readable.from(body()));
      },
    );
  };
