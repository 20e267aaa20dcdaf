import { AppError } from "../../errors.ts";
import { GraphError, TOKEN_ERROR_CODES } from "../../whatsapp/graph-client.ts";

// Meta's answers to number management (registration, two-step verification, business profile,
// Embedded Signup) in words a person can act on, with Meta's code for reference. Never Meta's own
// message, which may quote what was sent (a PIN, a token).

const WORDS: Record<number, string> = {
  100: "Meta refused a value that was sent (invalid parameter)",
  133005: "the two-step verification PIN does not match the one set on the number",
  133006: "the phone number must be verified before it can be registered",
  133008: "too many PIN attempts: wait before trying again",
  133009: "the PIN was entered too fast: wait before trying again",
  133010: "the phone number is not registered with the Cloud API",
  133015: "the phone number was deleted recently: wait 5 minutes before registering it",
  133016: "too many register or deregister calls for this number (10 per 72 hours): try again later",
  131031: "the business account is locked",
  80008: "too many calls for this number: try again later",
  4: "too many calls to Meta: try again later",
  80007: "too many calls for this WhatsApp Business Account: try again later",
};

/** Meta's failure in words, PII-free. */
export function describeGraphFailure(error: GraphError): string {
  if (error.httpStatus === 0) return "Meta's Graph API could not be reached";
  if (TOKEN_ERROR_CODES.has(error.code)) return `the access token is expired or invalid (Meta error ${error.code})`;
  return `${WORDS[error.code] ?? "Meta refused the request"} (Meta error ${error.code})`;
}

/** A Graph failure as the catalogue's error: UNPROCESSABLE with the words above; anything else is rethrown. */
export function graphFailureToAppError(error: unknown, action: string): never {
  if (error instanceof GraphError) throw new AppError("UNPROCESSABLE", `${action} failed: ${describeGraphFailure(error)}.`);
  throw error;
}
