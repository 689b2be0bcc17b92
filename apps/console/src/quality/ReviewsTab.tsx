// The review queue (supervisors): results drawn at random and every result under the threshold, oldest
// first; the reviewer gives their own score and comment. Done reviews stay readable.
import type { QualityReviewItem } from '@zhike/contracts';
import { App, Button, Input, InputNumber, Segmented, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { formatDateTime } from '../ui/time.ts';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { ResultDrawer } from './ResultDrawer.tsx';
import { ScoreTag } from './ScoreTag.tsx';

export function ReviewsTab({ navigate }: { navigate: (route: Route) => void }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [status, setStatus] = useState<'pending' | 'done'>('pending');
  const [items, setItems] = useState<QualityReviewItem[]>([]);
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    void version;
    api.listQualityReviews(status, abort.signal).then(
      (list) => setItems(list.reviews),
      (error: unknown) => {
        if (!abort.signal.aborted) notifyError(error);
      },
    );
    return () => abort.abort();
  }, [api, status, version, notifyError]);

  return (
    <>
      <Segmented
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(v) => setStatus(v as 'pending' | 'done')}
        options={[
          { value: 'pending', label: t('quality.reviews.pending') },
          { value: 'done', label: t('quality.reviews.done') },
        ]}
      />
      <Table
        size="small"
        rowKey={(i) => i.review.id}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: t('quality.reviews.empty') }}
        data-testid="quality-reviews"
        columns={[
          {
            title: t('quality.col.endedAt'),
            render: (_: unknown, i: QualityReviewItem) => formatDateTime(i.result.endedAt, locale),
          },
          {
            title: t('quality.col.agent'),
            render: (_: unknown, i: QualityReviewItem) => i.result.agentName ?? t('quality.bot'),
          },
          {
            title: t('quality.col.score'),
            render: (_: unknown, i: QualityReviewItem) => <ScoreTag result={i.result} />,
          },
          {
            title: t('quality.col.reviewReason'),
            render: (_: unknown, i: QualityReviewItem) => (
              <Tag color={i.review.reason === 'low_score' ? 'red' : 'default'}>
                {t(`quality.reviews.reason.${i.review.reason}`)}
              </Tag>
            ),
          },
          {
            title: t('quality.col.actions'),
            render: (_: unknown, i: QualityReviewItem) => (
              <Space direction="vertical" size={4}>
                <Button size="small" onClick={() => setOpen(i.result.id)}>
                  {t('quality.view')}
                </Button>
                {i.review.status === 'pending' ? (
                  <ReviewForm
                    id={i.review.id}
                    initial={i.result.effectiveScore}
                    onDone={() => setVersion((v) => v + 1)}
                  />
                ) : (
                  <span>
                    {i.review.reviewerScore} {i.review.comment}
                  </span>
                )}
              </Space>
            ),
          },
        ]}
      />
      <ResultDrawer
        resultId={open}
        onClose={() => setOpen(null)}
        onChanged={() => setVersion((v) => v + 1)}
        navigate={navigate}
      />
    </>
  );
}

function ReviewForm({ id, initial, onDone }: { id: string; initial: number; onDone: () => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [score, setScore] = useState(initial);
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);
  return (
    <Space wrap>
      <InputNumber
        size="small"
        min={0}
        max={100}
        aria-label={t('quality.reviews.score')}
        value={score}
        onChange={(v) => setScore(typeof v === 'number' ? v : initial)}
      />
      <Input
        size="small"
        style={{ width: 220 }}
        maxLength={1000}
        placeholder={t('quality.reviews.comment')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <Button
        size="small"
        type="primary"
        loading={saving}
        data-testid="quality-review-submit"
        onClick={async () => {
          setSaving(true);
          try {
            await api.submitQualityReview(id, { score, comment: comment.trim() || null });
            message.success(t('quality.reviews.saved'));
            onDone();
          } catch (error) {
            notifyError(error);
          } finally {
            setSaving(false);
          }
        }}
      >
        {t('quality.reviews.submit')}
      </Button>
    </Space>
  );
}
