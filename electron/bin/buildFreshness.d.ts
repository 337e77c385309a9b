export type BuildTargetName = 'node' | 'renderer' | 'electron';

export interface BuildTarget {
  label: string;
  sources: string[];
  outputs: string[];
  builds: string[][];
}

export const BUILD_TARGETS: Record<BuildTargetName, BuildTarget>;

/** Why a part must be built, or undefined when its build is current. */
export function whyStale(root: string, name: BuildTargetName): string | undefined;

/** Builds whichever of `names` is stale (one builder at a time per checkout), saying so on stderr. */
export function ensureFreshBuild(root: string, names: BuildTargetName[], say?: (line: string) => void): Promise<void>;
