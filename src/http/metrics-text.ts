// Prometheus text exposition (format 0.0.4): metric families written as HELP/TYPE lines and samples, labels escaped.

export type MetricType = "counter" | "gauge" | "histogram";
export type Labels = Readonly<Record<string, string>>;

/** `\`, `"` and newlines escaped, as the format requires inside a label value. */
const escapeLabel = (value: string): string => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const escapeHelp = (text: string): string => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

export function formatLabels(labels: Labels | undefined): string {
  if (labels === undefined) return "";
  const keys = Object.keys(labels);
  if (keys.length === 0) return "";
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k] ?? "")}"`).join(",")}}`;
}

/** A sample value: integers as written, others with their shortest exact form; NaN and infinities as Prometheus spells them. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/** One scrape's text, built family by family. */
export class MetricsText {
  readonly #lines: string[] = [];

  /** Starts a family: its HELP and TYPE lines. Samples of the family follow. */
  family(name: string, type: MetricType, help: string): this {
    this.#lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, value: number, labels?: Labels): this {
    this.#lines.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
    return this;
  }

  /** A family with one sample (or none when `value` is null: the metric is then left out, never a made-up zero). */
  single(name: string, type: MetricType, help: string, value: number | null, labels?: Labels): this {
    if (value === null) return this;
    return this.family(name, type, help).sample(name, value, labels);
  }

  toString(): string {
    return `${this.#lines.join("\n")}\n`;
  }
}
