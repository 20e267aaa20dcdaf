import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../sim/index.ts";
import { createGraphClient, GraphError, type GraphClient } from "../../src/whatsapp/graph-client.ts";

// The Graph client base against the real simulator over HTTP: typed errors parsed from Meta's
// error body, debug_token, media lookup and bounded download, timeouts, and a token that only
// ever travels in the Authorization header.

let sim: Simulator;
let graph: GraphClient;

beforeAll(async () => {
  sim = createSimulator({});
  await sim.listen(0);
  graph = createGraphClient({ baseUrl: sim.credentials().baseUrl, apiVersion: "v25.0" });
});
afterAll(async () => {
  await sim.close();
});

describe("graph client", () => {
  it("debug_token: valid for the sandbox token, with its WABA in the granular scopes; invalid for a made-up one", async () => {
    const { accessToken, appId, appSecret, wabaId } = sim.credentials();
    const debug = await graph.debugToken(accessToken, { appToken: `${appId}|${appSecret}` });
    expect(debug.is_valid).toBe(true);
    expect(debug.app_id).toBe(appId);
    expect(debug.granular_scopes).toContainEqual({ scope: "whatsapp_business_messaging", target_ids: [wabaId] });
    const unknown = await graph.debugToken("EAAmade-up-token", { appToken: `${appId}|${appSecret}` });
    expect(unknown.is_valid).toBe(false);
  });

  it("turns Meta's error body into a typed GraphError, with no token in it", async () => {
    const token = "EAAthis-token-does-not-exist-1234";
    const error = await graph
      .request({ method: "GET", path: `/${sim.credentials().phoneNumbers[0]!.id}`, token })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphError);
    const graphError = error as GraphError;
    expect(graphError).toMatchObject({ httpStatus: 401, code: 190, type: "OAuthException" });
    expect(graphError.fbtraceId).toEqual(expect.any(String));
    expect(JSON.stringify({ ...graphError, message: graphError.message })).not.toContain(token);
  });

  it("looks media up and downloads it with the token, refusing bodies over maxBytes", async () => {
    const { accessToken } = sim.credentials();
    const bytes = Buffer.alloc(2048, 7);
    sim.sendFromCustomer({
      from: "16505550501",
      type: "document",
      dataBase64: bytes.toString("base64"),
      mimeType: "application/pdf",
      filename: "a.pdf",
    });
    const media = [...sim.state.media.values()].at(-1)!;
    const info = await graph.getMedia(media.id, accessToken);
    expect(info).toMatchObject({ id: media.id, mimeType: "application/pdf", fileSize: 2048 });
    const download = await graph.downloadMedia(info.url, accessToken, { maxBytes: 4096 });
    expect(download.bytes.equals(bytes)).toBe(true);
    await expect(graph.downloadMedia(info.url, accessToken, { maxBytes: 1000 })).rejects.toThrow(/exceeds 1000 bytes/);
    await expect(graph.downloadMedia(info.url.replace(/^http:/, "ftp:"), accessToken, { maxBytes: 4096 })).rejects.toThrow(RangeError);
  });

  it("sends the token only as a Bearer header and gives up after its timeout", async () => {
    const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
    const server = createServer((request) => {
      seen.push({ url: request.url ?? "", headers: request.headers });
      // Never answers: the client must time out.
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const slow = createGraphClient({ baseUrl: `http://127.0.0.1:${port}`, apiVersion: "v25.0", timeoutMs: 200 });
      const started = Date.now();
      const error = await slow.request({ method: "GET", path: "/123", token: "EAAsecret-token-xyz" }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ httpStatus: 0, message: expect.stringMatching(/timed out/) });
      expect(String((error as Error).message)).not.toContain("EAAsecret-token-xyz");
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(seen[0]?.url).toBe("/v25.0/123");
      expect(seen[0]?.headers.authorization).toBe("Bearer EAAsecret-token-xyz");
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
