// camelCase in TypeScript, snake_case in the database. Kysely's CamelCasePlugin renames by rebuilding
// every query's operation tree before compiling it (a full copy, frozen node by node): about a twentieth
// of a busy server's CPU. Here identifiers are renamed as the compiler writes them, and result rows are
// renamed with a memo; the SQL and the rows are the same as the plugin's.
import {
  CamelCasePlugin,
  type Dialect,
  type Kysely,
  type PluginTransformQueryArgs,
  PostgresDialect,
  PostgresQueryCompiler,
  type QueryCompiler,
  type RootOperationNode,
  SqliteQueryCompiler,
} from 'kysely';

/** Renames memoised: a schema has a few hundred names, asked for millions of times. */
function memoised(rename: (name: string) => string): (name: string) => string {
  const known = new Map<string, string>();
  return (name) => {
    let renamed = known.get(name);
    if (renamed === undefined) {
      renamed = rename(name);
      // Bounded: names from user input (a raw alias) must not grow it without end.
      if (known.size < 10_000) known.set(name, renamed);
    }
    return renamed;
  };
}

/** Kysely's own renaming rules, so names come out exactly as with its plugin. */
class Rules extends CamelCasePlugin {
  snake = (name: string) => this.snakeCase(name);
  camel = (name: string) => this.camelCase(name);
}
const rules = new Rules();
export const toSnakeCase = memoised(rules.snake);
const toCamelCase = memoised(rules.camel);

/** Rows come back camelCased (nested plain objects too, as the plugin does); queries pass untouched. */
export class CamelCaseRowsPlugin extends CamelCasePlugin {
  override transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  protected override camelCase(name: string): string {
    return toCamelCase(name);
  }
}

class SnakeCaseSqliteCompiler extends SqliteQueryCompiler {
  protected override sanitizeIdentifier(identifier: string): string {
    return super.sanitizeIdentifier(toSnakeCase(identifier));
  }
}

class SnakeCasePostgresCompiler extends PostgresQueryCompiler {
  protected override sanitizeIdentifier(identifier: string): string {
    return super.sanitizeIdentifier(toSnakeCase(identifier));
  }
}

/** The dialect with a compiler that writes every identifier in snake_case. */
export function snakeCaseSqlite(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => dialect.createDriver(),
    createIntrospector: (db: Kysely<unknown>) => dialect.createIntrospector(db),
    createQueryCompiler: (): QueryCompiler => new SnakeCaseSqliteCompiler(),
  };
}

export class SnakeCasePostgresDialect extends PostgresDialect {
  override createQueryCompiler(): QueryCompiler {
    return new SnakeCasePostgresCompiler();
  }
}
