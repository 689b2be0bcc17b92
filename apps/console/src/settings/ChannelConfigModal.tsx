// Creating a channel inbox (pick a provider, name it, fill in its settings) or editing one's settings.
import type { ChannelAdapterInfo, Inbox } from '@zhike/contracts';
import { App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useSignedIn } from '../session/SessionContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { ChannelConfigFields, configValues } from './ChannelConfigFields.tsx';

type Props = {
  adapters: ChannelAdapterInfo[];
  /** The inbox being edited; absent when creating one. */
  inbox?: Inbox;
  onClose: () => void;
  onSaved: (inbox: Inbox) => void;
};

export function ChannelConfigModal({ adapters, inbox, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [adapterId, setAdapterId] = useState<string | undefined>(inbox?.adapter ?? undefined);
  const [saving, setSaving] = useState(false);
  const adapter = adapters.find((a) => a.id === adapterId);

  const submit = async () => {
    const values = await form.validateFields();
    if (!adapter) return;
    setSaving(true);
    try {
      const config = configValues(adapter, values);
      const saved = inbox
        ? await api.updateInbox(inbox.id, { name: String(values.name), config })
        : await api.createChannelInbox({ name: String(values.name), adapter: adapter.id, config });
      message.success(inbox ? t('channels.saved') : t('channels.created'));
      onSaved(saved);
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={inbox ? t('channels.editTitle', { name: inbox.name }) : t('channels.addTitle')}
      okText={inbox ? t('channels.save') : t('channels.create')}
      onOk={submit}
      confirmLoading={saving}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: inbox?.name ?? '', ...(inbox?.config ?? {}) }}
        data-testid="channel-config-form"
      >
        {!inbox && (
          <Form.Item label={t('channels.adapter')} required>
            <Select
              value={adapterId}
              onChange={setAdapterId}
              placeholder={t('channels.adapterPlaceholder')}
              notFoundContent={t('channels.noAdapters')}
              options={adapters.map((a) => ({
                value: a.id,
                label: `${t(`channel.${a.channel}`)} · ${a.id}`,
              }))}
              data-testid="channel-adapter"
            />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t('channels.name')}
          rules={[{ required: true, whitespace: true, message: t('channels.nameRequired') }]}
        >
          <Input maxLength={100} data-testid="channel-name" />
        </Form.Item>
        {adapter && <ChannelConfigFields adapter={adapter} secretsSet={inbox?.secretsSet ?? []} />}
      </Form>
    </Modal>
  );
}
