// A ticket's SLA as one tag and, beside it, the deadline at stake or when it was missed.
import type { TicketSlaSummary } from '@zhike/contracts';
import { Space, Tag, Typography } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';
import { formatMessageTime } from '../ui/time.ts';
import { slaTag } from './ticketLabels.ts';

type Props = { sla: TicketSlaSummary | null; now: number };

export function SlaBadge({ sla, now }: Props) {
  const { t, locale } = useI18n();
  const tag = slaTag(sla);
  if (!sla || !tag) return <Typography.Text type="secondary">—</Typography.Text>;
  const metric = t(`sla.metric.${sla.metric}`);
  return (
    <Space size={4} wrap data-testid="ticket-sla" data-state={sla.state}>
      <Tag color={tag.color}>{t(tag.label)}</Tag>
      {tag.time && (
        <Typography.Text type={tag.color === 'red' ? 'danger' : 'secondary'} className="zk-ticket-sla-time">
          {t(tag.time.kind === 'due' ? 'tickets.sla.due' : 'tickets.sla.breachedAt', {
            metric,
            time: formatMessageTime(tag.time.at, now, locale),
          })}
        </Typography.Text>
      )}
    </Space>
  );
}
