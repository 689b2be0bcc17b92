// Writing audit entries from routes and commands: who did it (from the principal) and when (the app clock).
import type { AuditRecord } from '@zhike/security';
import type { AppContext, Principal } from './context.ts';

export type AuditActor = AuditRecord['actor'];

export const actorOf = (p: Principal): AuditActor =>
  p.kind === 'user' ? { type: 'user', id: p.user.id } : { type: 'api_key', id: p.apiKeyId };

/** The command line acting on the operator's behalf (`zhike api-key create`, `zhike keys rotate`). */
export const cliActor: AuditActor = { type: 'system', id: 'cli' };

export const recordAudit = (ctx: Pick<AppContext, 'db' | 'clock'>, input: Omit<AuditRecord, 'at'>) =>
  ctx.db.audit.record({ ...input, at: ctx.clock.now().toISOString() });
