// A new shop on this installation: its workspace, owner, widget inbox and API inbox, in one transaction.
// `zhike workspace create` calls it; the owner then signs in and the console opens the setup wizard.
import type { Inbox, Locale, Workspace } from '@zhike/core';
import type { SeedInbox } from '@zhike/db';
import { cliActor, recordAudit } from './audit.ts';
import { hashPassword, randomToken } from './auth/secrets.ts';
import type { AppContext } from './context.ts';
import { defaultDemoOrigins } from './seed.ts';

export interface NewWorkspace {
  name: string;
  slug: string;
  ownerEmail: string;
  ownerPassword: string;
  ownerName?: string;
  locale?: Locale;
}

export type CreateWorkspaceResult =
  | { ok: true; workspace: Workspace; ownerId: string }
  | { ok: false; reason: 'invalid' | 'slug_taken' | 'email_taken'; message: string };

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function newWorkspaceProblems(input: NewWorkspace): string[] {
  const problems: string[] = [];
  if (!input.name.trim() || input.name.length > 100) problems.push('--name must be 1–100 characters');
  if (!SLUG.test(input.slug))
    problems.push('--slug must be 2–63 of a-z, 0-9 and -, starting with a letter or digit');
  if (!EMAIL.test(input.ownerEmail.trim())) problems.push('--owner-email is not an email address');
  if (input.ownerPassword.length < 10) problems.push('--owner-password must be at least 10 characters');
  return problems;
}

export async function createWorkspace(
  ctx: Pick<AppContext, 'db' | 'clock' | 'newId' | 'config'>,
  input: NewWorkspace,
): Promise<CreateWorkspaceResult> {
  const problems = newWorkspaceProblems(input);
  if (problems.length > 0) return { ok: false, reason: 'invalid', message: problems.join('; ') };
  const email = input.ownerEmail.trim().toLowerCase();
  if (await ctx.db.directory.workspaceBySlug(input.slug))
    return { ok: false, reason: 'slug_taken', message: `A workspace with slug "${input.slug}" exists` };
  if (await ctx.db.directory.userForLogin(email))
    return { ok: false, reason: 'email_taken', message: `${email} already has an account` };

  const createdAt = ctx.clock.now().toISOString();
  const workspaceId = ctx.newId();
  const ownerId = ctx.newId();
  const locale = input.locale ?? 'zh-CN';
  const inbox = (
    fields: Pick<Inbox, 'name' | 'channel' | 'widgetToken' | 'allowedOrigins' | 'greeting' | 'webhookSecret'>,
  ): SeedInbox => ({ id: ctx.newId(), workspaceId, webhookUrl: null, createdAt, ...fields });
  const workspace: Workspace = {
    id: workspaceId,
    slug: input.slug,
    name: input.name.trim(),
    locale,
    createdAt,
  };
  const created = await ctx.db.directory.seedWorkspace({
    workspace,
    owner: {
      id: ownerId,
      workspaceId,
      email,
      name: input.ownerName?.trim() || (locale === 'zh-CN' ? '店主' : 'Owner'),
      role: 'owner',
      createdAt,
      passwordHash: await hashPassword(input.ownerPassword),
    },
    inboxes: [
      inbox({
        name: locale === 'zh-CN' ? '网站聊天' : 'Website chat',
        channel: 'widget',
        widgetToken: `wt_${randomToken(18)}`,
        // Pages this server serves (the wizard's try-it chat); the shop adds its own site in Channels.
        allowedOrigins: defaultDemoOrigins(ctx.config),
        greeting: locale === 'zh-CN' ? '您好！有什么可以帮您？' : 'Hello! How can we help?',
        webhookSecret: null,
      }),
      inbox({
        name: 'API',
        channel: 'api',
        widgetToken: null,
        allowedOrigins: [],
        greeting: null,
        webhookSecret: `whsec_${randomToken(24)}`,
      }),
    ],
    faqs: [],
  });
  // Lost a race with another process for the slug or the email.
  if (!created) return { ok: false, reason: 'slug_taken', message: 'The slug or the owner email is taken' };
  // The bot has no settings yet, so the owner's first sign-in opens the setup wizard.
  await ctx.db.forWorkspace(workspaceId).setup.save({ botEnabled: true, completedAt: null }, createdAt);
  await recordAudit(ctx, {
    workspaceId,
    actor: cliActor,
    action: 'settings.changed',
    target: { type: 'workspace', id: workspaceId },
    details: { setting: 'workspace', created: true },
  });
  return { ok: true, workspace, ownerId };
}
