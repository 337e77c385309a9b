import { useMemo, useState } from 'react';
import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import { useHostStore } from '../../stores/hostStore';
import {
  buildIsolation,
  EMPTY_ISOLATION,
  isolationFieldFor,
  messageOf,
  type IsolationErrors,
  type IsolationValues,
} from './isolationForm';
import { useLimitsDescription, type DescribeRequest } from './useLimitsDescription';

/** Fields folded under "Limit overrides". */
const OVERRIDE_FIELDS: readonly (keyof IsolationErrors)[] = ['memoryMib', 'cpuSeconds', 'openFiles', 'processes', 'wallClockSeconds', 'cleanEnv', 'runAs'];

/**
 * The isolation part of the launch form: the level (the settings' default until picked), the
 * overrides and run-as, the limits they put in force (asked of the engine as they change), and
 * the errors to show at each field, whether found here, by isolation.describe or by jobs.start.
 */
export function useIsolationForm() {
  const defaultLevel = useHostStore((state) => state.settings.defaultIsolation);
  const [values, setValues] = useState<IsolationValues>(EMPTY_ISOLATION);
  const [launchErrors, setLaunchErrors] = useState<IsolationErrors>({});
  const [overridesOpen, setOverridesOpen] = useState(false);

  const built = useMemo(() => buildIsolation(values, defaultLevel), [values, defaultLevel]);
  const request: DescribeRequest | undefined =
    'errors' in built ? undefined : { isolation: built.isolation, ...(built.runAs !== undefined && { runAs: built.runAs }) };
  const description = useLimitsDescription(request);

  const describeField = description.error ? isolationFieldFor(description.error) : undefined;
  const errors: IsolationErrors = {
    ...(describeField && description.error ? { [describeField]: messageOf(description.error) } : {}),
    ...('errors' in built ? built.errors : {}),
    ...launchErrors,
  };

  const update = (patch: Partial<IsolationValues>) => {
    setValues((previous) => ({ ...previous, ...patch }));
    setLaunchErrors({});
  };

  const reveal = (shown: IsolationErrors) => {
    if (OVERRIDE_FIELDS.some((field) => shown[field] !== undefined)) setOverridesOpen(true);
  };

  /** Unfolds the overrides when one of the errors that stopped a launch sits there. */
  const revealErrors = () => {
    if ('errors' in built) reveal(built.errors);
  };

  /** Shows a jobs.start error at its isolation field; false when the error belongs elsewhere. */
  const claimError = (error: ProcdeckErrorPayload): boolean => {
    const field = isolationFieldFor(error);
    if (field === undefined) return false;
    const shown = { [field]: messageOf(error) };
    setLaunchErrors(shown);
    reveal(shown);
    return true;
  };

  return {
    values,
    level: values.level ?? defaultLevel,
    defaultLevel,
    errors,
    description,
    overridesOpen,
    toggleOverrides: () => setOverridesOpen((open) => !open),
    update,
    revealErrors,
    claimError,
    clearErrors: () => setLaunchErrors({}),
  };
}

export type IsolationForm = ReturnType<typeof useIsolationForm>;
