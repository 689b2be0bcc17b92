// On the KPI dashboard: agent throughput (conversations resolved per online hour) in the days before
// assist was turned on and as many after, against the brief's +50 %, with the switch for managers.
import type { AssistImpact } from '@zhike/contracts';
import { Card, Col, Descriptions, Row, Space, Statistic, Switch, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

const COLOURS = { met: 'green', near: 'orange', missed: 'red', no_data: 'default' } as const;
type Window = NonNullable<AssistImpact['before']>;

export function AssistImpactCard() {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const [impact, setImpact] = useState<AssistImpact | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(
    (signal?: AbortSignal) =>
      api.getAssistImpact(signal).then(setImpact, (error: unknown) => {
        if (!signal?.aborted) notifyError(error);
      }),
    [api, notifyError],
  );
  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load]);
  if (!impact) return null;

  const toggle = async (enabled: boolean) => {
    setBusy(true);
    try {
      await api.setAssist(enabled);
      await load();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };
  const side = (title: string, w: Window) => (
    <Col xs={24} md={12}>
      <Descriptions size="small" column={1} title={`${title}（${w.from} – ${w.to}）`}>
        <Descriptions.Item label={t('kpis.assist.perHour')}>
          {w.handledPerOnlineHour ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('kpis.assist.handled')}>{w.handled}</Descriptions.Item>
        <Descriptions.Item label={t('kpis.assist.onlineHours')}>{w.onlineHours}</Descriptions.Item>
        <Descriptions.Item label={t('kpis.assist.firstResponse')}>
          {w.firstResponseSeconds ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('kpis.assist.acceptance')}>
          {w.suggestionAcceptance === null ? '—' : `${Math.round(w.suggestionAcceptance * 100)}%`}
        </Descriptions.Item>
      </Descriptions>
    </Col>
  );

  return (
    <Card
      title={t('kpis.assist.title')}
      style={{ marginTop: 16 }}
      data-testid="assist-impact"
      extra={
        <Space>
          <span>{t('kpis.assist.switch')}</span>
          <Switch
            checked={impact.enabled}
            disabled={!can(session, 'bot.manage') || busy}
            onChange={(enabled) => void toggle(enabled)}
            aria-label={t('kpis.assist.switch')}
          />
        </Space>
      }
    >
      {impact.before && impact.after ? (
        <>
          <Space align="center" size="large" style={{ marginBottom: 12 }}>
            <Statistic
              title={t('kpis.assist.change')}
              value={
                impact.change === null
                  ? '—'
                  : `${impact.change >= 0 ? '+' : ''}${Math.round(impact.change * 1000) / 10}%`
              }
            />
            <Tag color={COLOURS[impact.status]}>{t(`kpis.status.${impact.status}`)}</Tag>
            <Typography.Text type="secondary">
              {t('kpis.assist.target', { target: Math.round(impact.target * 100) })}
            </Typography.Text>
          </Space>
          <Row gutter={16}>
            {side(t('kpis.assist.before'), impact.before)}
            {side(t('kpis.assist.after'), impact.after)}
          </Row>
        </>
      ) : (
        <Typography.Text type="secondary">
          {impact.enabledAt ? t('kpis.assist.waiting') : t('kpis.assist.never')}
        </Typography.Text>
      )}
    </Card>
  );
}
