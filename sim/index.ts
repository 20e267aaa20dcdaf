export { createSimulator } from "./simulator.ts";
export type { Simulator, SimulatorCredentials } from "./simulator.ts";
export type { SimulatorOptions } from "./options.ts";
export type { CustomerMessageInput } from "./control/customer-messages.ts";
export type { ReceivedMessage } from "./control/control-api.ts";
export { serializeWireJson } from "./wire-json.ts";
export { signWebhookBody, verifyWebhookSignature } from "./webhooks/signature.ts";
export { graphErrorCatalogue } from "./graph/errors.ts";
