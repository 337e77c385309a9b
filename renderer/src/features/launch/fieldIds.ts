import type { SchedulingField } from './schedulingSpec';

/** The id of the message under a scheduling field (dots are not welcome in ids used by CSS). */
export const errorIdOf = (field: SchedulingField) => `launch-${field.replace('.', '-')}-error`;
