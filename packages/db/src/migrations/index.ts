// In-code migrations, applied in name order. Forward-only: never edit a shipped migration, add a new one.
import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001_initial.ts';
import { security } from './0002_security.ts';
import { bot } from './0003_bot.ts';
import { auditHead } from './0004_audit_head.ts';
import { knowledge } from './0005_knowledge.ts';
import { botTurns } from './0006_bot_turns.ts';
import { connectors } from './0007_connectors.ts';
import { messageMetadata } from './0008_message_metadata.ts';
import { setup } from './0009_setup.ts';
import { privacy } from './0010_privacy.ts';
import { auth } from './0011_auth.ts';
import { dialogue } from './0012_dialogue.ts';
import { conversationRouting } from './0013_conversation_routing.ts';
import { queues } from './0014_queues.ts';
import { identity } from './0015_identity.ts';
import { routing } from './0016_routing.ts';
import { channels } from './0017_channels.ts';
import { replyTemplates } from './0018_reply_templates.ts';
import { assist } from './0019_assist.ts';
import { customerNotes } from './0020_customer_notes.ts';
import { agentMetrics } from './0021_agent_metrics.ts';
import { voice } from './0022_voice.ts';
import { campaigns } from './0023_campaigns.ts';
import { tickets } from './0024_tickets.ts';
import { sla } from './0025_sla.ts';
import { surveys } from './0026_surveys.ts';
import { scheduler } from './0027_scheduler.ts';
import { outreach } from './0028_outreach.ts';
import { outreachAttempts } from './0029_outreach_attempts.ts';
import { ticketFieldLabels } from './0030_ticket_field_labels.ts';
import { languages } from './0031_languages.ts';
import { costs } from './0032_costs.ts';
import { quality } from './0033_quality.ts';
import { metricRollups } from './0035_metric_rollups.ts';
import { reviewMail } from './0036_review_mail.ts';
import { metricFacts } from './0037_metric_facts.ts';
import { assistSettings } from './0038_assist_settings.ts';
import { kpiTargets } from './0039_kpi_targets.ts';
import { waitingIndex } from './0040_waiting_index.ts';
import { inboundIntake } from './0041_inbound_intake.ts';

const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_security': security,
  '0003_bot': bot,
  '0004_audit_head': auditHead,
  '0005_knowledge': knowledge,
  '0006_bot_turns': botTurns,
  '0007_connectors': connectors,
  '0008_message_metadata': messageMetadata,
  '0009_setup': setup,
  '0010_privacy': privacy,
  '0011_auth': auth,
  '0012_dialogue': dialogue,
  '0013_conversation_routing': conversationRouting,
  '0014_queues': queues,
  '0015_identity': identity,
  '0016_routing': routing,
  '0017_channels': channels,
  '0018_reply_templates': replyTemplates,
  '0019_assist': assist,
  '0021_agent_metrics': agentMetrics,
  '0020_customer_notes': customerNotes,
  '0022_voice': voice,
  '0023_campaigns': campaigns,
  '0024_tickets': tickets,
  '0025_sla': sla,
  '0026_surveys': surveys,
  '0027_scheduler': scheduler,
  '0028_outreach': outreach,
  '0029_outreach_attempts': outreachAttempts,
  '0030_ticket_field_labels': ticketFieldLabels,
  '0031_languages': languages,
  '0032_costs': costs,
  '0033_quality': quality,
  '0035_metric_rollups': metricRollups,
  '0036_review_mail': reviewMail,
  '0037_metric_facts': metricFacts,
  '0038_assist_settings': assistSettings,
  '0039_kpi_targets': kpiTargets,
  '0040_waiting_index': waitingIndex,
  '0041_inbound_intake': inboundIntake,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
