import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EgressRefusedError, isForbiddenAddress, postPinned, resolveTarget, type Resolver } from "./egress.ts";

// The SSRF guard: a table of addresses, host names that resolve to private addresses, and the pinned
// connection that never asks DNS again (no rebinding) and never follows a redirect.

const strict = { allowPrivate: false, requireHttps: false };

describe("isForbiddenAddress", () => {
  it.each([
    "0.0.0.0",
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.255",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.10",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "192.0.0.8",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::127.0.0.1",
    "fc00::1",
    "fd00:ec2::254",
    "fe80::1",
    "febf::1",
    "ff02::1",
    "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::",
    "2001:db8::1",
    "2001::1",
    "100::1",
    "not-an-ip",
    "",
  ])("refuses %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "172.32.0.1",
    "100.128.0.1",
    "169.255.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
  ])("allows the global unicast %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe("resolveTarget", () => {
  const resolverOf =
    (addresses: string[]): Resolver =>
    () =>
      Promise.resolve(addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })));

  it("refuses a host name that resolves to a private address, or to a mix of public and private", async () => {
    await expect(resolveTarget("https://hooks.example.com/in", strict, resolverOf(["10.0.0.5"]))).rejects.toBeInstanceOf(
      EgressRefusedError,
    );
    await expect(resolveTarget("https://hooks.example.com/in", strict, resolverOf(["93.184.216.34", "127.0.0.1"]))).rejects.toThrow(
      /private|loopback/,
    );
    await expect(resolveTarget("https://hooks.example.com/in", strict, resolverOf(["::ffff:169.254.169.254"]))).rejects.toBeInstanceOf(
      EgressRefusedError,
    );
    await expect(resolveTarget("https://hooks.example.com/in", strict, resolverOf([]))).rejects.toThrow(/does not resolve/);
  });

  it("refuses a real name that resolves to loopback (localhost), literal addresses and credentials", async () => {
    await expect(resolveTarget("http://localhost:8080/", strict)).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(resolveTarget("http://127.0.0.1/", strict)).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(resolveTarget("http://[::1]/", strict)).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(resolveTarget("http://[::ffff:127.0.0.1]/", strict)).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(resolveTarget("https://user:pw@hooks.example.com/", strict, resolverOf(["93.184.216.34"]))).rejects.toThrow(/Credentials/);
    await expect(resolveTarget("ftp://hooks.example.com/", strict, resolverOf(["93.184.216.34"]))).rejects.toThrow(/http/);
  });

  it("requires https in production, and pins the first checked address", async () => {
    await expect(
      resolveTarget("http://hooks.example.com/", { allowPrivate: false, requireHttps: true }, resolverOf(["93.184.216.34"])),
    ).rejects.toThrow(/https/);
    const target = await resolveTarget(
      "https://hooks.example.com/in",
      { allowPrivate: false, requireHttps: true },
      resolverOf(["93.184.216.34"]),
    );
    expect(target).toMatchObject({ address: "93.184.216.34", family: 4 });
    expect(target.url.hostname).toBe("hooks.example.com");
  });

  it("lets private addresses through only when allowed (tests)", async () => {
    await expect(resolveTarget("http://127.0.0.1:9/", { allowPrivate: true, requireHttps: false })).resolves.toMatchObject({
      address: "127.0.0.1",
    });
  });
});

describe("postPinned", () => {
  let server: Server;
  let port: number;
  const seen: Array<{ host: string | undefined; path: string | undefined }> = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ host: request.headers.host, path: request.url });
      if (request.url === "/redirect") {
        response.writeHead(302, { location: "/elsewhere" }).end();
        return;
      }
      if (request.url === "/big") {
        response.writeHead(500).end("x".repeat(10_000));
        return;
      }
      if (request.url === "/slow") return; // never answers
      response.writeHead(200).end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("connects to the checked address whatever the name would resolve to now (no rebinding)", async () => {
    // The name does not exist in DNS: the connection can only have used the pinned address.
    const target = { url: new URL(`http://rebind.invalid:${port}/ok`), address: "127.0.0.1", family: 4 as const };
    const response = await postPinned(target, {}, "{}", 2_000);
    expect(response.status).toBe(200);
    expect(seen.at(-1)).toEqual({ host: `rebind.invalid:${port}`, path: "/ok" });
  });

  it("does not follow redirects, keeps 1 KB of the answer and gives up after the timeout", async () => {
    const at = (path: string) => ({ url: new URL(`http://127.0.0.1:${port}${path}`), address: "127.0.0.1", family: 4 as const });
    expect((await postPinned(at("/redirect"), {}, "{}", 2_000)).status).toBe(302);
    expect(seen.some((request) => request.path === "/elsewhere")).toBe(false);
    const big = await postPinned(at("/big"), {}, "{}", 2_000);
    expect(big.excerpt).toHaveLength(1024);
    await expect(postPinned(at("/slow"), {}, "{}", 300)).rejects.toThrow();
  });
});

describe("postPinned's kept-alive connections", () => {
  let server: Server;
  let port: number;
  /** Per request: the connection it came on (its client port) and the address it was made to. */
  const requests: Array<{ path: string | undefined; clientPort: number | undefined; localAddress: string | undefined }> = [];
  const served = new WeakMap<object, number>();
  beforeAll(async () => {
    server = createServer((request, response) => {
      const count = (served.get(request.socket) ?? 0) + 1;
      served.set(request.socket, count);
      requests.push({ path: request.url, clientPort: request.socket.remotePort, localAddress: request.socket.localAddress });
      // A receiver that drops a kept-alive connection as the next request arrives on it.
      if (request.url === "/drop-second" && count > 1) {
        request.socket.destroy();
        return;
      }
      response.writeHead(204).end();
    });
    // Every loopback address, so that two pinned addresses reach the same server.
    await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const pinned = (address: string, path: string) => ({ url: new URL(`http://hooks.invalid:${port}${path}`), address, family: 4 as const });

  it("reuses a connection for the same pinned address, and never for another address", async () => {
    requests.length = 0;
    for (let index = 0; index < 3; index += 1) expect((await postPinned(pinned("127.0.0.1", "/a"), {}, "{}", 2_000)).status).toBe(204);
    expect(new Set(requests.map((request) => request.clientPort)).size).toBe(1);
    // The same URL pinned to another address after a new check: a new connection, made to that address.
    expect((await postPinned(pinned("127.0.0.2", "/a"), {}, "{}", 2_000)).status).toBe(204);
    expect(requests.at(-1)?.localAddress).toBe("127.0.0.2");
    expect(requests.at(-1)?.clientPort).not.toBe(requests[0]?.clientPort);
    expect(requests.slice(0, 3).every((request) => request.localAddress === "127.0.0.1")).toBe(true);
  });

  it("sends again, once, on a new connection when the receiver dropped the kept-alive one", async () => {
    requests.length = 0;
    expect((await postPinned(pinned("127.0.0.3", "/drop-second"), {}, "{}", 2_000)).status).toBe(204);
    expect((await postPinned(pinned("127.0.0.3", "/drop-second"), {}, "{}", 2_000)).status).toBe(204);
    // First request; the second on the kept-alive connection (dropped); the second again, on a new one.
    expect(requests.map((request) => request.path)).toEqual(["/drop-second", "/drop-second", "/drop-second"]);
    expect(requests[1]?.clientPort).toBe(requests[0]?.clientPort);
    expect(requests[2]?.clientPort).not.toBe(requests[0]?.clientPort);
  });
});
