// Kysely over better-sqlite3, with the two things the stock SQLite driver lacks under load:
//  - a first-come, first-served lock on the one connection: the stock lock wakes every waiter on each
//    release and lets them race for it, so with hundreds of requests waiting (a burst of inbound
//    messages) each transaction's end cost a wake-up per waiter and throughput fell as load rose;
//  - prepared statements kept by their SQL: the query builder sends the same few hundred statements
//    over and over, and preparing one costs more than running it.
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
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

class Connection implements DatabaseConnection {
  constructor(
    private readonly prepare: (sql: string) => SQLite.Statement,
    private readonly database: SQLite.Database,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return {
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    };
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('SQLite streams select queries only');
    // Its own statement: an iterator holds it busy until the caller stops reading.
    const statement = this.database.prepare(query.sql);
    for (const row of statement.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }
}

class Sqlite3Driver implements Driver {
  readonly #lock = new FifoLock();
  readonly #connection: Connection;

  constructor(private readonly database: SQLite.Database) {
    this.#connection = new Connection(statementCache(database), database);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quote(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quote(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quote(name)}`));
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  async destroy(): Promise<void> {
    this.database.close();
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
