import { isIP } from "node:net";

// Minimization (DESIGN §12): where Parley keeps where a request came from, it keeps no more than it
// needs. Addresses become their network (/24 for IPv4, /48 for IPv6) and user agents their family
// (a browser or client name, no versions). The audit log, the access log and an API key's last use
// store these forms only; src/privacy/data-inventory.ts says so per column, and tests read the rows.

/** The caller's network, not their address: IPv4 to its /24, IPv6 to its /48 (IPv4-mapped as IPv4). */
export function reduceAddress(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  const version = isIP(address);
  if (version === 4) return `${address.split(".").slice(0, 3).join(".")}.0/24`;
  if (version === 6) {
    const groups = expandIpv6(address);
    return groups ? `${groups.slice(0, 3).join(":")}::/48` : null;
  }
  return null;
}

function expandIpv6(address: string): string[] | null {
  const zoneless = address.split("%")[0]!.toLowerCase();
  const [head, tail] = zoneless.split("::") as [string, string | undefined];
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  // An embedded IPv4 tail is two groups; only the first three groups are kept, so its value does not matter.
  const count = (groups: string[]) => groups.reduce((sum, group) => sum + (group.includes(".") ? 2 : 1), 0);
  const missing = 8 - count(headGroups) - count(tailGroups);
  if (tail === undefined && missing !== 0) return null;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill("0"), ...tailGroups];
  return groups.map((group) => (group.includes(".") ? group : group.replace(/^0+(?=.)/, "")));
}

const FAMILIES: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\b(?:OPR|Opera)\//, "Opera"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\b(?:Chrome|Chromium|CriOS)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/^curl\//, "curl"],
  [/^Wget\//, "Wget"],
  [/^python-requests\/|^Python-urllib\/|^python-httpx\//, "Python"],
  [/^node-fetch\/|^undici|^node$|^axios\//, "Node.js"],
  [/^Go-http-client\//, "Go"],
  [/^PostmanRuntime\//, "Postman"],
];

const FAMILY_NAMES = new Set([...FAMILIES.map(([, family]) => family), "other"]);

/** The user agent's family (a browser or client library name), never the full string with its versions. */
export function userAgentFamily(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  // Reducing twice gives the same family.
  if (FAMILY_NAMES.has(userAgent)) return userAgent;
  for (const [pattern, family] of FAMILIES) if (pattern.test(userAgent)) return family;
  return "other";
}
