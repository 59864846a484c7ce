// Hub flag: `--offline`. Its value, with NODEFIT_OFFLINE / HF_HUB_OFFLINE, NODEFIT_HUB_URL, NODEFIT_HUB_CACHE_TTL and
// the config file's offline / hub_url / hub_cache_ttl / cache_dir, is resolved by the settings (settings.ts) before a
// command opens its service.
import type { Command } from "commander";

export interface HubFlags {
  offline?: boolean;
}

/** The option of the commands that may look a model up on the Hugging Face Hub (estimate, plan, serve, mcp). */
export function addHubOptions(cmd: Command): Command {
  return cmd.option(
    "--offline",
    "never ask the Hugging Face Hub for a model the catalog does not know (env NODEFIT_OFFLINE; config offline; answers already cached still serve; NODEFIT_HUB_URL / hub_url sets the Hub's address)",
  );
}
