/** A one-line progress bar: `[██████░░░░]  60%  label`. */
export function progressBar(fraction: number, label: string, width = 24): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${String(Math.floor(f * 100)).padStart(3)}%  ${label}`;
}
