// @zhike/server: build a server with createApp(loadConfig(process.env)).
export { type AppOptions, createApp, type ZhikeApp } from './app.ts';
export { type AuditActor, actorOf, cliActor, recordAudit } from './audit.ts';
export { type Config, ConfigError, configVars, type FileStoreConfig, loadConfig } from './config.ts';
export type { AppContext } from './context.ts';
export { encryptedFileFolders, SECRET_FILE } from './dataFolders.ts';
export { generateHistory, type HistorySummary, simulatedClock } from './demo/history.ts';
export { checkFileStore, createFileStore } from './files/fileStore.ts';
export { createApiKey } from './http/apiKeys.ts';
export type { SeedResult } from './seed.ts';
export { createWorkspace, type NewWorkspace } from './workspaces.ts';
