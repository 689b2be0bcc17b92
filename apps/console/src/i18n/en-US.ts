import { agentMetricsMessages } from '../agentMetrics/messages.ts';
import { assistMessages } from '../assist/messages.ts';
import { botAnalyticsMessages } from '../botAnalytics/messages.ts';
import { callMessages } from '../calls/messages.ts';
import { campaignMessages } from '../campaigns/messages.ts';
import { complaintMessages } from '../complaints/messages.ts';
import { llmMessages } from '../conversation/llmMessages.ts';
import { costMessages } from '../costs/messages.ts';
import { customer360Messages } from '../customer360/messages.ts';
import { dialogueMessages } from '../dialogue/messages.ts';
import { handoffMessages } from '../handoff/messages.ts';
import { identityMessages } from '../identity/messages.ts';
import { integrationsMessages } from '../integrations/messages.ts';
import { jobMessages } from '../jobs/messages.ts';
import { knowledgeMessages } from '../knowledge/messages.ts';
import { kpiMessages } from '../kpis/messages.ts';
import { outreachMessages } from '../outreach/messages.ts';
import { privacyMessages } from '../privacy/messages.ts';
import { qualityMessages } from '../quality/messages.ts';
import { queueMessages } from '../queues/messages.ts';
import { replyMessages } from '../replies/messages.ts';
import { reviewMessages } from '../reviews/messages.ts';
import { routingMessages } from '../routingRules/messages.ts';
import { securityMessages } from '../security/messages.ts';
import { channelInboxMessages } from '../settings/channelMessages.ts';
import { setupMessages } from '../setup/messages.ts';
import { slaMessages } from '../sla/messages.ts';
import { softphoneMessages } from '../softphone/messages.ts';
import { ticketMessages } from '../tickets/messages.ts';
import { ticketSettingsMessages } from '../tickets/settings/messages.ts';
import { topicsMessages } from '../topics/messages.ts';
import { translationMessages } from '../translation/messages.ts';
import { wallboardMessages } from '../wallboard/messages.ts';
import { workspaceMessages } from '../workspace/messages.ts';
import type { Messages } from './catalogue.ts';

