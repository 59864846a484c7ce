// The node: its hardware (each GPU's memory and bandwidth, RAM, the pools models are graded against, warnings),
// polled from the agent while the page is visible, and the top models beside it.
import { useEffect, useState } from "preact/hooks";
import { api, type Device, type Envelope, type SystemAnswer, type SystemInfo } from "../api.js";
import { ErrorBox, Fields, Loading, Meter, Panel } from "../components/common.js";
import { lineOfRow, RowsTable } from "../components/rows-table.js";
import { ago, gb, isNum } from "../format.js";
import { href } from "../route.js";

/** How often the node's figures are read again (the agent refreshes free memory every 30 s by default). */
export const POLL_MS = 5000;

/** Fields the node panels show; anything else the agent sends is listed under "More". */
const KNOWN_SYSTEM = [
  "total_ram_gb", "available_ram_gb", "cpu_cores", "cpu_name", "has_gpu", "gpu_vram_gb", "gpu_name", "gpu_count", "unified_memory",
  "backend", "gpus", "devices", "ram_bandwidth_gbps", "ram_bandwidth_source", "ram_bandwidth_assumed_pct", "host_ram_gb",
  "memory_limit_gb", "memory_limited_by", "swap_total_gb", "cpu_threads", "warnings", "snapshot_at", "origin",
];

const KNOWN_DEVICE = [
  "index", "name", "vendor", "vram_total_gb", "vram_free_gb", "memory_bandwidth_gbps", "fp16_tflops", "integrated", "unified_memory",
  "bandwidth_source", "memory_source", "bandwidth_assumed_pct", "pci_bus_id", "uuid", "compute_capability", "backend", "gpu_cores",
];

function assumed(pct: unknown): string {
  return isNum(pct) ? ` (assumed, ±${pct}%)` : "";
}

function DeviceCard({ d }: { d: Device }) {
  const total = d.vram_total_gb;
  const free = d.vram_free_gb;
  const used = isNum(total) && isNum(free) ? total - free : null;
  const extra = Object.fromEntries(Object.entries(d).filter(([k]) => !KNOWN_DEVICE.includes(k)));
  return (
    <li class="device">
      <h3>
        GPU {d.index}: {d.name}
      </h3>
      <dl class="facts">
        <div>
          <dt>Memory</dt>
          <dd>
            {gb(total)}
            {d.unified_memory ? " (unified)" : ""}
            {d.integrated ? " · integrated" : ""}
          </dd>
        </div>
        <div>
          <dt>Free</dt>
          <dd>{isNum(free) ? gb(free) : "not reported"}</dd>
        </div>
        <div>
          <dt>Bandwidth</dt>
          <dd title={d.bandwidth_source ?? undefined}>
            {isNum(d.memory_bandwidth_gbps) ? `${d.memory_bandwidth_gbps} GB/s` : "unknown"}
            {assumed(d.bandwidth_assumed_pct)}
          </dd>
        </div>
        {isNum(d.fp16_tflops) && (
          <div>
            <dt>FP16</dt>
            <dd>{d.fp16_tflops} TFLOPS</dd>
          </div>
        )}
        {isNum(d["gpu_cores"]) && (
          <div>
            <dt>GPU cores</dt>
            <dd>{d["gpu_cores"]}</dd>
          </div>
        )}
        {typeof d["compute_capability"] === "string" && (
          <div>
            <dt>Compute capability</dt>
            <dd>{d["compute_capability"]}</dd>
          </div>
        )}
      </dl>
      {isNum(total) && used !== null && <Meter value={used} max={total} label={`GPU ${d.index} memory in use: ${gb(used)} of ${gb(total)}`} />}
      {d.bandwidth_source && <p class="source">Bandwidth: {d.bandwidth_source}</p>}
      <Fields object={extra} />
    </li>
  );
}

