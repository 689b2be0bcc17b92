// Suggested solutions beside a ticket: what the knowledge base says (the bot's own retrieval on the
// ticket's text) and similar solved tickets with how they were solved; either can start the solve dialog.
import type { TicketSolutions } from '@zhike/contracts';
import { Button, Card, Empty, Skeleton, Space, Tag, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { routeHref } from '../routing/route.ts';
import { formatDateTime } from '../ui/time.ts';

type Props = {
  solutions: TicketSolutions | null;
  /** Null while the ticket cannot be solved from here (already solved, or no permission). */
  onUse: ((text: string) => void) | null;
};

const percent = (score: number) => Math.round(Math.min(1, score) * 100);
/**
 * The bot's retrieval always returns its best few passages; below this score they are unrelated to the
 * ticket (a 3 % "how do I cancel an order" under a broken coffee machine) and only add noise here.
 */
const RELEVANT_ARTICLE = 0.1;

export function TicketSolutionsPanel({ solutions, onUse }: Props) {
  const { t, locale } = useI18n();
  const articles = (solutions?.articles ?? []).filter((a) => a.score >= RELEVANT_ARTICLE);
  const empty = solutions !== null && articles.length === 0 && solutions.tickets.length === 0;
  return (
    <Card title={t('tickets.solutions.title')} size="small" data-testid="ticket-solutions">
      {solutions === null && <Skeleton active paragraph={{ rows: 3 }} />}
      {empty && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tickets.solutions.empty')} />}
      {articles.length > 0 && (
        <>
          <Typography.Text strong>{t('tickets.solutions.articles')}</Typography.Text>
          <ul className="zk-ticket-solutions">
            {articles.map((a) => (
              <li key={a.id} data-testid="ticket-solution" data-kind={a.kind}>
                <Space size={4} wrap>
                  <Tag>{t(a.kind === 'faq' ? 'tickets.solutions.faq' : 'tickets.solutions.article')}</Tag>
                  {a.url ? (
                    <a href={a.url} target="_blank" rel="noreferrer noopener">
                      {a.title}
                    </a>
                  ) : (
                    <Typography.Text strong>{a.title}</Typography.Text>
                  )}
                  <Typography.Text type="secondary">
                    {t('tickets.solutions.score', { score: percent(a.score) })}
                  </Typography.Text>
                </Space>
                <Typography.Paragraph
                  className="zk-ticket-solution-text"
                  ellipsis={{ rows: 4, expandable: true }}
                >
                  {a.text}
                </Typography.Paragraph>
                {onUse && (
                  <Button size="small" type="link" onClick={() => onUse(a.text)}>
                    {t('tickets.solutions.use')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {solutions && solutions.tickets.length > 0 && (
        <>
          <Typography.Text strong>{t('tickets.solutions.tickets')}</Typography.Text>
          <ul className="zk-ticket-solutions">
            {solutions.tickets.map((s) => (
              <li key={s.id} data-testid="ticket-solution" data-kind="ticket">
                <Space size={4} wrap>
                  <a href={routeHref({ name: 'tickets', ticketId: s.id })}>{s.subject}</a>
                  <Typography.Text type="secondary">
                    {s.number} · {t('tickets.solutions.score', { score: percent(s.score) })}
                    {s.solvedAt
                      ? ` · ${t('tickets.solutions.solvedAt', { time: formatDateTime(s.solvedAt, locale) })}`
                      : ''}
                  </Typography.Text>
                </Space>
                <Typography.Paragraph
                  className="zk-ticket-solution-text"
                  ellipsis={{ rows: 4, expandable: true }}
                >
                  {s.solution ?? t('tickets.solutions.noSolution')}
                </Typography.Paragraph>
                {onUse && s.solution && (
                  <Button size="small" type="link" onClick={() => onUse(s.solution ?? '')}>
                    {t('tickets.solutions.use')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
