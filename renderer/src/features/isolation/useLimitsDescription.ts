import { useEffect, useState } from 'react';
import type { CommandRequest, CommandResponse } from '../../../../shared/contract';
import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import { call } from '../../api/procdeck';
import { useConnected } from '../../stores/hostStore';

export type DescribeRequest = CommandRequest<'isolation.describe'>;

export interface LimitsDescription {
  /** The last answer (it may be for an earlier choice while `current` is false). */
  answer?: CommandResponse<'isolation.describe'>;
  error?: ProcdeckErrorPayload;
  /** The answer or error is for the request as it is now. */
  current: boolean;
}

/** Typing in an override field asks once the operator pauses, not per keystroke. */
const SETTLE_MS = 150;

/**
 * The limits a level and overrides put in force on this machine, asked of the engine
 * (isolation.describe) whenever the request changes; undefined asks nothing.
 */
export function useLimitsDescription(request: DescribeRequest | undefined): LimitsDescription {
  // The request's text is the effect's dependency: a new object with the same content asks nothing.
  const key = request === undefined ? '' : JSON.stringify(request);
  const connected = useConnected();
  const [state, setState] = useState<{ key: string; answer?: LimitsDescription['answer']; error?: ProcdeckErrorPayload }>({ key: '' });

  useEffect(() => {
    if (key === '' || !connected) return;
    let live = true;
    const timer = setTimeout(() => {
      void call('isolation.describe', JSON.parse(key) as DescribeRequest).then((result) => {
        if (!live) return;
        setState((previous) =>
          result.ok ? { key, answer: result.value } : { key, answer: previous.answer, error: result.error },
        );
      });
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, connected]);

  return { answer: state.answer, error: state.key === key ? state.error : undefined, current: state.key === key && key !== '' };
}
