/** "0-2,5" → [0, 1, 2, 5]: the list syntax of taskset and /proc/PID/status (shared/format formatCoreList writes it). */
export function parseCoreList(text: string): number[] {
  const cores: number[] = [];
  for (const part of text.trim().split(',')) {
    if (!part) continue;
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || !Number.isInteger(from)) continue;
    const last = to !== undefined && Number.isInteger(to) ? to : from;
    for (let c = from; c <= last; c++) cores.push(c);
  }
  return cores;
}
