// Hub flags: `--offline` and the Hub's environment (NODEFIT_HUB_URL, NODEFIT_OFFLINE, HF_HUB_OFFLINE,
// NODEFIT_HUB_CACHE_TTL, XDG_CACHE_HOME), parsed before a command opens its service.
import type { Command } from "commander";
import { hubSettings, type HubSettings } from "../service/hub-settings.js";

export interface HubFlags {
  offline?: boolean;
}

/** The option of the commands that may look a model up on the Hugging Face Hub (estimate, plan, serve, mcp). */
export function addHubOptions(cmd: Command): Command {
  return cmd.option(
    "--offline",
    "never ask the Hugging Face Hub for a model the catalog does not know (env NODEFIT_OFFLINE; answers already cached still serve; NODEFIT_HUB_URL sets the Hub's address)",
  );
}

/** Throws `invalid_argument` naming the variable. */
export function parseHubFlags(flags: HubFlags, env: Readonly<Record<string, string | undefined>>): HubSettings {
  return hubSettings(env, { offline: flags.offline === true });
}
