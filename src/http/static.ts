import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";
import { AppError } from "../errors.ts";
import { realtimeHub } from "../realtime/hub.ts";
import type { Services } from "../services.ts";
import type { RouteAccessConfig } from "./app.ts";

// The dashboard's server side: the built React app (web/dist) at `/`, with the app's security
// headers (added by createHttpApp's onSend hook to every response, these included), and the end of
// its event streams when the server shuts down (open streams would otherwise hold the close up).
// Every route declares its access, as createHttpApp requires.

export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../../web/dist", import.meta.url));

const PUBLIC_ASSETS: RouteAccessConfig = { kind: "public", reason: "the dashboard's static files: code and styles, no data" };
/** Paths the client router never owns: an unknown one stays a JSON 404 instead of becoming the app. */
const SERVER_PATHS = /^\/(api|webhooks|media|assets|\.well-known|_sim)(\/|$)|^\/(healthz|readyz|livez|metrics)(\/|$)/;
const ASSET_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.(js|css|svg|png|woff2|ico|map)$/;
const CONTENT_TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  woff2: "font/woff2",
  ico: "image/x-icon",
  map: "application/json; charset=utf-8",
};

export async function registerDashboard(app: FastifyInstance, services: Services, options: { dir?: string } = {}): Promise<void> {
  const dir = options.dir ?? DEFAULT_DASHBOARD_DIR;
  app.addHook("preClose", async () => {
    await realtimeHub(services).close();
  });
  if (!existsSync(`${dir}/index.html`)) {
    services.logger.warn({ component: "dashboard" }, "the dashboard is not built (run `npm run build`); only the API is served");
    return;
  }
  // Read once: index.html is small and changes only with a new build (a restart).
  const indexHtml = await readFile(`${dir}/index.html`);

  app.route({
    method: "GET",
    url: "/assets/:file",
    config: { access: PUBLIC_ASSETS },
    handler: async (request, reply) => {
      const file = (request.params as { file?: string }).file ?? "";
      const match = ASSET_NAME.exec(file);
      if (!match) throw new AppError("NOT_FOUND");
      let bytes: Buffer;
      try {
        bytes = await readFile(`${dir}/assets/${file}`);
      } catch {
        throw new AppError("NOT_FOUND");
      }
      // File names carry a content hash: a new build gets new names, so these never go stale.
      reply.header("cache-control", "public, max-age=31536000, immutable");
      return reply.type(CONTENT_TYPES[match[2]!] ?? "application/octet-stream").send(bytes);
    },
  });

  const sendIndex = async (request: { url: string }, reply: FastifyReply) => {
    const path = request.url.split("?")[0] ?? "/";
    if (SERVER_PATHS.test(path)) throw new AppError("NOT_FOUND");
    // Always revalidated: it names the current build's assets.
    reply.header("cache-control", "no-cache");
    return reply.type("text/html; charset=utf-8").send(indexHtml);
  };
  app.route({ method: "GET", url: "/", config: { access: PUBLIC_ASSETS }, handler: sendIndex });
  // Client-side routes (/login, /setup, /w/…): the app itself decides what to show.
  app.route({ method: "GET", url: "/*", config: { access: PUBLIC_ASSETS }, handler: sendIndex });
}
