import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../sim/index.ts";
import { createLocalBlobStore } from "../../src/blob/local.ts";
import type { BlobStore } from "../../src/blob/types.ts";
import { DecryptionError } from "../../src/crypto/aead.ts";
import { withWorkspace, withoutWorkspace } from "../../src/db/with-workspace.ts";
import { eraseContact } from "../../src/features/contacts/repository.ts";
import { blobDeleteJob, createBlobDeleteHandler } from "../../src/blob/deletion.ts";
import { assignConversation } from "../../src/features/conversations/repository.ts";
import { connectSandboxNumber } from "../../src/features/numbers/service.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { AuthContext, Authenticator } from "../../src/identity/auth-context.ts";
import { rolePermissions } from "../../src/identity/permissions.ts";
import { bindJob } from "../../src/jobs/definition.ts";
import { createWorker, type Worker } from "../../src/jobs/queue.ts";
import type { Services } from "../../src/services.ts";
import { createGraphClient } from "../../src/whatsapp/graph-client.ts";
import { createInboundHandler, inboundJob } from "../../src/whatsapp/inbound/process.ts";
import { inboundPort } from "../../src/features/messages/inbound.ts";
import { openMedia } from "../../src/features/messages/media/cipher.ts";
import {
  createMediaFetchHandler,
  fetchInboundMedia,
  matchesDigest,
  MEDIA_FETCH_QUEUE,
  mediaFetchJob,
} from "../../src/features/messages/media/fetch.ts";
import { mediaRoutes } from "../../src/features/messages/media/routes.ts";
import { createMediaToken } from "../../src/features/messages/media/signed-url.ts";
import { numbersRoutes } from "../../src/features/numbers/routes.ts";
import { createWebhookRoutes } from "../../src/whatsapp/webhook/routes.ts";
import { createTestDatabase, type TestDatabase } from "../support/engine.ts";
import { captureLogs, createTestServices, type LogCapture } from "../support/services.ts";
import { createWorkspace } from "./support.ts";

// Inbound media end to end: a customer sends media through the simulator's control API (HTTP),
// the simulator posts the signed webhook to a real Parley app, the worker fetches the media from
// the simulator's Graph API with the number's token, verifies and encrypts it into a real local
// blob store, and members fetch it back through signed URLs.

let db: TestDatabase;
let logs: LogCapture;
let services: Services;
let app: FastifyInstance;
let baseUrl: string;
let sim: Simulator;
let worker: Worker;
let workspaceId: string;
let blobRoot: string;
/** Fault injection at the port: the next `failPuts` writes land on disk, then throw (a crash before commit). */
let failPuts = 0;

const agentA = randomUUID();
const agentB = randomUUID();
const callers: Record<string, () => AuthContext> = {
  owner: () => ({ kind: "session", userId: ownerId, workspaceId, role: "owner", permissions: new Set(rolePermissions.owner) }),
  "agent-a": () => ({ kind: "session", userId: agentA, workspaceId, role: "agent", permissions: new Set(rolePermissions.agent) }),
  "agent-b": () => ({ kind: "session", userId: agentB, workspaceId, role: "agent", permissions: new Set(rolePermissions.agent) }),
};
const ownerId = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase();
  logs = captureLogs();
  services = createTestServices({ db, logs });
  blobRoot = await mkdtemp(join(tmpdir(), "parley-media-"));
  const local = createLocalBlobStore(join(blobRoot, "blobs"));
  const flaky: BlobStore = {
    kind: "local",
    async put(key, bytes) {
      await local.put(key, bytes);
      if (failPuts > 0) {
        failPuts -= 1;
        throw new Error("injected crash after the blob was written");
      }
    },
    get: (key) => local.get(key),
    delete: (key) => local.delete(key),
    list: (prefix) => local.list(prefix),
  };
  services.blobs = flaky;
  workspaceId = await createWorkspace(services);
  const authenticate: Authenticator = async (request) => {
    const name = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    return name && callers[name] ? callers[name]() : null;
  };
  app = await createHttpApp({ services, routes: [...createWebhookRoutes(inboundPort), ...numbersRoutes, ...mediaRoutes], authenticate });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  services.config.http.publicUrl = baseUrl;
  sim = createSimulator({ statusTiming: { sentMs: null, deliveredMs: null, readMs: null } });
  await sim.listen(0);
  services.config.whatsapp.graphBaseUrl = sim.credentials().baseUrl;
  await connectSandboxNumber(services, workspaceId, sim);
  worker = createWorker({
    db,
    jobs: [
      bindJob(inboundJob, createInboundHandler(services, inboundPort)),
      bindJob(mediaFetchJob, createMediaFetchHandler(services)),
      bindJob(blobDeleteJob, createBlobDeleteHandler(services)),
    ],
    concurrency: 4,
    pollIntervalMs: 20,
    visibilityTimeoutMs: 60_000,
    backoff: { baseMs: 10, maxMs: 50 },
    logger: services.logger,
  });
  worker.start();
}, 60_000);

