// The catalogue of audited actions: resource.past_tense, one place, so listeners, the console filter and
// the retention job agree on names.
export const auditActions = {
  'auth.signed_in': 'A user signed in',
  'auth.sign_in_failed': 'A sign-in attempt failed (wrong password, unknown account, locked)',
  'auth.signed_out': 'A user signed out',
  'auth.locked_out': 'An account was locked after repeated failures',
  'auth.totp_enabled': 'Two-factor authentication was turned on',
  'auth.totp_disabled': 'Two-factor authentication was turned off',
  'session.revoked': 'A session was revoked',
  'user.invited': 'A user was invited',
  'user.role_changed': 'A user’s role changed',
  'user.removed': 'A user was removed',
  'settings.changed': 'Workspace or inbox settings changed',
  'api_key.created': 'An API key was created',
  'api_key.deleted': 'An API key was deleted',
  'pii.revealed': 'Masked personal data was revealed to a user',
  'customer.exported': 'Everything about a customer was exported (PIPL art. 45)',
  'customer.erased': 'A customer was erased (PIPL art. 47)',
  'customer.merged': 'Two customers were merged into one (a verified identity proved it, or a user decided)',
  'customer.merge_dismissed': 'A user decided two suggested customers are different people',
  'customer.note_deleted': 'A note about a customer was deleted (its words are gone; the ids stay)',
  'inbox.identity_secret_rotated': 'An inbox got a new widget identity verification secret',
  'consent.changed': 'A customer’s marketing consent changed',
  'retention.purged': 'Messages or attachments past the workspace’s retention policy were deleted',
  'keys.master_rotated': 'Data keys were re-wrapped under a new master key',
  'keys.data_rotated': 'A workspace got a new data key',
  'audit.exported': 'The audit log was exported',
  'audit.pruned': 'Audit entries past retention were purged (checkpoint kept)',
  'knowledge.changed': 'A knowledge-base FAQ entry or article was created, edited or deleted',
  'knowledge.imported': 'FAQ entries or an article were imported into the knowledge base',
  'bot.unanswered_dismissed': 'Questions the bot could not answer were dismissed from its analytics',
  'call.recording_played': 'A call recording was played or downloaded',
  'speech.settings_changed': 'The speech providers (ASR/TTS) or their credentials changed',
  'translation.settings_changed':
    "The translation provider, its credentials, the agents' language or the glossary changed",
  'budget.changed': 'The monthly budget, its hard cap or the unit prices changed',
  'budget.threshold_reached': "The month's spend reached 50, 80 or 100 % of the budget",
  'campaign.paused_by_budget': "A running campaign paused because the month's budget cap was reached",
  'quality.ruleset_changed':
    'The quality inspection ruleset (rules, weights, sampling) was saved as a new version',
  'quality.reviewed': 'A reviewer scored a quality result from the review queue',
  'quality.appealed': 'An agent appealed a quality result',
  'quality.appeal_decided':
    'A supervisor accepted (score adjusted) or rejected an appeal of a quality result',
  'kpi.targets_changed': "The workspace's own KPI targets changed",
  'assist.switched': 'Reply suggestions for agents were turned on or off',
  'review.mailed': "The week's review was e-mailed to the workspace's owners",
  'review.mail_failed': "The week's review could not be e-mailed (no e-mail inbox, the relay refused)",
  'review.mail_settings_changed': "The weekly review's mailing (on/off, hour, admins too) changed",
} as const;

export type AuditAction = keyof typeof auditActions;

export const isAuditAction = (value: string): value is AuditAction => Object.hasOwn(auditActions, value);
