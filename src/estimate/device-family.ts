// Device families: the class of a device for speed (its memory kind and runtime backend) and its architecture
// generation, from what any machine description carries (name, vendor, backend, compute capability).
import type { Backend, GpuDevice } from "../domain/machine.js";
import type { Runtime } from "./types.js";

export type DeviceClass = "nvidia-gddr" | "nvidia-hbm" | "nvidia-unified" | "apple" | "amd" | "vulkan" | "intel" | "npu" | "cpu";

const HBM_PARTS = /\b(A100|A800|A30|H100|H800|H200|H20|GH200|B200|B100|B300|GB200|GB300|V100|P100|MI\d{3})/i;

export function deviceClass(gpu: Pick<GpuDevice, "name" | "backend" | "vendor" | "unifiedMemory"> | null, backend: Backend): DeviceClass {
  if (gpu === null) return "cpu";
  if (backend === "Vulkan") return "vulkan";
  if (gpu.vendor === "apple" || backend === "Metal") return "apple";
  if (gpu.vendor === "nvidia") {
    if (gpu.unifiedMemory) return "nvidia-unified";
    return HBM_PARTS.test(gpu.name) ? "nvidia-hbm" : "nvidia-gddr";
  }
  if (gpu.vendor === "amd") return "amd";
  if (gpu.vendor === "intel") return "intel";
  if (gpu.vendor === "huawei") return "npu";
  return "vulkan";
}

/** NVIDIA compute capability (major.minor) to architecture, from NVIDIA's CUDA GPU list (developer.nvidia.com/cuda-gpus). */
function nvidiaByCapability(cc: string): string | null {
  const [major, minor] = cc.split(".").map(Number) as [number, number | undefined];
  if (major === 6) return "pascal";
  if (major === 7) return minor === 5 ? "turing" : "volta";
  if (major === 8) return minor === 9 ? "ada" : "ampere";
  if (major === 9) return "hopper";
  if (major === 10 || major === 11 || major === 12) return "blackwell";
  return null;
}

/** NVIDIA product names to architecture (GeForce, workstation, data-centre, edge), when no compute capability is known. */
const NVIDIA_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/\b(GTX|MX)\s?10\d0|\bTITAN X[p ]|\bP(4|40|100)\b|\bQuadro P/i, "pascal"],
  [/\bV100\b|TITAN V\b/i, "volta"],
  [/\bGTX\s?16\d0|\bRTX\s?20\d0|TITAN RTX|\bT4\b|Quadro RTX/i, "turing"],
  [/\bRTX\s?30\d0|\bRTX A\d{3,4}\b|\bA(2|10|16|30|40|100|800)\b|Jetson (AGX )?Orin|\bOrin\b/i, "ampere"],
  [/\bRTX\s?40\d0|Ada Generation|\bRTX \d000 Ada|\bL(4|40S?)\b/i, "ada"],
  [/\bH(100|200|800|20)\b|GH200/i, "hopper"],
  [/\bRTX\s?50\d0|\bRTX PRO \d+|\bB(100|200|300)\b|GB(10|200|300)\b|Blackwell|Thor\b/i, "blackwell"],
];

/** AMD and Apple product names to architecture. */
const OTHER_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/\bRX\s?5\d00\b/i, "rdna1"],
  [/\bRX\s?6\d00|\b6[5-9]0M\b|PRO W6\d00/i, "rdna2"],
  [/\bRX\s?7\d00|\b7[4-9]0M\b|PRO W7\d00/i, "rdna3"],
  [/\b8[4-9]0M\b|\b80[4-6]0S\b/i, "rdna3.5"],
  [/\bRX\s?9\d{3}\b|\bR9700\b/i, "rdna4"],
  [/\bMI(100|2\d0)\b/i, "cdna2"],
  [/\bMI3\d{2}/i, "cdna3"],
  [/\bApple M(\d)/i, "m$1"],
];

/**
 * The architecture generation of a device ("pascal", "ampere", "rdna3", "m4"...); null when nothing says. Newer
 * generations stream memory at a higher share of their nominal bandwidth and launch kernels faster, so the speed model
 * is calibrated per generation where measurements exist.
 */
export function gpuGeneration(gpu: Pick<GpuDevice, "name" | "vendor" | "computeCapability">): string | null {
  if (gpu.vendor === "nvidia") {
    if (gpu.computeCapability) {
      const byCc = nvidiaByCapability(gpu.computeCapability);
      if (byCc) return byCc;
    }
    for (const [re, gen] of NVIDIA_NAMES) if (re.test(gpu.name)) return gen;
    return null;
  }
  for (const [re, gen] of OTHER_NAMES) {
    const m = re.exec(gpu.name);
    if (m) return gen.replace("$1", m[1] ?? "");
  }
  return null;
}

/**
 * The calibration keys of a device under a runtime, most specific first: `runtime/class/generation`, `runtime/class`.
 * MLX falls back to llama.cpp's on the same chip (both stream the weights through Metal kernels of similar efficiency);
 * vLLM does not (CUDA graphs and its own kernels: its prior comes before llama.cpp's measurements). Ollama and LM Studio
 * run llama.cpp.
 */
export function calibrationKeys(gpu: Pick<GpuDevice, "name" | "vendor" | "computeCapability" | "backend" | "unifiedMemory"> | null, backend: Backend, runtime: Runtime): string[] {
  const cls = deviceClass(gpu, backend);
  const gen = gpu === null ? null : gpuGeneration(gpu);
  const forRuntime = (r: Runtime): string[] => (gen === null ? [`${r}/${cls}`] : [`${r}/${cls}/${gen}`, `${r}/${cls}`]);
  return runtime === "mlx" ? [...forRuntime("mlx"), ...forRuntime("llamacpp")] : forRuntime(runtime);
}
