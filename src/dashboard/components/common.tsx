// Small pieces every view uses: fit badges, status lines, errors, the copy button, and a reader for fields the
// dashboard does not know yet (the API grows: new fields are shown as they come, never dropped).
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ApiError } from "../api.js";
import { FIT_LABELS, isNum, label } from "../format.js";

export function FitBadge({ level, text }: { level: string; text?: string }) {
  return <span class={`badge fit-${level}`}>{text ?? FIT_LABELS[level] ?? level}</span>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorBox({ error, what }: { error: unknown; what: string }) {
  if (error instanceof ApiError && error.status === 401) return null; // the sign-in form says it
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert">
      <strong>Could not load {what}.</strong> {message}
    </div>
  );
}

/** A command with a button that copies it. */
export function CopyCommand({ command, name }: { command: string; name: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(command);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2500);
  };
  return (
    <div class="command">
      <code aria-label={name}>{command}</code>
      <button type="button" onClick={copy}>
        Copy
      </button>
      <span role="status" class="copy-status">
        {state === "copied" ? "Copied" : state === "failed" ? "Select the command and copy it" : ""}
      </span>
    </div>
  );
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function Value({ value }: { value: unknown }): preact.JSX.Element {
  if (value === null || value === undefined) return <span class="muted">–</span>;
  if (typeof value === "boolean") return <span>{value ? "yes" : "no"}</span>;
  if (isNum(value)) return <span class="num">{value.toLocaleString("en", { maximumFractionDigits: 3 })}</span>;
  if (typeof value === "string") return <span>{value}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">none</span>;
    if (value.every(isPlainObject)) return <ObjectTable rows={value} />;
    return <span>{value.map((v) => (typeof v === "string" || isNum(v) ? String(v) : JSON.stringify(v))).join(", ")}</span>;
  }
  if (isPlainObject(value)) return <Fields object={value} />;
  return <span>{JSON.stringify(value)}</span>;
}

/** An array of objects as a table: one column per key any of them has. */
export function ObjectTable({ rows, caption }: { rows: ReadonlyArray<Record<string, unknown>>; caption?: string }) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label={caption ?? "table"}>
      <table class="object-table">
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {keys.map((k) => (
              <th key={k} scope="col">
                {label(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {keys.map((k) => (
                <td key={k}>
                  <Value value={r[k]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every field of an object (but `skip`) as a definition list. */
export function Fields({ object, skip = [] }: { object: Record<string, unknown>; skip?: readonly string[] }) {
  const entries = Object.entries(object).filter(([k]) => !skip.includes(k));
  if (entries.length === 0) return null;
  return (
    <dl class="fields">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{label(k)}</dt>
          <dd>
            <Value value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Fields of `object` the view does not show itself: new ones the agent added since this dashboard was built. */
export function MoreFields({ object, known, title }: { object: Record<string, unknown>; known: readonly string[]; title: string }) {
  const extra = Object.keys(object).filter((k) => !known.includes(k));
  if (extra.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="more-fields">
      <h2 id="more-fields">{title}</h2>
      <Fields object={object} skip={Object.keys(object).filter((k) => !extra.includes(k))} />
    </section>
  );
}

export function Panel({ title, id, children, class: cls }: { title: string; id: string; children: ComponentChildren; class?: string }) {
  return (
    <section class={`panel ${cls ?? ""}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A bar of a share of a whole (used / total), for memory. */
export function Meter({ value, max, label: text }: { value: number; max: number; label: string }) {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div class="meter" role="meter" aria-valuemin={0} aria-valuemax={Math.round(max * 100) / 100} aria-valuenow={Math.round(value * 100) / 100} aria-label={text}>
      <div class={`meter-fill ${share > 0.95 ? "hot" : share > 0.8 ? "warm" : ""}`} style={{ width: `${share * 100}%` }} />
    </div>
  );
}
