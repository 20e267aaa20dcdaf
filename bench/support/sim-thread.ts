import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { createSimulator, type SimulatorCredentials } from "../../sim/simulator.ts";
import type { SimulatorOptions } from "../../sim/options.ts";
import type { TemplateRecord } from "../../sim/state.ts";

// The Cloud API simulator on a thread of its own. It stands in for Meta, whose servers are not
// Parley's cost: sharing Parley's event loop would bill every simulated Graph request to the system
// under test. Benchmarks talk to it over HTTP like Parley talks to Meta, and ask the thread for its
// records at the end.

export type SentRecord = {
  acceptedAt: number;
  bizOpaqueCallbackData: string | undefined;
  phoneNumberId: string;
  /** The recipient's phone (kept in memory to find duplicates; never written out). */
  to: string | undefined;
};

type Command = { kind: "records" } | { kind: "close" } | { kind: "template"; template: TemplateRecord };
type Request = Command & { id: number };
type Answer = { id: number; error?: string; records?: SentRecord[]; rateLimited?: Record<string, number> };
type Ready = { ready: SimulatorCredentials };

export type SimulatorThread = {
  credentials: SimulatorCredentials;
  addTemplate(template: TemplateRecord): Promise<void>;
  /** What the simulator accepted on its send endpoint. */
  sentRecords(): Promise<SentRecord[]>;
  /** Send requests answered 130429 (throughput reached), by phone number id. */
  rateLimitedAnswers(): Promise<Record<string, number>>;
  close(): Promise<void>;
};

export async function startSimulatorThread(options: SimulatorOptions): Promise<SimulatorThread> {
  // The thread registers tsx's loader, then loads this same file.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { options } });
  const pending = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const credentials = await new Promise<SimulatorCredentials>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (message: Ready) => resolve(message.ready));
  });
  worker.on("message", (answer: Answer) => {
    const waiter = pending.get(answer.id);
    pending.delete(answer.id);
    if (answer.error) waiter?.reject(new Error(answer.error));
    else waiter?.resolve(answer);
  });
  const ask = (request: Command): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  return {
    credentials,
    async addTemplate(template) {
      await ask({ kind: "template", template });
    },
    async sentRecords() {
      return (await ask({ kind: "records" })).records ?? [];
    },
    async rateLimitedAnswers() {
      return (await ask({ kind: "records" })).rateLimited ?? {};
    },
    async close() {
      await ask({ kind: "close" }).catch(() => undefined);
      await worker.terminate();
    },
  };
}

async function runThread(port: NonNullable<typeof parentPort>, options: SimulatorOptions): Promise<void> {
  const sim = createSimulator(options);
  // Meta's throughput refusals, counted as they leave: the simulator keeps no record of them.
  const rateLimited: Record<string, number> = {};
  sim.app.addHook("onSend", async (request, _reply, payload) => {
    if (typeof payload === "string" && payload.includes('"code":130429')) {
      const phoneNumberId = /\/([^/]+)\/messages/.exec(request.url)?.[1] ?? "unknown";
      rateLimited[phoneNumberId] = (rateLimited[phoneNumberId] ?? 0) + 1;
    }
    return payload;
  });
  await sim.listen(0);
  port.on("message", (request: Request) => {
    void (async (): Promise<Answer> => {
      switch (request.kind) {
        case "template":
          sim.state.templates.set(request.template.id, request.template);
          return { id: request.id };
        case "records":
          return {
            id: request.id,
            records: [...sim.state.outbound.values()].map((send) => ({
              acceptedAt: send.acceptedAt,
              bizOpaqueCallbackData: send.bizOpaqueCallbackData,
              phoneNumberId: send.phoneNumberId,
              to: send.to,
            })),
            rateLimited,
          };
        case "close":
          await sim.close();
          return { id: request.id };
      }
    })().then(
      (answer) => port.postMessage(answer),
      (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : "failed" }),
    );
  });
  port.postMessage({ ready: sim.credentials() } satisfies Ready);
}

if (!isMainThread && parentPort && (workerData as { options?: SimulatorOptions } | null)?.options) {
  await runThread(parentPort, (workerData as { options: SimulatorOptions }).options);
}
