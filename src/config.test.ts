import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const key = Buffer.alloc(32, 7).toString("base64");

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("config", () => {
  it("runs with no configuration at all: embedded database, local key file, in-process coordination", () => {
    const config = loadConfig({});
    expect(config.env).toBe("development");
    expect(config.database.engine).toBe("pglite");
    expect(config.keys.kind).toBe("file");
    expect(config.redisUrl).toBeUndefined();
    expect(config.http.publicUrl).toBe("http://127.0.0.1:3000");
    expect(config.media.uploadRetentionDays).toBe(30);
  });

  it("names the variable of an invalid value", () => {
    expect(problemsOf({ PARLEY_PORT: "eighty" })).toEqual([expect.stringMatching(/^PARLEY_PORT: /)]);
    expect(problemsOf({ DATABASE_URL: "mysql://x" })).toEqual([expect.stringMatching(/^DATABASE_URL: must be a postgres/)]);
    expect(problemsOf({ PARLEY_MASTER_KEY: "c2hvcnQ=" })).toEqual([expect.stringMatching(/^PARLEY_MASTER_KEY: /)]);
    expect(problemsOf({ PARLEY_ENV: "staging" })).toEqual([expect.stringMatching(/^PARLEY_ENV: /)]);
    expect(problemsOf({ PARLEY_TRUST_PROXY: "everyone" })).toEqual([expect.stringMatching(/^PARLEY_TRUST_PROXY: /)]);
    expect(problemsOf({ PARLEY_UPLOAD_RETENTION_DAYS: "0" })).toEqual([expect.stringMatching(/^PARLEY_UPLOAD_RETENTION_DAYS: /)]);
  });

  it("derives the runtime role's own connection from the owner URL", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://owner:secret@db:5432/parley", PARLEY_DB_APP_PASSWORD: "app-pass" });
    expect(config.database).toMatchObject({ engine: "postgres", ownerUrl: "postgres://owner:secret@db:5432/parley" });
    if (config.database.engine !== "postgres") throw new Error("expected postgres");
    const appUrl = new URL(config.database.appUrl);
    expect(appUrl.username).toBe("parley_app");
    expect(appUrl.password).toBe("app-pass");
  });

  it("accepts versioned master keys", () => {
    expect(loadConfig({ PARLEY_MASTER_KEY: `2:${key},1:${key}` }).keys).toMatchObject({ kind: "env" });
    expect(problemsOf({ PARLEY_MASTER_KEY: `1:${key},1:${key}` })).toHaveLength(1);
  });

  describe("production refuses unsafe set-ups", () => {
    it("without a key provider, or with the key file not explicitly allowed", () => {
      expect(problemsOf({ PARLEY_ENV: "production", PARLEY_TRUST_PROXY: "10.0.0.1" })).toEqual([
        expect.stringMatching(/^PARLEY_MASTER_KEY: production needs a key provider/),
      ]);
      expect(problemsOf({ PARLEY_ENV: "production", PARLEY_TRUST_PROXY: "10.0.0.1", PARLEY_ALLOW_KEY_FILE: "true" })).toEqual([]);
    });

    it("plain HTTP without TLS or a declared proxy", () => {
      expect(problemsOf({ PARLEY_ENV: "production", PARLEY_MASTER_KEY: key })).toEqual([
        expect.stringMatching(/^PARLEY_TLS_CERT_FILE: production refuses plain HTTP/),
      ]);
      expect(problemsOf({ PARLEY_ENV: "production", PARLEY_MASTER_KEY: key, PARLEY_TRUST_PROXY: "true" })).toEqual([
        expect.stringMatching(/^PARLEY_TRUST_PROXY: /),
      ]);
      expect(
        problemsOf({ PARLEY_ENV: "production", PARLEY_MASTER_KEY: key, PARLEY_TLS_CERT_FILE: "/c.pem", PARLEY_TLS_KEY_FILE: "/k.pem" }),
      ).toEqual([]);
    });

    it("a runtime database role without its own credentials", () => {
      expect(
        problemsOf({
          PARLEY_ENV: "production",
          PARLEY_MASTER_KEY: key,
          PARLEY_TRUST_PROXY: "1",
          DATABASE_URL: "postgres://owner@db/parley",
        }),
      ).toEqual([expect.stringMatching(/^DATABASE_APP_URL: /)]);
    });

    it("TLS certificate without its key", () => {
      expect(problemsOf({ PARLEY_TLS_CERT_FILE: "/c.pem" })).toEqual([
        expect.stringMatching(/PARLEY_TLS_CERT_FILE and PARLEY_TLS_KEY_FILE/),
      ]);
    });
  });
});

