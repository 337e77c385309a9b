import type { ContractEvent } from './engineClient';

type Listener = (event: ContractEvent, sequence: number) => void;

/**
 * Holds the events that arrive while a verb is still reading the state they change (the job
 * list, the log tail), then hands them over in order once it knows from which arrival number
 * on they are news: subscribe first, read second, and nothing falls in between.
 */
export class EventGate {
  private held: [ContractEvent, number][] = [];
  private handler?: Listener;

  readonly listener: Listener = (event, sequence) => {
    if (this.handler) this.handler(event, sequence);
    else this.held.push([event, sequence]);
  };

  open(handler: Listener): void {
    this.handler = handler;
    for (const [event, sequence] of this.held.splice(0)) handler(event, sequence);
  }
}
