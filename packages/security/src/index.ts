// @zhike/security: field and file encryption, audit chain, masking, TOTP, SSRF guard, sign-in throttling.
// Pure building blocks over Node built-ins; storage and HTTP wiring live in @zhike/db and the server.
export { type AuditAction, auditActions, isAuditAction } from './audit/actions.ts';
export {
  type AuditDetails,
  AuditDetailsError,
  type AuditEntry,
  type AuditEntryInput,
  type ChainBreak,
  type ChainVerdict,
  canonicalJson,
  chainEntry,
  GENESIS_HASH,
  hashEntry,
  type VerifyOptions,
  verifyChain,
} from './audit/chain.ts';
export {
  type AuditCheckpoint,
  type AuditLog,
  type AuditRecord,
  type AuditStore,
  createAuditLog,
  createMemoryAuditStore,
} from './audit/log.ts';
export {
  clampRetentionDays,
  MIN_RETENTION_DAYS,
  type PurgePlan,
  planPurge,
  retentionCutoff,
} from './audit/retention.ts';
export { base32Decode, base32Encode } from './auth/base32.ts';
export {
  type CounterStore,
  createLoginThrottle,
  createMemoryCounterStore,
  defaultLoginThrottlePolicy,
  type LoginThrottle,
  type LoginThrottlePolicy,
  type SignInAttempt,
  type ThrottleDecision,
} from './auth/loginThrottle.ts';
export {
  generateTotpSecret,
  hotp,
  otpauthUri,
  type TotpVerdict,
  totp,
  totpStep,
  verifyTotp,
} from './auth/totp.ts';
export {
  DEFAULT_CHUNK_SIZE,
  decryptFile,
  decryptStream,
  encryptFile,
  encryptStream,
  FileDecryptionError,
} from './files/fileCipher.ts';
export { DecryptionError } from './keys/aead.ts';
export { BLIND_INDEX_PREFIX, type LookupKind, normaliseForLookup } from './keys/blindIndex.ts';
export {
  type CodecOptions,
  createKeyring,
  type FieldCodec,
  type Keyring,
  KeyringError,
  type KeyringOptions,
  UnknownKeyError,
} from './keys/keyring.ts';
export {
  createMemoryKeyStore,
  type KeyPurpose,
  type WrappedKeyRow,
  type WrappedKeyStore,
} from './keys/keyStore.ts';
export {
  generateMasterKey,
  type MasterKey,
  MasterKeyError,
  masterKey,
  masterKeyId,
  parseMasterKey,
} from './keys/masterKey.ts';
export { readMasterKeyFile, readOrCreateMasterKeyFile, writeMasterKeyFile } from './keys/masterKeyFile.ts';
export { isSealed, SEALED_PREFIX, SealedValueError } from './keys/sealedValue.ts';
export { maskAddress, maskEmail, maskName, maskPhone } from './masking.ts';
export { blockedRange } from './net/addressRanges.ts';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  ResponseTooLargeError,
  type SafeFetchInit,
  safeFetch,
} from './net/safeFetch.ts';
export {
  assertSafeUrl,
  type ResolvedAddress,
  type Resolver,
  type SafeTarget,
  type SafeUrlOptions,
  systemResolver,
  UnsafeUrlError,
} from './net/safeUrl.ts';
