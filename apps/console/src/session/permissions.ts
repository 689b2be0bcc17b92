// What the signed-in user may do, as the server said at sign-in (SessionInfo.permissions). The console
// only hides dead ends with it; the server enforces every permission on every request.
import type { Permission, SessionInfo } from '@zhike/contracts';

export const can = (session: Pick<SessionInfo, 'permissions'>, permission: Permission): boolean =>
  session.permissions.includes(permission);
