import { z } from "zod";
import { recordAudit } from "../audit/record.ts";
import type { Database } from "../db/database.ts";
import { withoutWorkspace, withWorkspace } from "../db/with-workspace.ts";
import { planFeatures, type Plan } from "../identity/plan-features.ts";
import {
  assignWorkspacePlan,
  countAssignments,
  listPlans,
  planExists,
  setDefaultPlan,
  upsertPlan,
  workspaceExists,
  type PlanDefinition,
} from "../identity/plan-repository.ts";
import type { OutputStream } from "./progress.ts";
import { formatTable } from "./table.ts";

// `parley plans list|set|assign`: the operator defines plans (features and quotas) and puts
// workspaces on them. Plans are the instance's own data (the owner role writes them); an
// assignment is written in the workspace's transaction with its audit entry.

export const planNameSchema = z
  .string()
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "lower-case letters, digits, - and _ (at most 40), starting with a letter or digit");

export const planFeaturesSchema = z
  .string()
  .max(400)
  .transform((value) =>
    value
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== ""),
  )
  .pipe(
    z
      .array(z.enum(planFeatures, { message: `each feature is one of ${planFeatures.join(", ")}` }))
      .max(planFeatures.length)
      .transform((names) => [...new Set(names)]),
  );

/** A quota: a whole number, or `none` for no limit. */
export const quotaSchema = z.union([
  z.literal("none").transform(() => null),
  z.string().max(10).regex(/^\d+$/, "a whole number, or none").transform(Number).pipe(z.number().int().min(0).max(2_000_000_000)),
]);

export const planDefinitionSchema = z.strictObject({
  name: planNameSchema,
  features: z.array(z.enum(planFeatures)).max(planFeatures.length),
  quotas: z.strictObject({
    numbers: z.number().int().min(0).nullable(),
    members: z.number().int().min(0).nullable(),
    contacts: z.number().int().min(0).nullable(),
    broadcast_recipients_per_month: z.number().int().min(0).nullable(),
  }),
  makeDefault: z.boolean(),
});

function quotaText(value: number | null): string {
  return value === null ? "-" : String(value);
}

export function formatPlansTable(plans: ReadonlyArray<Plan & { workspaces: number }>): string {
  const rows = [
    ["PLAN", "DEFAULT", "WORKSPACES", "FEATURES", "NUMBERS", "MEMBERS", "CONTACTS", "BROADCAST/MONTH"],
    ...plans.map((plan) => [
      plan.name,
      plan.isDefault ? "yes" : "",
      String(plan.workspaces),
      plan.features.length === 0 ? "-" : plan.features.join(","),
      quotaText(plan.quotas.numbers),
      quotaText(plan.quotas.members),
      quotaText(plan.quotas.contacts),
      quotaText(plan.quotas.broadcast_recipients_per_month),
    ]),
  ];
  return formatTable(rows);
}

export async function runPlansList(options: { db: Database; out: OutputStream; json: boolean }): Promise<number> {
  const { plans, counts } = await options.db.owner.transaction().execute(async (trx) => ({
    plans: await listPlans(trx),
    counts: await countAssignments(trx),
  }));
  const listed = plans.map((plan) => ({ ...plan, workspaces: counts.get(plan.name) ?? 0 }));
  options.out.write(options.json ? `${JSON.stringify({ plans: listed }, null, 2)}\n` : formatPlansTable(listed));
  return 0;
}

/** Creates or replaces a plan (every feature and quota as given; omitted ones are off / unlimited). Audited in the platform log. */
export async function runPlansSet(options: {
  db: Database;
  out: OutputStream;
  json: boolean;
  plan: PlanDefinition & { makeDefault: boolean };
}): Promise<number> {
  const { plan } = options;
  const now = new Date();
  await options.db.owner.transaction().execute(async (trx) => {
    await upsertPlan(trx, plan, now);
    if (plan.makeDefault) await setDefaultPlan(trx, plan.name);
  });
  await withoutWorkspace(options.db, (trx) =>
    recordAudit(trx, {
      workspaceId: null,
      actor: { type: "system", id: null },
      action: "plan.defined",
      target: { type: "plan", id: plan.name },
      metadata: { features: plan.features.length, default: plan.makeDefault },
    }),
  );
  options.out.write(
    options.json
      ? `${JSON.stringify({ plan: { name: plan.name, features: plan.features, quotas: plan.quotas, isDefault: plan.makeDefault } }, null, 2)}\n`
      : `Plan ${plan.name} saved${plan.makeDefault ? " (the default plan)" : ""}.\n`,
  );
  return 0;
}

/** Puts a workspace on a plan, audited in the workspace's log; exit code 1 for an unknown workspace or plan. */
export async function runPlansAssign(options: {
  db: Database;
  out: OutputStream;
  err: OutputStream;
  json: boolean;
  workspaceId: string;
  plan: string;
}): Promise<number> {
  const { workspaceId, plan } = options;
  const refuse = (message: string): number => {
    if (options.json) options.out.write(`${JSON.stringify({ assigned: false, error: message }, null, 2)}\n`);
    else options.err.write(`${message}\n`);
    return 1;
  };
  const outcome = await withWorkspace(options.db, { workspaceId }, async (trx) => {
    if (!(await workspaceExists(trx, workspaceId))) return { refused: `There is no workspace ${workspaceId}.`, before: null };
    if (!(await planExists(trx, plan))) return { refused: `There is no plan ${plan} (see \`parley plans list\`).`, before: null };
    const before = await assignWorkspacePlan(trx, workspaceId, plan, new Date());
    await recordAudit(trx, {
      workspaceId,
      actor: { type: "system", id: null },
      action: "plan.assigned",
      target: { type: "plan", id: plan },
      metadata: { previous: before ?? "default" },
    });
    return { refused: null, before };
  });
  if (outcome.refused !== null) return refuse(outcome.refused);
  options.out.write(
    options.json
      ? `${JSON.stringify({ assigned: true, workspaceId, plan, previous: outcome.before }, null, 2)}\n`
      : `Workspace ${workspaceId} is on the ${plan} plan (it was on ${outcome.before ?? "the default plan"}).\n`,
  );
  return 0;
}
