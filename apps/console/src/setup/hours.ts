// Opening hours as the wizard asks for them (which days, from when to when) and as the bot needs them:
// structured periods for hand-off timing, and a sentence in the bot's language for its answers.
import type { BusinessHours, Locale } from '@zhike/contracts';

export type HoursPreset = 'everyday' | 'weekdays' | 'monToSat';

export interface HoursForm {
  preset: HoursPreset;
  open: string;
  close: string;
}

export const DEFAULT_HOURS: HoursForm = { preset: 'everyday', open: '09:00', close: '21:00' };
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const PRESET_DAYS: Readonly<Record<HoursPreset, readonly number[]>> = {
  everyday: [0, 1, 2, 3, 4, 5, 6],
  weekdays: [1, 2, 3, 4, 5],
  monToSat: [1, 2, 3, 4, 5, 6],
};

/** What the bot says, in the bot's language (the template's), not the console's. */
const PRESET_TEXT: Readonly<Record<Locale, Record<HoursPreset, string>>> = {
  'zh-CN': { everyday: '每天', weekdays: '周一至周五', monToSat: '周一至周六' },
  'en-US': { everyday: 'Daily', weekdays: 'Mon–Fri', monToSat: 'Mon–Sat' },
};

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "9:00", "0900", " 21:30 " → "09:00"/"21:30"; "24:00" allowed as a closing time only. */
export function normaliseClock(input: string, closing = false): string | null {
  const compact = input.trim().replace('：', ':');
  const m = /^(\d{1,2}):?(\d{2})$/.exec(compact);
  if (!m) return null;
  const value = `${m[1]!.padStart(2, '0')}:${m[2]}`;
  if (CLOCK.test(value)) return value;
  return closing && value === '24:00' ? value : null;
}

export function hoursText(form: HoursForm, locale: Locale): string {
  return `${PRESET_TEXT[locale][form.preset]} ${form.open}–${form.close}`;
}

export function toBusinessHours(form: HoursForm, timeZone = DEFAULT_TIME_ZONE): BusinessHours {
  return { timeZone, periods: [{ days: [...PRESET_DAYS[form.preset]], open: form.open, close: form.close }] };
}

/** The form for saved hours: the preset with the same days, or the default when they were set otherwise. */
export function fromBusinessHours(hours: BusinessHours | null): HoursForm {
  const period = hours?.periods.length === 1 ? hours.periods[0] : undefined;
  if (!period) return DEFAULT_HOURS;
  const days = [...period.days].sort().join(',');
  const preset = (Object.keys(PRESET_DAYS) as HoursPreset[]).find((p) => PRESET_DAYS[p].join(',') === days);
  return preset ? { preset, open: period.open, close: period.close } : DEFAULT_HOURS;
}
