export * from './businessCalendar.ts';
export * from './chinaHolidays.ts';
export * from './repository.ts';
export * from './slaClock.ts';
export * from './slaPolicy.ts';
export * from './slaReport.ts';
