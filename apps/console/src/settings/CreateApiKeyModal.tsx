// Two steps in one modal: name the key, then show its secret — the only time it is ever visible.
import type { CreatedApiKey } from '@zhike/contracts';
import { Alert, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { CopyButton } from '../ui/CopyButton.tsx';

type Props = {
  open: boolean;
  onCreate: (name: string) => Promise<CreatedApiKey | null>;
  onClose: () => void;
};

export function CreateApiKeyModal({ open, onCreate, onClose }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ name: string }>();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const close = () => {
    setCreated(null);
    form.resetFields();
    onClose();
  };

  const submit = async ({ name }: { name: string }) => {
    setCreating(true);
    const result = await onCreate(name.trim());
    setCreating(false);
    if (result) setCreated(result);
  };

  if (created) {
    return (
      <Modal
        open={open}
        title={t('apiKeys.createdTitle')}
        closable={false}
        mask={{ closable: false }}
        footer={
          <Button type="primary" onClick={close} data-testid="api-key-done">
            {t('apiKeys.done')}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={t('apiKeys.createdWarning')} className="zk-section" />
        <div className="zk-code-row">
          <pre className="zk-code" data-testid="api-key-secret">
            {created.secret}
          </pre>
          <CopyButton text={created.secret} />
        </div>
      </Modal>
    );
  }

  return (
    <Modal
      open={open}
      title={t('apiKeys.create')}
      onCancel={close}
      okText={t('apiKeys.create')}
      cancelText={t('common.cancel')}
      confirmLoading={creating}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="name"
          label={t('apiKeys.name')}
          rules={[{ required: true, whitespace: true, max: 100, message: t('apiKeys.nameRequired') }]}
        >
          <Input
            placeholder={t('apiKeys.namePlaceholder')}
            autoFocus
            maxLength={100}
            data-testid="api-key-name"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
