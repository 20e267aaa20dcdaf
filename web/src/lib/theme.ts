// The dashboard's colour theme. The person's choice (system, light or dark) is kept in
// localStorage and written to <html data-theme>; styles.css turns that attribute into
// color-scheme, which picks the side of every light-dark() token. "system" leaves color-scheme at
// "light dark", so the operating system's preference decides, and keeps following it live.
// Only an attribute changes: no inline style or script, which the CSP refuses.

export const themePreferences = ["system", "light", "dark"] as const;
export type ThemePreference = (typeof themePreferences)[number];

export const THEME_STORAGE_KEY = "parley.theme";

/** Where the theme lives: the document's root element and the browser's storage (null when the browser refuses it). */
export type ThemeHost = { root: HTMLElement; storage: Storage | null };

/** The page's own host. Storage access throws in some privacy modes: the choice then lasts for the page only. */
export function browserThemeHost(): ThemeHost {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  return { root: document.documentElement, storage };
}

/**
 * Any stored value that is not exactly one of the three choices (tampered, from an older build)
 * means "system". An exact match against the list, not a zod enum: the dashboard bundle carries no
 * zod, and a three-value check is not worth its weight.
 */
export function parseThemePreference(value: unknown): ThemePreference {
  return themePreferences.find((choice) => choice === value) ?? "system";
}

export function readThemePreference(host: ThemeHost): ThemePreference {
  try {
    return parseThemePreference(host.storage?.getItem(THEME_STORAGE_KEY));
  } catch {
    return "system";
  }
}

export function applyThemePreference(host: ThemeHost, preference: ThemePreference): void {
  host.root.dataset.theme = preference;
}

/** Applies the choice now and remembers it for the next visit (and the other open tabs). */
export function chooseThemePreference(host: ThemeHost, preference: ThemePreference): void {
  applyThemePreference(host, preference);
  try {
    if (preference === "system") host.storage?.removeItem(THEME_STORAGE_KEY);
    else host.storage?.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Storage full or refused: the choice still holds until the page is closed.
  }
}

/**
 * Applies the stored choice and follows the changes made in other tabs (the storage event fires
 * only there), telling `onChange` so a toggle can show them. Returns the unsubscribe.
 */
export function followThemePreference(host: ThemeHost, onChange: (preference: ThemePreference) => void): () => void {
  applyThemePreference(host, readThemePreference(host));
  const listener = (event: StorageEvent) => {
    // A null key means the whole storage was cleared.
    if (event.key !== THEME_STORAGE_KEY && event.key !== null) return;
    const next = readThemePreference(host);
    applyThemePreference(host, next);
    onChange(next);
  };
  window.addEventListener("storage", listener);
  return () => window.removeEventListener("storage", listener);
}