const core = {
  'app.name': 'Zhike',
  'app.tagline': 'AI customer service workspace',

  'nav.inbox': 'Inbox',
  'nav.settings': 'Settings',
  'nav.channels': 'Channels',
  'nav.apiKeys': 'API keys',

  'header.live': 'Live',
  'header.reconnecting': 'Reconnecting…',
  'header.switchLanguage': '中文',
  'header.role': 'Role: {role}',
  'header.logout': 'Log out',

  'role.owner': 'Owner',
  'role.admin': 'Admin',
  'role.supervisor': 'Supervisor',
  'role.agent': 'Agent',

  'login.title': 'Sign in to Zhike',
  'login.subtitle': 'Open-source AI customer service for small shops',
  'login.email': 'Email',
  'login.emailRequired': 'Please enter your email',
  'login.password': 'Password',
  'login.passwordRequired': 'Please enter your password',
  'login.submit': 'Sign in',
  'login.restoring': 'Restoring your session…',

  'inbox.title': 'Conversations',
  'inbox.filter.mine': 'Mine',
  'inbox.filter.unassigned': 'Unassigned',
  'inbox.filter.all': 'All',
  'inbox.loadMore': 'Load more',
  'inbox.empty': 'No conversations',
  'inbox.selectConversation': 'Pick a conversation on the left to get started',
  'inbox.visitor': 'Visitor {id}',
  'inbox.noMessages': 'No messages yet',
  'inbox.unassigned': 'Unassigned',
  'inbox.handedOff': 'Handed off by bot',

  'status.open': 'Open',
  'status.pending': 'Pending',
  'status.resolved': 'Resolved',

  'priority.low': 'Low',
  'priority.normal': 'Normal',
  'priority.high': 'High',
  'priority.urgent': 'Urgent',

  'channel.widget': 'Web widget',
  'channel.api': 'API',
  'channel.sms': 'SMS',
  'channel.email': 'Email',
  'channel.wechat': 'WeChat',
  'channel.voice': 'Phone',

  'author.customer': 'Customer',
  'author.bot': 'Bot',
  'author.agent': 'Agent',
  'author.system': 'System',
  'author.you': 'You',

  'conversation.back': 'Back to list',
  'conversation.assignMe': 'Assign to me',
  'conversation.assignTo': 'Assign to…',
  'conversation.unassign': 'Unassign',
  'conversation.assignedTo': 'Assignee: {name}',
  'conversation.resolve': 'Resolve',
  'conversation.reopen': 'Reopen',
  'conversation.customerPanel': 'Customer',
  'conversation.loadEarlier': 'Load earlier messages',
  'conversation.noMessages': 'No messages in this conversation yet',
  'conversation.notFound': 'This conversation does not exist or you cannot access it',
  'conversation.assigned': 'Assigned to {name}',
  'conversation.unassigned': 'Unassigned',
  'conversation.resolved': 'Conversation resolved',
  'conversation.reopened': 'Conversation reopened',

  'reply.placeholder': 'Type a reply — Enter to send, Shift+Enter for a new line',
  'reply.send': 'Send',
  'reply.resolvedHint': 'This conversation is resolved; replying will notify the customer',
  'reply.tooLong': 'Messages can be at most {max} characters',

  'customer.title': 'Customer',
  'customer.name': 'Name',
  'customer.email': 'Email',
  'customer.phone': 'Phone',
  'customer.identities': 'Channel identities',
  'customer.firstSeen': 'First seen',
  'customer.none': 'Not provided',
  'customer.loadFailed': 'Could not load the customer',

  'settings.title': 'Settings',

  'channels.title': 'Channels',
  'channels.intro':
    'Every channel is an inbox. The web widget goes on your site; the API channel connects your own systems.',
  'channels.empty': 'No inboxes yet',
  'channels.widget.snippetTitle': 'Install snippet',
  'channels.widget.snippetHelp': 'Paste this line before </body> on every page of your site.',
  'channels.widget.demo': 'Open the demo page',
  'channels.widget.allowedOrigins': 'Allowed origins',
  'channels.widget.allowedOriginsHelp':
    'For example https://shop.example.com; leave empty to allow any origin.',
  'channels.widget.allowedOriginsPlaceholder': 'Type an origin and press Enter',
  'channels.widget.invalidOrigin': 'Invalid origin: {origin} (expected https://host, without a path)',
  'channels.widget.greeting': 'Greeting',
  'channels.widget.greetingPlaceholder': 'Hi! How can we help?',
  'channels.api.webhookUrl': 'Webhook URL',
  'channels.api.webhookUrlHelp': 'Bot and agent replies are POSTed to this URL.',
  'channels.api.webhookUrlInvalid': 'The URL must start with http:// or https://',
  'channels.api.webhookSecret': 'Webhook signing secret',
  'channels.api.webhookSecretHelp': 'Use it to verify the HMAC-SHA256 signature in the {header} header.',
  'channels.api.noSecret': 'Visible to owners and admins only',
  'channels.api.howToTitle': 'Sending customer messages',
  'channels.api.howTo':
    'Call POST /api/v1/inbound with an API key. Retries with the same messageId are stored once.',
  'channels.api.createKey': 'Create an API key',
  'channels.save': 'Save',
  'channels.saved': 'Saved',
  'channels.copy': 'Copy',
  'channels.copied': 'Copied',
  'channels.copyFailed': 'Copy failed; please select and copy by hand',
  'channels.show': 'Show',
  'channels.hide': 'Hide',
  'channels.notSet': 'Not set',

  'apiKeys.title': 'API keys',
  'apiKeys.intro':
    'API keys authenticate calls to the public API (for example POST /api/v1/inbound). Keep them safe.',
  'apiKeys.create': 'Create key',
  'apiKeys.name': 'Name',
  'apiKeys.namePlaceholder': 'e.g. Order system',
  'apiKeys.nameRequired': 'Please enter a name',
  'apiKeys.prefix': 'Prefix',
  'apiKeys.createdAt': 'Created',
  'apiKeys.lastUsedAt': 'Last used',
  'apiKeys.never': 'Never',
  'apiKeys.actions': 'Actions',
  'apiKeys.revoke': 'Revoke',
  'apiKeys.revokeConfirm': 'Systems using this key will lose access immediately. Revoke it?',
  'apiKeys.revoked': 'Key revoked',
  'apiKeys.empty': 'No API keys yet',
  'apiKeys.createdTitle': 'Key created',
  'apiKeys.createdWarning':
    'This is the only time the full key is shown. Copy it now and store it somewhere safe.',
  'apiKeys.done': 'I have saved it',

  'common.cancel': 'Cancel',
  'common.confirm': 'OK',
  'common.retry': 'Retry',
  'common.loading': 'Loading…',

  'error.network': 'Network error; check your connection and try again',
  'error.sessionExpired': 'Your session has expired; please sign in again',
  'error.unknown': 'Something went wrong ({status})',
};

// Feature catalogues (see defineMessages.ts): one spread per feature, in the same order as zh-CN.ts.
export const enUS: Messages = {
  ...core,
  ...setupMessages.enUS,
  ...integrationsMessages.enUS,
  ...botAnalyticsMessages.enUS,
  ...agentMetricsMessages.enUS,
  ...topicsMessages.enUS,
  ...callMessages.enUS,
  ...campaignMessages.enUS,
  ...slaMessages.enUS,
  ...complaintMessages.enUS,
  ...ticketMessages.enUS,
  ...ticketSettingsMessages.enUS,
  ...translationMessages.enUS,
  ...costMessages.enUS,
  ...kpiMessages.enUS,
  ...reviewMessages.enUS,
  ...wallboardMessages.enUS,
  ...qualityMessages.enUS,
  ...jobMessages.enUS,
  ...outreachMessages.enUS,
  ...workspaceMessages.enUS,
  ...assistMessages.enUS,
  ...softphoneMessages.enUS,
  ...customer360Messages.enUS,
  ...handoffMessages.enUS,
  ...knowledgeMessages.enUS,
  ...dialogueMessages.enUS,
  ...channelInboxMessages.enUS,
  ...llmMessages.enUS,
  ...privacyMessages.enUS,
  ...routingMessages.enUS,
  ...replyMessages.enUS,
  ...securityMessages.enUS,
  ...identityMessages.enUS,
  ...queueMessages.enUS,
};