describe("config: observability", () => {
  it("keeps the metrics listener and tracing off unless set; binds the listener to loopback by default", () => {
    expect(loadConfig({}).metrics).toBeUndefined();
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ PARLEY_METRICS_PORT: "9464" }).metrics).toEqual({ host: "127.0.0.1", port: 9464, token: undefined });
    expect(loadConfig({ PARLEY_OTLP_ENDPOINT: "http://127.0.0.1:4318/v1/traces" }).tracing).toEqual({
      otlpEndpoint: "http://127.0.0.1:4318/v1/traces",
    });
  });

  it("refuses a short token, a non-HTTP collector, and (production) metrics beyond loopback without a token", () => {
    expect(problemsOf({ PARLEY_METRICS_TOKEN: "short" })).toEqual([expect.stringMatching(/^PARLEY_METRICS_TOKEN: /)]);
    expect(problemsOf({ PARLEY_OTLP_ENDPOINT: "ftp://collector/v1/traces" })).toEqual([expect.stringMatching(/^PARLEY_OTLP_ENDPOINT: /)]);
    const production = { PARLEY_ENV: "production", PARLEY_MASTER_KEY: key, PARLEY_TRUST_PROXY: "1", PARLEY_METRICS_PORT: "9464" };
    expect(problemsOf(production)).toEqual([]);
    expect(problemsOf({ ...production, PARLEY_METRICS_HOST: "0.0.0.0" })).toEqual([
      expect.stringMatching(/^PARLEY_METRICS_TOKEN: production serves metrics beyond loopback/),
    ]);
    expect(problemsOf({ ...production, PARLEY_METRICS_HOST: "0.0.0.0", PARLEY_METRICS_TOKEN: "t".repeat(32) })).toEqual([]);
  });
});

describe("config: WhatsApp channel", () => {
  it("defaults to the sandbox simulator and Graph API v25.0", () => {
    const config = loadConfig({});
    expect(config.whatsapp).toEqual({ mode: "sandbox", graphBaseUrl: "https://graph.facebook.com", graphApiVersion: "v25.0" });
  });

  it("reads the mode, base URL (trailing slash dropped) and version", () => {
    const config = loadConfig({
      PARLEY_WHATSAPP_MODE: "live",
      PARLEY_GRAPH_BASE_URL: "http://127.0.0.1:9999/",
      PARLEY_GRAPH_API_VERSION: "v24.0",
    });
    expect(config.whatsapp).toEqual({ mode: "live", graphBaseUrl: "http://127.0.0.1:9999", graphApiVersion: "v24.0" });
  });

  it("refuses unknown modes, malformed versions and plain-HTTP Graph URLs in live production", () => {
    expect(problemsOf({ PARLEY_WHATSAPP_MODE: "prod" })).toEqual([expect.stringMatching(/^PARLEY_WHATSAPP_MODE: /)]);
    expect(problemsOf({ PARLEY_GRAPH_API_VERSION: "25" })).toEqual([expect.stringMatching(/^PARLEY_GRAPH_API_VERSION: /)]);
    const production = { PARLEY_ENV: "production", PARLEY_MASTER_KEY: key, PARLEY_TRUST_PROXY: "1" };
    expect(problemsOf({ ...production, PARLEY_WHATSAPP_MODE: "live", PARLEY_GRAPH_BASE_URL: "http://graph.example" })).toEqual([
      expect.stringMatching(/^PARLEY_GRAPH_BASE_URL: production/),
    ]);
    expect(problemsOf({ ...production, PARLEY_WHATSAPP_MODE: "live" })).toEqual([]);
  });

  it("lets webhooks reach private addresses only outside production", () => {
    expect(loadConfig({ PARLEY_MASTER_KEY: key }).outboundWebhooks.allowPrivate).toBe(false);
    expect(loadConfig({ PARLEY_MASTER_KEY: key, PARLEY_WEBHOOKS_ALLOW_PRIVATE: "true" }).outboundWebhooks.allowPrivate).toBe(true);
    const production = { PARLEY_ENV: "production", PARLEY_MASTER_KEY: key, PARLEY_TRUST_PROXY: "1" };
    expect(problemsOf({ ...production, PARLEY_WEBHOOKS_ALLOW_PRIVATE: "true" })).toEqual([
      expect.stringMatching(/^PARLEY_WEBHOOKS_ALLOW_PRIVATE: production never/),
    ]);
  });
});
