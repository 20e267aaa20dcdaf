import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import type { FastifyInstance } from "fastify";
import { createClock, createScheduler } from "./clock.ts";
import type { Clock } from "./clock.ts";
import type { SimContext } from "./context.ts";
import { createControlApi } from "./control/control-api.ts";
import type { ControlApi } from "./control/control-api.ts";
import { installAccount } from "./control/accounts.ts";
import { registerControlRoutes } from "./control/routes.ts";
import { graphNotFound, registerGraphRoutes, sendGraph } from "./graph/routes.ts";
import { resolveOptions } from "./options.ts";
import type { ResolvedOptions, SimulatorOptions } from "./options.ts";
import { createRng } from "./random.ts";
import type { Rng } from "./random.ts";
import { createDefaultFaults } from "./state.ts";
import type { PhoneNumberRecord, SimState } from "./state.ts";
import { createWebhookDispatcher } from "./webhooks/dispatcher.ts";

export type SimulatorCredentials = {
  baseUrl: string;
  graphBaseUrl: string;
  appId: string;
  appSecret: string;
  wabaId: string;
  accessToken: string;
  phoneNumbers: { id: string; displayPhoneNumber: string }[];
  webhookUrl: string | undefined;
};

export type Simulator = ControlApi & {
  app: FastifyInstance;
  state: SimState;
  clock: Clock;
  options: ResolvedOptions;
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
  url(): string;
  credentials(): SimulatorCredentials;
};

function createPhoneNumbers(options: ResolvedOptions): Map<string, PhoneNumberRecord> {
  return new Map(
    options.phoneNumbers.map((p) => [
      p.id,
      {
        id: p.id,
        wabaId: options.wabaId,
        displayPhoneNumber: p.displayPhoneNumber,
        verifiedName: p.verifiedName,
        throughput: p.throughput,
        registered: true,
        pin: undefined,
        registerCalls: [],
        deregisterCalls: [],
        recentSends: [],
      },
    ]),
  );
}

function createState(options: ResolvedOptions): SimState {
  return {
    appId: options.appId,
    appSecret: options.appSecret,
    wabaId: options.wabaId,
    webhookUrl: options.webhookUrl,
    accounts: new Map(),
    phoneNumbers: createPhoneNumbers(options),
    tokens: new Map(),
    customers: new Map(),
    customersByUserId: new Map(),
    outbound: new Map(),
    inbound: new Map(),
    media: new Map(),
    templates: new Map(),
    templateCreationTimes: [],
    businessManagementRequestTimes: [],
    deliveries: [],
    faults: createDefaultFaults(),
  };
}

// A local stand-in for Meta's Cloud API: Graph endpoints, signed webhooks and a control API.
export function createSimulator(input: SimulatorOptions = {}): Simulator {
  const options = resolveOptions(input);
  const state = createState(options);
  const clock = createClock(options.clock);
  const scheduler = createScheduler(clock);
  let rng = createRng(options.seed);
  let baseUrl: string | undefined = options.publicUrl;

  // Reset re-seeds the generator, so the dispatcher reads it through this indirection.
  const seededRng: Rng = { next: () => rng.next(), chance: (p) => rng.chance(p) };
  const ctx: SimContext = {
    state,
    options,
    clock,
    scheduler,
    rng: seededRng,
    dispatcher: createWebhookDispatcher({ state, clock, scheduler, rng: seededRng, options: options.webhooks }),
    urlSigningKey: randomBytes(32),
    templateOutcomes: new Map(),
    uploads: new Map(),
    uploadHandles: new Map(),
    publicUrl: () => baseUrl ?? `http://${options.host}`,
  };

  let sandboxToken = "";
  const control = createControlApi(ctx, {
    reset() {
      scheduler.cancelAll();
      ctx.dispatcher.reset();
      rng = createRng(options.seed);
      const fresh = createState(options);
      const accounts = [...state.accounts.values()];
      Object.assign(state, { ...fresh, webhookUrl: state.webhookUrl, appSecret: state.appSecret });
      // Accounts are the tenants' credentials, like the sandbox token: they survive a reset.
      for (const account of accounts) installAccount(state, clock.now(), account);
      ctx.templateOutcomes.clear();
      ctx.uploads.clear();
      ctx.uploadHandles.clear();
      // The sandbox credential survives a reset so that connected clients keep working.
      if (sandboxRecord) state.tokens.set(sandboxRecord.token, { ...sandboxRecord, expiresAt: undefined });
    },
  });

  function issueSandboxToken(): void {
    if (options.accessToken) {
      state.tokens.set(options.accessToken, {
        token: options.accessToken,
        type: "SYSTEM_USER",
        issuedAt: clock.now(),
        expiresAt: undefined,
        scopes: ["whatsapp_business_management", "whatsapp_business_messaging", "business_management"],
        userId: "122100000000000001",
      });
      sandboxToken = options.accessToken;
    } else {
      sandboxToken = control.createToken().token;
    }
  }
  issueSandboxToken();
  const sandboxRecord = state.tokens.get(sandboxToken);

  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  app.addContentTypeParser(["application/json", "text/plain"], { parseAs: "string" }, (_request, body, done) => done(null, body));
  app.addContentTypeParser("application/octet-stream", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  app.addContentTypeParser("multipart/form-data", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
  registerGraphRoutes(app, ctx);
  registerControlRoutes(app, control, () => credentials(), options.controlToken);
  app.setNotFoundHandler((_request, reply) => sendGraph(reply, graphNotFound()));

  function credentials(): SimulatorCredentials {
    const base = ctx.publicUrl();
    return {
      baseUrl: base,
      graphBaseUrl: `${base}/v25.0`,
      appId: state.appId,
      appSecret: state.appSecret,
      wabaId: state.wabaId,
      accessToken: sandboxToken,
      phoneNumbers: [...state.phoneNumbers.values()].map((p) => ({ id: p.id, displayPhoneNumber: p.displayPhoneNumber })),
      webhookUrl: state.webhookUrl,
    };
  }

  return {
    ...control,
    app,
    state,
    clock,
    options,
    async listen(port = 0) {
      await app.listen({ port, host: options.host });
      const address = app.server.address() as AddressInfo;
      baseUrl ??= `http://${options.host}:${address.port}`;
      return baseUrl;
    },
    async close() {
      scheduler.cancelAll();
      await ctx.dispatcher.close();
      await app.close();
    },
    url: () => ctx.publicUrl(),
    credentials,
  };
}
