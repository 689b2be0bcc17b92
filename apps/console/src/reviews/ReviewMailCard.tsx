// The weekly review's Monday mailing on #/review: whether it goes out, at which hour, from which e-mail
// inbox to whom, what came of past weeks, and "send now" for the week on screen.
import type { ReviewMailing, ReviewMailSettings, ReviewMailState } from '@zhike/contracts';
import { Alert, App, Button, Checkbox, Collapse, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { MessageKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

const STATUS_COLOUR = { sent: 'green', skipped: 'default', failed: 'red' } as const;
const KNOWN_DETAILS = new Set(['no_conversations', 'no_recipients', 'no_email_inbox']);
const HOURS = Array.from({ length: 24 }, (_, h) => ({ value: h, label: `${String(h).padStart(2, '0')}:00` }));

export function ReviewMailCard({ from }: { from: string | null }) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const manages = can(session, 'bot.manage');
  const [state, setState] = useState<ReviewMailState | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    (signal?: AbortSignal) =>
      api.getReviewMail(signal).then(setState, (error: unknown) => {
        if (!signal?.aborted) notifyError(error);
      }),
    [api, notifyError],
  );
  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load]);

  if (!state) return null;
  const save = async (patch: Partial<ReviewMailSettings>) => {
    setBusy(true);
    try {
      setState(await api.saveReviewMail({ ...state.settings, ...patch }));
      void message.success(t('review.mail.saved'));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };
  const sendNow = async () => {
    setBusy(true);
    try {
      const result = await api.sendWeeklyReview(from ? { from } : {});
      if (result.status === 'sent')
        void message.success(t('review.mail.sentTo', { count: result.recipients }));
      else void message.warning(detailText(result));
      await load();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };
  const detailText = (m: ReviewMailing) =>
    m.detail === null
      ? ''
      : KNOWN_DETAILS.has(m.detail)
        ? t(`review.mail.detail.${m.detail}` as MessageKey)
        : m.detail;

  const summary = state.settings.enabled
    ? t('review.mail.summaryOn', { hour: HOURS[state.settings.sendHour]?.label ?? '' })
    : t('review.mail.summaryOff');

  return (
    <Collapse
      style={{ marginBottom: 16 }}
      data-testid="review-mail"
      items={[
        {
          key: 'mail',
          label: (
            <Space>
              <span>{t('review.mail.title')}</span>
              <Typography.Text type="secondary">{summary}</Typography.Text>
            </Space>
          ),
          children: (
            <Space direction="vertical" style={{ width: '100%' }} size="middle">
              {state.sender ? (
                <Typography.Text>
                  {t('review.mail.sender', { name: state.sender.name, address: state.sender.address })}
                </Typography.Text>
              ) : (
                <Alert type="warning" showIcon message={t('review.mail.noSender')} />
              )}
              <Typography.Text>
                {t('review.mail.recipients')}{' '}
                {state.recipients.length > 0
                  ? state.recipients.map((r) => `${r.name} <${r.email}>`).join('，')
                  : t('review.mail.nobody')}
              </Typography.Text>
              <Space wrap size="large">
                <Space>
                  <Switch
                    checked={state.settings.enabled}
                    disabled={!manages || busy}
                    onChange={(enabled) => void save({ enabled })}
                    aria-label={t('review.mail.enabled')}
                    data-testid="review-mail-enabled"
                  />
                  <span>{t('review.mail.enabled')}</span>
                </Space>
                <Space>
                  <span>{t('review.mail.hour')}</span>
                  <Select
                    options={HOURS}
                    value={state.settings.sendHour}
                    disabled={!manages || busy || !state.settings.enabled}
                    onChange={(sendHour: number) => void save({ sendHour })}
                    style={{ width: 100 }}
                    aria-label={t('review.mail.hour')}
                  />
                </Space>
                <Checkbox
                  checked={state.settings.includeAdmins}
                  disabled={!manages || busy}
                  onChange={(e) => void save({ includeAdmins: e.target.checked })}
                >
                  {t('review.mail.includeAdmins')}
                </Checkbox>
                {manages && (
                  <Button
                    onClick={() => void sendNow()}
                    loading={busy}
                    disabled={!state.sender}
                    data-testid="review-mail-send"
                  >
                    {t('review.mail.sendNow')}
                  </Button>
                )}
              </Space>
              <Table<ReviewMailing>
                size="small"
                rowKey="week"
                pagination={false}
                dataSource={state.mailings}
                locale={{ emptyText: t('review.mail.none') }}
                columns={[
                  { title: t('review.mail.week'), dataIndex: 'week' },
                  {
                    title: t('review.mail.status'),
                    dataIndex: 'status',
                    render: (status: ReviewMailing['status']) => (
                      <Tag color={STATUS_COLOUR[status]}>
                        {t(`review.mail.status.${status}` as MessageKey)}
                      </Tag>
                    ),
                  },
                  { title: t('review.mail.count'), dataIndex: 'recipients' },
                  { title: t('review.mail.detail'), render: (_: unknown, m) => detailText(m) },
                  {
                    title: t('review.mail.at'),
                    dataIndex: 'at',
                    render: (at: string) => new Date(at).toLocaleString(),
                  },
                ]}
              />
            </Space>
          ),
        },
      ]}
    />
  );
}
