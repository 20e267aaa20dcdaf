// Minimal multipart/form-data reader for media uploads (no dependency needed for one route).

export type MultipartPart = { name: string; filename: string | undefined; contentType: string | undefined; data: Buffer };

function readBoundary(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2]?.trim();
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

export function parseMultipart(contentType: string, body: Buffer): MultipartPart[] | undefined {
  const boundary = readBoundary(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) return undefined;
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === "--") break;
    position += 2; // CRLF after the delimiter
    const headerEnd = body.indexOf("\r\n\r\n", position);
    if (headerEnd < 0) return undefined;
    const headers = parseHeaders(body.subarray(position, headerEnd).toString("utf8"));
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next < 0) return undefined;
    const disposition = headers.get("content-disposition") ?? "";
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined) {
      parts.push({
        name,
        filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
        contentType: headers.get("content-type"),
        data: body.subarray(headerEnd + 4, next),
      });
    }
    position = next + 2;
  }
  return parts;
}
