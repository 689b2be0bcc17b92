// Form fields generated from an adapter's config schema (JSON Schema from TypeBox): strings, numbers,
// booleans and enumerations; secret fields are password inputs that say "已设置" when a value is stored,
// and are left out of the saved config when empty (the stored secret stays).
import type { ChannelAdapterInfo } from '@zhike/contracts';
import { Form, Input, InputNumber, Select, Switch } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';

interface FieldSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  anyOf?: FieldSchema[];
  const?: unknown;
  default?: unknown;
}

/** Choices of a field whose schema is an enum or a union of literals. */
function choicesOf(schema: FieldSchema): string[] | null {
  if (schema.enum) return schema.enum.map(String);
  const consts = schema.anyOf?.filter((s) => s.const !== undefined).map((s) => String(s.const));
  return consts && consts.length > 0 && consts.length === schema.anyOf?.length ? consts : null;
}

const typeOf = (schema: FieldSchema) => [schema.type].flat().find((t) => t && t !== 'null') ?? 'string';

export function configFieldsOf(adapter: ChannelAdapterInfo) {
  const schema = adapter.configSchema as { properties?: Record<string, FieldSchema>; required?: string[] };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, field]) => ({
    name,
    field,
    required: required.has(name),
    secret: adapter.secretFields.includes(name),
  }));
}

/** The form's values as the API takes them: empty secrets and empty optional fields left out. */
export function configValues(adapter: ChannelAdapterInfo, values: Record<string, unknown>) {
  const out: Record<string, string | number | boolean | null> = {};
  for (const { name, secret, required } of configFieldsOf(adapter)) {
    const value = values[name];
    if (value === undefined || value === '') {
      if (!secret && !required) out[name] = null;
      continue;
    }
    out[name] = value as string | number | boolean;
  }
  return out;
}

export function ChannelConfigFields({
  adapter,
  secretsSet,
}: {
  adapter: ChannelAdapterInfo;
  /** Secret fields already stored (editing): not required, shown as set. */
  secretsSet: readonly string[];
}) {
  const { t } = useI18n();
  return (
    <>
      {configFieldsOf(adapter).map(({ name, field, required, secret }) => {
        const label = field.title ?? name;
        const stored = secret && secretsSet.includes(name);
        const rules = required && !stored ? [{ required: true, message: t('channels.required') }] : [];
        const choices = choicesOf(field);
        const type = typeOf(field);
        const help = stored ? t('channels.secretSetHelp') : field.description;
        if (type === 'boolean')
          return (
            <Form.Item key={name} name={name} label={label} extra={help} valuePropName="checked">
              <Switch />
            </Form.Item>
          );
        return (
          <Form.Item key={name} name={name} label={label} extra={help} rules={rules}>
            {secret ? (
              <Input.Password
                autoComplete="new-password"
                placeholder={stored ? t('channels.secretSet') : ''}
                data-testid={`channel-config-${name}`}
              />
            ) : choices ? (
              <Select options={choices.map((c) => ({ value: c, label: c }))} allowClear={!required} />
            ) : type === 'number' || type === 'integer' ? (
              <InputNumber className="zk-full-width" />
            ) : (
              <Input data-testid={`channel-config-${name}`} />
            )}
          </Form.Item>
        );
      })}
    </>
  );
}
