// One result's drill-down: its score, the rules broken with their evidence, what was said with the
// evidence highlighted in place, a link to the conversation or call, its review and appeals; the agent
// it counts for appeals here, a supervisor decides a pending appeal here.
import type { QualityAppealView, QualityHitView, QualityResultDetail } from '@zhike/contracts';
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { Translate } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { markLines } from './evidence.ts';
import { ScoreTag } from './ScoreTag.tsx';

function valueText(hit: QualityHitView, t: Translate): string | null {
  if (hit.value === null) return null;
  switch (hit.kind) {
    case 'response_time':
    case 'call_silence':
    case 'call_hold':
      return t('quality.detail.value.seconds', { value: hit.value });
    case 'call_interruption':
      return t('quality.detail.value.ms', { value: hit.value });
    case 'bot_repeated_fallback':
      return t('quality.detail.value.count', { value: hit.value });
    default:
      return t('quality.detail.value.score', { value: hit.value });
  }
}

const clock = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function ResultDrawer({
  resultId,
  onClose,
  onChanged,
  navigate,
}: {
  resultId: string | null;
  onClose: () => void;
  onChanged: () => void;
  navigate: (route: Route) => void;
}) {
  const { t, locale } = useI18n();
  const { api, session } = useSignedIn();
  const notifyError = useNotifyError();
  const [detail, setDetail] = useState<QualityResultDetail | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    setDetail(null);
    if (!resultId) return;
    const abort = new AbortController();
    void version;
    api.getQualityResult(resultId, abort.signal).then(setDetail, (error: unknown) => {
      if (!abort.signal.aborted) notifyError(error);
    });
    return () => abort.abort();
  }, [api, resultId, version, notifyError]);

  const marked = useMemo(() => (detail ? markLines(detail.lines, detail.hits) : []), [detail]);
  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  const r = detail?.result;
  const name = (ruleId: string) =>
    detail?.ruleNames[ruleId] ?? detail?.result.violations.find((v) => v.ruleId === ruleId)?.name ?? ruleId;
  const isCall = r?.subject === 'call';
  const when = (h: QualityHitView) =>
    h.from === null || h.to === null
      ? null
      : isCall
        ? t('quality.detail.at', { from: clock(h.from), to: clock(h.to) })
        : h.from === h.to
          ? formatDateTime(new Date(h.from).toISOString(), locale)
          : t('quality.detail.at', {
              from: formatDateTime(new Date(h.from).toISOString(), locale),
              to: formatDateTime(new Date(h.to).toISOString(), locale),
            });
  const pendingAppeal = detail?.appeals.find((a) => a.status === 'pending') ?? null;
  const mine = r?.agentId === session.user.id;

  return (
    <Drawer
      open={resultId !== null}
      onClose={onClose}
      size="large"
      title={t('quality.detail.title')}
      destroyOnHidden
      data-testid="quality-drawer"
      extra={
        r && (
          <Button
            onClick={() =>
              navigate(
                isCall
                  ? { name: 'calls', callId: r.subjectId }
                  : { name: 'inbox', conversationId: r.conversationId },
              )
            }
          >
            {isCall ? t('quality.detail.openCall') : t('quality.detail.openConversation')}
          </Button>
        )
      }
    >
      {r && detail && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label={t('quality.detail.score')}>
              <ScoreTag result={r} />
            </Descriptions.Item>
            <Descriptions.Item label={t('quality.col.agent')}>
              {r.agentName ?? t('quality.bot')}
            </Descriptions.Item>
            <Descriptions.Item label={t('quality.col.endedAt')}>
              {formatDateTime(r.endedAt, locale)}
            </Descriptions.Item>
            <Descriptions.Item label={t('quality.col.channel')}>
              {r.channel} · {t('quality.detail.version', { version: r.rulesetVersion })}
            </Descriptions.Item>
          </Descriptions>

          <div>
            <Typography.Title level={5}>{t('quality.detail.hits')}</Typography.Title>
            {r.violations.length === 0 ? (
              <Typography.Text type="secondary">{t('quality.detail.noHits')}</Typography.Text>
            ) : (
              <List
                size="small"
                dataSource={r.violations}
                data-testid="quality-violations"
                renderItem={(v) => (
                  <List.Item>
                    <Space direction="vertical" size={2} style={{ width: '100%' }}>
                      <Space>
                        <Tag color="volcano">{name(v.ruleId)}</Tag>
                        <Typography.Text type="secondary">
                          {t('quality.detail.deducted', { points: v.deducted })}
                        </Typography.Text>
                      </Space>
                      {detail.hits
                        .filter((h) => h.ruleId === v.ruleId)
                        .map((h) => (
                          <Typography.Text
                            key={`${h.messageId ?? h.seq ?? ''}-${h.from ?? ''}-${h.match?.[0] ?? ''}`}
                            style={{ paddingLeft: 8 }}
                          >
                            {[h.excerpt && `“${h.excerpt}”`, valueText(h, t), when(h)]
                              .filter(Boolean)
                              .join(' · ')}
                          </Typography.Text>
                        ))}
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </div>

          <div>
            <Typography.Title level={5}>{t('quality.detail.transcript')}</Typography.Title>
            {marked.length === 0 ? (
              <Empty description={t('quality.detail.erased')} />
            ) : (
              <div className="zk-quality-transcript" data-testid="quality-transcript">
                {marked.map(({ line, pieces, wholeLine }) => (
                  <div
                    key={line.messageId ?? `seq-${line.seq}`}
                    style={{
                      padding: '4px 8px',
                      borderLeft: `3px solid ${wholeLine.length > 0 ? '#fa541c' : 'transparent'}`,
                      background: wholeLine.length > 0 ? '#fff2e8' : undefined,
                    }}
                  >
                    <Typography.Text type="secondary" style={{ marginRight: 8 }}>
                      {t(`quality.speaker.${line.speaker}`)}
                      {isCall ? ` ${clock(line.startMs)}` : ''}
                    </Typography.Text>
                    {pieces.map((p) =>
                      p.ruleIds.length > 0 ? (
                        <mark key={p.start} title={p.ruleIds.map(name).join(', ')} data-testid="quality-mark">
                          {p.text}
                        </mark>
                      ) : (
                        <span key={p.start}>{p.text}</span>
                      ),
                    )}
                    {wholeLine.map((id) => (
                      <Tag key={id} color="orange" style={{ marginLeft: 8 }}>
                        {name(id)}
                      </Tag>
                    ))}
                  </div>
                ))}
              </div>
            )}
          </div>

          {detail.review && (
            <div>
              <Typography.Title level={5}>{t('quality.detail.review')}</Typography.Title>
              <Typography.Text>
                {detail.review.status === 'pending'
                  ? t('quality.detail.reviewPending')
                  : t('quality.detail.reviewDone', { score: detail.review.reviewerScore ?? '' })}
              </Typography.Text>
              {detail.review.comment && <Typography.Paragraph>{detail.review.comment}</Typography.Paragraph>}
            </div>
          )}

          <div>
            <Typography.Title level={5}>{t('quality.detail.appeals')}</Typography.Title>
            {detail.appeals.map((a) => (
              <AppealLine key={a.id} appeal={a} />
            ))}
            {pendingAppeal && can(session, 'quality.review') && pendingAppeal.agentId !== session.user.id && (
              <DecisionForm appeal={pendingAppeal} current={r.effectiveScore} onDone={changed} />
            )}
            {mine && !pendingAppeal && can(session, 'quality.appeal') && (
              <AppealForm resultId={r.id} onDone={changed} />
            )}
          </div>
        </Space>
      )}
    </Drawer>
  );
}

export function AppealLine({ appeal }: { appeal: QualityAppealView }) {
  const { t, locale } = useI18n();
  const color = appeal.status === 'accepted' ? 'green' : appeal.status === 'rejected' ? 'red' : 'blue';
  return (
    <div style={{ marginBottom: 8 }}>
      <Space wrap>
        <Tag color={color}>{t(`quality.appeal.status.${appeal.status}`)}</Tag>
        <Typography.Text type="secondary">{formatDateTime(appeal.createdAt, locale)}</Typography.Text>
        {appeal.adjustedScore !== null && <Tag>{appeal.adjustedScore}</Tag>}
      </Space>
      <Typography.Paragraph style={{ margin: '4px 0 0' }}>{appeal.reason}</Typography.Paragraph>
      {appeal.note && <Typography.Paragraph type="secondary">{appeal.note}</Typography.Paragraph>}
    </div>
  );
}

function AppealForm({ resultId, onDone }: { resultId: string; onDone: () => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [saving, setSaving] = useState(false);
  return (
    <Form
      layout="vertical"
      onFinish={async ({ reason }: { reason: string }) => {
        setSaving(true);
        try {
          await api.appealQualityResult(resultId, reason.trim());
          message.success(t('quality.appeal.sent'));
          onDone();
        } catch (error) {
          notifyError(error);
        } finally {
          setSaving(false);
        }
      }}
    >
      <Form.Item
        name="reason"
        label={t('quality.appeal.reason')}
        rules={[{ required: true, whitespace: true, message: t('quality.appeal.reasonRequired') }]}
      >
        <Input.TextArea rows={3} maxLength={1000} data-testid="quality-appeal-reason" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="quality-appeal-submit">
        {t('quality.appeal.submit')}
      </Button>
    </Form>
  );
}

export function DecisionForm({
  appeal,
  current,
  onDone,
}: {
  appeal: QualityAppealView;
  current: number;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [score, setScore] = useState<number>(current);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const decide = async (decision: 'accepted' | 'rejected') => {
    setSaving(true);
    try {
      await api.decideQualityAppeal(
        appeal.id,
        decision === 'accepted'
          ? { decision, score, note: note.trim() || null }
          : { decision, note: note.trim() || null },
      );
      onDone();
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Typography.Text>{t('quality.appeal.newScore')}</Typography.Text>
        <InputNumber
          min={0}
          max={100}
          value={score}
          onChange={(v) => setScore(typeof v === 'number' ? v : current)}
        />
      </Space>
      <Input.TextArea
        rows={2}
        maxLength={1000}
        placeholder={t('quality.appeal.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <Space>
        <Button
          type="primary"
          loading={saving}
          onClick={() => void decide('accepted')}
          data-testid="quality-appeal-accept"
        >
          {t('quality.appeal.accept')}
        </Button>
        <Button danger loading={saving} onClick={() => void decide('rejected')}>
          {t('quality.appeal.reject')}
        </Button>
      </Space>
    </Space>
  );
}
