// What the demo shop needs before its history can happen, set up once the way an owner would in the
// console (and left alone when already there): three agents and a supervisor; an inbox per channel —
// SMS, email and WeChat on the demo providers, which send nothing and record each reply as delivered
// (packages/channels/src/demo), and a phone line on a SIP trunk that only a documentation address
// (203.0.113.10) may call; follow-up surveys switched on; the business calendar at the shop's hours with
// SLA policies per priority; and complaint tickets going to the supervisor.
import {
  type Inbox,
  type Priority,
  rolePermissions,
  type SlaPolicy,
  setTicketAssignmentRule,
  type WorkspaceStore,
} from '@zhike/core';
import { hashPassword } from '../auth/secrets.ts';
import { splitChannelConfig } from '../channels/inboxConfig.ts';
import type { AppContext } from '../context.ts';
import { newHookId } from '../http/channelInboxes.ts';
import { voiceLinesChanged } from '../voice/sipService.ts';

const STAFF = [
  { email: 'agent.li@demo.zhike', name: '李晓', role: 'agent', password: 'demo-agent-password-1' },
  { email: 'agent.wang@demo.zhike', name: '王芳', role: 'agent', password: 'demo-agent-password-2' },
  { email: 'agent.zhao@demo.zhike', name: '赵强', role: 'agent', password: 'demo-agent-password-3' },
  {
    email: 'supervisor.chen@demo.zhike',
    name: '陈静',
    role: 'supervisor',
    password: 'demo-supervisor-password',
  },
] as const;

/** The trunk address of the demo phone line: TEST-NET-3 (RFC 5737), from which no real call comes. */
export const DEMO_TRUNK_SOURCE = '203.0.113.10';
export const DEMO_LINE_NUMBER = '4008209000';
export const DEMO_EMAIL_ADDRESS = 'kefu@demo-shop.example';
export const DEMO_WECHAT_APP_ID = 'wx5a7d3c9e1b2f4680';

const CHANNEL_INBOXES = [
  { name: '短信', adapter: 'demo-sms', config: { signName: '演示小店', number: '1069020261125' } },
  {
    name: '客服邮箱',
    adapter: 'demo-email',
    config: {
      address: DEMO_EMAIL_ADDRESS,
      displayName: '演示小店客服',
      createTickets: true,
      ticketCategory: '邮件咨询',
      ticketPriority: 'normal',
    },
  },
  { name: '微信公众号', adapter: 'demo-wechat', config: { appId: DEMO_WECHAT_APP_ID } },
  {
    name: '客服热线',
    adapter: 'sip-voice',
    config: {
      mode: 'trunk',
      allowedSources: DEMO_TRUNK_SOURCE,
      numbers: DEMO_LINE_NUMBER,
      recordingNotice: true,
    },
  },
] as const;

/** Targets in business minutes per priority, on the 09:00–22:00 calendar. */
export const SLA_TARGETS: Record<Priority, { firstResponse: number; resolution: number }> = {
  low: { firstResponse: 120, resolution: 960 },
  normal: { firstResponse: 60, resolution: 480 },
  high: { firstResponse: 30, resolution: 240 },
  urgent: { firstResponse: 15, resolution: 120 },
};

export interface DemoShop {
  agents: string[];
  supervisor: string;
  /** Who assigns conversations in the console: the owner (or, without one, the supervisor). */
  actor: { userId: string; permissions: ReadonlySet<import('@zhike/core').Permission> };
  widget: Inbox;
  /** null when the shop's API inbox posts to a webhook of its own: simulated customers must not reach it. */
  api: Inbox | null;
  sms: Inbox;
  email: Inbox;
  wechat: Inbox;
  voice: Inbox;
}

