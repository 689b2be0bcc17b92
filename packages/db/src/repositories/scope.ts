// What every scoped repository is built from: a query executor and the workspace it is confined to.
import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.ts';
import type { PersonalDataCodec } from '../personalData.ts';
import type { DB } from '../schema.ts';

export interface Scope {
  db: Kysely<DB>;
  workspaceId: string;
  dialect: Dialect;
  /** The workspace's codec; async because the first use may load (or create) its keys. */
  codec: () => Promise<PersonalDataCodec>;
  /** Seals with the customer's own key (crypto-shredding); opens like `codec`. */
  customerCodec: (customerId: string) => Promise<PersonalDataCodec>;
  /** Destroys the customer's keys: what they sealed can never be opened again. */
  destroyCustomerKeys: (customerId: string) => Promise<number>;
  newId: () => string;
}

export const parseList = <T>(json: string): T[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? (value as T[]) : [];
};
