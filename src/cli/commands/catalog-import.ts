// `nodefit catalog import FILE.gguf`: a catalog entry read from a GGUF header, printed for the user's catalog file.
import { catalogEntryOf, modelFromGguf } from "../../catalog/gguf/model-from-gguf.js";
import { writeJson, type CliIo } from "../cli-io.js";

export async function runCatalogImport(file: string, io: CliIo): Promise<number> {
  const imported = await modelFromGguf(file);
  for (const w of imported.warnings) io.stderr.write(`nodefit: warning: ${w}\n`);
  writeJson(io, { description: `imported from ${file} by nodefit catalog import`, models: [catalogEntryOf(imported)] });
  return 0;
}
