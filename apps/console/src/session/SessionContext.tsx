// The signed-in user and workspace, the API client bound to their CSRF token, and login/logout.
import type { LoginBody, SessionInfo, TwoFactorChallenge, TwoFactorLoginBody } from '@zhike/contracts';
import { App } from 'antd';
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
import { createZhikeApi, type ZhikeApi } from '../api/endpoints.ts';
import { createHttpClient } from '../api/http.ts';
import { useI18n } from '../i18n/I18nContext.tsx';

export type SessionState =
  | { phase: 'restoring' }
  | { phase: 'anonymous' }
  | { phase: 'signedIn'; session: SessionInfo };

type SessionValue = {
  state: SessionState;
  api: ZhikeApi;
  /** Resolves with the code challenge when a second step is needed, otherwise signs in. */
  login: (body: LoginBody) => Promise<TwoFactorChallenge | null>;
  completeTwoFactor: (body: TwoFactorLoginBody) => Promise<void>;
  /** The server ended this session (revoked elsewhere, expired): back to the sign-in page. */
  sessionEnded: () => void;
  logout: () => Promise<void>;
};

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ phase: 'restoring' });
  const csrfToken = useRef<string | null>(null);
  const signedInRef = useRef(false);
  const { message } = App.useApp();
  const { t } = useI18n();
  const expiredText = useRef(t('error.sessionExpired'));
  expiredText.current = t('error.sessionExpired');

  const sessionEnded = useCallback(() => {
    csrfToken.current = null;
    if (signedInRef.current) message.warning({ content: expiredText.current, key: 'session-expired' });
    signedInRef.current = false;
    setState({ phase: 'anonymous' });
  }, [message]);

  const api = useMemo(
    () =>
      createZhikeApi(
        createHttpClient({
          fetch: (input, init) => window.fetch(input, init),
          getCsrfToken: () => csrfToken.current,
          onUnauthenticated: sessionEnded,
        }),
      ),
    [sessionEnded],
  );

  const signIn = useCallback((session: SessionInfo) => {
    csrfToken.current = session.csrfToken;
    signedInRef.current = true;
    setState({ phase: 'signedIn', session });
  }, []);

  useEffect(() => {
    let cancelled = false;
    api.me().then(
      (session) => !cancelled && signIn(session),
      () => !cancelled && setState({ phase: 'anonymous' }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, signIn]);

  const login = useCallback(
    async (body: LoginBody) => {
      const answer = await api.login(body);
      if ('twoFactorRequired' in answer) return answer;
      signIn(answer);
      return null;
    },
    [api, signIn],
  );
  const completeTwoFactor = useCallback(
    async (body: TwoFactorLoginBody) => signIn(await api.loginTwoFactor(body)),
    [api, signIn],
  );
  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      csrfToken.current = null;
      signedInRef.current = false;
      setState({ phase: 'anonymous' });
    }
  }, [api]);

  const value = useMemo<SessionValue>(
    () => ({ state, api, login, completeTwoFactor, sessionEnded, logout }),
    [state, api, login, completeTwoFactor, sessionEnded, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** For components that only render while signed in. */
export function useSignedIn(): { session: SessionInfo; api: ZhikeApi; logout: () => Promise<void> } {
  const { state, api, logout } = useSession();
  if (state.phase !== 'signedIn') throw new Error('useSignedIn while not signed in');
  return { session: state.session, api, logout };
}
