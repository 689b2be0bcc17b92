// Which bot hand-offs are complaints: the complaint intent, and an urgent escalation whose signals are a
// complaint or a threat to take it further (a regulator such as 12315, the media, a lawyer). The bot
// names such a hand-off `urgency:<signals>` (e.g. `urgency:complaint,regulator_threat`); a safety issue,
// an emergency repair or a repeat contact alone is urgent without being a complaint.

const COMPLAINT_SIGNALS: ReadonlySet<string> = new Set([
  'complaint',
  'regulator_threat',
  'media_threat',
  'legal_threat',
]);

export function isComplaintHandoff(reason: string | null | undefined): boolean {
  if (!reason) return false;
  if (reason === 'complaint') return true;
  if (!reason.startsWith('urgency:')) return false;
  return reason
    .slice('urgency:'.length)
    .split(',')
    .some((signal) => COMPLAINT_SIGNALS.has(signal.trim()));
}
