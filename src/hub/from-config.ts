// The config.json import path: a repository's config.json, read at the listed revision within the lookup's scope, to a
// catalog entry of its architecture (the Hub's parameter count sizing a vision tower config.json does not).
import { paramBreakdown } from "../catalog/params.js";
import { ModelSchema, type ModelSpec } from "../catalog/schema.js";
import type { QuantName } from "../domain/quants.js";
import type { HubClient, LookupScope } from "./client.js";
import { architectureFromConfig, ConfigRefusal } from "./config-json.js";
import { Unreadable, type Listing } from "./listing.js";

/** config.json at most. */
export const MAX_CONFIG_BYTES = 2 ** 20;

/** The catalog entry of the repository's config.json (`url`, at the listing's revision); a refusal is Unreadable. */
export async function modelFromHubConfig(client: HubClient, url: string, listing: Listing, repo: string, page: string, scope: LookupScope): Promise<{ model: ModelSpec; quant: QuantName | null }> {
  const config = await client.json(url, MAX_CONFIG_BYTES, scope);
  try {
    return modelFromConfig(config, listing, repo, page);
  } catch (e) {
    if (e instanceof ConfigRefusal) throw new Unreadable(e.message, page, listing.sha);
    throw e;
  }
}

/** The catalog entry of a config.json: its architecture, the Hub's parameter count for a vision tower it does not size. */
function modelFromConfig(config: unknown, listing: Listing, repo: string, page: string): { model: ModelSpec; quant: QuantName | null } {
  const c = architectureFromConfig(config);
  const caveats = [...c.caveats];
  let architecture = c.architecture;
  const text = paramBreakdown(architecture).total;
  // The Hub counts the stored tensors: packed integers of a quantized repository (whether nodefit names its format or
  // not), so only an unquantized one is compared.
  const stated = c.quantized ? null : listing.safetensorsTotal;
  if (c.vision) {
    if (stated !== null && stated > text) architecture = { ...architecture, vision_params: Math.round(stated - text) };
    else caveats.push("the vision tower is not sized: config.json does not give its parameters and the Hub states no count to take them from");
  } else if (stated !== null && Math.abs(stated - text) / text > 0.05) {
    caveats.push(`config.json's architecture has ${(text / 1e9).toFixed(2)}B parameters; the Hub's safetensors index counts ${(stated / 1e9).toFixed(2)}B`);
  }
  const p = paramBreakdown(architecture);
  const candidate = {
    id: repo,
    provider: repo.slice(0, repo.indexOf("/")),
    family: c.modelType,
    params_total: Math.round(p.total),
    params_active: architecture.moe ? Math.round(p.activePerToken) : null,
    context_length: c.contextLength,
    architecture,
    license: listing.license ?? "unknown",
    release_date: listing.createdAt,
    category: c.vision ? "multimodal" : "general",
    capabilities: c.vision ? ["vision"] : [],
    sources: [page],
    notes: `Read from the Hugging Face Hub: ${repo} at revision ${listing.sha}, config.json (${c.modelType}).`,
    caveats,
  };
  const parsed = ModelSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigRefusal(`its config.json describes a model nodefit cannot take (${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"})`);
  }
  return { model: parsed.data, quant: c.storedAs };
}
