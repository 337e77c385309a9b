export interface QuitFlowSteps {
  /** Jobs that quitting would stop (running, paused, stopping, queued). */
  activeJobCount(): number;
  /** Asks the operator; true means stop them and quit. */
  confirmStop(count: number): Promise<boolean>;
  shutdown(): Promise<void>;
  /** Quits for real; the flow lets every close and quit event through from then on. */
  quit(): void;
  onError?(error: unknown): void;
}

type Phase = 'open' | 'asking' | 'stopping' | 'done';

/**
 * Quitting with jobs running asks first, then stops every job before the app exits. Both
 * the window's `close` and the app's `before-quit` go through `intercept`: the default is
 * prevented until the engine has shut down, then `quit()` runs and everything passes.
 */
export class QuitFlow {
  private phase: Phase = 'open';
  private running?: Promise<void>;

  constructor(private readonly steps: QuitFlowSteps) {}

  get state(): Phase {
    return this.phase;
  }

  intercept(event: { preventDefault(): void }): void {
    if (this.phase === 'done') return;
    event.preventDefault();
    if (this.phase === 'open') this.running = this.run(true);
  }

  /** For signals: no one to ask. Resolves once the app is quitting. */
  stopWithoutAsking(): Promise<void> {
    if (this.phase === 'open' || this.phase === 'asking') this.running = this.run(false);
    return this.running ?? Promise.resolve();
  }

  private async run(ask: boolean): Promise<void> {
    const count = this.steps.activeJobCount();
    if (ask && count > 0) {
      this.phase = 'asking';
      const confirmed = await this.steps.confirmStop(count).catch((error: unknown) => {
        this.steps.onError?.(error);
        return false;
      });
      // A signal may have taken over while the dialog was open.
      if (this.phase !== 'asking') return;
      if (!confirmed) {
        this.phase = 'open';
        return;
      }
    }
    this.phase = 'stopping';
    try {
      await this.steps.shutdown();
    } catch (error) {
      this.steps.onError?.(error);
    }
    this.phase = 'done';
    this.steps.quit();
  }
}
