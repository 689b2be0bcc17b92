// The one place customer personal data (names, emails, phones, identity values, message text) crosses
// between the domain and storage. With a master key configured, the codec is @zhike/security's keyring
// codec: AES-256-GCM values bound to workspace and field, and a keyed blind index for lookups.
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

export interface PersonalDataCodec {
  /** `field` names the column; bound into the ciphertext so a value moved to another column fails to open. */
  seal(value: string, field?: string): string;
  open(stored: string, field?: string): string;
  /**
   * Deterministic form used for equality lookups (identity values); a keyed blind index once encrypted.
   * `kind` picks the normalisation (phone: digits without +86; email: lower-case; text: trimmed).
   */
  lookup(value: string, kind?: 'phone' | 'email' | 'text'): string;
}

export const plaintextCodec: PersonalDataCodec = {
  seal: (value) => value,
  open: (stored) => stored,
  lookup: (value) => value,
};

/** Where each workspace's codec comes from: plaintext, or the keyring (see database.ts). */
export type CodecProvider = (workspaceId: string) => Promise<PersonalDataCodec>;

export const plaintextCodecs: CodecProvider = async () => plaintextCodec;

/**
 * Per-customer data keys (crypto-shredding): everything that belongs to one customer is sealed with their
 * own key, wrapped by the master key like the workspace's. Every codec opens values of any key of its
 * workspace, because rows mix workspace-key values (older writes) with customer-key ones.
 */
export interface CustomerKeys {
  /**
   * Seals with the customer's key, creating it on first use. `executor` is the caller's transaction (or
   * the pool), through which a new key row is written where a key query outside it would wait (SQLite).
   */
  codec(workspaceId: string, customerId: string, executor: Kysely<DB>): Promise<PersonalDataCodec>;
  /** Destroys the customer's keys; every value and file key sealed with them is unreadable after. */
  destroy(workspaceId: string, customerId: string): Promise<number>;
}

export const plaintextCustomerKeys: CustomerKeys = {
  codec: async () => plaintextCodec,
  destroy: async () => 0,
};

export const sealNullable = (
  codec: PersonalDataCodec,
  value: string | null | undefined,
  field?: string,
): string | null => (value == null ? null : codec.seal(value, field));
export const openNullable = (
  codec: PersonalDataCodec,
  value: string | null,
  field?: string,
): string | null => (value == null ? null : codec.open(value, field));
