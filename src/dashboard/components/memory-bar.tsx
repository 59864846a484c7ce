// Memory as two stacked bars on one scale: what it is made of (weights, KV cache, overhead) and where it lies (GPU
// memory, system RAM), with the pool the run mode has marked. The figures are in the legend, for every reader.
import type { MemoryParts } from "../api.js";
import { gb, isNum } from "../format.js";

interface Props {
  memory: MemoryParts;
  required: number;
  available: number;
}

interface Segment {
  key: string;
  title: string;
  value: number;
}

function Bar({ segments, scale, title }: { segments: readonly Segment[]; scale: number; title: string }) {
  return (
    <div class="stack" aria-hidden="true" title={title}>
      {segments.map((s) =>
        s.value > 0 ? <div key={s.key} class={`seg seg-${s.key}`} style={{ width: `${(s.value / scale) * 100}%` }} /> : null,
      )}
    </div>
  );
}

function Legend({ segments, label }: { segments: readonly Segment[]; label: string }) {
  return (
    <ul class="stack-legend" aria-label={label}>
      {segments.map((s) => (
        <li key={s.key}>
          <span class={`swatch seg-${s.key}`} aria-hidden="true" /> {s.title} <strong>{gb(s.value)}</strong>
        </li>
      ))}
    </ul>
  );
}

export function MemoryBars({ memory, required, available }: Props) {
  const scale = Math.max(required, available, 0.01) * 1.04;
  const parts: Segment[] = [
    { key: "weights", title: "Weights", value: memory.weights_gb },
    { key: "kv", title: "KV cache", value: memory.kv_cache_gb },
    { key: "overhead", title: "Overhead", value: memory.overhead_gb },
  ];
  const places: Segment[] = [
    { key: "gpu", title: "GPU memory", value: memory.gpu_gb },
    { key: "ram", title: "System RAM", value: memory.ram_gb },
  ];
  const marker = isNum(available) && available > 0 ? (available / scale) * 100 : null;
  return (
    <div class="memory-bars">
      <div class="bar-row">
        <span class="bar-label">Made of</span>
        <div class="bar-track">
          <Bar segments={parts} scale={scale} title="weights, KV cache, overhead" />
          {marker !== null && <div class="avail-marker" style={{ left: `${marker}%` }} aria-hidden="true" />}
        </div>
      </div>
      <Legend segments={parts} label="Memory by part" />
      <div class="bar-row">
        <span class="bar-label">Lies in</span>
        <div class="bar-track">
          <Bar segments={places} scale={scale} title="GPU memory and system RAM" />
          {marker !== null && <div class="avail-marker" style={{ left: `${marker}%` }} aria-hidden="true" />}
        </div>
      </div>
      <Legend segments={places} label="Memory by place" />
      <p class="bar-note">
        <span class="marker-key" aria-hidden="true" /> {gb(required)} required of {gb(available)} available to this run mode
        {required > available ? ` — ${gb(required - available)} short` : ""}.
      </p>
    </div>
  );
}
