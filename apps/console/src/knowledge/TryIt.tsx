// "Try it": what the bot would do with a message — its reply, and the candidates it weighed.
import type { TryKnowledgeResult } from '@zhike/contracts';
import { Card, Col, Input, List, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

const DECISION_COLORS: Record<TryKnowledgeResult['decision'], string> = {
  answer: 'green',
  clarify: 'gold',
  handoff: 'red',
  action: 'blue',
};

export function TryIt() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [text, setText] = useState('');
  const [result, setResult] = useState<TryKnowledgeResult | null>(null);
  const [busy, setBusy] = useState(false);

  const ask = async (value: string) => {
    if (!value.trim()) return;
    setBusy(true);
    try {
      setResult(await api.tryKnowledge(value.trim()));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('knowledge.try.title')} size="small" style={{ marginBottom: 16 }} data-testid="kb-try">
      <Input.Search
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={ask}
        enterButton={t('knowledge.try.ask')}
        placeholder={t('knowledge.try.placeholder')}
        loading={busy}
        maxLength={500}
        data-testid="kb-try-input"
      />
      {result && (
        <Row gutter={24} style={{ marginTop: 12 }} data-testid="kb-try-result">
          <Col xs={24} md={12}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space>
                <Typography.Text type="secondary">{t('knowledge.try.reply')}</Typography.Text>
                <Tag color={DECISION_COLORS[result.decision]}>
                  {t(`knowledge.try.decision.${result.decision}`)}
                </Tag>
              </Space>
              {result.replies.map((reply) => (
                <Typography.Paragraph key={reply} style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
                  {reply}
                </Typography.Paragraph>
              ))}
            </Space>
          </Col>
          <Col xs={24} md={12}>
            <Typography.Text type="secondary">{t('knowledge.try.candidates')}</Typography.Text>
            <List
              size="small"
              dataSource={result.candidates.slice(0, 5)}
              renderItem={(c) => (
                <List.Item>
                  <Space>
                    <Tag>{t(`knowledge.try.kind.${c.kind}`)}</Tag>
                    <span>{c.title}</span>
                  </Space>
                  <Typography.Text type="secondary">{c.score.toFixed(2)}</Typography.Text>
                </List.Item>
              )}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
