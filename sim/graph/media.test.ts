import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphPlatformErrorBody, startHarness } from "../test-support.ts";
import type { Harness } from "../test-support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clock: { manualStartMs: Date.UTC(2026, 4, 1) } });
});
afterAll(async () => h.close());

async function upload(parts: { type?: string; fileType?: string; bytes?: Buffer; product?: string | null; query?: string }) {
  const form = new FormData();
  if (parts.product !== null) form.set("messaging_product", parts.product ?? "whatsapp");
  if (parts.type) form.set("type", parts.type);
  if (parts.bytes) form.set("file", new Blob([parts.bytes], { type: parts.fileType ?? parts.type ?? "" }), "file.bin");
  const url = `${h.baseUrl}/v25.0/${h.phoneNumberId}/media${parts.query ? `?${parts.query}` : ""}`;
  const response = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${h.token}` }, body: form });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("media", () => {
  it("uploads, looks up, downloads with a bearer token, and refuses without one or after the URL expires", async () => {
    const bytes = Buffer.from("%PDF-1.7 sample");
    const uploaded = await upload({ type: "application/pdf", bytes });
    expect(uploaded).toEqual({ status: 200, json: { id: expect.stringMatching(/^\d+$/) as unknown } });
    const id = String(uploaded.json.id);

    const lookup = await h.graph("GET", `/v25.0/${id}?phone_number_id=${h.phoneNumberId}`);
    expect(lookup.status).toBe(200);
    expect(Object.keys(lookup.json)).toEqual(["messaging_product", "url", "mime_type", "sha256", "file_size", "id"]);
    expect(lookup.json).toMatchObject({
      messaging_product: "whatsapp",
      mime_type: "application/pdf",
      sha256: createHash("sha256").update(bytes).digest("hex"),
      file_size: String(bytes.length),
      id,
    });
    expect(lookup.text).toContain("http:\\/\\/"); // Graph answers in the same escaped wire form
    const url = String(lookup.json.url);

    const withBearer = await fetch(url, { headers: { authorization: `Bearer ${h.token}` } });
    expect(withBearer.status).toBe(200);
    expect(withBearer.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await withBearer.arrayBuffer())).toEqual(bytes);

    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual(
      graphPlatformErrorBody({ message: "An access token is required to request this resource.", code: 104 }),
    );
    const badToken = await fetch(url, { headers: { authorization: "Bearer EAAnotatoken" } });
    expect({ status: badToken.status, json: await badToken.json() }).toEqual({
      status: 401,
      json: graphPlatformErrorBody({ message: "Invalid OAuth access token - Cannot parse access token", code: 190 }),
    });
    expect((await fetch(url.replace(/hash=[^&]+/, "hash=forged"), { headers: { authorization: `Bearer ${h.token}` } })).status).toBe(404);

    h.sim.advanceTime(5 * 60 * 1000);
    expect((await fetch(url, { headers: { authorization: `Bearer ${h.token}` } })).status).toBe(404);
    const fresh = await h.graph("GET", `/v25.0/${id}`);
    expect((await fetch(String(fresh.json.url), { headers: { authorization: `Bearer ${h.token}` } })).status).toBe(200);

    expect(await h.graph("DELETE", `/v25.0/${id}`)).toMatchObject({ status: 200, json: { success: true } });
    const unsupported = (method: string) =>
      graphPlatformErrorBody({
        message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
        code: 100,
        subcode: 33,
        type: "GraphMethodException",
      });
    expect(await h.graph("GET", `/v25.0/${id}`)).toMatchObject({ status: 400, json: unsupported("get") });
    expect(await h.graph("DELETE", `/v25.0/${id}`)).toMatchObject({ status: 400, json: unsupported("delete") });
    expect((await fetch(String(fresh.json.url), { headers: { authorization: `Bearer ${h.token}` } })).status).toBe(404);
  });

  it("enforces type and size limits", async () => {
    const unsupported = await upload({ type: "image/gif", bytes: Buffer.from("GIF89a") });
    expect(unsupported.status).toBe(400);
    expect(unsupported.json).toEqual(
      graphPlatformErrorBody({
        message: expect.stringMatching(
          /^\(#100\) Param file must be a file with one of the following types: audio\/aac, .*\. Received file of type 'image\/gif'\.$/,
        ),
        code: 100,
      }),
    );
    const tooBig = await upload({ type: "image/jpeg", bytes: Buffer.alloc(5 * 1024 * 1024 + 1) });
    expect(tooBig.json.error).toMatchObject({
      code: 131053,
      error_data: { details: expect.stringContaining("at most 5242880 bytes") as unknown },
    });
    const sticker = await upload({ type: "image/webp", bytes: Buffer.alloc(600 * 1024) });
    expect(sticker.json.error).toMatchObject({ code: 131053 });
    const mismatch = await upload({ type: "image/png", fileType: "image/jpeg", bytes: Buffer.from("x") });
    expect(mismatch.json.error).toMatchObject({ code: 131053 });
    const noProduct = await upload({ type: "image/png", bytes: Buffer.from("x"), product: null });
    expect(noProduct).toEqual({
      status: 400,
      json: graphPlatformErrorBody({ message: "(#100) The parameter messaging_product is required.", code: 100 }),
    });
    const otherProduct = await upload({ type: "image/png", bytes: Buffer.from("x"), product: "instagram" });
    expect(otherProduct.json).toEqual(
      graphPlatformErrorBody({ message: '(#100) Param messaging_product must be one of {WHATSAPP} - got "instagram".', code: 100 }),
    );
    const noFile = await upload({ type: "image/png" });
    expect(noFile.json).toEqual(graphPlatformErrorBody({ message: "(#100) The parameter file is required.", code: 100 }));
    expect((await upload({ type: "audio/ogg", bytes: Buffer.from("OggS") })).status).toBe(200);
  });

  it("takes messaging_product and type from the query string as well as from form fields", async () => {
    const png = Buffer.from("png-bytes");
    const queryOnly = await upload({
      product: null,
      query: "messaging_product=whatsapp&type=image%2Fpng",
      fileType: "image/png",
      bytes: png,
    });
    expect(queryOnly).toEqual({ status: 200, json: { id: expect.stringMatching(/^\d+$/) as unknown } });
    // The form field wins over the query string; without `type` the file part's own type stands.
    const mixed = await upload({ product: "whatsapp", query: "messaging_product=other", fileType: "image/png", bytes: png });
    expect(mixed.status).toBe(200);
    const lookup = await h.graph("GET", `/v25.0/${String(mixed.json.id)}`);
    expect(lookup.json).toMatchObject({ mime_type: "image/png", file_size: String(png.length) });
  });

  it("delivers customer media in the webhook with a downloadable URL", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    h.sim.sendFromCustomer({
      from: "16505551234",
      type: "image",
      mimeType: "image/jpeg",
      dataBase64: jpeg.toString("base64"),
      caption: "look",
    });
    await h.sim.flushWebhooks();
    const image = (h.receiver.received.at(-1)?.json.entry[0]?.changes[0]?.value.messages as { image: Record<string, string> }[])[0]?.image;
    expect(image).toMatchObject({ caption: "look", mime_type: "image/jpeg", sha256: createHash("sha256").update(jpeg).digest("base64") });
    expect(Object.keys(image ?? {})).toEqual(["caption", "mime_type", "sha256", "id", "url"]);
    const lookup = await h.graph("GET", `/v25.0/${image?.id ?? ""}`);
    const download = await fetch(String(lookup.json.url), { headers: { authorization: `Bearer ${h.token}` } });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(jpeg);
  });
});
