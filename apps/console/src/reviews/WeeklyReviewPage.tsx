// #/review (supervisors and owners): the weekly review the server renders, shown in a sandboxed frame (no
// script runs in it), for the last full week or one the reader picks; the PDF downloads beside it.
import { Button, DatePicker, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { reviewPath } from './endpoints.ts';
import { ReviewMailCard } from './ReviewMailCard.tsx';

/** `week`: the Monday a link opened (the review mail links to its week), else the last full week. */
export function WeeklyReviewPage({ week: linked }: { week: string | null }) {
  const { t, locale } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [week, setWeek] = useState<Dayjs | null>(linked ? dayjs(linked) : null);
  useEffect(() => setWeek(linked ? dayjs(linked) : null), [linked]);
  const [html, setHtml] = useState<string | null>(null);
  // The Monday of the picked week (the picker's weeks start on Monday in zh-CN; computed, not assumed).
  const from = week ? week.subtract((week.day() + 6) % 7, 'day').format('YYYY-MM-DD') : null;

  useEffect(() => {
    const abort = new AbortController();
    setHtml(null);
    api
      .getWeeklyReviewHtml({ ...(from ? { from } : {}), locale }, abort.signal)
      .then(setHtml, (error: unknown) => {
        if (!abort.signal.aborted) notifyError(error);
      });
    return () => abort.abort();
  }, [api, notifyError, from, locale]);

  return (
    <div className="zk-page" data-testid="weekly-review">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('review.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('review.intro')}</Typography.Paragraph>
        </div>
        <Space>
          <DatePicker
            picker="week"
            aria-label={t('review.week')}
            placeholder={t('review.lastWeek')}
            value={week}
            onChange={setWeek}
            style={{ width: 160 }}
          />
          <Button href={reviewPath(from, 'html', locale)} target="_blank" rel="noopener">
            {t('review.open')}
          </Button>
          <Button type="primary" href={reviewPath(from, 'pdf', locale)} data-testid="weekly-review-pdf">
            {t('review.pdf')}
          </Button>
        </Space>
      </div>
      <ReviewMailCard from={from} />
      {html !== null && (
        <iframe
          title={t('review.frame')}
          sandbox=""
          srcDoc={html}
          style={{
            width: '100%',
            height: 'calc(100vh - 220px)',
            minHeight: 600,
            border: '1px solid #f0f0f0',
            background: '#fff',
          }}
          data-testid="weekly-review-frame"
        />
      )}
    </div>
  );
}
