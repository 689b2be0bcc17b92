// China's statutory public holidays and their make-up working days (调休), as the State Council publishes
// them each November for the following year. Built-in data; a workspace edits its own calendar on top.
//
// Sources (the notices' full text, as carried by Xinhua):
// - 2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12),
//   https://m.gmw.cn/2024-11/12/content_1303894933.htm
// - 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04),
//   https://politics.gmw.cn/2025-11/04/content_38391083.htm
// - 2027: no notice was found when this was written; the year is left out rather than guessed. Add it here
//   when it is published (a workspace can add the days in its own calendar meanwhile).
import type { CalendarDay, HolidayName } from './businessCalendar.ts';

interface Festival {
  name: HolidayName;
  /** First and last day off, inclusive (the span includes the weekend days inside it). */
  from: string;
  to: string;
  /** Weekend days that become working days to make up for it. */
  workdays: string[];
}

const festivals: Readonly<Record<number, readonly Festival[]>> = {
  2025: [
    { name: 'new_year', from: '2025-01-01', to: '2025-01-01', workdays: [] },
    { name: 'spring_festival', from: '2025-01-28', to: '2025-02-04', workdays: ['2025-01-26', '2025-02-08'] },
    { name: 'qingming', from: '2025-04-04', to: '2025-04-06', workdays: [] },
    { name: 'labour_day', from: '2025-05-01', to: '2025-05-05', workdays: ['2025-04-27'] },
    { name: 'dragon_boat', from: '2025-05-31', to: '2025-06-02', workdays: [] },
    // National Day and Mid-Autumn fall together in 2025: one 8-day break.
    { name: 'national_day', from: '2025-10-01', to: '2025-10-08', workdays: ['2025-09-28', '2025-10-11'] },
  ],
  2026: [
    { name: 'new_year', from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'] },
    { name: 'spring_festival', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'] },
    { name: 'qingming', from: '2026-04-04', to: '2026-04-06', workdays: [] },
    { name: 'labour_day', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'] },
    { name: 'dragon_boat', from: '2026-06-19', to: '2026-06-21', workdays: [] },
    { name: 'mid_autumn', from: '2026-09-25', to: '2026-09-27', workdays: [] },
    { name: 'national_day', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'] },
  ],
};

/** The years the built-in calendar knows. */
export const chinaHolidayYears: readonly number[] = Object.keys(festivals).map(Number);

const nextDate = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/** Every statutory day off and make-up working day of `year` (empty for a year not published). */
export function chinaStatutoryDays(year: number): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (const f of festivals[year] ?? []) {
    for (let d = f.from; d <= f.to; d = nextDate(d)) days.push({ date: d, kind: 'holiday', name: f.name });
    for (const w of f.workdays) days.push({ date: w, kind: 'workday', name: f.name });
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}
