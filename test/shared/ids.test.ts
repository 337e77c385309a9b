import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from '../../shared/ids';

afterEach(() => vi.useRealTimers());

describe('newId', () => {
  it('starts with its prefix, then the clock in base 36', () => {
    vi.useFakeTimers({ now: new Date('2030-01-02T03:04:05Z') });
    const id = newId('j');
    expect(id.startsWith(`j${Date.now().toString(36)}`)).toBe(true);
  });

  it('never repeats, even for ids made within the same millisecond', () => {
    vi.useFakeTimers({ now: new Date('2030-01-02T03:04:05Z') });
    const ids = Array.from({ length: 5000 }, () => newId('r'));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never repeats across prefixes and a moving clock', () => {
    const ids = new Set<string>();
    vi.useFakeTimers({ now: 1_900_000_000_000 });
    for (let i = 0; i < 2000; i++) {
      ids.add(newId('a'));
      ids.add(newId('b'));
      vi.advanceTimersByTime(1);
    }
    expect(ids.size).toBe(4000);
  });
});
