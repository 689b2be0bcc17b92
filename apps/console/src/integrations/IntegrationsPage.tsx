// 设置 → 集成: the order-lookup connector form (secret headers write-only) and a test run against the
// saved settings, so the admin sees the mapped order before customers rely on it.
import { DeleteOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { ApiError } from '../api/problem.ts';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useNotifyError } from '../ui/useNotifyError.ts';
import { ConnectorTestPanel } from './ConnectorTestPanel.tsx';
import {
  bodyFromForm,
  type ConnectorFormValues,
  emptyConnectorForm,
  formFromConnector,
  MAPPING_KEYS,
} from './connectorForm.ts';
import { useOrderLookupConnector } from './useOrderLookupConnector.ts';

/** `body/mapping/status` → ['mapping', 'status']; `body/headers/0/name` → ['headers', 0, 'name']. */
const fieldPath = (path: string): (string | number)[] =>
  path
    .replace(/^body\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));

export function IntegrationsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<ConnectorFormValues>();
  const { connector, save, saving, test, testing, result } = useOrderLookupConnector();
  const method = Form.useWatch('method', form);

  useEffect(() => {
    if (connector !== undefined)
      form.setFieldsValue(connector ? formFromConnector(connector) : emptyConnectorForm());
  }, [connector, form]);

  const onFinish = async (values: ConnectorFormValues) => {
    try {
      await save(bodyFromForm(values));
      message.success(t('integrations.saved'));
    } catch (error) {
      // The server's field paths are data, not the form's typed names; they line up by construction.
      if (error instanceof ApiError && error.fieldErrors.length > 0)
        form.setFields(
          error.fieldErrors
            .map((e) => ({ name: fieldPath(e.path), errors: [e.message] }))
            .filter((f) => f.name.length > 0) as unknown as Parameters<typeof form.setFields>[0],
        );
      notifyError(error);
    }
  };

  return (
    <div className="zk-page" data-testid="integrations-page">
      <div className="zk-page-head">
        <div>
          <Typography.Title level={3}>{t('integrations.title')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('integrations.intro')}</Typography.Paragraph>
        </div>
      </div>
      <Card title={t('integrations.orderLookup.title')} loading={connector === undefined}>
        <Form<ConnectorFormValues> form={form} layout="vertical" onFinish={onFinish} disabled={saving}>
          <Form.Item
            name="enabled"
            label={t('integrations.enabled')}
            valuePropName="checked"
            extra={t('integrations.enabledHelp')}
          >
            <Switch data-testid="connector-enabled" />
          </Form.Item>
          <Space.Compact className="zk-full-width">
            <Form.Item name="method" label={t('integrations.method')}>
              <Select
                style={{ width: 110 }}
                options={[
                  { value: 'GET', label: 'GET' },
                  { value: 'POST', label: 'POST' },
                ]}
                data-testid="connector-method"
              />
            </Form.Item>
            <Form.Item
              name="urlTemplate"
              label={t('integrations.url')}
              extra={t('integrations.urlHelp')}
              className="zk-full-width"
              rules={[{ required: true, pattern: /^https?:\/\/.+/, message: t('integrations.urlRequired') }]}
            >
              <Input
                placeholder="https://erp.example.com/api/orders/{{order_number}}"
                data-testid="connector-url"
              />
            </Form.Item>
          </Space.Compact>

          <Typography.Title level={5}>{t('integrations.headers')}</Typography.Title>
          <Form.List name="headers">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <HeaderFields key={field.key} index={field.name} onRemove={() => remove(field.name)} />
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ name: '', secret: false, value: '', set: false })}
                  data-testid="connector-header-add"
                >
                  {t('integrations.headerAdd')}
                </Button>
              </>
            )}
          </Form.List>

          {method === 'POST' && (
            <Form.Item
              name="bodyTemplate"
              label={t('integrations.body')}
              extra={t('integrations.bodyHelp')}
              className="zk-section"
            >
              <Input.TextArea
                rows={4}
                placeholder='{"order_no": "{{order_number}}"}'
                data-testid="connector-body"
              />
            </Form.Item>
          )}

          <Typography.Title level={5} className="zk-section">
            {t('integrations.mapping')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('integrations.mappingHelp')}</Typography.Paragraph>
          {MAPPING_KEYS.map((key) => (
            <Form.Item
              key={key}
              name={['mapping', key]}
              label={t(`integrations.mapping.${key}`)}
              rules={key === 'status' ? [{ required: true, pattern: /^\$/, message: '$…' }] : []}
            >
              <Input placeholder="$." data-testid={`connector-mapping-${key}`} />
            </Form.Item>
          ))}
          <Form.Item
            name="notFoundPath"
            label={t('integrations.notFoundPath')}
            extra={t('integrations.notFoundPathHelp')}
          >
            <Input placeholder="$.data" data-testid="connector-not-found" />
          </Form.Item>

          <Space size="large" wrap>
            <Form.Item name="timeoutMs" label={t('integrations.timeout')}>
              <InputNumber min={100} max={10_000} step={500} data-testid="connector-timeout" />
            </Form.Item>
            <Form.Item name="retries" label={t('integrations.retries')} extra={t('integrations.retriesHelp')}>
              <InputNumber min={0} max={5} data-testid="connector-retries" />
            </Form.Item>
          </Space>
          <Form.Item
            name="allowedHosts"
            label={t('integrations.allowedHosts')}
            extra={t('integrations.allowedHostsHelp')}
          >
            <Select
              mode="tags"
              open={false}
              tokenSeparators={[',', ' ']}
              data-testid="connector-allowed-hosts"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="connector-save">
            {t('integrations.save')}
          </Button>
        </Form>
      </Card>
      {connector === null ? (
        <Alert className="zk-section" type="info" showIcon title={t('integrations.test.saveFirst')} />
      ) : (
        connector && <ConnectorTestPanel onTest={test} testing={testing} result={result} />
      )}
    </div>
  );
}

function HeaderFields({ index, onRemove }: { index: number; onRemove: () => void }) {
  const { t } = useI18n();
  const secret = Form.useWatch(['headers', index, 'secret']);
  const set = Form.useWatch(['headers', index, 'set']);
  return (
    <div>
      <Space align="start" wrap data-testid="connector-header">
        <Form.Item name={[index, 'name']} rules={[{ required: true, message: t('integrations.headerName') }]}>
          <Input placeholder={t('integrations.headerName')} data-testid="connector-header-name" />
        </Form.Item>
        <Form.Item name={[index, 'value']}>
          {secret ? (
            <Input.Password
              placeholder={set ? t('integrations.headerSecretSet') : t('integrations.headerValue')}
              autoComplete="new-password"
              style={{ width: 280 }}
              data-testid="connector-header-value"
            />
          ) : (
            <Input
              placeholder={t('integrations.headerValue')}
              style={{ width: 280 }}
              data-testid="connector-header-value"
            />
          )}
        </Form.Item>
        <Form.Item name={[index, 'secret']} valuePropName="checked">
          <Switch
            checkedChildren={<LockOutlined />}
            unCheckedChildren={t('integrations.headerSecret')}
            data-testid="connector-header-secret"
          />
        </Form.Item>
        <Form.Item name={[index, 'set']} hidden>
          <Input />
        </Form.Item>
        <Button
          type="text"
          danger
          icon={<DeleteOutlined />}
          onClick={onRemove}
          aria-label={t('integrations.headerRemove')}
        />
      </Space>
    </div>
  );
}
