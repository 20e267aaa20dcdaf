-- Plans (Messaging at scale, point 6): what a hosting provider sells each client business. A plan
-- is instance-level data (the operator's catalogue, the same for every workspace): its feature
-- flags and quotas. Which plan a workspace is on is the workspace's own row, under RLS like every
-- tenant table. A workspace without an assignment is on the default plan. The seeded default,
-- `unlimited`, enables everything with no quota, so an install that never defines plans behaves
-- exactly as before. Runs unchanged on PostgreSQL 15+ and PGlite, as the owner role.

create table plans (
  name text primary key check (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  -- Feature names of src/features/plans/features.ts; unknown names are refused where plans are written.
  features text[] not null default '{}' check (cardinality(features) <= 50),
  -- Quotas: null is no limit.
  max_numbers integer check (max_numbers >= 0),
  max_members integer check (max_members >= 0),
  max_contacts integer check (max_contacts >= 0),
  max_broadcast_recipients_per_month integer check (max_broadcast_recipients_per_month >= 0),
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- At most one default plan.
create unique index plans_one_default on plans (is_default) where is_default;

insert into plans (name, features, is_default)
values ('unlimited', array['api', 'audit_log', 'webhooks', 'graph_proxy', 'broadcasts', 'templates'], true);

-- The runtime role reads the catalogue (every request of a gated route does); only the operator
-- (the CLI, as the owner) defines plans.
grant select on plans to parley_app;

create table workspace_plans (
  workspace_id uuid primary key references workspaces (id) on delete cascade,
  plan_name text not null references plans (name) on update cascade,
  assigned_at timestamptz not null default now()
);
create index workspace_plans_by_plan on workspace_plans (plan_name);

alter table workspace_plans enable row level security;
alter table workspace_plans force row level security;
create policy workspace_plans_isolation on workspace_plans
  using (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid)
  with check (workspace_id = nullif(current_setting('parley.workspace_id', true), '')::uuid);

-- A workspace reads its own assignment. Only the operator assigns (`parley plans assign`, inside
-- the workspace's transaction so the change and its audit entry commit together): no route writes it.
grant select, insert, update on workspace_plans to parley_app;

-- `parley plans list` counts the workspaces on each plan: as the owner, which forced RLS binds too
-- when it is not a superuser (see 0005).
create policy workspace_plans_operator on workspace_plans for select to current_user using (true);
