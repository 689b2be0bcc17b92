// The weekly review mailed to the shop's owners every Monday (from the hour set, in the workspace's zone):
// the worker's hourly upkeep enqueues one `review.email` job per workspace and week (the job's key makes
// it once, whichever process gets there first); the job builds the review, prints it to PDF (the HTML page
// is attached instead where no Chromium is installed) and sends it through the shop's own e-mail inbox —
// the relay its customers' replies already go out through — to each owner (and admins if asked). The
// week's outcome is recorded, so the console shows it and a week already sent is not sent again.
import { PermanentSendFailure } from '@zhike/channels';
import {
  type JobPayloads,
  type ReviewMailing,
  reviewWeekDue,
  type User,
  workspaceTimeZone,
} from '@zhike/core';
import { type AuditActor, recordAudit } from '../audit.ts';
import { adapterContextFor } from '../channels/adapterContext.ts';
import type { AppContext } from '../context.ts';
import { PermanentJobFailure, type RunningJob } from '../jobs/worker.ts';
import { PdfUnavailable } from './pdf.ts';
import { renderWeeklyReview, renderWeeklyReviewMail } from './render.ts';
import { buildWeeklyReview } from './weeklyReview.ts';

/** Enqueues the review mailing that is due for each workspace that wants it; how many were enqueued. */
export async function scheduleReviewMailings(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<number> {
  const now = ctx.clock.now();
  let enqueued = 0;
  for (const { id: workspaceId } of await ctx.db.directory.botWorkspaces()) {
    const store = ctx.db.forWorkspace(workspaceId);
    const { settings } = await store.reviewMail.settings();
    if (!settings.enabled) continue;
    const week = reviewWeekDue(now, await workspaceTimeZone(store), settings.sendHour);
    if (week === null || (await store.reviewMail.get(week)) !== null) continue;
    const payload: JobPayloads['review.email'] = { workspaceId, week };
    await store.jobs.enqueue({
      name: 'review.email',
      payload: { ...payload },
      runAt: now.toISOString(),
      idempotencyKey: `review.email:${workspaceId}:${week}`,
    });
    enqueued++;
  }
  return enqueued;
}

/** The enabled e-mail inbox the review goes out from: the oldest, as the shop's main address. */
export async function reviewSenderInbox(ctx: Pick<AppContext, 'db'>, workspaceId: string) {
  const inboxes = await ctx.db.forWorkspace(workspaceId).inboxes.list();
  return inboxes.find((i) => i.channel === 'email' && i.enabled && i.adapter === 'email') ?? null;
}

/** Owners always; admins too when the settings say so. Deactivated people never. */
export async function reviewRecipients(ctx: Pick<AppContext, 'db'>, workspaceId: string): Promise<User[]> {
  const store = ctx.db.forWorkspace(workspaceId);
  const { settings } = await store.reviewMail.settings();
  const users = await store.users.list({ active: true });
  const seen = new Set<string>();
  return users.filter((u) => {
    if (!(u.role === 'owner' || (settings.includeAdmins && u.role === 'admin'))) return false;
    const address = u.email.toLowerCase();
    if (seen.has(address)) return false;
    seen.add(address);
    return true;
  });
}

/**
 * Builds and sends the review of the week starting `week` (a Monday) and records the outcome. A week
 * already sent is left alone unless `again` (someone pressed "send now"). Throws on a failure worth
 * retrying (the relay is down); records `failed` for one that is not.
 */
export async function sendWeeklyReview(
  ctx: AppContext,
  workspaceId: string,
  week: string,
  options: { again?: boolean; actor?: AuditActor } = {},
): Promise<ReviewMailing> {
  const store = ctx.db.forWorkspace(workspaceId);
  const existing = await store.reviewMail.get(week);
  if (existing?.status === 'sent' && !options.again) return existing;
  const at = () => ctx.clock.now().toISOString();
  const finish = async (mailing: Omit<ReviewMailing, 'week' | 'at'>) => {
    const record: ReviewMailing = { week, at: at(), ...mailing };
    await store.reviewMail.record(record);
    if (mailing.status !== 'skipped')
      await recordAudit(ctx, {
        workspaceId,
        actor: options.actor ?? { type: 'system', id: 'reviews' },
        action: mailing.status === 'sent' ? 'review.mailed' : 'review.mail_failed',
        target: { type: 'workspace', id: workspaceId },
        details: { week, recipients: mailing.recipients, detail: mailing.detail ?? '' },
      });
    return record;
  };

  // The cheap checks first: a shop with no one to send to or nothing to send through costs no review.
  const recipients = await reviewRecipients(ctx, workspaceId);
  if (recipients.length === 0) return finish({ status: 'skipped', recipients: 0, detail: 'no_recipients' });
  const inbox = await reviewSenderInbox(ctx, workspaceId);
  const adapter = inbox?.adapter ? ctx.channels.get(inbox.adapter) : null;
  if (!inbox || !adapter) return finish({ status: 'failed', recipients: 0, detail: 'no_email_inbox' });
  const review = await buildWeeklyReview(ctx, workspaceId, { from: week });
  // A shop with nothing that week (just installed, closed for a holiday) gets no empty report; by hand
  // it is sent all the same.
  if (review.conversations.count === 0 && !options.again)
    return finish({ status: 'skipped', recipients: 0, detail: 'no_conversations' });

  const html = renderWeeklyReview(review);
  let attachment: { name: string; mimeType: string; content: Buffer };
  try {
    attachment = {
      name: `weekly-review-${week}.pdf`,
      mimeType: 'application/pdf',
      content: await ctx.pdf.print(html),
    };
  } catch (error) {
    if (!(error instanceof PdfUnavailable)) throw error;
    // The same page, charts and all, opens in any browser.
    attachment = {
      name: `weekly-review-${week}.html`,
      mimeType: 'text/html',
      content: Buffer.from(html, 'utf8'),
    };
  }
  const mail = renderWeeklyReviewMail(review, `${ctx.config.publicUrl}/#/review/${week}`);
  const adapterCtx = await adapterContextFor(store, inbox, {
    clock: ctx.clock,
    http: ctx.channelHttp,
    resolveRelay: ctx.channelRelay,
  });
  // One mail per person (nobody sees who else gets it); the key keeps a retried send the same message.
  const round = options.again ? `:${at()}` : '';
  let sent = 0;
  try {
    for (const user of recipients) {
      await adapter.send(adapterCtx, {
        to: user.email,
        text: mail.text,
        subject: mail.subject,
        attachments: [attachment],
        idempotencyKey: `review-${workspaceId}-${week}-${user.id}${round}`,
        automatic: true,
      });
      sent++;
      await ctx.costs.record(workspaceId, 'email', 1);
    }
  } catch (error) {
    if (!(error instanceof PermanentSendFailure)) throw error;
    return finish({ status: 'failed', recipients: sent, detail: error.message.slice(0, 500) });
  }
  return finish({ status: 'sent', recipients: sent, detail: null });
}

export function reviewMailHandler(ctx: () => AppContext) {
  return async (job: RunningJob) => {
    const { workspaceId, week } = job.payload as unknown as JobPayloads['review.email'];
    if (typeof workspaceId !== 'string' || typeof week !== 'string')
      throw new PermanentJobFailure('malformed review.email payload');
    await sendWeeklyReview(ctx(), workspaceId, week);
  };
}
