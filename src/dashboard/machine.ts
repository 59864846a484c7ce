// "Another machine": a described machine as URL params (shareable) and as the estimator's description, and presets.
import type { MachineDescription } from "./api.js";
import type { Params } from "./route.js";

/** The form's fields, as strings (what inputs hold); `ram` is the one the estimator requires. */
export interface MachineForm {
  gpu: string;
  vram: string;
  gpus: string;
  unified: boolean;
  gpu_bw: string;
  ram: string;
  avail: string;
  cores: string;
  cpu: string;
  ram_bw: string;
}

export const MACHINE_KEYS = ["gpu", "vram", "gpus", "unified", "gpu_bw", "ram", "avail", "cores", "cpu", "ram_bw"] as const;

export const EMPTY_FORM: MachineForm = { gpu: "", vram: "", gpus: "1", unified: false, gpu_bw: "", ram: "", avail: "", cores: "", cpu: "", ram_bw: "" };

export interface Preset {
  id: string;
  label: string;
  form: Partial<MachineForm>;
}

/** Machines people ask about; names the hardware knowledge base knows, so missing figures are filled from it. */
export const PRESETS: readonly Preset[] = [
  { id: "rtx4090", label: "RTX 4090 · 64 GB RAM", form: { gpu: "NVIDIA GeForce RTX 4090", vram: "24", ram: "64", cores: "16", cpu: "AMD Ryzen 9 7950X" } },
  { id: "2x3090", label: "2× RTX 3090 · 128 GB RAM", form: { gpu: "NVIDIA GeForce RTX 3090", vram: "24", gpus: "2", ram: "128", cores: "16", cpu: "AMD Ryzen 9 5950X" } },
  { id: "rtx4060", label: "RTX 4060 8 GB · 32 GB RAM", form: { gpu: "NVIDIA GeForce RTX 4060", vram: "8", ram: "32", cores: "8", cpu: "AMD Ryzen 7 7700" } },
  { id: "m4pro48", label: "Apple M4 Pro · 48 GB", form: { gpu: "Apple M4 Pro", unified: true, ram: "48", cpu: "Apple M4 Pro" } },
  { id: "m3max128", label: "Apple M3 Max · 128 GB", form: { gpu: "Apple M3 Max", unified: true, ram: "128", cpu: "Apple M3 Max" } },
  { id: "strix128", label: "Ryzen AI Max+ 395 · 128 GB", form: { gpu: "AMD Radeon 8060S", unified: true, ram: "128", cores: "16", cpu: "AMD Ryzen AI Max+ 395" } },
  { id: "h100", label: "H100 80 GB · 512 GB RAM", form: { gpu: "NVIDIA H100 80GB HBM3", vram: "80", ram: "512", cores: "64" } },
  { id: "cpu32", label: "CPU only · 32 GB RAM", form: { ram: "32", cores: "8", cpu: "AMD Ryzen 7 7700" } },
];

export function formFromParams(params: URLSearchParams): MachineForm {
  const get = (k: string, d: string): string => params.get(k) ?? d;
  return {
    gpu: get("gpu", ""),
    vram: get("vram", ""),
    gpus: get("gpus", "1"),
    unified: params.get("unified") === "1",
    gpu_bw: get("gpu_bw", ""),
    ram: get("ram", ""),
    avail: get("avail", ""),
    cores: get("cores", ""),
    cpu: get("cpu", ""),
    ram_bw: get("ram_bw", ""),
  };
}

export function paramsOfForm(form: MachineForm): Params {
  return {
    gpu: form.gpu.trim(),
    vram: form.vram.trim(),
    gpus: form.gpu.trim() !== "" && form.gpus.trim() !== "1" ? form.gpus.trim() : "",
    unified: form.gpu.trim() !== "" && form.unified ? "1" : "",
    gpu_bw: form.gpu_bw.trim(),
    ram: form.ram.trim(),
    avail: form.avail.trim(),
    cores: form.cores.trim(),
    cpu: form.cpu.trim(),
    ram_bw: form.ram_bw.trim(),
  };
}

/** Whether the params describe a machine (RAM is the one required figure). */
export const hasMachine = (params: URLSearchParams): boolean => (params.get("ram") ?? "") !== "";

/** The machine params alone (to carry from the machine view to a model page and back). */
export function machineParams(params: URLSearchParams): Params {
  const out: Params = {};
  for (const k of MACHINE_KEYS) out[k] = params.get(k);
  return out;
}

const num = (s: string): number | undefined => {
  const t = s.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : NaN;
};

/** The description the estimator takes; the agent checks every figure and says what is wrong. */
export function describe(form: MachineForm): MachineDescription {
  const m: MachineDescription = { ram_gb: num(form.ram) ?? NaN };
  const set = <K extends keyof MachineDescription>(k: K, v: MachineDescription[K] | undefined): void => {
    if (v !== undefined && v !== "") m[k] = v;
  };
  set("available_ram_gb", num(form.avail));
  set("cpu_cores", num(form.cores));
  set("cpu_name", form.cpu.trim() || undefined);
  set("ram_bandwidth_gbps", num(form.ram_bw));
  if (form.gpu.trim() !== "") {
    const gpu: NonNullable<MachineDescription["gpus"]>[number] = { name: form.gpu.trim() };
    const vram = num(form.vram);
    const count = num(form.gpus);
    const bw = num(form.gpu_bw);
    if (vram !== undefined) gpu.vram_gb = vram;
    if (count !== undefined && count !== 1) gpu.count = count;
    if (bw !== undefined) gpu.memory_bandwidth_gbps = bw;
    if (form.unified) gpu.unified_memory = true;
    m.gpus = [gpu];
  }
  return m;
}

/** One line for a machine: "2× NVIDIA GeForce RTX 3090 (24 GB) · 128 GB RAM". */
export function summary(form: MachineForm): string {
  const parts: string[] = [];
  if (form.gpu.trim() !== "") {
    const count = form.gpus.trim() !== "" && form.gpus.trim() !== "1" ? `${form.gpus.trim()}× ` : "";
    parts.push(`${count}${form.gpu.trim()}${form.vram.trim() ? ` (${form.vram.trim()} GB)` : ""}`);
  } else parts.push("no GPU");
  parts.push(`${form.ram.trim() || "?"} GB RAM`);
  if (form.cpu.trim()) parts.push(form.cpu.trim());
  return parts.join(" · ");
}
