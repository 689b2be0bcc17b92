// Composition root of the console: language → theme → session → (login | signed-in workspace).
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { I18nProvider, useI18n } from './i18n/I18nContext.tsx';
import { AppLayout } from './layout/AppLayout.tsx';
import { LoginPage } from './login/LoginPage.tsx';
import { RealtimeProvider } from './realtime/RealtimeContext.tsx';
import { SessionProvider, useSession } from './session/SessionContext.tsx';
import { brandTheme } from './theme.ts';

export function App() {
  return (
    <I18nProvider>
      <ThemedApp />
    </I18nProvider>
  );
}

function ThemedApp() {
  const { locale } = useI18n();
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={brandTheme}>
      <AntApp>
        <SessionProvider>
          <SessionGate />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

function SessionGate() {
  const { state } = useSession();
  const { t } = useI18n();
  if (state.phase === 'restoring') {
    return (
      <div className="zk-fullscreen-center">
        <Spin size="large" description={t('login.restoring')} />
      </div>
    );
  }
  if (state.phase === 'anonymous') return <LoginPage />;
  return (
    <RealtimeProvider key={state.session.user.id}>
      <AppLayout />
    </RealtimeProvider>
  );
}
