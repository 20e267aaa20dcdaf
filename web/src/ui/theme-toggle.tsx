import { useEffect, useId, useState } from "react";
import {
  applyThemePreference,
  browserThemeHost,
  chooseThemePreference,
  followThemePreference,
  parseThemePreference,
  readThemePreference,
  themePreferences,
  type ThemePreference,
} from "../lib/theme.ts";

// The colour theme switch in the top bar: a native select, so the keyboard, screen readers and a
// 360 px screen get the platform's own control; its label, "Colour theme", is its accessible name.

const LABELS: Record<ThemePreference, string> = { system: "System", light: "Light", dark: "Dark" };

// Applied when the bundle first runs, before any screen renders: the sign-in screens carry no
// toggle, yet the stored choice must hold there too, and no screen may flash the other theme.
const startupHost = browserThemeHost();
applyThemePreference(startupHost, readThemePreference(startupHost));

export function ThemeToggle() {
  const [host] = useState(browserThemeHost);
  const [preference, setPreference] = useState<ThemePreference>(() => readThemePreference(host));
  useEffect(() => followThemePreference(host, setPreference), [host]);
  const id = useId();
  return (
    <span className="theme-toggle">
      <label htmlFor={id} className="visually-hidden">
        Colour theme
      </label>
      <select
        id={id}
        value={preference}
        onChange={(event) => {
          const next = parseThemePreference(event.target.value);
          chooseThemePreference(host, next);
          setPreference(next);
        }}
      >
        {themePreferences.map((choice) => (
          <option key={choice} value={choice}>
            {LABELS[choice]}
          </option>
        ))}
      </select>
    </span>
  );
}
