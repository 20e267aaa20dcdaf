import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignTo, startViewHarness, type ViewHarness } from "./conversation-support.ts";

// Outbound media end to end: a member uploads a file for a conversation (raw body + Content-Type,
// Meta's types and sizes enforced), it is kept encrypted in the blob store, and a send naming the
// upload makes the worker upload it to the simulator's Graph API and send it by that media id —
// the simulated customer receives exactly the bytes. The conversation view then shows it.

let h: ViewHarness;
let base: string;
let conversationA: string;
let conversationB: string;
const waA = "4915300000001";
const waB = "4915300000002";
const MARKER = "PLAINTEXT-MARKER-7f3a";

/** A PNG signature followed by a recognizable marker: the simulator checks types, not pixels. */
function png(extra = ""): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`${MARKER}${extra}`), randomBytes(64)]);
}

beforeAll(async () => {
  h = await startViewHarness();
  base = `/api/v1/workspaces/${h.workspaceId}`;
  ({ conversationId: conversationA } = await h.customerWrites(waA));
  ({ conversationId: conversationB } = await h.customerWrites(waB));
  await assignTo(h, conversationA, h.users["agent-a"].userId);
  await assignTo(h, conversationB, h.users["agent-b"].userId);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const upload = (caller: Parameters<ViewHarness["request"]>[0], conversationId: string, bytes: Buffer, contentType: string) =>
  h.request(caller, "POST", `${base}/media?conversationId=${conversationId}`, { raw: { bytes, contentType } });
const send = (caller: Parameters<ViewHarness["request"]>[0], body: Record<string, unknown>) =>
  h.request(caller, "POST", `${base}/messages`, { body });

describe("uploading media", () => {
  it("stores an upload encrypted, sends it by Graph media id, and the customer receives the bytes", async () => {
    const bytes = png();
    const uploaded = await upload("agent-a", conversationA, bytes, "image/png");
    expect(uploaded.status).toBe(201);
    expect(uploaded.json).toMatchObject({ conversationId: conversationA, type: "image", mimeType: "image/png", sizeBytes: bytes.length });
    const uploadId = uploaded.json.id as string;

    // At rest: the blob store holds ciphertext only.
    const blob = await readFile(join(h.blobRoot, "blobs", "media", h.workspaceId, uploadId));
    expect(blob.subarray(0, 4).toString("ascii")).toBe("PMB1");
    expect(blob.includes(Buffer.from(MARKER))).toBe(false);
    expect(blob.includes(bytes.subarray(8, 40))).toBe(false);

    const queued = await send("agent-a", {
      conversationId: conversationA,
      type: "image",
      image: { upload: uploadId, caption: "Your receipt" },
    });
    expect(queued.status).toBe(202);
    expect(queued.json.id).toBe(uploadId);
    await h.waitForMessage(uploadId, (row) => row.wamid !== null);

    const received = h.sim.listReceived(waA).filter((message) => message.type === "image");
    expect(received).toHaveLength(1);
    const image = received[0]!.body.image as { id: string; caption: string };
    expect(image).toEqual({ id: expect.stringMatching(/^\d+$/), caption: "Your receipt" });
    const media = h.sim.state.media.get(image.id)!;
    expect(media.mimeType).toBe("image/png");
    expect(media.bytes.equals(bytes)).toBe(true);

    // The conversation view shows it like any stored media, and serves it back through a signed URL.
    const messages = await h.request("agent-a", "GET", `${base}/conversations/${conversationA}/messages`);
    const shown = (messages.json.data as Array<{ id: string; text: string | null; media: Record<string, unknown> | null }>).find(
      (message) => message.id === uploadId,
    )!;
    expect(shown).toMatchObject({
      text: "Your receipt",
      media: { mimeType: "image/png", available: true, status: "stored", error: null, sizeBytes: bytes.length },
    });
    const signed = await h.request("agent-a", "GET", `${base}/messages/${uploadId}/media-url`);
    expect(signed.status).toBe(200);
    const served = await h.viewApp.inject({ method: "GET", url: signed.json.url as string });
    expect(served.statusCode).toBe(200);
    expect(served.headers["content-type"]).toBe("image/png");
    expect(served.rawPayload.equals(bytes)).toBe(true);

    // An upload is sent once.
    const again = await send("agent-a", { conversationId: conversationA, type: "image", image: { upload: uploadId } });
    expect(again.status).toBe(422);
    expect(again.json.error).toMatchObject({ details: { reason: "upload_used" } });
  });

  it("sends a document with its file name, and refuses a file sent as the wrong type or elsewhere", async () => {
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.from(MARKER), randomBytes(32)]);
    const uploaded = await upload("owner", conversationA, pdf, "application/pdf");
    expect(uploaded.json).toMatchObject({ type: "document" });
    const id = uploaded.json.id as string;
    const asImage = await send("owner", { conversationId: conversationA, type: "image", image: { upload: id } });
    expect(asImage.json.error).toMatchObject({ details: { reason: "upload_type_mismatch" } });
    const elsewhere = await send("owner", { conversationId: conversationB, type: "document", document: { upload: id } });
    expect(elsewhere.json.error).toMatchObject({ details: { reason: "upload_unknown" } });
    const both = await send("owner", { conversationId: conversationA, type: "document", document: { upload: id, id: "123" } });
    expect(both.status).toBe(400);

    const queued = await send("owner", {
      conversationId: conversationA,
      type: "document",
      document: { upload: id, filename: "invoice-1042.pdf" },
    });
    expect(queued.status).toBe(202);
    await h.waitForMessage(id, (row) => row.wamid !== null);
    const document = h.sim.listReceived(waA).find((message) => message.type === "document")!.body.document as {
      id: string;
      filename: string;
    };
    expect(document.filename).toBe("invoice-1042.pdf");
    expect(h.sim.state.media.get(document.id)!.bytes.equals(pdf)).toBe(true);
    const messages = await h.request("owner", "GET", `${base}/conversations/${conversationA}/messages`);
    const shown = (messages.json.data as Array<{ id: string; media: Record<string, unknown> | null }>).find(
      (message) => message.id === id,
    )!;
    expect(shown.media).toMatchObject({ filename: "invoice-1042.pdf", mimeType: "application/pdf", sizeBytes: pdf.length });
  });

  it("enforces Meta's types and sizes", async () => {
    const tooBig = await upload("owner", conversationA, Buffer.alloc(5 * 1024 * 1024 + 1, 1), "image/jpeg");
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", details: { maxBytes: 5 * 1024 * 1024 } });
    expect((tooBig.json.error as { message: string }).message).toMatch(/5 MB/);
    const sticker = await upload("owner", conversationA, Buffer.alloc(500 * 1024 + 1, 1), "image/webp");
    expect(sticker.status).toBe(413);
    const gif = await upload("owner", conversationA, Buffer.from("GIF89a"), "image/gif");
    expect(gif.status).toBe(415);
    expect((gif.json.error as { code: string }).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const json = await h.request("owner", "POST", `${base}/media?conversationId=${conversationA}`, { body: { file: "x" } });
    expect(json.status).toBe(400);
    const empty = await upload("owner", conversationA, Buffer.alloc(0), "image/png");
    expect([400, 422]).toContain(empty.status);
    expect((await h.request("owner", "POST", `${base}/media`, { raw: { bytes: png(), contentType: "image/png" } })).status).toBe(400);
    // Other routes still refuse binary bodies.
    expect((await h.request("owner", "POST", `${base}/messages`, { raw: { bytes: png(), contentType: "image/png" } })).status).toBe(415);
  });

  it("keeps Agents to their own conversations, refuses Analysts and other workspaces", async () => {
    expect((await upload("agent-b", conversationA, png(), "image/png")).status).toBe(404);
    expect((await upload("analyst", conversationA, png(), "image/png")).status).toBe(403);
    expect((await upload("outsider", conversationA, png(), "image/png")).status).toBe(404);
    expect(
      (
        await h.request("outsider", "POST", `/api/v1/workspaces/${h.otherWorkspaceId}/media?conversationId=${conversationA}`, {
          raw: { bytes: png(), contentType: "image/png" },
        })
      ).status,
    ).toBe(404);
    // An upload of B's conversation cannot be sent by an Agent who does not see it.
    const theirs = await upload("agent-b", conversationB, png(), "image/png");
    expect(theirs.status).toBe(201);
    const sent = await send("agent-a", { conversationId: conversationB, type: "image", image: { upload: theirs.json.id } });
    expect(sent.status).toBe(404);
  });
});
