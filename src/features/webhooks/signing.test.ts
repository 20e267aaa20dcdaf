import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { SECRET_PATTERN, generateSecret, signStandard, webhookMessageId } from "./signing.ts";

// The outbound signer against Standard Webhooks' known-answer vector and its reference verifier.

describe("Standard Webhooks signing", () => {
  it("matches the reference library's known-answer vector", () => {
    expect(
      signStandard(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}'),
    ).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("makes whsec_ secrets of 32 random bytes, each different", () => {
    const secret = generateSecret();
    expect(secret).toMatch(SECRET_PATTERN);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });

  it("signs with every live secret during a rotation, and the reference verifier accepts either", () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const id = webhookMessageId("0b7c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4");
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: "webhook.test", timestamp: new Date().toISOString(), data: {} });
    const signature = signStandard([newSecret, oldSecret], id, timestamp, body);
    expect(signature.split(" ")).toHaveLength(2);
    const headers = { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(newSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow(/No matching signature/);
    // One changed byte of the body is refused.
    expect(() => new Webhook(newSecret).verify(body.replace("{}", '{"x":1}'), headers)).toThrow();
  });

  it("uses ids without dots, and a timestamp far in the future is refused by the verifier", () => {
    expect(webhookMessageId("0b7c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4")).toBe("msg_0b7c1f2e3d4a4b5c8d6e7f8091a2b3c4");
    expect(() => signStandard([generateSecret()], "msg.x", 1, "{}")).toThrow(RangeError);
    const secret = generateSecret();
    const future = Math.floor(Date.now() / 1000) + 600;
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(future),
      "webhook-signature": signStandard([secret], "msg_1", future, "{}"),
    };
    expect(() => new Webhook(secret).verify("{}", headers)).toThrow(/too new/);
  });
});
