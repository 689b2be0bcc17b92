// The small pieces the topics page shows per topic and conversation: mood, links, trend, examples.
import { FireOutlined } from '@ant-design/icons';
import type { EmotionTrend, Topic } from '@zhike/contracts';
import { List, Space, Tag, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { routeHref } from '../routing/route.ts';

export function MoodTag({ mood }: { mood: EmotionTrend['mostNegative'][number]['mood'] }) {
  const { t } = useI18n();
  const color = mood === 'improved' ? 'green' : mood === 'worsened' ? 'red' : 'default';
  return <Tag color={color}>{t(`topics.mood.${mood}`)}</Tag>;
}

/** An intent links to the dialogue editor, a knowledge answer (`faq:…`) to the knowledge base. */
function IntentTag({ intent }: { intent: Topic['intents'][number] }) {
  const href = routeHref(intent.intent.startsWith('faq:') ? { name: 'knowledge' } : { name: 'dialogue' });
  return (
    <Tag color="blue">
      <a href={href}>
        {intent.label ?? intent.intent} · {intent.count}
      </a>
    </Tag>
  );
}

export function Links({ topic }: { topic: Topic }) {
  return (
    <Space size={[0, 4]} wrap>
      {topic.intents.slice(0, 3).map((i) => (
        <IntentTag key={i.intent} intent={i} />
      ))}
      {topic.products.slice(0, 3).map((p) => (
        <Tag key={`p-${p.name}`} color="purple">
          {p.name} · {p.count}
        </Tag>
      ))}
      {topic.orders.slice(0, 3).map((o) => (
        <Tag key={`o-${o.number}`}>{o.number}</Tag>
      ))}
    </Space>
  );
}

export function Trend({ topic }: { topic: Topic }) {
  const { t } = useI18n();
  if (topic.rising)
    return (
      <Tag color="red" icon={<FireOutlined />}>
        {topic.growth === null
          ? t('topics.rising.new')
          : t('topics.rising.growth', { percent: Math.round(topic.growth * 100) })}
      </Tag>
    );
  if (topic.growth === null) return <Typography.Text type="secondary">{t('topics.none')}</Typography.Text>;
  const change = Math.round(topic.growth * 100);
  return (
    <Typography.Text type="secondary">
      {t('topics.trend.change', { sign: change > 0 ? '+' : '', percent: change })}
    </Typography.Text>
  );
}

export function Examples({ topic }: { topic: Topic }) {
  const { t } = useI18n();
  return (
    <div data-testid={`topic-examples-${topic.key}`}>
      <Typography.Text type="secondary">{t('topics.examples')}</Typography.Text>
      <List
        size="small"
        dataSource={topic.examples}
        renderItem={(e) => (
          <List.Item
            extra={
              e.conversationId ? (
                <a href={routeHref({ name: 'inbox', conversationId: e.conversationId })}>
                  {t('topics.openConversation')}
                </a>
              ) : null
            }
          >
            {e.text}
          </List.Item>
        )}
      />
    </div>
  );
}