export function SystemPanels({ system, title }: { system: SystemInfo; title?: string }) {
  const devices = system.devices ?? [];
  const gpuTotal = devices.reduce((s, d) => s + (d.vram_total_gb ?? 0), 0);
  const gpuFree = devices.length > 0 && devices.every((d) => isNum(d.vram_free_gb)) ? devices.reduce((s, d) => s + (d.vram_free_gb ?? 0), 0) : null;
  const ramUsed = system.total_ram_gb - system.available_ram_gb;
  const extra = Object.fromEntries(Object.entries(system).filter(([k]) => !KNOWN_SYSTEM.includes(k)));
  return (
    <div class="grid">
      <Panel title={title ?? "GPUs"} id="gpus-h">
        {devices.length === 0 ? (
          <p>No GPU: models run on the CPU ({system.backend}).</p>
        ) : (
          <ul class="devices">
            {devices.map((d) => (
              <DeviceCard key={`${d.index}-${d.name}`} d={d} />
            ))}
          </ul>
        )}
      </Panel>
      <Panel title="Memory and CPU" id="ram-h">
        <dl class="facts">
          <div>
            <dt>RAM</dt>
            <dd>{gb(system.total_ram_gb)}</dd>
          </div>
          <div>
            <dt>Available</dt>
            <dd>{gb(system.available_ram_gb)}</dd>
          </div>
          <div>
            <dt>RAM bandwidth</dt>
            <dd title={system.ram_bandwidth_source ?? undefined}>
              {isNum(system.ram_bandwidth_gbps) ? `${system.ram_bandwidth_gbps} GB/s` : "unknown"}
              {assumed(system.ram_bandwidth_assumed_pct)}
            </dd>
          </div>
          {isNum(system.swap_total_gb) && (
            <div>
              <dt>Swap</dt>
              <dd>{gb(system.swap_total_gb)}</dd>
            </div>
          )}
          <div>
            <dt>CPU</dt>
            <dd>
              {system.cpu_name ?? "unknown"} · {system.cpu_cores} cores{isNum(system.cpu_threads) ? ` / ${system.cpu_threads} threads` : ""}
            </dd>
          </div>
          <div>
            <dt>Backend</dt>
            <dd>{system.backend}</dd>
          </div>
        </dl>
        <Meter value={ramUsed} max={system.total_ram_gb} label={`RAM in use: ${gb(ramUsed)} of ${gb(system.total_ram_gb)}`} />
        {system.ram_bandwidth_source && <p class="source">RAM bandwidth: {system.ram_bandwidth_source}</p>}
      </Panel>
      <Panel title="Memory pools" id="pools-h">
        <p class="muted">What models are graded against.</p>
        <dl class="facts">
          <div>
            <dt>GPU pool</dt>
            <dd>
              {devices.length === 0 ? "none" : system.unified_memory ? `${gb(system.gpu_vram_gb)} of unified memory` : `${gb(gpuTotal)} on ${devices.length} GPU${devices.length > 1 ? "s" : ""}`}
              {gpuFree !== null && !system.unified_memory ? `, ${gb(gpuFree)} free` : ""}
            </dd>
          </div>
          <div>
            <dt>RAM pool</dt>
            <dd>
              {gb(system.available_ram_gb)} available ({system.memory_limited_by === "cgroup" ? `container limit ${gb(system.memory_limit_gb)}` : `graded against the ${system.memory_limited_by}`})
            </dd>
          </div>
          {isNum(system.host_ram_gb) && system.host_ram_gb !== system.total_ram_gb && (
            <div>
              <dt>Host RAM</dt>
              <dd>{gb(system.host_ram_gb)}</dd>
            </div>
          )}
        </dl>
      </Panel>
      <Panel title="Warnings" id="warn-h">
        {system.warnings.length === 0 ? (
          <p class="muted">None: every probe answered.</p>
        ) : (
          <ul class="warnings">
            {system.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
      </Panel>
      {Object.keys(extra).length > 0 && (
        <Panel title="More from the agent" id="more-h">
          <Fields object={extra} />
        </Panel>
      )}
    </div>
  );
}

/** The system answer, read now and every POLL_MS while the page is visible. */
export function useSystem(): { data: SystemAnswer | null; error: unknown } {
  const [data, setData] = useState<SystemAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const answer = await api<SystemAnswer>("/api/v1/system");
        if (!stopped) {
          setData(answer);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(e);
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    const tick = (): void => {
      if (document.visibilityState === "visible") void load();
      else timer = setTimeout(tick, POLL_MS);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return { data, error };
}

function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function NodeView() {
  const { data, error } = useSystem();
  const [top, setTop] = useState<Envelope | null>(null);
  const [topError, setTopError] = useState<unknown>(null);
  const now = useNow(1000);
  useEffect(() => {
    api<Envelope>("/api/v1/models/top?limit=10").then(setTop, setTopError);
  }, []);
  const system = data?.system;
  return (
    <>
      <h1 tabIndex={-1}>{data ? data.node.name : "This node"}</h1>
      {system && (
        <p class="lede">
          {system.origin === "described" ? "A described machine" : "Detected hardware"} · {data.node.os}
          {system.snapshot_at ? ` · read ${ago(system.snapshot_at, now)}` : ""}
          <span class="live-dot" aria-hidden="true" /> <span class="muted">(updated live: read every {POLL_MS / 1000} s)</span>
        </p>
      )}
      {error !== null && <ErrorBox error={error} what="the node's hardware" />}
      {system ? <SystemPanels system={system} /> : error === null && <Loading what="the node's hardware" />}
      <section class="panel" aria-labelledby="top-h">
        <div class="panel-head">
          <h2 id="top-h">Top models on this node</h2>
          <a href={href("models")}>All models →</a>
        </div>
        {topError !== null && <ErrorBox error={topError} what="the top models" />}
        {top ? (
          top.models.length === 0 ? (
            <p>No model runs at least marginally here. <a href={href("models")}>See every model</a>.</p>
          ) : (
            <RowsTable
              lines={top.models.map((r) => lineOfRow(r, href("model", {}, r.name)))}
              caption="Top models on this node, by score"
              sort="score"
              sortable={[]}
            />
          )
        ) : (
          topError === null && <Loading what="the top models" />
        )}
      </section>
    </>
  );
}
