// 热点问题与情绪: the period's topics (largest and rising, with key phrases, sizes, examples and the
// intents, products and orders they mention) and the customers' emotion over the period.
import { FireOutlined, QuestionCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import type { EmotionTrend, Topic } from '@zhike/contracts';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  List,
  Row,
  Segmented,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { EChart } from '../botAnalytics/EChart.tsx';
import type { DayRange } from '../botAnalytics/useBotAnalytics.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { routeHref } from '../routing/route.ts';
import { DayRangePicker } from '../ui/DayRangePicker.tsx';
import { emotionOption, topicSizesOption } from './charts.ts';
import { Examples, Links, MoodTag, Trend } from './TopicParts.tsx';
import { useTopics } from './useTopics.ts';

const percent = (share: number) => Math.round(share * 1000) / 10;

export function TopicsPage() {
  const { t } = useI18n();
  const [range, setRange] = useState<DayRange | null>(null);
  const [interval, setInterval] = useState<'day' | 'week'>('day');
  const { topics: report, emotion, loading, reload } = useTopics(range, interval);
  const sizes = useMemo(() => (report ? topicSizesOption(report.topics) : null), [report]);
  const trend = useMemo(() => (emotion ? emotionOption(emotion.buckets, t) : null), [emotion, t]);
  const rising = useMemo(
    () =>
      report ? report.rising.map((key) => report.topics.find((x) => x.key === key)!).filter(Boolean) : [],
    [report],
  );
  const none = t('topics.none');

  return (
    <div className="zk-page zk-analytics" data-testid="topics-page">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('topics.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">
            {t('topics.intro', { zone: report?.range.timeZone ?? '…' })}
          </Typography.Paragraph>
        </div>
        <Space style={{ flexShrink: 0 }}>
          <DayRangePicker
            label={t('topics.range')}
            value={report ? report.range : null}
            onChange={setRange}
            testId="topics-range"
          />
          <Tooltip title={t('topics.refresh')}>
            <Button
              icon={<ReloadOutlined />}
              onClick={reload}
              loading={loading}
              aria-label={t('topics.refresh')}
            />
          </Tooltip>
        </Space>
      </div>

      {!report || !emotion ? (
        <Skeleton active />
      ) : (
        <>
          {report.analysed < report.messages && (
            <Alert
              type="info"
              showIcon
              className="zk-section"
              message={t('topics.sampled', { analysed: report.analysed })}
            />
          )}
          <Row gutter={[16, 16]} className="zk-section">
            <Col xs={24} sm={12} lg={6}>
              <Card data-testid="topics-kpi-messages">
                <Statistic title={t('topics.kpi.messages')} value={report.messages} />
                <Typography.Text type="secondary">
                  {t('topics.kpi.messagesDetail', { previous: report.previous.messages })}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Card data-testid="topics-kpi-topics">
                <Statistic title={t('topics.kpi.topics')} value={report.topics.length} />
                <Typography.Text type="secondary">
                  {t('topics.kpi.topicsDetail', {
                    percent: report.analysed === 0 ? 0 : percent(report.clustered / report.analysed),
                  })}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Card data-testid="topics-kpi-mood">
                <Statistic
                  title={
                    <Space size={4}>
                      {t('topics.kpi.mood')}
                      <Tooltip title={t('topics.kpi.moodHelp')}>
                        <QuestionCircleOutlined />
                      </Tooltip>
                    </Space>
                  }
                  value={emotion.totals.messages === 0 ? none : emotion.totals.average.toFixed(2)}
                />
                <Typography.Text type="secondary">
                  {t('topics.kpi.moodDetail', {
                    negative: emotion.totals.negative,
                    angry: emotion.totals.angry,
                  })}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Card data-testid="topics-kpi-conversations">
                <Statistic
                  title={
                    <Space size={4}>
                      {t('topics.kpi.conversations')}
                      <Tooltip title={t('topics.kpi.conversationsHelp')}>
                        <QuestionCircleOutlined />
                      </Tooltip>
                    </Space>
                  }
                  value={emotion.conversations.count}
                />
                <Typography.Text type="secondary">
                  {t('topics.kpi.conversationsDetail', emotion.conversations)}
                </Typography.Text>
              </Card>
            </Col>
          </Row>

          <Row gutter={[16, 16]} className="zk-section">
            <Col xs={24} lg={12}>
              <Card title={t('topics.chart.sizes')}>
                {report.topics.length === 0 ? (
                  <Empty description={t('topics.empty')} style={{ height: 248 }} />
                ) : (
                  sizes && <EChart option={sizes} height={300} testId="chart-topic-sizes" />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card
                title={t('topics.chart.emotion')}
                extra={
                  <Segmented
                    size="small"
                    value={interval}
                    onChange={(v) => setInterval(v as 'day' | 'week')}
                    options={[
                      { value: 'day', label: t('topics.interval.day') },
                      { value: 'week', label: t('topics.interval.week') },
                    ]}
                  />
                }
              >
                {trend && <EChart option={trend} height={300} testId="chart-emotion" />}
              </Card>
            </Col>
          </Row>

          <Card
            title={
              <Space>
                <FireOutlined style={{ color: '#ff4d4f' }} />
                {t('topics.rising.title')}
              </Space>
            }
            className="zk-section"
            data-testid="rising-topics"
          >
            <Typography.Paragraph type="secondary">
              {t('topics.rising.intro', { from: report.previous.from, to: report.previous.to })}
            </Typography.Paragraph>
            {rising.length === 0 ? (
              <Empty description={t('topics.rising.empty')} />
            ) : (
              <List
                dataSource={rising}
                renderItem={(topic) => (
                  <List.Item extra={<Trend topic={topic} />}>
                    <List.Item.Meta
                      title={topic.label}
                      description={
                        <Space direction="vertical" size={4}>
                          <Typography.Text type="secondary">
                            {t('topics.rising.counts', { previous: topic.previous, size: topic.size })}
                          </Typography.Text>
                          {topic.examples[0] && <Typography.Text>“{topic.examples[0].text}”</Typography.Text>}
                          <Links topic={topic} />
                        </Space>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>

          <Card title={t('topics.table.title')} className="zk-section">
            <Table<Topic>
              rowKey="key"
              size="middle"
              data-testid="topics-table"
              dataSource={report.topics}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: <Empty description={t('topics.empty')} /> }}
              expandable={{ expandedRowRender: (topic) => <Examples topic={topic} /> }}
              columns={[
                {
                  key: 'topic',
                  title: t('topics.col.topic'),
                  render: (_, topic) => (
                    <Space size={[0, 4]} wrap>
                      {topic.phrases.map((p) => (
                        <Tag key={p.phrase}>{p.phrase}</Tag>
                      ))}
                    </Space>
                  ),
                },
                { key: 'size', title: t('topics.col.size'), dataIndex: 'estimated', width: 90 },
                {
                  key: 'share',
                  title: t('topics.col.share'),
                  width: 90,
                  render: (_, topic) => `${percent(topic.share)}%`,
                },
                {
                  key: 'trend',
                  title: t('topics.col.trend'),
                  width: 110,
                  render: (_, topic) => <Trend topic={topic} />,
                },
                {
                  key: 'mood',
                  title: t('topics.col.mood'),
                  width: 110,
                  render: (_, topic) =>
                    topic.mood
                      ? t('topics.mood.negative', { percent: Math.round(topic.mood.negative * 100) })
                      : none,
                },
                {
                  key: 'links',
                  title: t('topics.col.links'),
                  render: (_, topic) => <Links topic={topic} />,
                },
              ]}
            />
          </Card>

          <Card title={t('topics.negative.title')} className="zk-section">
            <Table<EmotionTrend['mostNegative'][number]>
              rowKey="conversationId"
              size="small"
              data-testid="negative-conversations"
              dataSource={emotion.mostNegative}
              pagination={false}
              locale={{ emptyText: <Empty description={t('topics.negative.empty')} /> }}
              columns={[
                {
                  key: 'conversation',
                  title: t('topics.negative.conversation'),
                  render: (_, c) => (
                    <a href={routeHref({ name: 'inbox', conversationId: c.conversationId })}>
                      {t('topics.openConversation')}
                    </a>
                  ),
                },
                { key: 'messages', title: t('topics.negative.messages'), dataIndex: 'messages', width: 120 },
                {
                  key: 'average',
                  title: t('topics.negative.average'),
                  width: 120,
                  render: (_, c) => c.average.toFixed(2),
                },
                {
                  key: 'mood',
                  title: t('topics.negative.mood'),
                  width: 100,
                  render: (_, c) => <MoodTag mood={c.mood} />,
                },
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}
