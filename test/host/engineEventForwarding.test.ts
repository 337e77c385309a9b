import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract';
import type { SystemProcessList } from '../../shared/monitoring';
import type { EngineEventMap, EngineMonitorTick } from '../../electron/engine/eventCoalescer';
import { forwardEngineEvents, type ViewerPayload } from '../../electron/host/engineEventForwarding';

const list = (pids: number[]): SystemProcessList => ({
  at: 1,
  total: pids.length,
  processes: pids.map((pid) => ({ pid, ppid: 1, startTime: 1, uid: 0, user: 'root', command: 'x', cpu: 0, rss: 0, state: 'S', nice: 0, threads: 1, depth: 0 })),
});

describe('forwardEngineEvents', () => {
  it("hands monitor.tick's process lists to their own viewers only", () => {
    const emitter = new EventEmitter<EngineEventMap>();
    const seen: { name: EventName; payload: unknown; forViewer?: ViewerPayload<EventName> }[] = [];
    const stop = forwardEngineEvents(emitter, (name, payload, forViewer) => seen.push({ name, payload, forViewer: forViewer as ViewerPayload<EventName> | undefined }));
    const tick: EngineMonitorTick = {
      at: 5,
      watched: [],
      watchEnded: [],
      leaks: [],
      alerts: [],
      processLists: [
        { viewers: ['ws-1', 'ws-3'], list: list([1, 2]) },
        { viewers: ['window-7'], list: list([2, 1]) },
      ],
    };
    emitter.emit('monitor.tick', tick);
    emitter.emit('engine.notice', { level: 'info', message: 'hi' });
    stop();
    emitter.emit('engine.notice', { level: 'info', message: 'after' });

    expect(seen.map((s) => s.name)).toEqual(['monitor.tick', 'engine.notice']);
    const [forwarded, notice] = seen;
    // What every other client gets: no lists, and nothing that is not in the contract.
    expect(forwarded!.payload).toEqual({ at: 5, watched: [], watchEnded: [], leaks: [], alerts: [] });
    const own = (viewer: string) => (forwarded!.forViewer!(viewer) as EventPayload<'monitor.tick'> | undefined)?.processes?.processes.map((p) => p.pid);
    expect(own('ws-1')).toEqual([1, 2]);
    expect(own('ws-3')).toEqual([1, 2]);
    expect(own('window-7')).toEqual([2, 1]);
    expect(own('ws-2')).toBeUndefined();
    expect(notice!.forViewer).toBeUndefined();
  });
});
