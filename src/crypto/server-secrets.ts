import { randomBytes } from "node:crypto";
import { withoutWorkspace } from "../db/with-workspace.ts";
import type { Services } from "../services.ts";

// Deployment-wide HMAC keys (CSRF tokens, realtime tickets, signed media and export URLs): 256 random bits
// each, stored in `server_secrets` wrapped by the KEK (AAD binds the name), created by the first
// instance that needs one and read by every other. Unwrapped keys stay in memory per services.

export type ServerSecretName = "csrf_hmac_key" | "realtime_ticket_key" | "media_url_hmac_key" | "subject_export_url_key";

const loaded = new WeakMap<Services, Map<ServerSecretName, Promise<Buffer>>>();

async function loadServerSecret(services: Services, name: ServerSecretName): Promise<Buffer> {
  const aad = `server_secrets|${name}`;
  return withoutWorkspace(services.db, async (trx) => {
    const wrapped = services.keyring.provider.wrap(randomBytes(32), aad);
    await trx
      .insertInto("server_secrets")
      .values({ name, wrapped })
      .onConflict((conflict) => conflict.column("name").doNothing())
      .execute();
    const row = await trx.selectFrom("server_secrets").select("wrapped").where("name", "=", name).executeTakeFirstOrThrow();
    return services.keyring.provider.unwrap(row.wrapped, aad);
  });
}

/** The named server secret; loaded (or created) once per services, retried after a failure. */
export function serverSecret(services: Services, name: ServerSecretName): Promise<Buffer> {
  let secrets = loaded.get(services);
  if (!secrets) {
    secrets = new Map();
    loaded.set(services, secrets);
  }
  let secret = secrets.get(name);
  if (!secret) {
    secret = loadServerSecret(services, name);
    secrets.set(name, secret);
    secret.catch(() => secrets.delete(name));
  }
  return secret;
}
