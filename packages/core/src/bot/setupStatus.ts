// Whether a workspace still needs the setup wizard, and whether its bot answers customers at all.
import type { BotSettings } from '../model.ts';

/** What the wizard leaves behind (migration 0009). */
export interface WorkspaceSetup {
  /** false = the bot stays silent and every customer message goes to people. */
  botEnabled: boolean;
  /** When the owner finished the wizard; null while it is under way. */
  completedAt: string | null;
  updatedAt: string;
}

export interface WorkspaceSetupRepository {
  get(): Promise<WorkspaceSetup | null>;
  save(input: { botEnabled: boolean; completedAt: string | null }, at: string): Promise<WorkspaceSetup>;
}

export interface SetupStatus {
  completed: boolean;
  completedAt: string | null;
  botEnabled: boolean;
}

/**
 * A workspace with no setup record is new unless it already has a bot: one configured before the wizard
 * existed or without it (the seeded demo shop, the API) is not sent through the wizard again.
 */
export function setupStatus(setup: WorkspaceSetup | null, settings: BotSettings | null): SetupStatus {
  if (!setup) return { completed: settings !== null, completedAt: null, botEnabled: true };
  return {
    completed: setup.completedAt !== null,
    completedAt: setup.completedAt,
    botEnabled: setup.botEnabled,
  };
}
