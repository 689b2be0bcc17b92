// Request/response schemas shared by the server (validation, OpenAPI), the console and the widget.
export * from './auth.ts';
export * from './common.ts';
export * from './conversations.ts';
export * from './errors.ts';
export * from './inboxes.ts';
export * from './realtime.ts';
export * from './widget.ts';
