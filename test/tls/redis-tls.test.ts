import { afterEach, expect, it } from "vitest";
import { loadConfig, type Config } from "../../src/config.ts";
import { createCoordination, type Coordination } from "../../src/coordination/index.ts";
import { runDoctor } from "../../src/doctor/doctor.ts";
import { createLogger } from "../../src/log/logger.ts";
import { createGovernor } from "../../src/whatsapp/governor/index.ts";
import { describeWithTlsServices, withHost } from "../support/tls-services.ts";

// Parley's connection to Redis, against a server that accepts TLS only (scripts/tls-services.sh):
// rediss:// with the CA setting succeeds and the socket is TLS with the certificate verified; a
// certificate from another CA, or for another host name, is refused.

const logger = createLogger({ level: "silent" });
const opened: Coordination[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((coordination) => coordination.close()));
});

function connect(config: Config): Coordination {
  const coordination = createCoordination(config, logger);
  opened.push(coordination);
  return coordination;
}

/** Why the connection failed: the coordination port wraps the socket's error. */
async function failureOf(coordination: Coordination): Promise<string> {
  try {
    await coordination.ping();
  } catch (error) {
    const cause = (error as Error).cause;
    return cause instanceof Error ? cause.message : String(cause);
  }
  throw new Error("expected the connection to be refused");
}

describeWithTlsServices("Redis over TLS", (services) => {
  it("connects with rediss:// and the CA setting; the socket is TLS with the certificate and host name verified", async () => {
    const coordination = connect(loadConfig({ REDIS_URL: services.redisUrl, PARLEY_REDIS_CA_FILE: services.ca }));
    await coordination.ping();
    expect(await coordination.connectionSecurity!()).toEqual({
      isEncrypted: true,
      isVerified: true,
      protocol: expect.stringMatching(/^TLSv1\.[23]$/),
    });
  });

  it("refuses a server whose certificate another CA signed", async () => {
    const coordination = connect(loadConfig({ REDIS_URL: services.redisUrl, PARLEY_REDIS_CA_FILE: services.wrongCa }));
    expect(await failureOf(coordination)).toMatch(/self[- ]signed|unable to (verify|get)|certificate/i);
  });

  it("refuses a certificate that does not name the host connected to (127.0.0.2 is not in its SAN)", async () => {
    const coordination = connect(loadConfig({ REDIS_URL: withHost(services.redisUrl, "127.0.0.2"), PARLEY_REDIS_CA_FILE: services.ca }));
    expect(await failureOf(coordination)).toMatch(/does not match|altnames/i);
  });

  it("the send governor's own connection uses the same TLS settings, and refuses another CA", async () => {
    const governor = createGovernor(loadConfig({ REDIS_URL: services.redisUrl, PARLEY_REDIS_CA_FILE: services.ca }), logger);
    try {
      await expect
        .poll(() => governor.take({ numberKey: "tls-check", tier: 80, recipientKey: "recipient" }).catch(() => undefined), {
          timeout: 5_000,
        })
        .toMatchObject({ granted: true });
    } finally {
      await governor.close();
    }
    const refused = createGovernor(loadConfig({ REDIS_URL: services.redisUrl, PARLEY_REDIS_CA_FILE: services.wrongCa }), logger);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await expect(refused.take({ numberKey: "tls-check", tier: 80, recipientKey: "recipient" })).rejects.toThrow();
    } finally {
      await refused.close();
    }
  });

  it("parley doctor reports the connection encrypted and verified, and passes production", async () => {
    const config = loadConfig({
      PARLEY_ENV: "production",
      PARLEY_ALLOW_KEY_FILE: "true",
      PARLEY_TRUST_PROXY: "1",
      REDIS_URL: services.redisUrl,
      PARLEY_REDIS_CA_FILE: services.ca,
    });
    const checks = await runDoctor({ config, db: undefined, provider: undefined, coordination: connect(config) });
    expect(checks.find((item) => item.id === "coordination-tls")).toMatchObject({
      status: "pass",
      detail: expect.stringMatching(/^TLSv1\.[23], certificate and host name verified$/),
    });
  });
});
