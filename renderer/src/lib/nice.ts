/** The attributes of every nice input: the kernel's range, in whole steps, and what it means. */
export const NICE_INPUT = {
  type: 'number',
  min: -20,
  max: 19,
  step: 1,
  title: '-20 (most favoured) to 19 (nicest); lowering it needs root',
} as const;

/** A nice value as typed; the range is the engine's to check (and lowering it needs root there). */
export function parseNice(text: string): { nice: number } | { error: string } {
  const nice = Number(text);
  if (text.trim() === '' || !Number.isInteger(nice)) return { error: 'enter nice as a whole number from -20 to 19' };
  return { nice };
}
