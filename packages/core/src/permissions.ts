// The permission catalogue: what each role (and an API key) may do. The only place roles are interpreted.
import type { Role } from './model.ts';

export const permissions = [
  'knowledge.read',
  'knowledge.manage',
  'analytics.read',
  'conversations.read',
  'conversations.reply',
  'conversations.assign_self',
  'conversations.assign_others',
  'conversations.set_status',
  'customers.read',
  'customers.merge',
  'customers.export',
  'customers.erase',
  'privacy.manage',
  'customers.reveal',
  'customers.notes',
  'customers.notes_manage',
  'audit.read',
  'users.read',
  'users.manage',
  'inboxes.read',
  'inboxes.manage',
  'inboxes.read_secrets',
  'api_keys.manage',
  'inbound.write',
  'orders.read',
  'orders.manage',
  'tickets.read',
  'tickets.manage',
  'tickets.configure',
  'connectors.manage',
  'bot.manage',
  'routing.read',
  'routing.manage',
  'customers.profile_write',
  'queues.manage',
  'replies.read',
  'replies.manage',
  'conversations.rate',
  'metrics.read_own',
  'metrics.read_team',
  'calls.read',
  'calls.listen',
  'speech.manage',
  'campaigns.read',
  'campaigns.manage',
  'sla.read',
  'sla.manage',
  'surveys.read',
  'surveys.manage',
  'complaints.read',
  'complaints.flag',
  'complaints.close',
  'jobs.manage',
  'quality.read_own',
  'quality.read_team',
  'quality.review',
  'quality.manage',
  'quality.appeal',
] as const;
export type Permission = (typeof permissions)[number];

const agent: Permission[] = [
  // Agents look answers up while they chat.
  'knowledge.read',
  'conversations.read',
  'conversations.reply',
  'conversations.assign_self',
  'conversations.set_status',
  // An agent notes the result of a satisfaction survey taken by phone or in chat.
  'conversations.rate',
  'customers.read',
  // One person on two channels: agents see the suggestion while they chat and decide.
  'customers.merge',
  // Agents note what the next colleague should know about a customer, and delete their own notes.
  'customers.notes',
  'users.read',
  'inboxes.read',
  'orders.read',
  'tickets.read',
  // Agents work tickets: open them from a conversation, reply, note, assign, solve.
  'tickets.manage',
  // Canned replies are how agents answer the common questions quickly and in the shop's wording.
  'replies.read',
  // Agents see their own first response and handle times (and nobody else's).
  'metrics.read_own',
  // Agents take transferred calls and need the call's transcript so far (not the recording).
  'calls.read',
  // Every complaint is tracked: agents see the board and flag what a customer complains about.
  'complaints.read',
  'complaints.flag',
  // Agents see how their own conversations and calls were scored, and appeal a result they dispute.
  'quality.read_own',
  'quality.appeal',
];
const supervisor: Permission[] = [
  ...agent,
  'conversations.assign_others',
  'analytics.read',
  'customers.reveal',
  // Supervisors tidy the team's notes (delete anyone's).
  'customers.notes_manage',
  // Supervisors run the queues, so they shape where conversations go and what customers are worth.
  'routing.read',
  'routing.manage',
  'customers.profile_write',
  // Supervisors run the floor: queues, members, agents' skills and capacity.
  'queues.manage',
  // …and how each agent and queue performs.
  'metrics.read_team',
  // Listening to recorded calls is quality review, a supervisor's job; every playback is audited.
  'calls.listen',
  // Supervisors follow survey results and call-backs from outbound campaigns…
  'campaigns.read',
  // …and whether the team keeps its SLA promises (the report, policies and calendar, read-only).
  'sla.read',
  // …the follow-up surveys' CSAT, and close complaints once the customer confirmed the resolution.
  'surveys.read',
  'complaints.close',
  // Quality inspection is the floor's: the team's results and scorecards, the review queue, appeals'
  // decisions and the ruleset the team is scored against.
  'quality.read_team',
  'quality.review',
  'quality.manage',
];
const admin: Permission[] = [
  ...supervisor,
  'knowledge.manage',
  'orders.manage',
  'connectors.manage',
  'inboxes.manage',
  'inboxes.read_secrets',
  'api_keys.manage',
  'users.manage',
  'bot.manage',
  // The shop's wording, compliance templates included, is the admins' to write.
  'replies.manage',
  // PIPL data-subject requests: an admin hands over or erases a customer's data when asked.
  'customers.export',
  'customers.erase',
  // Speech providers hold cloud credentials and decide where callers' voices are sent.
  'speech.manage',
  // Custom ticket fields, assignment rules and the reopen/close windows shape every agent's tickets.
  'tickets.configure',
  // …and admins decide whom the shop calls, when and how often (consent and quiet hours included).
  'campaigns.manage',
  // What the shop promises customers (SLA targets, business calendar) is the admins' to set.
  'sla.manage',
  // …and when and how customers are asked for their satisfaction after service.
  'surveys.manage',
  // Failed background work (an SMS the vendor refused, a webhook that kept failing) is theirs to retry.
  'jobs.manage',
];

export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set<Permission>([...admin, 'audit.read', 'privacy.manage']),
  admin: new Set(admin),
  supervisor: new Set(supervisor),
  agent: new Set(agent),
};

/** An API key acts for an integration, not a person. */
export const apiKeyPermissions: ReadonlySet<Permission> = new Set<Permission>([
  // The shop's own help centre can keep the knowledge base in step.
  'knowledge.read',
  'knowledge.manage',
  'inbound.write',
  'conversations.read',
  // The shop's survey tool reports each conversation's satisfaction score.
  'conversations.rate',
  'customers.read',
  // The shop's own system keeps the orders table in sync and reads the tickets the bot opened.
  'orders.read',
  'orders.manage',
  'tickets.read',
  // …and opens tickets from its own forms, updates and solves them.
  'tickets.manage',
  // The shop's CRM keeps member levels, spend and tags in step for routing.
  'customers.profile_write',
]);

export const can = (granted: ReadonlySet<Permission>, permission: Permission): boolean =>
  granted.has(permission);
