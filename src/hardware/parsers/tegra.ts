// Jetson parsers: /etc/nv_tegra_release (L4T release line) and the device-tree model string.

export interface TegraRelease {
  /** "R36". */
  release: string;
  /** "3.0". */
  revision: string | null;
  board: string | null;
}

/** Parses `# R36 (release), REVISION: 3.0, GCID: 36923193, BOARD: generic, EABI: aarch64, DATE: ...`. */
export function parseNvTegraRelease(text: string): TegraRelease | null {
  const m = /^#\s*(R\d+)\s*\(release\)(.*)$/m.exec(text);
  if (!m || m[1] === undefined) return null;
  const rest = m[2] ?? "";
  const field = (name: string): string | null => {
    const f = new RegExp(`${name}:\\s*([^,]+)`).exec(rest);
    return f && f[1] !== undefined ? f[1].trim() : null;
  };
  return { release: m[1], revision: field("REVISION"), board: field("BOARD") };
}

/** /proc/device-tree/model is NUL-terminated ("NVIDIA Jetson AGX Orin Developer Kit\0"). */
export function parseDeviceTreeModel(text: string): string | null {
  const t = text.replace(/\0/g, "").trim();
  return t || null;
}

/**
 * The Jetson module a device-tree model names, as the knowledge base spells it ("Jetson AGX Orin"); null for
 * boards that are not Jetsons. The "Developer Kit" suffix and vendor prefix are dropped.
 */
export function jetsonModuleName(model: string): string | null {
  const m = /(Jetson\s+[A-Za-z0-9 ]+?)(?:\s+Developer Kit|\s+Engineering Reference|\s*$)/i.exec(model);
  return m && m[1] !== undefined ? m[1].replace(/\s+/g, " ").trim() : null;
}
