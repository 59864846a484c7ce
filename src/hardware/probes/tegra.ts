// Jetson probe: an L4T system (/etc/nv_tegra_release) and its module (device-tree model); the GPU uses system RAM.
import { jetsonModuleName, parseDeviceTreeModel, parseNvTegraRelease } from "../parsers/tegra.js";
import type { ProbeRunner } from "../trace.js";

export interface TegraFacts {
  release: string;
  /** "NVIDIA Jetson AGX Orin Developer Kit". */
  model: string | null;
  /** "Jetson AGX Orin". */
  module: string | null;
}

export async function probeTegra(runner: ProbeRunner): Promise<TegraFacts | null> {
  const text = await runner.readFile("/etc/nv_tegra_release");
  if (text === null) return null;
  const release = parseNvTegraRelease(text);
  if (release === null) {
    runner.decide("/etc/nv_tegra_release", "not understood: ignored");
    return null;
  }
  const modelText = await runner.readFile("/proc/device-tree/model");
  const model = modelText === null ? null : parseDeviceTreeModel(modelText);
  const module = model === null ? null : jetsonModuleName(model);
  runner.decide("/etc/nv_tegra_release", `L4T ${release.release}${release.revision ? `.${release.revision}` : ""}: a Jetson`);
  if (modelText !== null) runner.decide("/proc/device-tree/model", module ? `module: ${module}` : "not a Jetson module name");
  return { release: `${release.release}${release.revision ? `.${release.revision}` : ""}`, model, module };
}
