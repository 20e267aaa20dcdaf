import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The dashboard's stylesheet keeps its design decisions in one place: colours, spacing, type
// sizes, radii and shadows are custom properties defined once in the :root token block, and the
// rules use only those. Each colour token is a light-dark() pair, and every pair of text and the
// surface it is drawn on keeps WCAG AA contrast (4.5:1) in both themes.

const STYLESHEET = new URL("../../web/src/styles.css", import.meta.url);

type Declaration = { selector: string; property: string; value: string };

function readStylesheet(): { tokens: Map<string, string>; declarations: Declaration[] } {
  const css = readFileSync(STYLESHEET, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const start = css.indexOf(":root {");
  expect(start, "the stylesheet opens with the :root token block").toBeGreaterThanOrEqual(0);
  const end = css.indexOf("}", start);
  const tokens = new Map<string, string>();
  for (const [, name, value] of css.slice(start + ":root {".length, end).matchAll(/(--[a-z0-9-]+):\s*([^;]+);/g))
    tokens.set(name!, value!.trim());
  const rules = css.slice(0, start) + css.slice(end + 1);
  const declarations: Declaration[] = [];
  // Innermost blocks only: an @media block's own text is its nested rules.
  for (const [, selector, body] of rules.matchAll(/([^{}]*)\{([^{}]*)\}/g)) {
    for (const part of body!.split(";")) {
      const colon = part.indexOf(":");
      if (colon < 0) continue;
      declarations.push({ selector: selector!.trim(), property: part.slice(0, colon).trim(), value: part.slice(colon + 1).trim() });
    }
  }
  return { tokens, declarations };
}

const COLOUR_LITERAL =
  /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color|light-dark)\(|\b(?:white|black|red|green|blue|gray|grey|silver|orange|yellow|purple|navy|teal)\b/i;
const RAW_LENGTH = /(?<![\w-])-?\d*\.?\d+(?:px|rem|em)\b/;

function offending(declarations: Declaration[], test: (declaration: Declaration) => boolean): string[] {
  return declarations.filter(test).map(({ selector, property, value }) => `${selector} { ${property}: ${value} }`);
}

describe("the dashboard's design tokens", () => {
  it("keeps every colour literal inside the token block", () => {
    const { declarations } = readStylesheet();
    expect(declarations.length).toBeGreaterThan(300);
    expect(offending(declarations, ({ value }) => COLOUR_LITERAL.test(value))).toEqual([]);
  });

  it("takes spacing, type sizes, radii and shadows from tokens", () => {
    const { declarations } = readStylesheet();
    const spacing = /^(?:margin|padding|gap|row-gap|column-gap|inset|top|right|bottom|left)(?:-|$)/;
    expect(offending(declarations, ({ property, value }) => spacing.test(property) && RAW_LENGTH.test(value))).toEqual([]);
    expect(
      offending(declarations, ({ property, value }) => property === "font-size" && !/^var\(--font-size-[a-z0-9]+\)$/.test(value)),
    ).toEqual([]);
    expect(
      offending(
        declarations,
        ({ property, value }) =>
          property === "border-radius" && !/^(?:0|var\(--radius-[a-z]+\))(?: (?:0|var\(--radius-[a-z]+\)))*$/.test(value),
      ),
    ).toEqual([]);
    expect(
      offending(declarations, ({ property, value }) => property === "box-shadow" && !/^(?:none|var\(--shadow-[a-z]+\))$/.test(value)),
    ).toEqual([]);
  });

  it("uses only tokens that are defined", () => {
    const { tokens, declarations } = readStylesheet();
    const used = new Set(
      [...declarations.map(({ value }) => value), ...tokens.values()].flatMap((value) =>
        [...value.matchAll(/var\((--[a-z0-9-]+)/g)].map((match) => match[1]!),
      ),
    );
    expect([...used].filter((name) => !tokens.has(name) && !name.startsWith("--lightningcss"))).toEqual([]);
  });

  it("pairs every colour for the light and the dark theme", () => {
    const { tokens } = readStylesheet();
    const colours = [...tokens].filter(([name]) => name.startsWith("--color-"));
    expect(colours.length).toBeGreaterThan(25);
    for (const [name, value] of colours)
      expect({ name, value }).toEqual({
        name,
        value: expect.stringMatching(/^light-dark\((?:#[0-9a-f]{3,8}|rgba\([^)]*\)), (?:#[0-9a-f]{3,8}|rgba\([^)]*\))\)$/i),
      });
  });

  it("keeps text at WCAG AA contrast on its surfaces in both themes", () => {
    const { tokens } = readStylesheet();
    const sides = (name: string): [string, string] => {
      const match = /^light-dark\((#[0-9a-f]{3,6}), (#[0-9a-f]{3,6})\)$/i.exec(tokens.get(`--color-${name}`) ?? "");
      if (!match) throw new Error(`--color-${name} is not a light-dark() pair of hex colours`);
      return [match[1]!, match[2]!];
    };
    const surfaces = ["canvas", "surface", "surface-raised", "surface-sunken", "selected"];
    const pairs: Array<[string, string]> = [
      ...["text", "text-secondary", "text-muted", "accent", "link", "danger", "success", "warning"].flatMap((text) =>
        surfaces.map((surface): [string, string] => [text, surface]),
      ),
      ["on-accent", "accent"],
      ["on-danger", "danger"],
      ["danger", "danger-subtle"],
      ["success", "success-subtle"],
      ["warning", "warning-subtle"],
      ["warning", "note"],
      ["text", "note"],
      ["text-muted", "note"],
      ["text", "info-subtle"],
      ["tag-text", "tag"],
      ["text", "bubble-in"],
      ["text", "bubble-out"],
      ["text-muted", "bubble-in"],
      ["text-muted", "bubble-out"],
      ["link", "bubble-in"],
      ["link", "bubble-out"],
      ["text", "sandbox-bubble-in"],
      ["text", "sandbox-bubble-out"],
    ];
    const failing: string[] = [];
    for (const [text, surface] of pairs) {
      for (const [side, theme] of ["light", "dark"].entries()) {
        const ratio = contrast(sides(text)[side]!, sides(surface)[side]!);
        if (ratio < 4.5) failing.push(`${theme}: ${text} on ${surface} is ${ratio.toFixed(2)}:1`);
      }
    }
    expect(failing).toEqual([]);
  });
});

/** WCAG 2 contrast ratio of two sRGB hex colours. */
function contrast(first: string, second: string): number {
  const [lighter, darker] = [luminance(first), luminance(second)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

function luminance(hex: string): number {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? [...digits].map((digit) => digit + digit).join("") : digits;
  const [r, g, b] = [0, 2, 4].map((offset) => {
    const channel = Number.parseInt(full.slice(offset, offset + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
