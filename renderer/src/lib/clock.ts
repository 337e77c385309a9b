const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Time of day (hh:mm:ss), as chart axes and tooltips show it, in the operator's locale. */
export const formatTimeOfDay = (at: number): string => timeOfDay.format(at);

/** Time of day, or date and time when `at` is not on `today` (a Date.toDateString; '' for unknown). */
export function formatClock(at: number, today: string): string {
  const sameDay = today === '' || new Date(at).toDateString() === today;
  return sameDay ? timeOfDay.format(at) : dateAndTime.format(at);
}
