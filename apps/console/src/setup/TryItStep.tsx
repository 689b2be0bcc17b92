// Step 5: the shop's real chat widget, loaded into this page, talking to the bot just configured.
// The conversation is a real one in the shop's inbox, answered by the real bot through the job queue.
import { MessageOutlined } from '@ant-design/icons';
import type { Locale } from '@zhike/contracts';
import { Alert, Button, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';

interface WidgetApi {
  open(): void;
  close(): void;
}
type WidgetWindow = Window & { Zhike?: WidgetApi };

/** Elements the widget added to <body>, so leaving the step can hide them and coming back show them. */
let widgetHosts: Element[] = [];
let loading: Promise<WidgetApi> | null = null;

function loadWidget(widgetToken: string, locale: Locale): Promise<WidgetApi> {
  const w = window as WidgetWindow;
  if (w.Zhike) return Promise.resolve(w.Zhike);
  loading ??= new Promise<WidgetApi>((resolve, reject) => {
    const before = new Set(Array.from(document.body.children));
    const script = document.createElement('script');
    script.src = '/widget.js';
    script.dataset.inbox = widgetToken;
    script.dataset.locale = locale;
    const fail = (reason: string) => {
      loading = null;
      script.remove();
      reject(new Error(reason));
    };
    script.onerror = () => fail('widget.js failed to load');
    // The widget gives up quietly when its inbox cannot be loaded here; do not spin forever.
    const timer = window.setTimeout(() => fail('the widget did not start'), 20_000);
    window.addEventListener(
      'zhike:ready',
      () => {
        window.clearTimeout(timer);
        widgetHosts = Array.from(document.body.children).filter((e) => !before.has(e) && e !== script);
        if (w.Zhike) resolve(w.Zhike);
        else reject(new Error('the widget did not start'));
      },
      { once: true },
    );
    document.body.append(script);
  });
  return loading;
}

function showWidget(visible: boolean): void {
  for (const host of widgetHosts) (host as HTMLElement).style.display = visible ? '' : 'none';
}

export function TryItStep({ widgetToken, botLocale }: { widgetToken: string | null; botLocale: Locale }) {
  const { t } = useI18n();
  const [widget, setWidget] = useState<WidgetApi | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!widgetToken) return;
    let cancelled = false;
    loadWidget(widgetToken, botLocale).then(
      (api) => {
        if (cancelled) return;
        showWidget(true);
        setWidget(api);
        api.open();
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      (window as WidgetWindow).Zhike?.close();
      showWidget(false);
    };
  }, [widgetToken, botLocale]);

  return (
    <section>
      <Typography.Title level={4}>{t('setup.try.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('setup.try.help')}</Typography.Paragraph>
      <Typography.Paragraph>
        <Typography.Text code data-testid="setup-try-suggestion">
          {t('setup.try.suggestion')}
        </Typography.Text>
      </Typography.Paragraph>
      {(failed || !widgetToken) && <Alert type="error" showIcon title={t('setup.try.failed')} />}
      {!failed && widgetToken && !widget && <Spin description={t('setup.try.loading')} />}
      {widget && (
        <Button icon={<MessageOutlined />} onClick={() => widget.open()} data-testid="setup-try-open">
          {t('setup.try.open')}
        </Button>
      )}
    </section>
  );
}
