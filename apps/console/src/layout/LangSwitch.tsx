import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useI18n } from '../i18n/I18nContext.tsx';

/** One click toggles zh-CN ⇄ en-US; the label names the language you switch to. */
export function LangSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      data-testid="lang-switch"
      data-locale={locale}
      onClick={() => setLocale(locale === 'zh-CN' ? 'en-US' : 'zh-CN')}
    >
      {t('header.switchLanguage')}
    </Button>
  );
}
