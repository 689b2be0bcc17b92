// Builds or edits a segment, showing how many customers it holds as the conditions change.
import type { SegmentRule, SegmentView } from '@zhike/contracts';
import { Button, Checkbox, Drawer, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

type Props = { open: boolean; segment: SegmentView | null; onClose: () => void; onSaved: () => void };

const emptyRule: SegmentRule = {
  noOrderForDays: 90,
  includeNeverOrdered: false,
  noContactForDays: null,
  rfmMin: null,
  rfmMax: null,
  tags: [],
  tiers: [],
};

export function SegmentDrawer({ open, segment, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [name, setName] = useState('');
  const [rule, setRule] = useState<SegmentRule>(emptyRule);
  const [count, setCount] = useState<{ count: number; total: number } | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    setName(segment?.name ?? '');
    setRule(segment?.rule ?? emptyRule);
  }, [open, segment]);

  // The live count: asked again a moment after the conditions stop changing.
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    setCount(null);
    const timer = setTimeout(() => {
      api
        .countSegment(rule, controller.signal)
        .then(setCount)
        .catch(() => {});
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, open, rule]);

  const patch = (change: Partial<SegmentRule>) => setRule((r) => ({ ...r, ...change }));
  const save = async () => {
    setSaving(true);
    try {
      const body = { name: name.trim(), rule };
      if (segment) await api.updateSegment(segment.id, body);
      else await api.createSegment(body);
      onSaved();
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={480}
      title={segment ? t('outreach.segment.edit') : t('outreach.segment.new')}
      extra={
        <Button
          type="primary"
          loading={saving}
          disabled={!name.trim()}
          onClick={save}
          data-testid="segment-save"
        >
          {t('outreach.save')}
        </Button>
      }
    >
      <Form layout="vertical">
        <Form.Item label={t('outreach.segment.name')} required>
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={80}
            data-testid="segment-name"
          />
        </Form.Item>
        <Form.Item label={t('outreach.segment.noOrderForDays')}>
          <InputNumber
            min={1}
            max={3650}
            value={rule.noOrderForDays}
            onChange={(v) => patch({ noOrderForDays: v ?? null })}
          />
          <Checkbox
            style={{ marginLeft: 12 }}
            checked={rule.includeNeverOrdered}
            onChange={(e) => patch({ includeNeverOrdered: e.target.checked })}
          >
            {t('outreach.segment.includeNeverOrdered')}
          </Checkbox>
        </Form.Item>
        <Form.Item label={t('outreach.segment.noContactForDays')}>
          <InputNumber
            min={1}
            max={3650}
            value={rule.noContactForDays}
            onChange={(v) => patch({ noContactForDays: v ?? null })}
          />
        </Form.Item>
        <Form.Item label={t('outreach.segment.rfm')}>
          <Space>
            <InputNumber
              min={3}
              max={15}
              placeholder={t('outreach.segment.rfmMin')}
              value={rule.rfmMin}
              onChange={(v) => patch({ rfmMin: v ?? null })}
            />
            <InputNumber
              min={3}
              max={15}
              placeholder={t('outreach.segment.rfmMax')}
              value={rule.rfmMax}
              onChange={(v) => patch({ rfmMax: v ?? null })}
            />
          </Space>
        </Form.Item>
        <Form.Item label={t('outreach.segment.tags')}>
          <Select mode="tags" value={rule.tags} onChange={(tags: string[]) => patch({ tags })} />
        </Form.Item>
        <Form.Item label={t('outreach.segment.tiers')}>
          <Select
            mode="multiple"
            value={rule.tiers}
            onChange={(tiers: SegmentRule['tiers']) => patch({ tiers })}
            options={(['new', 'regular', 'vip'] as const).map((v) => ({
              value: v,
              label: t(`outreach.tier.${v}`),
            }))}
          />
        </Form.Item>
      </Form>
      <Typography.Text strong data-testid="segment-count">
        {count ? t('outreach.segment.count', count) : t('outreach.segment.counting')}
      </Typography.Text>
    </Drawer>
  );
}
