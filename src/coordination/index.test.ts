import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log/logger.ts";
import { createCoordination } from "./index.ts";

const logger = createLogger({ level: "silent" });

describe("createCoordination", () => {
  it("runs in-process without REDIS_URL", async () => {
    const coordination = createCoordination(loadConfig({}), logger);
    expect(coordination.kind).toBe("memory");
    await coordination.close();
  });

  it("uses Redis when REDIS_URL is set", async () => {
    const coordination = createCoordination(loadConfig({ REDIS_URL: "redis://127.0.0.1:1" }), logger);
    expect(coordination.kind).toBe("redis");
    await coordination.close();
  });
});
