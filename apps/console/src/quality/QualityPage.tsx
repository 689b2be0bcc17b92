// #/quality (智能质检): the results of every conversation and call with their evidence, agents'
// scorecards, the human review queue, appeals and the ruleset. Agents see their own results and
// scorecard and appeal; supervisors and owners see everyone, review, decide appeals and edit the rules.
import { DatePicker, Tabs, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { AppealsTab } from './AppealsTab.tsx';
import { ResultsTab } from './ResultsTab.tsx';
import { ReviewsTab } from './ReviewsTab.tsx';
import { RulesetTab } from './RulesetTab.tsx';
import { ScorecardsTab } from './ScorecardsTab.tsx';

export interface QualityRange {
  from: string;
  to: string;
}

export function QualityPage({ navigate }: { navigate: (route: Route) => void }) {
  const { t } = useI18n();
  const { session } = useSignedIn();
  const team = can(session, 'quality.read_team');
  const [dates, setDates] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  const range: QualityRange = {
    from: dates[0].startOf('day').toISOString(),
    to: dates[1].endOf('day').toISOString(),
  };
  const items = [
    {
      key: 'results',
      label: t('quality.tab.results'),
      children: <ResultsTab range={range} navigate={navigate} />,
    },
    { key: 'scorecards', label: t('quality.tab.scorecards'), children: <ScorecardsTab range={range} /> },
    ...(can(session, 'quality.review')
      ? [{ key: 'reviews', label: t('quality.tab.reviews'), children: <ReviewsTab navigate={navigate} /> }]
      : []),
    { key: 'appeals', label: t('quality.tab.appeals'), children: <AppealsTab navigate={navigate} /> },
    { key: 'ruleset', label: t('quality.tab.ruleset'), children: <RulesetTab /> },
  ];
  return (
    <div className="zk-page" data-testid="quality-page">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('quality.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">
            {team ? t('quality.intro') : t('quality.introSelf')}
          </Typography.Paragraph>
        </div>
        <DatePicker.RangePicker
          aria-label={t('quality.range')}
          value={dates}
          allowClear={false}
          disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          onChange={(value) => value?.[0] && value[1] && setDates([value[0], value[1]])}
          style={{ width: 260 }}
          data-testid="quality-range"
        />
      </div>
      <Tabs items={items} destroyOnHidden />
    </div>
  );
}
