// Hub settings for the edges: the validators of the Hub's settings (its URL, the offline switch, the cache's TTL and
// folder), without the lookup itself, so a command that parses them before it binds (serve) loads no GGUF reader or
// schema library.
export {
  DEFAULT_HUB_TIMEOUT_MS,
  DEFAULT_HUB_TTL_S,
  DEFAULT_HUB_URL,
  hubBaseUrl,
  hubCacheDir,
  hubSettings,
  hubToken,
  hubTokenFile,
  hubTokenFromEnv,
  loginFileAllowed,
  type HubTokenFound,
  hubTtlMs,
  MAX_HUB_TTL_S,
  parseOfflineValue,
  type HubSettings,
} from "../hub/settings.js";
