// A result's score that counts, coloured by band, with the original when an appeal changed it.
import type { QualityResultView } from '@zhike/contracts';
import { Space, Tag, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';

export function ScoreTag({
  result,
}: {
  result: Pick<QualityResultView, 'score' | 'adjustedScore' | 'effectiveScore'>;
}) {
  const { t } = useI18n();
  const color = result.effectiveScore >= 90 ? 'green' : result.effectiveScore >= 60 ? 'gold' : 'red';
  return (
    <Space size={4}>
      <Tag color={color}>{result.effectiveScore}</Tag>
      {result.adjustedScore !== null && (
        <Typography.Text type="secondary">
          {t('quality.adjusted', { score: result.adjustedScore, original: result.score })}
        </Typography.Text>
      )}
    </Space>
  );
}
