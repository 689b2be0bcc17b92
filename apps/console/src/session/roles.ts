import type { Role } from '@zhike/contracts';

/**
 * Whether to offer workspace administration (API keys, inbox settings) in the navigation.
 * SessionInfo carries only the role, not the permission set, so this mirrors the server's matrix
 * for owner/admin; the server still enforces every permission, this only hides dead ends.
 */
export function managesWorkspace(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}