afterAll(async () => {
  await worker?.stop(5_000);
  await sim?.close();
  await app?.close();
  await services?.coordination.close();
  await db?.drop();
  if (blobRoot) await rm(blobRoot, { recursive: true, force: true });
});

async function waitForJobs(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await withoutWorkspace(db, (trx) =>
      trx
        .selectFrom("jobs")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("status", "in", ["pending", "running"])
        .executeTakeFirstOrThrow(),
    );
    if (Number(open.count) === 0) return;
    if (Date.now() > deadline) throw new Error(`jobs still open after ${timeoutMs} ms`);
    await delay(20);
  }
}

async function simPost(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${sim.credentials().baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

type MessageRow = {
  id: string;
  conversation_id: string;
  contact_id: string;
  media_id: string | null;
  media_status: string | null;
  media_error: string | null;
  media_blob_key: string | null;
  media_size: number | null;
  media_mime_type: string | null;
};

/** The customer sends media through the simulator's HTTP control API; Parley receives and processes it. */
async function customerSends(
  waId: string,
  message: Record<string, unknown>,
  options: { beforeFlush?: (wamid: string) => void } = {},
): Promise<MessageRow> {
  const { wamid } = (await simPost(`/_sim/customers/${waId}/messages`, message)) as { wamid: string };
  options.beforeFlush?.(wamid);
  await simPost("/_sim/webhooks/flush", {});
  await waitForJobs();
  return messageByWamid(wamid);
}

async function messageByWamid(wamid: string): Promise<MessageRow> {
  const row = await withWorkspace(db, { workspaceId }, (trx) =>
    trx
      .selectFrom("messages")
      .select([
        "id",
        "conversation_id",
        "contact_id",
        "media_id",
        "media_status",
        "media_error",
        "media_blob_key",
        "media_size",
        "media_mime_type",
      ])
      .where("wamid", "=", wamid)
      .executeTakeFirstOrThrow(),
  );
  return { ...row, media_size: row.media_size === null ? null : Number(row.media_size) };
}

async function api(path: string, caller: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${caller}` } });
}

async function mediaUrlFor(messageId: string, caller = "owner"): Promise<Response> {
  return api(`/api/v1/workspaces/${workspaceId}/messages/${messageId}/media-url`, caller);
}

function pngBytes(size: number): Buffer {
  return Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), randomBytes(size - 8)]);
}

describe("inbound media", () => {
  const image = pngBytes(48 * 1024);
  let stored: MessageRow;

  it("fetches a customer's image, verifies its sha256 and stores it encrypted; an Owner downloads the exact bytes through a signed URL", async () => {
    stored = await customerSends("16505550301", {
      type: "image",
      mimeType: "image/png",
      dataBase64: image.toString("base64"),
      caption: "my receipt",
      name: "Media Canary",
    });
    expect(stored).toMatchObject({
      media_status: "stored",
      media_error: null,
      media_size: image.length,
      media_mime_type: "image/png",
      media_blob_key: `media/${workspaceId}/${stored.id}`,
    });

    // At rest: a 0600 file that holds none of the plaintext.
    const file = join(blobRoot, "blobs", "media", workspaceId, stored.id);
    const onDisk = await readFile(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(onDisk.includes(image.subarray(1_000, 1_032))).toBe(false);
    expect(onDisk.includes(image.subarray(0, 16))).toBe(false);

    const response = await mediaUrlFor(stored.id);
    expect(response.status).toBe(200);
    const { url, expiresAt } = (await response.json()) as { url: string; expiresAt: string };
    expect(url).toMatch(/^\/media\/[A-Za-z0-9_-]{71}$/);
    const ttl = Date.parse(expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(200_000);
    expect(ttl).toBeLessThanOrEqual(300_000);

    const download = await fetch(`${baseUrl}${url}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(image)).toBe(true);
    expect(download.headers.get("content-type")).toBe("image/png");
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(download.headers.get("cache-control")).toBe("private, no-store");
    expect(download.headers.get("content-disposition")).toBeNull();

    // Logs: ids and sizes, never the customer, the token, the media URL or the signed link.
    const text = logs.text();
    for (const canary of [
      "16505550301",
      "Media Canary",
      "my receipt",
      sim.credentials().accessToken,
      "whatsapp_business/attachments",
      url.slice(7),
    ])
      expect(text).not.toContain(canary);
    expect(logs.records().some((record) => record.msg === "inbound media fetched" && record.outcome === "stored")).toBe(true);
  });

  it("serves documents as attachments with a header-safe file name", async () => {
    const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(2_000)]);
    const row = await customerSends("16505550302", {
      type: "document",
      mimeType: "application/pdf",
      dataBase64: pdf.toString("base64"),
      filename: 'inv"oice ✓.pdf',
    });
    expect(row.media_status).toBe("stored");
    const { url } = (await (await mediaUrlFor(row.id)).json()) as { url: string };
    const download = await fetch(`${baseUrl}${url}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("content-disposition")).toBe(
      `attachment; filename="inv_oice _.pdf"; filename*=UTF-8''inv%22oice%20%E2%9C%93.pdf`,
    );
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it("gives an Agent the URL only for conversations assigned to them (RLS), and 404 otherwise", async () => {
    expect((await mediaUrlFor(stored.id, "agent-a")).status).toBe(404);
    await withWorkspace(db, { workspaceId }, (trx) => assignConversation(trx, workspaceId, stored.conversation_id, agentA));
    expect((await mediaUrlFor(stored.id, "agent-a")).status).toBe(200);
    expect((await mediaUrlFor(stored.id, "agent-b")).status).toBe(404);
    expect((await mediaUrlFor(stored.id, "nobody")).status).toBe(401);
    expect((await mediaUrlFor(randomUUID())).status).toBe(404);
  });

  it("refuses expired, tampered and forged tokens with 403", async () => {
    const { url } = (await (await mediaUrlFor(stored.id)).json()) as { url: string };
    const token = url.slice("/media/".length);
    const flip = (value: string, index: number) => value.slice(0, index) + (value[index] === "A" ? "B" : "A") + value.slice(index + 1);
    const expired = await createMediaToken(services, { workspaceId, messageId: stored.id, now: new Date(Date.now() - 6 * 60_000) });
    const otherMessage = await createMediaToken(services, { workspaceId, messageId: randomUUID() });
    // The last base64url character carries 2 unused bits: a second spelling of the same bytes.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const secondSpelling = token.slice(0, 70) + alphabet[alphabet.indexOf(token[70]!) ^ 1]!;
    for (const bad of [
      expired.token,
      flip(token, 10),
      flip(token, 40),
      flip(token, 70),
      secondSpelling,
      token.slice(0, 70),
      "x".repeat(71),
      "not-a-token",
    ]) {
      const response = await fetch(`${baseUrl}/media/${bad}`);
      expect(response.status, bad).toBe(403);
    }
    // Validly signed but for a message without media: not found, and nothing leaks.
    expect((await fetch(`${baseUrl}/media/${otherMessage.token}`)).status).toBe(404);
    expect((await fetch(`${baseUrl}${url}`)).status).toBe(200);
  });

  it("refuses a type Meta does not allow, and media over the size limit, with a clear reason and nothing stored", async () => {
    const gif = await customerSends("16505550303", {
      type: "image",
      mimeType: "image/gif",
      dataBase64: Buffer.from("GIF89a-not-allowed").toString("base64"),
    });
    expect(gif).toMatchObject({ media_status: "refused", media_blob_key: null });
    expect(gif.media_error).toBe("media type image/gif is not allowed for image messages");

    const sticker = await customerSends("16505550303", {
      type: "sticker",
      mimeType: "image/webp",
      dataBase64: randomBytes(600 * 1024).toString("base64"),
    });
    expect(sticker).toMatchObject({ media_status: "refused", media_blob_key: null });
    expect(sticker.media_error).toBe(`sticker of ${600 * 1024} bytes exceeds the ${500 * 1024}-byte limit`);
    expect((await mediaUrlFor(sticker.id)).status).toBe(404);
    await expect(readdir(join(blobRoot, "blobs", "media", workspaceId))).resolves.not.toContain(sticker.id);
  });

  it("refuses media whose bytes do not match the sha256 Meta announced", async () => {
    const row = await customerSends(
      "16505550304",
      { type: "image", mimeType: "image/jpeg", dataBase64: randomBytes(4_000).toString("base64") },
      {
        beforeFlush: () => {
          // The file changes on Meta's side after the hash was announced.
          const record = [...sim.state.media.values()].at(-1)!;
          record.bytes = randomBytes(4_000);
        },
      },
    );
    expect(row).toMatchObject({
      media_status: "refused",
      media_blob_key: null,
      media_error: "the media's sha256 does not match the hash Meta announced",
    });
  });

  it("a fetch that crashed after writing the blob is retried without a second blob", async () => {
    failPuts = 1;
    const bytes = pngBytes(10_000);
    const row = await customerSends("16505550305", { type: "image", mimeType: "image/png", dataBase64: bytes.toString("base64") });
    expect(row.media_status).toBe("stored");
    const jobs = await withoutWorkspace(db, (trx) =>
      trx.selectFrom("jobs").select(["status", "attempts", "payload"]).where("queue", "=", MEDIA_FETCH_QUEUE).execute(),
    );
    const job = jobs.find((candidate) => candidate.payload.messageId === row.id)!;
    expect(job).toMatchObject({ status: "succeeded", attempts: 2 });
    // A second run (a duplicate job) does nothing either.
    expect(await fetchInboundMedia(services, workspaceId, row.id)).toBe("already-stored");
    const files = await readdir(join(blobRoot, "blobs", "media", workspaceId));
    const storedRows = await withWorkspace(db, { workspaceId }, (trx) =>
      trx.selectFrom("messages").select("id").where("media_status", "=", "stored").execute(),
    );
    expect(files.sort()).toEqual(storedRows.map((stored) => stored.id).sort());
    const { url } = (await (await mediaUrlFor(row.id)).json()) as { url: string };
    expect(Buffer.from(await (await fetch(`${baseUrl}${url}`)).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("erasing the contact makes its stored media unreadable everywhere and deletes the file", async () => {
    const bytes = pngBytes(5_000);
    const row = await customerSends("16505550306", { type: "image", mimeType: "image/png", dataBase64: bytes.toString("base64") });
    const { url } = (await (await mediaUrlFor(row.id)).json()) as { url: string };
    // A copy of the blob, as a backup would hold it.
    const blob = (await services.blobs!.get(row.media_blob_key!))!;
    // Erasure: the contact row goes and its data key is shredded (eraseContact); a job enqueued in
    // the same transaction deletes the file itself. The backup's copy no longer opens.
    await withWorkspace(db, { workspaceId }, (trx) => eraseContact(trx, services.keyring, workspaceId, row.contact_id));
    const deadline = Date.now() + 10_000;
    while ((await services.blobs!.get(row.media_blob_key!)) !== null) {
      if (Date.now() > deadline) throw new Error("the erased contact's media file is still in the blob store");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await withWorkspace(db, { workspaceId }, async (trx) => {
      await expect(
        openMedia(trx, services.keyring, { workspaceId, messageId: row.id, blobKey: row.media_blob_key! }, blob),
      ).rejects.toBeInstanceOf(DecryptionError);
    });
    expect((await fetch(`${baseUrl}${url}`)).status).toBe(404);
  });

  it("a blob copied to another message does not open there", async () => {
    const blob = (await services.blobs!.get(stored.media_blob_key!))!;
    await withWorkspace(db, { workspaceId }, async (trx) => {
      await expect(
        openMedia(trx, services.keyring, { workspaceId, messageId: randomUUID(), blobKey: stored.media_blob_key! }, blob),
      ).rejects.toBeInstanceOf(DecryptionError);
      await expect(
        openMedia(trx, services.keyring, { workspaceId, messageId: stored.id, blobKey: "media/elsewhere" }, blob),
      ).rejects.toBeInstanceOf(DecryptionError);
    });
  });

  it("a media URL that expired before the download is looked up once more", async () => {
    const bytes = pngBytes(3_000);
    const row = await customerSends("16505550307", { type: "image", mimeType: "image/png", dataBase64: bytes.toString("base64") });
    const blobKey = row.media_blob_key!;
    // Back to "not fetched yet", then fetch through a transport on which the first URL expires in flight.
    await services.blobs!.delete(blobKey);
    await withWorkspace(db, { workspaceId }, (trx) =>
      trx.updateTable("messages").set({ media_blob_key: null, media_status: "pending" }).where("id", "=", row.id).execute(),
    );
    const requests: string[] = [];
    const graph = createGraphClient({
      baseUrl: sim.credentials().baseUrl,
      apiVersion: services.config.whatsapp.graphApiVersion,
      fetch: async (input, init) => {
        const isDownload = input.includes("/whatsapp_business/attachments/");
        requests.push(isDownload ? "download" : "lookup");
        // Six minutes pass on Meta's side: the 5-minute URL is stale when the first download arrives.
        if (isDownload && requests.filter((request) => request === "download").length === 1) sim.advanceTime(6 * 60_000);
        return fetch(input, init);
      },
    });
    expect(await fetchInboundMedia(services, workspaceId, row.id, { graph })).toBe("stored");
    expect(requests).toEqual(["lookup", "download", "lookup", "download"]);
    const { url } = (await (await mediaUrlFor(row.id)).json()) as { url: string };
    expect(Buffer.from(await (await fetch(`${baseUrl}${url}`)).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("matches Meta's sha256 in hex or base64", () => {
    const digest = Buffer.alloc(32, 0xab);
    expect(matchesDigest(digest.toString("hex").toUpperCase(), digest)).toBe(true);
    expect(matchesDigest(digest.toString("base64"), digest)).toBe(true);
    expect(matchesDigest(digest.toString("base64url"), digest)).toBe(true);
    expect(matchesDigest(Buffer.alloc(32, 1).toString("base64"), digest)).toBe(false);
  });
});
