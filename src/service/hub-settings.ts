// Hub settings for the edges: the parser of `--offline` and the Hub's environment, without the lookup itself, so a
// command that parses them before it binds (serve) loads no GGUF reader or schema library.
export { hubSettings, type HubSettings } from "../hub/settings.js";
