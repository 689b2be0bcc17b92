// The hourly retention job: in every workspace with a policy, delete messages (transcripts) and
// attachments older than it allows; conversations stay, marked as purged. Each run that deleted anything
// is audited as a system action. Call recordings past the recordings policy are deleted (file and key);
// the call row, its transcript segments and trace stay until the transcripts policy takes the messages.
import { retentionCutoff } from '@zhike/core';
import { recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import type { RecordingFiles } from '../voice/recording.ts';
import type { AttachmentFiles } from './attachmentFiles.ts';

export const retentionActor = { type: 'system', id: 'retention' } as const;

export interface RetentionRun {
  workspaces: number;
  messages: number;
  conversations: number;
  attachments: number;
  recordings: number;
}

const BATCH = 500;

export async function applyRetention(
  ctx: Pick<AppContext, 'db' | 'clock' | 'log'>,
  files: AttachmentFiles,
  recordings?: RecordingFiles,
): Promise<RetentionRun> {
  const run: RetentionRun = { workspaces: 0, messages: 0, conversations: 0, attachments: 0, recordings: 0 };
  for (const workspaceId of await ctx.db.privacy.workspacesWithRetention()) {
    const store = ctx.db.forWorkspace(workspaceId);
    const policy = await store.privacy.retention();
    const now = ctx.clock.now();
    const transcriptsBefore = retentionCutoff(now, policy.transcriptsDays);
    const attachmentsBefore = retentionCutoff(now, policy.attachmentsDays);
    const recordingsBefore = retentionCutoff(now, policy.recordingsDays);
    let purged = { messages: 0, conversations: 0 };
    if (transcriptsBefore) {
      purged = await store.transaction((tx) =>
        tx.privacy.purgeTranscripts(transcriptsBefore, now.toISOString()),
      );
      // A call's transcript is a transcript too: it goes with the messages.
      purged.messages += await store.voice.transcript.deleteEndedBefore(transcriptsBefore);
    }
    let attachments = 0;
    if (attachmentsBefore) {
      for (;;) {
        const expired = await store.attachments.olderThan(attachmentsBefore, BATCH);
        for (const a of expired) {
          // The row goes first: a file without a row is unreachable, a row without a file is a broken link.
          if (await store.attachments.delete(a.id)) attachments++;
          await files.remove(workspaceId, a.id);
        }
        if (expired.length < BATCH) break;
      }
    }
    let recordingsPurged = 0;
    if (recordingsBefore && recordings) {
      for (;;) {
        const expired = await store.voice.calls.withRecordingEndedBefore(recordingsBefore, BATCH);
        for (const call of expired) {
          if (!call.recording) continue;
          // The key goes first: without it the file is unreadable even if removing it fails.
          await store.voice.calls.update(call.id, { recording: null });
          await recordings.remove(workspaceId, call.recording.fileId);
          recordingsPurged++;
        }
        if (expired.length < BATCH) break;
      }
    }
    run.recordings += recordingsPurged;
    run.workspaces++;
    run.messages += purged.messages;
    run.conversations += purged.conversations;
    run.attachments += attachments;
    if (purged.messages > 0 || attachments > 0 || recordingsPurged > 0)
      await recordAudit(ctx, {
        workspaceId,
        actor: retentionActor,
        action: 'retention.purged',
        target: { type: 'workspace', id: workspaceId },
        details: {
          messages: purged.messages,
          conversations: purged.conversations,
          attachments,
          recordings: recordingsPurged,
          transcriptsBefore,
          attachmentsBefore,
        },
      });
  }
  if (run.messages > 0 || run.attachments > 0 || run.recordings > 0)
    ctx.log.info({ ...run }, 'retention applied');
  return run;
}
