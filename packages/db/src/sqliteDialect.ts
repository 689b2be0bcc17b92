// Kysely over better-sqlite3, with the two things the stock SQLite driver lacks under load:
//  - a first-come, first-served lock on the one connection: the stock lock wakes every waiter on each
//    release and lets them race for it, so with hundreds of requests waiting (a burst of inbound
//    messages) each transaction's end cost a wake-up per waiter and throughput fell as load rose;
//  - prepared statements kept by their SQL: the query builder sends the same few hundred statements
//    over and over, and preparing one costs more than running it.
import type SQLite from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/** Statements kept; the app's distinct statements number a few hundred. */
const STATEMENTS = 2000;

/** One holder at a time; the others wait their turn in arrival order. */
export class FifoLock {
  #held = false;
  #waiting: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    // Handed straight to the next in line: the lock is never free for a latecomer to take first.
    if (next) next();
    else this.#held = false;
  }

  get waiting(): number {
    return this.#waiting.length;
  }
}

/** Prepared statements by SQL text, the least recently used dropped past `limit`. */
export function statementCache(database: SQLite.Database, limit = STATEMENTS) {
  const statements = new Map<string, SQLite.Statement>();
  return (sql: string): SQLite.Statement => {
    const kept = statements.get(sql);
    // A statement still stepping through an iterator cannot run again until it is done.
    if (kept && !kept.busy) {
      statements.delete(sql);
      statements.set(sql, kept);
      return kept;
    }
    const statement = database.prepare(sql);
    if (!kept) {
      statements.set(sql, statement);
      if (statements.size > limit) statements.delete(statements.keys().next().value as string);
    }
    return statement;
  };
}

/** Transactions one group commit holds at most, and the longest its first member waits for it. */
const GROUP_MEMBERS = 64;
const GROUP_MAX_AGE_MS = 20;

/** Transactions committed together: one SQLite transaction (one WAL sync), each member a savepoint. */
interface Group {
  members: number;
  openedAt: number;
  committed: Promise<void>;
  settle(error?: unknown): void;
}

function newGroup(): Group {
  let settle: (error?: unknown) => void = () => {};
  const committed = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // Awaited by the members that handed the connection on; a group of rolled-back members has none.
  committed.catch(() => {});
  return { members: 0, openedAt: Date.now(), committed, settle };
}

/** One holder's use of the connection (a transaction, or queries outside one). */
class Connection implements DatabaseConnection {
  /** The savepoint of the transaction this holder runs inside the group; null outside a transaction. */
  savepoint: string | null = null;
  /** This holder passed the connection on before its group committed, so its release is done. */
  handedOn = false;

  constructor(private readonly driver: Sqlite3Driver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }

  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.driver.stream<R>(this, query);
  }
}

/**
 * Group commit. A transaction that ends while others wait for the connection does not commit alone: it
 * hands the connection on and its commit resolves once the group it joined commits, which the last
 * member does when nobody waits any more (or the group is full or old enough). Each member runs in a
 * savepoint, so one rolling back undoes only its own writes. A burst of acknowledgements thus costs
 * one WAL sync, not one each, and nobody is answered before their writes are durable. Reads outside a
 * transaction run at once and see members' writes (committed, or about to be); a write outside a
 * transaction commits the group first, then runs on its own.
 */
class Sqlite3Driver implements Driver {
  readonly #lock = new FifoLock();
  readonly #prepare: (sql: string) => SQLite.Statement;
  #group: Group | null = null;
  #savepoints = 0;

  constructor(private readonly database: SQLite.Database) {
    this.#prepare = statementCache(database);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return new Connection(this);
  }

  async execute<R>(connection: Connection, query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(query.sql);
    if (connection.savepoint === null && this.#group && (!statement.readonly || this.#old(this.#group)))
      this.#commitGroup();
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return {
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    };
  }

  async *stream<R>(connection: Connection, query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('SQLite streams select queries only');
    if (connection.savepoint === null && this.#group) this.#commitGroup();
    // Its own statement: an iterator holds it busy until the caller stops reading.
    const statement = this.database.prepare(query.sql);
    for (const row of statement.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const holder = connection as Connection;
    if (!this.#group) {
      this.database.exec('begin');
      this.#group = newGroup();
    }
    const name = `zk_member_${++this.#savepoints}`;
    this.database.exec(`savepoint ${name}`);
    holder.savepoint = name;
    this.#group.members++;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const holder = connection as Connection;
    const group = this.#group;
    if (!group || holder.savepoint === null || !this.database.inTransaction) {
      // SQLite rolled the whole transaction back under this member (disk full, I/O error).
      holder.savepoint = null;
      this.#commitGroup();
      throw new Error('the transaction was rolled back by SQLite before it could commit');
    }
    this.database.exec(`release ${holder.savepoint}`);
    holder.savepoint = null;
    if (this.#due(group)) {
      this.#commitGroup();
    } else {
      holder.handedOn = true;
      this.#lock.release();
    }
    await group.committed;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const holder = connection as Connection;
    const name = holder.savepoint;
    holder.savepoint = null;
    if (name === null || holder.handedOn) return; // its group failed to commit: nothing of it is left
    if (this.database.inTransaction) {
      this.database.exec(`rollback to ${name}`);
      this.database.exec(`release ${name}`);
    }
    if (this.#group && (!this.database.inTransaction || this.#due(this.#group))) this.#commitGroup();
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.database.exec(`savepoint ${quote(name)}`);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.database.exec(`rollback to ${quote(name)}`);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.database.exec(`release ${quote(name)}`);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const holder = connection as Connection;
    if (holder.handedOn) return;
    // Nobody left to join the group (or it waited long enough): commit it now.
    if (this.#group && this.#due(this.#group)) this.#commitGroup();
    this.#lock.release();
  }

  async destroy(): Promise<void> {
    this.#commitGroup();
    this.database.close();
  }

  /**
   * Whether the group commits now: nobody waits to join it, it is full, or its first member has waited
   * long enough. Checked whenever a holder lets go and before reads outside transactions, so readers
   * taking turns (the connection never idle) cannot keep a group open.
   */
  #due(group: Group): boolean {
    return this.#lock.waiting === 0 || group.members >= GROUP_MEMBERS || this.#old(group);
  }

  #old(group: Group): boolean {
    return Date.now() - group.openedAt >= GROUP_MAX_AGE_MS;
  }

  /** Commits the open group, if any, and tells its members; on failure they all get the error. */
  #commitGroup(): void {
    const group = this.#group;
    if (!group) return;
    this.#group = null;
    try {
      if (!this.database.inTransaction) throw new Error('the grouped transaction was rolled back by SQLite');
      this.database.exec('commit');
      group.settle();
    } catch (error) {
      if (this.database.inTransaction) this.database.exec('rollback');
      group.settle(error);
    }
  }
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export function sqlite3Dialect(database: SQLite.Database): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new Sqlite3Driver(database),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  };
}
