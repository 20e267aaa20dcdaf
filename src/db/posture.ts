import { sql } from "kysely";
import { APP_ROLE, type Database } from "./database.ts";

// Facts about the database's security posture, read from the catalog. Start-up refuses an unsafe
// runtime role; `parley doctor` reports all of it.

/** Tables that carry no tenant data, with the reason. Every other table must be a tenant table. */
export const NON_TENANT_TABLES: Record<string, string> = {
  parley_migrations: "migration history, owner-only",
  jobs: "job queue; holds identifiers only, never personal data",
  schedules: "periodic work: names, intervals and times only",
  setup_tokens: "one-time setup links for the first Owner; hashes only",
  audit_signing_keys: "audit checkpoint signing keys of the deployment; public keys and KEK-wrapped private keys only",
  users: "accounts span workspaces; e-mail, password hash and a KEK-wrapped TOTP seed only",
  sessions: "a user's sign-in sessions, not bound to one workspace",
  refresh_tokens: "refresh-token families of sessions; SHA-256 hashes only",
  signing_keys: "the server's JWT keyset; private keys wrapped by the KEK",
  recovery_codes: "a user's MFA recovery codes; SHA-256 hashes only",
  login_throttles: "failed-login counters keyed by hashes of e-mail or address",
  server_secrets: "server-wide secrets (CSRF key) wrapped by the KEK",
  plans: "the operator's plan catalogue (feature flags and quotas), the same for every workspace; the runtime role reads it only",
};

/** The tenant root: its rows are workspaces, isolated by their own id. */
export const TENANT_ROOT = "workspaces";

export type RuntimeRoleFacts = {
  role: string;
  sessionUser: string;
  isSuperuser: boolean;
  bypassesRls: boolean;
  ownedTables: string[];
  sessionUserIsSuperuser: boolean;
};

export type TableFacts = {
  table: string;
  hasWorkspaceId: boolean;
  rlsEnabled: boolean;
  rlsForced: boolean;
  policies: number;
  /** Unique constraints and unique indexes that do not include workspace_id. */
  uniqueWithoutWorkspace: string[];
};

/** As the runtime role would act in a request (role set per transaction, like withWorkspace). */
export async function readRuntimeRoleFacts(db: Database): Promise<RuntimeRoleFacts> {
  return db.app.transaction().execute(async (trx) => {
    await sql`select set_config('role', ${APP_ROLE}, true)`.execute(trx);
    const role = await sql<{ role: string; session_user: string; rolsuper: boolean; rolbypassrls: boolean; session_super: boolean }>`
      select current_user as role, session_user as session_user, r.rolsuper, r.rolbypassrls,
             (select s.rolsuper from pg_roles s where s.rolname = session_user) as session_super
      from pg_roles r where r.rolname = current_user`.execute(trx);
    const owned = await sql<{ table: string }>`
      select c.relname as table from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
        and c.relowner = (select oid from pg_roles where rolname = current_user)`.execute(trx);
    const facts = role.rows[0];
    if (!facts) throw new Error(`runtime role ${APP_ROLE} does not exist; run \`parley migrate\``);
    return {
      role: facts.role,
      sessionUser: facts.session_user,
      isSuperuser: facts.rolsuper,
      bypassesRls: facts.rolbypassrls,
      ownedTables: owned.rows.map((row) => row.table),
      sessionUserIsSuperuser: facts.session_super,
    };
  });
}

export function runtimeRoleProblems(facts: RuntimeRoleFacts): string[] {
  const problems: string[] = [];
  if (facts.isSuperuser) problems.push(`runtime role ${facts.role} is a superuser (RLS does not apply to superusers)`);
  if (facts.bypassesRls) problems.push(`runtime role ${facts.role} has BYPASSRLS`);
  if (facts.ownedTables.length > 0) problems.push(`runtime role ${facts.role} owns tables: ${facts.ownedTables.join(", ")}`);
  return problems;
}

/** Refuses to serve with a runtime role that could see across tenants (DESIGN §4). */
export async function assertSafeRuntimeRole(db: Database): Promise<RuntimeRoleFacts> {
  const facts = await readRuntimeRoleFacts(db);
  const problems = runtimeRoleProblems(facts);
  if (problems.length > 0) throw new Error(`Unsafe database role: ${problems.join("; ")}`);
  return facts;
}

export async function readTableFacts(db: Database): Promise<TableFacts[]> {
  const tables = await sql<{ table: string; has_workspace_id: boolean; rls_enabled: boolean; rls_forced: boolean; policies: number }>`
    select c.relname as table,
           exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'workspace_id' and not a.attisdropped) as has_workspace_id,
           c.relrowsecurity as rls_enabled,
           c.relforcerowsecurity as rls_forced,
           (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`.execute(db.owner);
  const uniques = await sql<{ table: string; index: string; has_workspace_id: boolean }>`
    select t.relname as table, i.relname as index,
           exists (
             select 1 from unnest(x.indkey) as k(attnum)
             join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
             where a.attname = 'workspace_id'
           ) as has_workspace_id
    from pg_index x
    join pg_class t on t.oid = x.indrelid
    join pg_class i on i.oid = x.indexrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'public' and x.indisunique`.execute(db.owner);
  return tables.rows.map((row) => ({
    table: row.table,
    hasWorkspaceId: row.has_workspace_id,
    rlsEnabled: row.rls_enabled,
    rlsForced: row.rls_forced,
    policies: row.policies,
    uniqueWithoutWorkspace: uniques.rows
      .filter((unique) => unique.table === row.table && !unique.has_workspace_id)
      .map((unique) => unique.index),
  }));
}

/** Every table is either declared non-tenant, the tenant root, or a correctly protected tenant table. */
export function tableProblems(facts: TableFacts[]): string[] {
  const problems: string[] = [];
  for (const table of facts) {
    if (table.table in NON_TENANT_TABLES) {
      if (table.hasWorkspaceId) problems.push(`${table.table} is declared non-tenant but has workspace_id`);
      continue;
    }
    if (table.table !== TENANT_ROOT && !table.hasWorkspaceId) {
      problems.push(`${table.table} has no workspace_id and is not declared non-tenant`);
      continue;
    }
    if (!table.rlsEnabled) problems.push(`${table.table}: row-level security is not enabled`);
    if (!table.rlsForced) problems.push(`${table.table}: row-level security is not forced`);
    if (table.policies === 0) problems.push(`${table.table}: has no policies`);
    if (table.table !== TENANT_ROOT && table.uniqueWithoutWorkspace.length > 0) {
      problems.push(`${table.table}: unique constraints without workspace_id: ${table.uniqueWithoutWorkspace.join(", ")}`);
    }
  }
  return problems;
}
