// Shared building blocks for every schema: ids, timestamps, locales, pagination.
import Type from 'typebox';

/** Sortable, unguessable id (UUIDv7, canonical lowercase form). */
export const Id = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
  description: 'UUIDv7',
});
export const IdParams = Type.Object({ id: Id });
export type IdParams = Type.Static<typeof IdParams>;

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
export const Locale = Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')]);
export type Locale = Type.Static<typeof Locale>;

export const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50 });
export const Cursor = Type.String({ maxLength: 200, description: 'Opaque cursor from a previous page' });
