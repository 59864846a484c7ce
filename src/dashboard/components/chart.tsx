// Charts drawn by uPlot (a small canvas chart library, bundled): a wrapper that sizes a chart to its box and redraws
// it on resize and theme changes, and the scatter the speed-vs-memory views share. Each chart is an image to screen
// readers, with its figures in a table beside it.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { cssVar, useThemeVersion } from "../theme.js";

export interface ChartColors {
  fg: string;
  muted: string;
  grid: string;
  bg: string;
  accent: string;
  accent2: string;
  warn: string;
  fit: Readonly<Record<string, string>>;
}

export function chartColors(): ChartColors {
  return {
    fg: cssVar("--fg"),
    muted: cssVar("--muted"),
    grid: cssVar("--grid"),
    bg: cssVar("--bg"),
    accent: cssVar("--accent"),
    accent2: cssVar("--accent-2"),
    warn: cssVar("--warn"),
    fit: { perfect: cssVar("--fit-perfect"), good: cssVar("--fit-good"), marginal: cssVar("--fit-marginal"), too_tight: cssVar("--fit-too-tight") },
  };
}

/** An axis in the page's colours. */
export function axis(colors: ChartColors, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: colors.muted,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { stroke: colors.grid, width: 1 },
    font: "12px system-ui, sans-serif",
    labelFont: "12px system-ui, sans-serif",
    ...extra,
  };
}

interface ChartProps {
  /** The options for a width and the page's colours (called again on resize and theme changes). */
  build: (width: number, colors: ChartColors) => uPlot.Options;
  data: uPlot.AlignedData;
  /** What the chart shows, read by screen readers (its figures are in a table beside it). */
  label: string;
  /** Changes whenever `build` or `data` change meaningfully: the chart is made again. */
  version: string | number;
  /** Called with the chart once drawn (to attach pointer handlers). */
  onReady?: (u: uPlot) => (() => void) | void;
  children?: ComponentChildren;
}

export function Chart({ build, data, label, version, onReady, children }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const theme = useThemeVersion();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidth(Math.floor(el.clientWidth));
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      setWidth((old) => (Math.abs(old - w) >= 8 ? w : old));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const el = box.current;
    if (!el || width <= 0) return;
    const u = new uPlot(build(width, chartColors()), data, el);
    const detach = onReady?.(u);
    return () => {
      detach?.();
      u.destroy();
    };
    // `build`, `data` and `onReady` are new objects each render: `version` says when they changed.
  }, [width, theme, version]);
  return (
    <div class="chart-wrap">
      <div ref={box} class="chart" role="img" aria-label={label} />
      {children}
    </div>
  );
}

export interface ScatterPoint {
  x: number;
  y: number;
  group: string;
  label: string;
  detail: string;
  id: string;
}

interface ScatterProps {
  points: readonly ScatterPoint[];
  groups: readonly string[];
  groupLabels: Readonly<Record<string, string>>;
  xLabel: string;
  yLabel: string;
  label: string;
  onSelect: (p: ScatterPoint) => void;
}

/** Points on log axes, one colour per group; hovering shows a point, clicking opens it. */
export function Scatter({ points, groups, groupLabels, xLabel, yLabel, label, onSelect }: ScatterProps) {
  const [hover, setHover] = useState<{ p: ScatterPoint; left: number; top: number } | null>(null);
  const sorted = [...points].filter((p) => p.x > 0 && p.y > 0).sort((a, b) => a.x - b.x);
  const xs = sorted.map((p) => p.x);
  const data: uPlot.AlignedData = [xs, ...groups.map((g) => sorted.map((p) => (p.group === g ? p.y : null)))];
  const version = `${sorted.length}:${sorted.map((p) => p.id).join("|").length}:${groups.join(",")}:${sorted.reduce((s, p) => s + p.x + p.y, 0)}`;

  const build = (width: number, c: ChartColors): uPlot.Options => ({
    width,
    height: Math.max(260, Math.min(440, Math.round(width * 0.55))),
    legend: { show: false },
    cursor: { show: true, x: false, y: false, points: { show: false }, drag: { x: false, y: false, setScale: false } },
    scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
    axes: [axis(c, { label: xLabel, size: 40 }), axis(c, { label: yLabel, size: 56 })],
    series: [
      {},
      ...groups.map((g) => ({
        label: groupLabels[g] ?? g,
        stroke: c.fit[g] ?? c.accent,
        fill: c.fit[g] ?? c.accent,
        paths: () => null,
        points: { show: true, size: 7, width: 1, stroke: c.fit[g] ?? c.accent, fill: c.fit[g] ?? c.accent },
      })),
    ],
  });

  const onReady = (u: uPlot) => {
    const nearest = (e: MouseEvent): { p: ScatterPoint; left: number; top: number } | null => {
      const rect = u.over.getBoundingClientRect();
      // The tooltip is placed in the chart's wrapper: the plot area's offset in it, plus the point's.
      const base = (u.root.closest(".chart-wrap") ?? u.root).getBoundingClientRect();
      const dx = rect.left - base.left;
      const dy = rect.top - base.top;
      const mx = e.clientX - rect.left;
      const my = e.clientY - rect.top;
      let best: { p: ScatterPoint; left: number; top: number; d: number } | null = null;
      for (const p of sorted) {
        const left = u.valToPos(p.x, "x");
        const top = u.valToPos(p.y, "y");
        const d = (left - mx) ** 2 + (top - my) ** 2;
        if (d < 144 && (best === null || d < best.d)) best = { p, left, top, d };
      }
      return best && { p: best.p, left: best.left + dx, top: best.top + dy };
    };
    const move = (e: MouseEvent): void => {
      const hit = nearest(e);
      u.over.style.cursor = hit ? "pointer" : "default";
      setHover(hit);
    };
    const leave = (): void => setHover(null);
    const click = (e: MouseEvent): void => {
      const hit = nearest(e);
      if (hit) onSelect(hit.p);
    };
    u.over.addEventListener("mousemove", move);
    u.over.addEventListener("mouseleave", leave);
    u.over.addEventListener("click", click);
    return () => {
      u.over.removeEventListener("mousemove", move);
      u.over.removeEventListener("mouseleave", leave);
      u.over.removeEventListener("click", click);
    };
  };

  return (
    <Chart build={build} data={data} label={label} version={version} onReady={onReady}>
      <ul class="legend" aria-hidden="true">
        {groups.map((g) => (
          <li key={g}>
            <span class={`swatch fit-${g}`} /> {groupLabels[g] ?? g} ({sorted.filter((p) => p.group === g).length})
          </li>
        ))}
      </ul>
      {hover && (
        <div class="tooltip" style={{ left: `${hover.left}px`, top: `${hover.top}px` }} aria-hidden="true">
          <strong>{hover.p.label}</strong>
          <br />
          {hover.p.detail}
        </div>
      )}
    </Chart>
  );
}
