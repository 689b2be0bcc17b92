// Creates a win-back campaign in draft: segment, channel and account, A/B offer texts, hold-out,
// coupons (generated, or codes imported right after), frequency cap, quiet hours, attribution window.
import type { Inbox, OutreachCampaignBody, SegmentView } from '@zhike/contracts';
import { Button, Drawer, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';

type Props = { open: boolean; segments: SegmentView[]; onClose: () => void; onCreated: () => void };
type Variant = OutreachCampaignBody['variants'][number];

const initial = (): OutreachCampaignBody => ({
  name: '',
  segmentId: '',
  channel: 'sms',
  inboxId: '',
  variants: [{ key: 'A', weight: 50, subject: null, text: '' }],
  holdoutPercent: 10,
  couponMode: 'generated',
  couponPrefix: 'BACK',
  timeZone: 'Asia/Shanghai',
  quietHours: { start: '21:00', end: '09:00' },
  capCount: 1,
  capDays: 7,
  attributionDays: 14,
});

export function CampaignDrawer({ open, segments, onClose, onCreated }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const notifyError = useNotifyError();
  const [body, setBody] = useState<OutreachCampaignBody>(initial);
  const [inboxes, setInboxes] = useState<Inbox[]>([]);
  const [codes, setCodes] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    setBody(initial());
    setCodes('');
    api
      .listInboxes()
      .then((list) => setInboxes(list.inboxes))
      .catch(notifyError);
  }, [api, open, notifyError]);

  const patch = (change: Partial<OutreachCampaignBody>) => setBody((b) => ({ ...b, ...change }));
  const setVariant = (index: number, change: Partial<Variant>) =>
    patch({ variants: body.variants.map((v, i) => (i === index ? { ...v, ...change } : v)) });
  const accounts = inboxes.filter((i) => i.channel === body.channel);

  const save = async () => {
    setSaving(true);
    try {
      const { campaign } = await api.createOutreachCampaign(body);
      const list = codes.split(/\s+/).filter(Boolean);
      if (body.couponMode === 'imported' && list.length > 0) await api.importCoupons(campaign.id, list);
      onCreated();
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
      width={560}
      title={t('outreach.campaign.new')}
      extra={
        <Button type="primary" loading={saving} onClick={save} data-testid="outreach-campaign-save">
          {t('outreach.save')}
        </Button>
      }
    >
      <Form layout="vertical">
        <Form.Item label={t('outreach.campaign.name')} required>
          <Input value={body.name} maxLength={80} onChange={(e) => patch({ name: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('outreach.campaign.segment')} required>
          <Select
            value={body.segmentId || undefined}
            onChange={(segmentId: string) => patch({ segmentId })}
            options={segments.map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Space>
          <Form.Item label={t('outreach.campaign.channel')}>
            <Select
              style={{ width: 140 }}
              value={body.channel}
              onChange={(channel: OutreachCampaignBody['channel']) => patch({ channel, inboxId: '' })}
              options={(['sms', 'email', 'wechat'] as const).map((c) => ({
                value: c,
                label: t(`outreach.channel.${c}`),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('outreach.campaign.inbox')} required>
            <Select
              style={{ width: 260 }}
              value={body.inboxId || undefined}
              onChange={(inboxId: string) => patch({ inboxId })}
              options={accounts.map((i) => ({ value: i.id, label: i.name }))}
            />
          </Form.Item>
        </Space>
        <Form.Item label={t('outreach.campaign.variants')} extra={t('outreach.campaign.variantHelp')}>
          {body.variants.map((v, index) => (
            <Space key={v.key} direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
              <Space>
                <Typography.Text strong>{v.key}</Typography.Text>
                <InputNumber
                  min={1}
                  max={100}
                  addonBefore={t('outreach.campaign.weight')}
                  value={v.weight}
                  onChange={(weight) => setVariant(index, { weight: weight ?? 1 })}
                />
              </Space>
              {body.channel === 'email' && (
                <Input
                  placeholder={t('outreach.campaign.subject')}
                  value={v.subject ?? ''}
                  onChange={(e) => setVariant(index, { subject: e.target.value || null })}
                />
              )}
              <Input.TextArea
                rows={3}
                maxLength={300}
                showCount
                placeholder={t('outreach.campaign.text')}
                value={v.text}
                onChange={(e) => setVariant(index, { text: e.target.value })}
              />
            </Space>
          ))}
          {body.variants.length < 4 && (
            <Button
              onClick={() =>
                patch({
                  variants: [
                    ...body.variants,
                    {
                      key: String.fromCharCode(65 + body.variants.length),
                      weight: 50,
                      subject: null,
                      text: '',
                    },
                  ],
                })
              }
            >
              {t('outreach.campaign.addVariant')}
            </Button>
          )}
        </Form.Item>
        <Space wrap>
          <Form.Item label={t('outreach.campaign.holdout')}>
            <InputNumber
              min={0}
              max={50}
              value={body.holdoutPercent}
              onChange={(v) => patch({ holdoutPercent: v ?? 0 })}
            />
          </Form.Item>
          <Form.Item label={t('outreach.campaign.attributionDays')}>
            <InputNumber
              min={1}
              max={90}
              value={body.attributionDays}
              onChange={(v) => patch({ attributionDays: v ?? 14 })}
            />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item label={t('outreach.campaign.coupons')}>
            <Select
              style={{ width: 220 }}
              value={body.couponMode}
              onChange={(couponMode: OutreachCampaignBody['couponMode']) => patch({ couponMode })}
              options={(['none', 'generated', 'imported'] as const).map((m) => ({
                value: m,
                label: t(`outreach.campaign.coupon.${m}`),
              }))}
            />
          </Form.Item>
          {body.couponMode === 'generated' && (
            <Form.Item label={t('outreach.campaign.couponPrefix')}>
              <Input
                maxLength={8}
                value={body.couponPrefix}
                onChange={(e) => patch({ couponPrefix: e.target.value.toUpperCase() })}
              />
            </Form.Item>
          )}
        </Space>
        {body.couponMode === 'imported' && (
          <Form.Item label={t('outreach.campaign.importCodes')}>
            <Input.TextArea rows={4} value={codes} onChange={(e) => setCodes(e.target.value)} />
          </Form.Item>
        )}
        <Form.Item label={t('outreach.campaign.cap', { count: body.capCount, days: body.capDays })}>
          <Space>
            <InputNumber
              min={1}
              max={100}
              addonBefore={t('outreach.campaign.capCount')}
              value={body.capCount}
              onChange={(v) => patch({ capCount: v ?? 1 })}
            />
            <InputNumber
              min={1}
              max={365}
              addonBefore={t('outreach.campaign.capDays')}
              value={body.capDays}
              onChange={(v) => patch({ capDays: v ?? 7 })}
            />
          </Space>
        </Form.Item>
        <Form.Item label={t('outreach.campaign.quietHours')}>
          <Space>
            <Input
              style={{ width: 90 }}
              value={body.quietHours?.start ?? ''}
              onChange={(e) =>
                patch({ quietHours: { start: e.target.value, end: body.quietHours?.end ?? '09:00' } })
              }
            />
            –
            <Input
              style={{ width: 90 }}
              value={body.quietHours?.end ?? ''}
              onChange={(e) =>
                patch({ quietHours: { start: body.quietHours?.start ?? '21:00', end: e.target.value } })
              }
            />
            <Typography.Text type="secondary">{body.timeZone}</Typography.Text>
          </Space>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
