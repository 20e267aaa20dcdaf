import type { FastifyInstance } from "fastify";
import { createHttpApp } from "../../src/http/app.ts";
import type { RouteDefinition } from "../../src/http/define-route.ts";
import { routes as allRoutes, webhookDocs } from "../../src/http/routes.ts";
import { createAuthenticator } from "../../src/identity/authenticator.ts";
import type { Services } from "../../src/services.ts";
import { createTestDatabase, type TestDatabase } from "./engine.ts";
import { captureLogs, createTestServices, type LogCapture } from "./services.ts";

// The HTTP app in-process, as the route tests use it: real services over a fresh test database of
// the pass's engine.

export type TestHttpApp = {
  db: TestDatabase;
  logs: LogCapture;
  services: Services;
  app: FastifyInstance;
  /** Closes the app and the coordination, and drops the database. */
  close(): Promise<void>;
};

/** The app with `routes` (every registered route unless given), signing callers in unless `authenticate` is false. */
export async function startTestHttpApp(
  options: { routes?: readonly RouteDefinition[]; authenticate?: boolean } = {},
): Promise<TestHttpApp> {
  const db = await createTestDatabase();
  const logs = captureLogs();
  const services = createTestServices({ db, logs });
  let app: FastifyInstance;
  try {
    app = await createHttpApp({
      services,
      routes: options.routes ?? allRoutes,
      ...(options.routes ? {} : { webhooks: webhookDocs }),
      ...(options.authenticate === false ? {} : { authenticate: createAuthenticator(services) }),
    });
  } catch (error) {
    await services.coordination.close();
    await db.drop();
    throw error;
  }
  return {
    db,
    logs,
    services,
    app,
    async close() {
      await app.close();
      await services.coordination.close();
      await db.drop();
    },
  };
}
