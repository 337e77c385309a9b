import { beforeEach, describe, expect, it } from 'vitest';
import type { ConfigDiffResult } from '../../shared/configCommands';
import { outcomeOfChange } from '../../renderer/src/features/config/configOutcome';
import { countsOf, fileNameOf, hasChanges, splitConfigError } from '../../renderer/src/features/config/configText';
import { useConfigStore } from '../../renderer/src/stores/configStore';

const diff = (over: Partial<ConfigDiffResult> = {}): ConfigDiffResult => ({ file: '/srv/app/procdeck.yaml', added: [], removed: [], changed: [], unchanged: [], warnings: [], ...over });

describe('the config file in the UI', () => {
  beforeEach(() => useConfigStore.setState({ file: undefined, change: undefined, dismissed: false }));

  it('words a diff as the banner says it, and an empty one as no change', () => {
    const edited = diff({ added: ['cron'], removed: ['old'], changed: [{ name: 'web', fields: ['command'], needsRestart: true }, { name: 'db', fields: ['priority'], needsRestart: false }] });
    expect(countsOf(edited)).toBe('1 added, 2 changed, 1 removed');
    expect(hasChanges(edited)).toBe(true);
    expect(hasChanges(diff({ unchanged: ['web'] }))).toBe(false);
    expect(fileNameOf('/srv/app/procdeck.yaml')).toBe('procdeck.yaml');
  });

  it("splits a refused file's error into its headline and one problem a line", () => {
    const message = '/a/procdeck.yaml was not loaded (2 errors; nothing changed):\n/a/procdeck.yaml:4:5: jobs.web.readyness: unknown key\n/a/procdeck.yaml:7:9: jobs.w.dependsOn.x: no x';
    expect(splitConfigError(message)).toEqual({
      headline: '/a/procdeck.yaml was not loaded (2 errors; nothing changed):',
      problems: ['/a/procdeck.yaml:4:5: jobs.web.readyness: unknown key', '/a/procdeck.yaml:7:9: jobs.w.dependsOn.x: no x'],
    });
    expect(splitConfigError('a config file is being applied already')).toEqual({ headline: 'a config file is being applied already', problems: [] });
  });

  it('shows a bad reading from disk as its errors, saying the definitions in force stay', () => {
    expect(outcomeOfChange({ file: '/a/procdeck.yaml', errors: ['/a/procdeck.yaml:1:1: bad'] })).toEqual({
      kind: 'errors',
      headline: 'procdeck.yaml changed on disk and does not load (1 error); the definitions in force stay as they were',
      problems: ['/a/procdeck.yaml:1:1: bad'],
    });
  });

  it('a new reading shows the banner again after it was dismissed', () => {
    const store = useConfigStore.getState();
    store.applyChange({ file: '/a/procdeck.yaml', diff: diff({ added: ['x'] }), errors: [] });
    useConfigStore.getState().dismiss();
    expect(useConfigStore.getState().dismissed).toBe(true);
    store.applyChange({ file: '/a/procdeck.yaml', diff: diff({ added: ['x', 'y'] }), errors: [] });
    expect(useConfigStore.getState()).toMatchObject({ file: '/a/procdeck.yaml', dismissed: false, change: { diff: { added: ['x', 'y'] } } });
  });
});
