// Light and dark: the system's choice by default, or the one a person picks (kept in this browser); charts read the
// page's colours from its CSS variables and are redrawn when they change.
import { useEffect, useState } from "preact/hooks";

export type ThemeChoice = "auto" | "light" | "dark";
const KEY = "nodefit.theme";
const EVENT = "nodefit-theme";

export function themeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : "auto";
  } catch {
    return "auto";
  }
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === "auto") delete root.dataset["theme"];
  else root.dataset["theme"] = choice;
  try {
    if (choice === "auto") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // Storage off: the choice lasts for this page.
  }
  window.dispatchEvent(new Event(EVENT));
}

/** A number that changes whenever the colours may have: components that draw with them depend on it. */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = (): void => setVersion((v) => v + 1);
    const media = matchMedia("(prefers-color-scheme: dark)");
    window.addEventListener(EVENT, bump);
    media.addEventListener("change", bump);
    return () => {
      window.removeEventListener(EVENT, bump);
      media.removeEventListener("change", bump);
    };
  }, []);
  return version;
}

/** A CSS variable's value on the page root. */
export const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
