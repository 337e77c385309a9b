import { Document, isMap, isScalar, visit, type Pair } from 'yaml';
import type { DeclaredJob } from '../../../shared/config/declaredJob';
import { CONFIG_FILE_VERSION, JOB_NAME_PATTERN } from '../../../shared/config/fileSchema';
import { toFileJob } from './toFileJob';

/**
 * Definitions → the text of a config file (the format parseConfig reads: parsing the text,
 * written for a file in `baseDir`, gives the same definitions back). Only values that differ
 * from the defaults are written; short lists of words on one line ([python3, -m, http.server]).
 */
export interface ExportOptions {
  /** The directory of the file the text goes to: paths under it are written relative to it. */
  baseDir?: string;
  /** A first comment line. */
  header?: string;
}

export function exportDefinitions(jobs: readonly DeclaredJob[], options: ExportOptions = {}): string {
  const names = new Set<string>();
  for (const job of jobs) {
    if (!JOB_NAME_PATTERN.test(job.name)) throw new Error(`"${job.name}" cannot be a job name in a config file (see toJobName)`);
    if (names.has(job.name)) throw new Error(`two definitions are named "${job.name}"`);
    names.add(job.name);
  }
  const doc = new Document({ version: CONFIG_FILE_VERSION, jobs: Object.fromEntries(jobs.map((job) => [job.name, toFileJob(job, { baseDir: options.baseDir })])) });
  if (options.header) doc.commentBefore = ` ${options.header}`;
  flowShortLists(doc);
  const jobsMap = doc.get('jobs', true);
  if (isMap(jobsMap)) jobsMap.items.forEach((pair: Pair, index) => index > 0 && isScalar(pair.key) && (pair.key.spaceBefore = true));
  if (isMap(jobsMap)) for (const pair of jobsMap.items) if (isMap(pair.value)) flowLongDependencies(pair.value.get('dependsOn', true));
  if (isMap(doc.contents)) {
    const jobsPair = doc.contents.items[1];
    if (jobsPair && isScalar(jobsPair.key)) jobsPair.key.spaceBefore = true;
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** A long-form dependency on one line, as the README writes it: `db: { condition: healthy, onUnhealthy: stop }`. */
function flowLongDependencies(dependsOn: unknown): void {
  if (!isMap(dependsOn)) return;
  for (const pair of dependsOn.items) if (isMap(pair.value)) pair.value.flow = true;
}

/** Short lists of words on one line ([python3, -m, http.server]), as an operator writes them. */
export function flowShortLists(node: Parameters<typeof visit>[0]): void {
  visit(node, {
    Seq(_, seq) {
      const words = seq.items.every((item) => isScalar(item) && typeof item.value !== 'object');
      if (words && JSON.stringify(seq.toJSON()).length < 70) seq.flow = true;
    },
  });
}
