// First sign-in to a new workspace: owners and admins land on the setup wizard until it is finished.
import { useEffect, useRef } from 'react';
import type { Route } from '../routing/route.ts';
import { can } from '../session/permissions.ts';
import { useSignedIn } from '../session/SessionContext.tsx';

export function useSetupGate(route: Route, navigate: (route: Route) => void): void {
  const { session, api } = useSignedIn();
  const mayConfigure = can(session, 'bot.manage');
  const current = useRef(route);
  current.current = route;
  useEffect(() => {
    if (!mayConfigure) return;
    let cancelled = false;
    // Checked once per sign-in (the layout remounts per user); leaving the wizard on purpose is allowed.
    api.getSetup().then(
      (status) => {
        if (!cancelled && !status.completed && current.current.name !== 'setup') navigate({ name: 'setup' });
      },
      () => {
        // Not knowing is no reason to block the console; the wizard stays reachable from the bot settings.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, mayConfigure, navigate]);
}
