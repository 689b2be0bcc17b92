export * from './adapter.ts';
export * from './email/index.ts';
export * from './registry.ts';
