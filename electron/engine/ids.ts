let idCounter = 0;

/** Unique within this engine and across restarts (time-based, then a counter): "j" + …, "b" + …. */
export const newId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(idCounter++).toString(36)}`;
