// The one place customer personal data (names, emails, phones, identity values, message text) crosses
// between the domain and storage. Plaintext today; the security issue plugs field encryption in here.
export interface PersonalDataCodec {
  seal(value: string): string;
  open(stored: string): string;
  /** Deterministic form used for equality lookups (identity values); a blind index once encrypted. */
  lookup(value: string): string;
}

export const plaintextCodec: PersonalDataCodec = {
  seal: (value) => value,
  open: (stored) => stored,
  lookup: (value) => value,
};

export const sealNullable = (codec: PersonalDataCodec, value: string | null | undefined): string | null =>
  value == null ? null : codec.seal(value);
export const openNullable = (codec: PersonalDataCodec, value: string | null): string | null =>
  value == null ? null : codec.open(value);
