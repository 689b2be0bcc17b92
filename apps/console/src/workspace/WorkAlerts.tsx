// New work for the agent, heard even from another tab: a browser notification and a short chime when a
// conversation is assigned to them or offered to them. The header's bell turns each on or off (kept in
// this browser, per user); browser permission is asked only when the agent turns notifications on.
import { BellOutlined } from '@ant-design/icons';
import { App, Button, Popover, Space, Switch, Typography } from 'antd';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useI18n } from '../i18n/I18nContext.tsx';
import { useConsoleFrames } from '../realtime/RealtimeContext.tsx';
import { routeHref } from '../routing/route.ts';
import { useSignedIn } from '../session/SessionContext.tsx';
import { playChime } from './chime.ts';
import {
  alertFor,
  loadNotifySettings,
  type NotifySettings,
  saveNotifySettings,
  type WorkAlert,
} from './notifications.ts';

type AlertsValue = {
  settings: NotifySettings;
  change: (patch: Partial<NotifySettings>) => void;
  /** Plays the chime now (the toggle's preview; also unlocks audio after a click). */
  preview: () => void;
};

const AlertsContext = createContext<AlertsValue | null>(null);

const notificationsSupported = () => typeof window !== 'undefined' && 'Notification' in window;

export function WorkAlertsProvider({
  openConversationId,
  children,
}: {
  openConversationId: string | null;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const userId = session.user.id;
  const [settings, setSettings] = useState(() => loadNotifySettings(window.localStorage, userId));
  const audio = useRef<AudioContext | null>(null);
  const mine = useRef(new Set<string>());
  const open = useRef(openConversationId);
  open.current = openConversationId;

  // What is already the agent's is not news: learn it before the first frame can count as an assignment.
  useEffect(() => {
    const controller = new AbortController();
    api.listConversations({ assignee: 'me', limit: 100 }, controller.signal).then(
      (list) => {
        for (const c of list.conversations) mine.current.add(c.id);
      },
      () => {}, // without the list, a later frame about an old conversation may chime once; harmless
    );
    return () => controller.abort();
  }, [api]);

  const chime = useCallback(() => {
    if (typeof AudioContext === 'undefined') return; // no WebAudio here: the notification still shows
    audio.current ??= new AudioContext();
    const context = audio.current;
    // Browsers start audio suspended until the page had a click; resuming may fail silently then.
    void context.resume().then(
      () => playChime(context),
      () => {},
    );
  }, []);

  const announce = useCallback(
    (alert: WorkAlert) => {
      if (settings.sound) chime();
      if (!settings.desktop || !notificationsSupported() || Notification.permission !== 'granted') return;
      const title = alert.kind === 'offer' ? t('alerts.offer.title') : t('alerts.assigned.title');
      const body = alert.customerName
        ? t('alerts.body.named', { name: alert.customerName })
        : t('alerts.body.anonymous');
      let notification: Notification;
      try {
        notification = new Notification(title, { body, tag: alert.tag });
      } catch {
        return; // mobile browsers only notify from a service worker; the in-page offer card remains
      }
      notification.onclick = () => {
        window.focus();
        window.location.hash = routeHref({
          name: 'inbox',
          conversationId: alert.kind === 'assigned' ? alert.conversationId : null,
        });
        notification.close();
      };
    },
    [chime, settings, t],
  );

  useConsoleFrames((frame) => {
    const alert = alertFor(frame, {
      userId,
      mine: mine.current,
      openConversationId: open.current,
      focused: document.hasFocus(),
    });
    if (alert) announce(alert);
  });

  const change = useCallback(
    (patch: Partial<NotifySettings>) =>
      setSettings((current) => {
        const next = { ...current, ...patch };
        saveNotifySettings(window.localStorage, userId, next);
        return next;
      }),
    [userId],
  );
  const value = useMemo(() => ({ settings, change, preview: chime }), [settings, change, chime]);
  return <AlertsContext.Provider value={value}>{children}</AlertsContext.Provider>;
}

function useWorkAlerts(): AlertsValue {
  const value = useContext(AlertsContext);
  if (!value) throw new Error('useWorkAlerts outside WorkAlertsProvider');
  return value;
}

/** The header's bell: browser notifications and the chime, each on or off. */
export function WorkAlertsToggle() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { settings, change, preview } = useWorkAlerts();
  const supported = notificationsSupported();
  const denied = supported && Notification.permission === 'denied';

  const toggleDesktop = async (on: boolean) => {
    if (!on) return change({ desktop: false });
    if (!supported) return;
    // Asked here, from the agent's own click, never on page load.
    const permission =
      Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
    if (permission === 'granted') change({ desktop: true });
    else message.warning(t('alerts.permissionDenied'));
  };

  const content = (
    <Space direction="vertical" size="middle" style={{ width: 260 }} data-testid="alerts-panel">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text>{t('alerts.desktop')}</Typography.Text>
        <Switch
          size="small"
          checked={settings.desktop && !denied}
          disabled={!supported || denied}
          onChange={(on) => void toggleDesktop(on)}
          data-testid="alerts-desktop"
        />
      </Space>
      {!supported && <Typography.Text type="secondary">{t('alerts.unsupported')}</Typography.Text>}
      {denied && <Typography.Text type="secondary">{t('alerts.blocked')}</Typography.Text>}
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text>{t('alerts.sound')}</Typography.Text>
        <Switch
          size="small"
          checked={settings.sound}
          onChange={(on) => {
            change({ sound: on });
            if (on) preview();
          }}
          data-testid="alerts-sound"
        />
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('alerts.hint')}
      </Typography.Text>
    </Space>
  );
  const active = settings.sound || (settings.desktop && !denied);
  return (
    <Popover content={content} title={t('alerts.title')} trigger="click" placement="bottomRight">
      <Button
        type="text"
        icon={<BellOutlined style={active ? undefined : { opacity: 0.45 }} />}
        aria-label={t('alerts.title')}
        data-testid="alerts-toggle"
      />
    </Popover>
  );
}
