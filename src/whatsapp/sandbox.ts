import { randomBytes, randomInt } from "node:crypto";
import { createSimulator, type Simulator } from "../../sim/index.ts";
import type { TemplateRecord } from "../../sim/state.ts";

// Sandbox mode (DESIGN §3): the Graph transport is the built-in Cloud API simulator, running in
// this process on loopback. Its state lives in memory; the database is the truth. Each workspace's
// sandbox number is an account of its own on the simulator (app secret, WABA, phone number, token,
// webhook target), and start-up re-registers every connected one from the database
// (src/features/numbers/sandbox.ts).
//
// The simulator's control API (/_sim/…) lets a caller write as any customer and read what
// customers received, so it is closed: it needs a bearer token drawn at random by this process
// and never written anywhere. Parley itself drives the simulator in-process.

/** Starts the sandbox simulator on 127.0.0.1 (random port), with no number of its own, and returns it listening. */
export async function startSandbox(): Promise<Simulator> {
  const simulator = createSimulator({
    host: "127.0.0.1",
    phoneNumbers: [],
    appSecret: randomBytes(32).toString("base64url"),
    controlToken: randomBytes(32).toString("base64url"),
  });
  await simulator.listen(0);
  return simulator;
}

export type SandboxTemplate = Pick<TemplateRecord, "id" | "name" | "language" | "category" | "parameterFormat" | "components" | "status">;

/**
 * A new sandbox WABA gets one approved utility template, so the template picker has something to
 * offer when a conversation's 24-hour window is closed. Connecting the number syncs it into Parley.
 */
export function seedSandboxTemplates(simulator: Simulator, wabaId: string = simulator.state.wabaId): void {
  if ([...simulator.state.templates.values()].some((template) => template.wabaId === wabaId)) return;
  restoreSandboxTemplate(simulator, wabaId, {
    id: `1${String(randomInt(0, 1e9)).padStart(9, "0")}${String(randomInt(0, 1e6)).padStart(6, "0")}`,
    name: "order_update",
    language: "en_US",
    category: "UTILITY",
    parameterFormat: "POSITIONAL",
    components: [
      { type: "HEADER", format: "TEXT", text: "Your order" },
      { type: "BODY", text: "Hello {{1}}, your order {{2}} is on its way.", example: { body_text: [["Dana", "A-1042"]] } },
      { type: "FOOTER", text: "Parley sandbox" },
    ],
    status: "APPROVED",
  });
}

/** Puts a template Parley knows back on the simulator, under its own id (after a restart). */
export function restoreSandboxTemplate(simulator: Simulator, wabaId: string, template: SandboxTemplate): void {
  const taken = simulator.state.templates.get(template.id);
  if (taken && taken.wabaId !== wabaId) return;
  simulator.state.templates.set(template.id, { ...template, wabaId, rejectedReason: undefined, createdAt: simulator.clock.now() });
}

/** Removes an account and its templates from the simulator (a connection that did not complete). */
export function forgetSandboxAccount(simulator: Simulator, wabaId: string): void {
  simulator.removeAccount(wabaId);
  for (const [id, template] of simulator.state.templates) if (template.wabaId === wabaId) simulator.state.templates.delete(id);
}
