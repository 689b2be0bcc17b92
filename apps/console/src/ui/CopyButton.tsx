import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';

type Props = { text: string } & Pick<ButtonProps, 'size' | 'type'> & { 'data-testid'?: string };

export function CopyButton({ text, size, type, ...rest }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      message.success(t('channels.copied'));
    } catch {
      message.error(t('channels.copyFailed'));
    }
  };
  return (
    <Button
      size={size}
      type={type}
      icon={copied ? <CheckOutlined /> : <CopyOutlined />}
      onClick={copy}
      {...rest}
    >
      {copied ? t('channels.copied') : t('channels.copy')}
    </Button>
  );
}
