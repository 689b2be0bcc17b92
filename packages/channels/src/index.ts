export * from './adapter.ts';
export { DEMO_PROVIDER_PREFIX } from './demo/demoChannels.ts';
export * from './email/index.ts';
export * from './registry.ts';
