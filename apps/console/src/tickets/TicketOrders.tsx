// The orders a ticket is about (order numbers, as the shop writes them): shown as tags, and editable by
// people who work tickets (typed or pasted, upper-cased like the server stores them).
import { EditOutlined } from '@ant-design/icons';
import { Button, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';

type Props = {
  orderNumbers: readonly string[];
  /** Saves the new list; false when it failed. Null: read-only. */
  onSave: ((orderNumbers: string[]) => Promise<boolean>) | null;
};

const ORDER_NUMBER = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_ORDERS = 20;

/** What the input holds, as the API takes it: trimmed, upper-cased, valid, once each, at most 20. */
export const cleanOrderNumbers = (values: readonly string[]): string[] =>
  [...new Set(values.map((v) => v.trim().toUpperCase()).filter((v) => ORDER_NUMBER.test(v)))].slice(
    0,
    MAX_ORDERS,
  );

export function TicketOrders({ orderNumbers, onSave }: Props) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<string[] | null>(null);
  const [saving, setSaving] = useState(false);

  if (draft) {
    const save = async () => {
      if (!onSave) return;
      setSaving(true);
      const ok = await onSave(cleanOrderNumbers(draft));
      setSaving(false);
      if (ok) setDraft(null);
    };
    return (
      <Space.Compact style={{ width: '100%' }}>
        <Select
          mode="tags"
          value={draft}
          onChange={(v: string[]) => setDraft(cleanOrderNumbers(v))}
          tokenSeparators={[',', '，', ' ', '\n']}
          open={false}
          style={{ minWidth: 220 }}
          placeholder={t('tickets.orders.placeholder')}
          data-testid="ticket-orders-input"
        />
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="ticket-orders-save">
          {t('tickets.detail.saveFields')}
        </Button>
        <Button onClick={() => setDraft(null)}>{t('tickets.detail.cancel')}</Button>
      </Space.Compact>
    );
  }
  return (
    <Space size={4} wrap data-testid="ticket-orders">
      {orderNumbers.length > 0 ? (
        orderNumbers.map((n) => <Tag key={n}>{n}</Tag>)
      ) : (
        <Typography.Text type="secondary">{t('tickets.orders.none')}</Typography.Text>
      )}
      {onSave && (
        <Button
          size="small"
          type="text"
          icon={<EditOutlined />}
          aria-label={t('tickets.orders.edit')}
          data-testid="ticket-orders-edit"
          onClick={() => setDraft([...orderNumbers])}
        />
      )}
    </Space>
  );
}
