// The user's nodefit configuration folder, where the settings file (config.json) and the user catalog (catalog.json)
// live: `%APPDATA%\nodefit` on Windows, else `$XDG_CONFIG_HOME/nodefit` (an absolute one) or `~/.config/nodefit`.
import os from "node:os";
import { posix, win32 } from "node:path";

/** The home folder: HOME when set, else the account's (os.homedir(), which throws where the system cannot tell). */
export const homeOf = (env: Readonly<Record<string, string | undefined>>): string => (env["HOME"] !== undefined && env["HOME"] !== "" ? env["HOME"] : os.homedir());

/** The folder, from the environment's APPDATA / XDG_CONFIG_HOME and the home folder; paths only, nothing is read. */
export function userConfigDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform, homedir: string): string {
  if (platform === "win32") {
    const appData = env["APPDATA"];
    return win32.join(appData !== undefined && appData !== "" ? appData : win32.join(homedir, "AppData", "Roaming"), "nodefit");
  }
  // The XDG spec: a relative $XDG_CONFIG_HOME is invalid and ignored.
  const xdg = env["XDG_CONFIG_HOME"];
  return posix.join(xdg !== undefined && posix.isAbsolute(xdg) ? xdg : posix.join(homedir, ".config"), "nodefit");
}
