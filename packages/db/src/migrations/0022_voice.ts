// The voice channel (issue 9): one row per call (parties sealed, timestamps of each step, the encrypted
// recording's file and sealed key, the per-call trace as JSON and what the call used), its transcript as
// speaker-separated segments (text sealed), each workspace's daily voice usage meters, and its speech
// provider settings (secrets sealed like channel secrets).
import type { Kysely, Migration } from 'kysely';

export const voice: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('calls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('inbox_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('transport', 'text', (c) => c.notNull())
      // Sealed: a caller's number is personal data.
      .addColumn('from_uri', 'text', (c) => c.notNull())
      .addColumn('to_uri', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'text')
      .addColumn('handed_off_at', 'text')
      .addColumn('agent_answered_at', 'text')
      .addColumn('ended_at', 'text')
      .addColumn('end_reason', 'text')
      .addColumn('agent_id', 'text')
      .addColumn('recording_file_id', 'text')
      // Sealed: whoever holds the key can read the file.
      .addColumn('recording_key', 'text')
      .addColumn('recording_ms', 'integer')
      .addColumn('recording_bytes', 'integer')
      // JSON array of trace events: stage names and timings only, no speech.
      .addColumn('trace', 'text', (c) => c.notNull())
      .addColumn('talk_seconds', 'integer', (c) => c.notNull())
      .addColumn('asr_ms', 'integer', (c) => c.notNull())
      .addColumn('tts_characters', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('calls_by_workspace').on('calls').columns(['workspace_id', 'id']).execute();
    await db.schema
      .createIndex('calls_by_conversation')
      .on('calls')
      .columns(['workspace_id', 'conversation_id'])
      .execute();

    await db.schema
      .createTable('call_transcript_segments')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('call_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('speaker', 'text', (c) => c.notNull())
      .addColumn('start_ms', 'integer', (c) => c.notNull())
      .addColumn('end_ms', 'integer', (c) => c.notNull())
      // Sealed: what the caller said.
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('language', 'text')
      .addPrimaryKeyConstraint('call_transcript_segments_pk', ['workspace_id', 'call_id', 'seq'])
      .execute();

    await db.schema
      .createTable('voice_usage')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addColumn('inbound_seconds', 'integer', (c) => c.notNull())
      .addColumn('outbound_seconds', 'integer', (c) => c.notNull())
      .addColumn('inbound_minutes', 'integer', (c) => c.notNull())
      .addColumn('outbound_minutes', 'integer', (c) => c.notNull())
      .addColumn('asr_ms', 'integer', (c) => c.notNull())
      .addColumn('tts_characters', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('voice_usage_pk', ['workspace_id', 'day'])
      .execute();

    await db.schema
      .createTable('speech_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('secrets', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
