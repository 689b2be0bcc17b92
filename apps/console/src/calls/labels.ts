// Display helpers shared by the calls list and the call details.
import type { CallSummary } from '@zhike/contracts';
import type { Translate } from '../i18n/catalogue.ts';

export function durationText(t: Translate, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('calls.duration.seconds', { s });
  return t('calls.duration.minutes', { m: Math.floor(s / 60), s: s % 60 });
}

export const stateColor: Record<CallSummary['state'], string> = {
  ringing: 'gold',
  bot: 'blue',
  queued: 'orange',
  agent: 'green',
  ended: 'default',
};
