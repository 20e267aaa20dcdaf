import { CompiledQuery, PostgresDialect, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from "kysely";

// Every request's transaction starts with BEGIN and then the tenant context (withWorkspace): two
// round trips to PostgreSQL before the first real statement. On the hot paths (webhook batches,
// send claims and acceptances, job completions) round trips are what the work waits on, so this
// driver folds them into one: BEGIN is held back until the transaction's first statement, and
// when that statement is the tenant context — parameterless, marked with TENANT_CONTEXT_MARKER —
// both leave in one simple-protocol message ("begin; select set_config(…)"). Any other first
// statement gets its own BEGIN first, exactly as before. A transaction that ran nothing sends
// neither BEGIN nor COMMIT. Transactions with an isolation level or access mode begin at once.

/** Starts the one statement that may travel with BEGIN; it must take no parameters. */
export const TENANT_CONTEXT_MARKER = "/* parley:tenant-context */";

class FoldingConnection implements DatabaseConnection {
  beginPending = false;

  constructor(readonly inner: DatabaseConnection) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.beginPending && query.parameters.length === 0 && query.sql.startsWith(TENANT_CONTEXT_MARKER)) {
      this.beginPending = false;
      // Two statements in one message: the driver answers with neither's rows (the tenant
      // context's are never read).
      await this.inner.executeQuery(CompiledQuery.raw(`begin; ${query.sql}`));
      return { rows: [] };
    }
    await this.sendPendingBegin();
    return this.inner.executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    await this.sendPendingBegin();
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }

  /** A first statement that cannot travel with BEGIN gets its own BEGIN first. */
  private async sendPendingBegin(): Promise<void> {
    if (!this.beginPending) return;
    this.beginPending = false;
    await this.inner.executeQuery(CompiledQuery.raw("begin"));
  }
}

class FoldedBeginDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new FoldingConnection(await this.inner.acquireConnection());
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const folding = connection as FoldingConnection;
    if (settings.isolationLevel !== undefined || settings.accessMode !== undefined) return this.inner.beginTransaction(folding, settings);
    folding.beginPending = true;
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.end(connection as FoldingConnection, (folding) => this.inner.commitTransaction(folding));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.end(connection as FoldingConnection, (folding) => this.inner.rollbackTransaction(folding));
  }

  /** COMMIT or ROLLBACK — or nothing, for a transaction whose BEGIN never had to leave. */
  private async end(folding: FoldingConnection, send: (folding: FoldingConnection) => Promise<void>): Promise<void> {
    if (folding.beginPending) {
      folding.beginPending = false;
      return;
    }
    await send(folding);
  }

  // Savepoints run through the folding connection, so a pending BEGIN goes first.
  savepoint: Driver["savepoint"] = (connection, name, compile) => this.inner.savepoint!(connection, name, compile);
  rollbackToSavepoint: Driver["rollbackToSavepoint"] = (connection, name, compile) =>
    this.inner.rollbackToSavepoint!(connection, name, compile);
  releaseSavepoint: Driver["releaseSavepoint"] = (connection, name, compile) => this.inner.releaseSavepoint!(connection, name, compile);

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    const folding = connection as FoldingConnection;
    // A connection never goes back to the pool owing a BEGIN: the next borrower starts clean.
    folding.beginPending = false;
    return this.inner.releaseConnection(folding.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** PostgresDialect whose transactions send BEGIN with their tenant context (see above). */
export class FoldedBeginPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new FoldedBeginDriver(super.createDriver());
  }
}
