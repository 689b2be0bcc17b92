// Erasing a customer (PIPL art. 47): delete their rows in one transaction, then destroy their data keys
// (crypto-shredding: copies of their rows in backups can no longer be opened), then remove their files.
// The audit entry names the customer by id and counts rows; it never holds the personal data itself.
import type { ErasureCounts } from '@zhike/core';
import { type AuditActor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import type { RecordingFiles } from '../voice/recording.ts';
import type { AttachmentFiles } from './attachmentFiles.ts';

export interface ErasureOutcome {
  deleted: ErasureCounts;
  keysDestroyed: number;
  filesRemoved: number;
}

export async function eraseCustomer(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  files: AttachmentFiles,
  input: { workspaceId: string; customerId: string; actor: AuditActor },
  recordings?: RecordingFiles,
): Promise<ErasureOutcome | null> {
  const store = ctx.db.forWorkspace(input.workspaceId);
  let calls = { calls: 0, recordingFileIds: [] as string[] };
  let campaignTargets = 0;
  let surveyRows = { surveys: 0, complaints: 0 };
  let outreachRecipients = 0;
  const deleted = await store.transaction(async (tx) => {
    const data = await tx.privacy.deleteCustomerData(input.customerId);
    // Calls (parties, transcripts, recording keys) go in the same transaction as the rest of them.
    if (data) calls = await tx.voice.calls.deleteForCustomer(input.customerId);
    // Campaign targets hold the customer's number and survey answers: they go too.
    if (data) campaignTargets = await tx.campaigns.deleteTargetsForCustomer(input.customerId);
    // Surveys (score, comment) and complaints (notes) are about the customer: they go too.
    if (data) surveyRows = await tx.surveys.deleteForCustomer(input.customerId);
    // Re-engagement recipients say which offers and coupons the customer got.
    if (data) outreachRecipients = await tx.outreach.recipients.deleteForCustomer(input.customerId);
    return data;
  });
  if (!deleted) return null;
  const keysDestroyed = await store.privacy.shredCustomerKeys(input.customerId);
  let filesRemoved = 0;
  for (const id of deleted.attachmentIds) {
    await files.remove(input.workspaceId, id);
    filesRemoved++;
  }
  for (const id of calls.recordingFileIds) {
    await recordings?.remove(input.workspaceId, id);
    filesRemoved++;
  }
  await recordAudit(ctx, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: 'customer.erased',
    target: { type: 'customer', id: input.customerId },
    details: {
      ...deleted.counts,
      ...surveyRows,
      calls: calls.calls,
      campaignTargets,
      outreachRecipients,
      keysDestroyed,
      filesRemoved,
    },
  });
  return { deleted: deleted.counts, keysDestroyed, filesRemoved };
}
