// The business calendar editor: time zone, weekly hours, China's statutory holidays and 调休 days
// (built-in, switchable), the shop's own dates, and the resulting days off / working days of a year.
import type { SlaCalendarBody, SlaCalendarView } from '@zhike/contracts';
import {
  App,
  Button,
  Card,
  DatePicker,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { dayName } from './calendarLabels.ts';

type Period = SlaCalendarBody['periods'][number];
type Override = SlaCalendarBody['overrides'][number];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0];
const CLOCK = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export function SlaCalendarTab() {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const manages = can(session, 'sla.manage');
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [view, setView] = useState<SlaCalendarView | null>(null);
  const [draft, setDraft] = useState<SlaCalendarBody | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(
    async (y: number, resetDraft: boolean) => {
      try {
        const next = await api.getSlaCalendar(y);
        setView(next);
        if (resetDraft)
          setDraft({
            timeZone: next.timeZone,
            periods: next.periods,
            chinaHolidays: next.chinaHolidays,
            overrides: next.overrides,
          });
      } catch (error) {
        notifyError(error);
      }
    },
    [api, notifyError],
  );
  // The draft is loaded once; changing the year only reloads the year's days.
  const draftLoaded = useRef(false);
  useEffect(() => {
    void load(year, !draftLoaded.current);
    draftLoaded.current = true;
  }, [year, load]);

  if (!draft || !view) return null;
  const set = (patch: Partial<SlaCalendarBody>) => setDraft({ ...draft, ...patch });
  const setPeriod = (i: number, patch: Partial<Period>) =>
    set({ periods: draft.periods.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  const setOverride = (i: number, patch: Partial<Override>) =>
    set({ overrides: draft.overrides.map((o, j) => (j === i ? { ...o, ...patch } : o)) });
  const valid =
    draft.periods.every((p) => p.days.length > 0 && CLOCK.test(p.open) && CLOCK.test(p.close)) &&
    new Set(draft.overrides.map((o) => o.date)).size === draft.overrides.length;

  const save = async () => {
    setSaving(true);
    try {
      await api.saveSlaCalendar(draft);
      message.success(t('sla.calendar.saved'));
      await load(year, true);
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="sla-calendar">
      <Card title={t('sla.calendar.hours')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space>
            <Typography.Text>{t('sla.calendar.timeZone')}</Typography.Text>
            <Input
              style={{ width: 220 }}
              value={draft.timeZone}
              disabled={!manages}
              onChange={(e) => set({ timeZone: e.target.value })}
            />
          </Space>
          {draft.periods.map((p, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: periods have no identity but their place
            <Space key={i} wrap>
              <Select
                mode="multiple"
                style={{ minWidth: 280 }}
                value={p.days}
                disabled={!manages}
                placeholder={t('sla.calendar.days')}
                options={WEEKDAYS.map((d) => ({ value: d, label: t(`sla.weekday.${d as 0}`) }))}
                onChange={(days: number[]) => setPeriod(i, { days })}
              />
              <Input
                style={{ width: 90 }}
                addonBefore={t('sla.calendar.open')}
                value={p.open}
                disabled={!manages}
                status={CLOCK.test(p.open) ? undefined : 'error'}
                onChange={(e) => setPeriod(i, { open: e.target.value })}
              />
              <Input
                style={{ width: 90 }}
                addonBefore={t('sla.calendar.close')}
                value={p.close}
                disabled={!manages}
                status={CLOCK.test(p.close) ? undefined : 'error'}
                onChange={(e) => setPeriod(i, { close: e.target.value })}
              />
              {manages && (
                <Button onClick={() => set({ periods: draft.periods.filter((_, j) => j !== i) })}>
                  {t('sla.calendar.removePeriod')}
                </Button>
              )}
            </Space>
          ))}
          {manages && (
            <Button
              onClick={() =>
                set({ periods: [...draft.periods, { days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' }] })
              }
            >
              {t('sla.calendar.addPeriod')}
            </Button>
          )}
          <Space>
            <Switch
              checked={draft.chinaHolidays}
              disabled={!manages}
              onChange={(chinaHolidays) => set({ chinaHolidays })}
              data-testid="sla-china-holidays"
            />
            <Typography.Text>{t('sla.calendar.china')}</Typography.Text>
            <Typography.Text type="secondary">
              {t('sla.calendar.builtInYears', { years: view.builtInYears.join(', ') })}
            </Typography.Text>
          </Space>
        </Space>
      </Card>

      <Card title={t('sla.calendar.overrides')}>
        <Typography.Paragraph type="secondary">{t('sla.calendar.overridesHint')}</Typography.Paragraph>
        <Space direction="vertical">
          {draft.overrides.map((o, i) => (
            <Space key={o.date || `new-${i}`} wrap>
              <DatePicker
                value={o.date ? dayjs(o.date) : null}
                disabled={!manages}
                onChange={(d) => setOverride(i, { date: d ? d.format('YYYY-MM-DD') : '' })}
              />
              <Select
                style={{ width: 180 }}
                value={o.kind}
                disabled={!manages}
                options={(['holiday', 'workday', 'regular'] as const).map((k) => ({
                  value: k,
                  label: t(`sla.calendar.kind.${k}`),
                }))}
                onChange={(kind: Override['kind']) => setOverride(i, { kind })}
              />
              <Input
                style={{ width: 180 }}
                placeholder={t('sla.calendar.label')}
                value={o.name}
                maxLength={60}
                disabled={!manages}
                onChange={(e) => setOverride(i, { name: e.target.value })}
              />
              {manages && (
                <Button onClick={() => set({ overrides: draft.overrides.filter((_, j) => j !== i) })}>
                  {t('sla.calendar.removePeriod')}
                </Button>
              )}
            </Space>
          ))}
          {manages && (
            <Button
              onClick={() =>
                set({ overrides: [...draft.overrides, { date: '', kind: 'holiday', name: '' }] })
              }
            >
              {t('sla.calendar.addDay')}
            </Button>
          )}
        </Space>
      </Card>

      {manages && (
        <Button
          type="primary"
          loading={saving}
          disabled={!valid || draft.overrides.some((o) => !o.date)}
          onClick={() => void save()}
          data-testid="sla-calendar-save"
        >
          {t('sla.calendar.save')}
        </Button>
      )}

      <Card
        title={t('sla.calendar.year', { year: view.year })}
        extra={<InputNumber min={2000} max={2100} value={year} onChange={(y) => y && setYear(y)} />}
      >
        <Table
          size="small"
          rowKey="date"
          dataSource={view.days}
          pagination={false}
          locale={{ emptyText: t('sla.calendar.noDays') }}
          data-testid="sla-calendar-days"
          columns={[
            { title: t('sla.calendar.date'), dataIndex: 'date' },
            {
              title: t('sla.calendar.kind'),
              dataIndex: 'kind',
              render: (k: 'holiday' | 'workday') => (
                <Tag color={k === 'holiday' ? 'red' : 'blue'}>{t(`sla.calendar.kind.${k}`)}</Tag>
              ),
            },
            { title: t('sla.calendar.label'), dataIndex: 'name', render: (n: string) => dayName(n, t) },
          ]}
        />
      </Card>
    </Space>
  );
}
