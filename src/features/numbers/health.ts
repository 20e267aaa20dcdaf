import { z } from "zod";
import type { Tx } from "../../db/database.ts";
import { withoutWorkspace, withWorkspace } from "../../db/with-workspace.ts";
import { defineJob } from "../../jobs/definition.ts";
import { defineSchedule } from "../../jobs/schedule.ts";
import type { JobDependencies, Services } from "../../services.ts";
import { GraphError, type GraphClient } from "../../whatsapp/graph-client.ts";
import { HEALTH_FIELDS, readPhoneNumberHealth, type NumberHealthChange } from "../../whatsapp/number-health.ts";
import {
  dropPreviousAccessTokens,
  findNumber,
  listConnectedNumberIds,
  listWabaNumbers,
  loadNumberCredentials,
  updateNumberHealth,
  type NumberView,
} from "./repository.ts";
import { describeGraphFailure } from "./graph-words.ts";
import { graphClientFor } from "./service.ts";

// A number's health — Meta's status, quality rating, messaging limit, throughput and display-name
// review — read from Graph on a schedule (every connected number of every workspace, hourly) and
// on demand, and updated between reads by the phone_number_quality_update,
// business_capability_update and account_update webhooks (parsed in the channel adapter).

/** Reads the number's health from Graph and stores it; a Graph failure is stored in words and thrown. */
export async function refreshNumberHealth(
  services: Services,
  workspaceId: string,
  numberId: string,
  graph: GraphClient = graphClientFor(services),
): Promise<NumberView | undefined> {
  const credentials = await withWorkspace(services.db, { workspaceId }, (trx) =>
    loadNumberCredentials(trx, services.keyring, workspaceId, numberId),
  );
  if (!credentials) return undefined;
  const checkedAt = new Date();
  try {
    const body = await graph.request({
      method: "GET",
      path: `/${credentials.phoneNumberId}`,
      token: credentials.accessToken,
      query: { fields: HEALTH_FIELDS.join(",") },
    });
    const health = readPhoneNumberHealth(body);
    return await withWorkspace(services.db, { workspaceId }, async (trx) => {
      await updateNumberHealth(trx, workspaceId, numberId, { ...health, checkedAt, error: null });
      return findNumber(trx, workspaceId, numberId);
    });
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    const words = describeGraphFailure(error);
    await withWorkspace(services.db, { workspaceId }, (trx) => updateNumberHealth(trx, workspaceId, numberId, { checkedAt, error: words }));
    throw error;
  }
}

/**
 * Applies health webhooks of one delivery, in order: each to the WABA's numbers, or to the one whose
 * display number ends in the change's last four digits when it names one and one matches.
 */
export async function applyNumberHealth(trx: Tx, workspaceId: string, changes: readonly NumberHealthChange[]): Promise<void> {
  for (const change of changes) {
    const numbers = await listWabaNumbers(trx, workspaceId, change.wabaId);
    const named = change.displayLast4 === null ? [] : numbers.filter((number) => number.displayPhoneLast4 === change.displayLast4);
    for (const number of named.length > 0 ? named : numbers) await updateNumberHealth(trx, workspaceId, number.id, change.health);
  }
}

export const NUMBER_HEALTH_QUEUE = "numbers.health";

/**
 * Every connected number, one after the other (Graph is asked once per number per run; the
 * Business Management budget is per WABA and hourly). A number that fails keeps its error in words
 * and does not stop the others. The previous access tokens whose overlap ended are dropped here too.
 */
export async function refreshAllNumbersHealth(services: Services): Promise<{ numbers: number; failed: number }> {
  const numbers = await withoutWorkspace(services.db, (trx) => listConnectedNumberIds(trx));
  const workspaces = new Set(numbers.map((number) => number.workspaceId));
  for (const workspaceId of workspaces)
    await withWorkspace(services.db, { workspaceId }, (trx) => dropPreviousAccessTokens(trx, workspaceId, new Date()));
  let failed = 0;
  for (const { workspaceId, numberId } of numbers) {
    try {
      await refreshNumberHealth(services, workspaceId, numberId);
    } catch (error) {
      failed += 1;
      services.logger.warn(
        { component: "numbers.health", workspaceId, numberId, code: error instanceof GraphError ? error.code : undefined },
        "number health could not be read from Graph",
      );
    }
  }
  services.logger.info({ component: "numbers.health", numbers: numbers.length, failed }, "number health refreshed");
  return { numbers: numbers.length, failed };
}

export const refreshNumbersHealthJob = defineJob({
  queue: "numbers.health.refresh",
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      await refreshAllNumbersHealth(services);
    },
});

export const refreshNumbersHealthSchedule = defineSchedule({
  name: "numbers.health.refresh",
  every: 60 * 60_000,
  job: refreshNumbersHealthJob,
  payload: {},
});
