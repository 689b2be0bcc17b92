// The one place customer personal data (names, emails, phones, identity values, message text) crosses
// between the domain and storage. With a master key configured, the codec is @zhike/security's keyring
// codec: AES-256-GCM values bound to workspace and field, and a keyed blind index for lookups.
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
