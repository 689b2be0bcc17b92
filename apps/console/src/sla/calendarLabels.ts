// A calendar day's name in the reader's words: built-in holidays by key, the shop's own labels as typed.
import type { Translate } from '../i18n/catalogue.ts';

const HOLIDAYS = [
  'new_year',
  'spring_festival',
  'qingming',
  'labour_day',
  'dragon_boat',
  'mid_autumn',
  'national_day',
] as const;

export function dayName(name: string, t: Translate): string {
  const known = HOLIDAYS.find((h) => h === name);
  return known ? t(`sla.holiday.${known}`) : name;
}