export async function prepareDemoShop(ctx: AppContext, workspaceId: string, at: string): Promise<DemoShop> {
  const store = ctx.db.forWorkspace(workspaceId);
  const users = await store.users.list();
  const staff: string[] = [];
  for (const person of STAFF) {
    const existing = users.find((u) => u.email === person.email);
    if (existing) {
      staff.push(existing.id);
      continue;
    }
    const id = ctx.newId();
    await ctx.db.directory.addUser({
      id,
      workspaceId,
      email: person.email,
      name: person.name,
      role: person.role,
      createdAt: at,
      passwordHash: await hashPassword(person.password),
    });
    staff.push(id);
  }
  const [supervisor = ''] = staff.slice(3);
  const owner = users.find((u) => u.role === 'owner');
  const actor = { userId: owner?.id ?? supervisor, permissions: rolePermissions.owner };

  const inboxes = await store.inboxes.list();
  const builtIn = (channel: 'widget' | 'api') => inboxes.find((i) => i.channel === channel && !i.adapter);
  const widget = builtIn('widget');
  if (!widget) throw new Error('the workspace has no web chat inbox');
  const api = builtIn('api') ?? null;
  const byAdapter = new Map<string, Inbox>();
  for (const wanted of CHANNEL_INBOXES) {
    const found = inboxes.find(
      (i) =>
        i.adapter === wanted.adapter &&
        i.enabled &&
        (wanted.adapter !== 'sip-voice' || i.channelConfig?.allowedSources === DEMO_TRUNK_SOURCE),
    );
    byAdapter.set(wanted.adapter, found ?? (await createInbox(ctx, store, wanted, at)));
  }
  await enableSurveys(store, at);
  await setUpSla(ctx, store, at);
  await routeComplaintTickets(ctx, store, supervisor);
  const get = (adapter: string) => byAdapter.get(adapter) as Inbox;
  return {
    agents: staff.slice(0, 3),
    supervisor,
    actor,
    widget,
    api: api && !api.webhookUrl ? api : null,
    sms: get('demo-sms'),
    email: get('demo-email'),
    wechat: get('demo-wechat'),
    voice: get('sip-voice'),
  };
}

async function createInbox(
  ctx: AppContext,
  store: WorkspaceStore,
  wanted: (typeof CHANNEL_INBOXES)[number],
  at: string,
): Promise<Inbox> {
  const adapter = ctx.channels.get(wanted.adapter);
  if (!adapter) throw new Error(`this server has no ${wanted.adapter} adapter`);
  // Checked against the adapter's schema like the console's form (POST /api/v1/inboxes).
  const { settings, secrets } = splitChannelConfig(adapter, { ...wanted.config }, null);
  const inbox = await store.inboxes.create({
    id: ctx.newId(),
    name: wanted.name,
    channel: adapter.channel,
    adapter: adapter.id,
    channelConfig: settings,
    secrets,
    hookId: newHookId(),
    createdAt: at,
  });
  voiceLinesChanged(ctx.voice, inbox, ctx.log);
  return inbox;
}

/** Surveys on, half an hour after the resolution, outside 21:00–09:00, once a fortnight per customer. */
async function enableSurveys(store: WorkspaceStore, at: string): Promise<void> {
  if ((await store.surveys.settings()).enabled) return;
  await store.surveys.saveSettings(
    {
      enabled: true,
      delayMinutes: 30,
      timeZone: 'Asia/Shanghai',
      quietHours: { start: '21:00', end: '09:00' },
      minDaysBetween: 14,
      linkTtlHours: 72,
    },
    at,
  );
}

/** The calendar at the shop's hours (09:00–22:00 every day) and a policy per priority, unless it has some. */
async function setUpSla(ctx: AppContext, store: WorkspaceStore, at: string): Promise<void> {
  if ((await store.sla.policies.list()).length > 0) return;
  await store.sla.calendar.save(
    {
      hours: {
        timeZone: 'Asia/Shanghai',
        periods: [{ days: [0, 1, 2, 3, 4, 5, 6], open: '09:00', close: '22:00' }],
      },
      chinaHolidays: false,
      overrides: [],
    },
    at,
  );
  const names: Record<Priority, string> = {
    low: '低优先级',
    normal: '标准',
    high: '高优先级',
    urgent: '紧急',
  };
  let position = await store.sla.policies.nextPosition();
  for (const priority of ['urgent', 'high', 'normal', 'low'] as const) {
    const targets = SLA_TARGETS[priority];
    const policy: SlaPolicy = {
      id: ctx.newId(),
      name: names[priority],
      conditions: { priority, category: null, customerTier: null },
      targets: { first_response: targets.firstResponse, next_response: null, resolution: targets.resolution },
      businessHours: true,
      escalation: { notifySupervisors: true, raisePriority: false, reassignToUserId: null },
      enabled: true,
      position: position++,
      createdAt: at,
      updatedAt: at,
    };
    await store.sla.policies.save(policy);
  }
}

/** Tickets filed as complaints go to the supervisor. */
async function routeComplaintTickets(ctx: AppContext, store: WorkspaceStore, supervisor: string) {
  if ((await store.tickets.assignmentRules.list()).length > 0) return;
  await setTicketAssignmentRule(
    { store, clock: ctx.clock, newId: ctx.newId },
    {
      name: '投诉工单交主管',
      enabled: true,
      category: COMPLAINT_CATEGORY,
      type: null,
      priority: null,
      queueId: null,
      userId: supervisor,
      skills: [],
    },
  );
}

export const COMPLAINT_CATEGORY = '投诉';
