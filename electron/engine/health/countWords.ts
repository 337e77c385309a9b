const WORDS = ['', '', 'twice', 'three times', 'four times', 'five times', 'six times', 'seven times', 'eight times', 'nine times', 'ten times'];

/** " three times" for a reason sentence; nothing for once (a single result needs no count). */
export function timesInWords(count: number): string {
  if (count <= 1) return '';
  return ` ${WORDS[count] ?? `${count} times`}`;
}
