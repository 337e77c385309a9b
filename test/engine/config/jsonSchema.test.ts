import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exportDefinitions } from '../../../electron/engine/config/exportConfig';
import { importProcessComposeFile } from '../../../electron/engine/config/importProcessCompose';
import { loadConfigFile, parseConfig } from '../../../electron/engine/config/loadConfig';
import { configJsonSchemaPath, configJsonSchemaText } from '../../../electron/engine/config/writeJsonSchema';
import { BAD_FILES } from './badFiles';
import { configDir, EXAMPLE, FIXTURES, jobsOf, marked, writeFile } from './configFiles';
import { join } from 'node:path';

/**
 * The committed JSON Schema (shared/procdeck-config.schema.json), checked by an independent
 * validator (ajv, strict): it is what the zod schema generates, it accepts what the parser
 * accepts, and it refuses what the parser refuses wherever JSON Schema can say so.
 */
const committed = readFileSync(configJsonSchemaPath, 'utf8');
// Strict about unknown keywords and formats. Two of ajv's style rules are off, for standard JSON Schema:
// `type: [string, number, boolean]` (zod's union of scalars) and `oneOf: [{required: [http]}, …]`
// (one probe kind), whose branches name keys the enclosing object defines.
const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, strictRequired: false });
const validate = ajv.compile(JSON.parse(committed) as object);

/** The data an editor validates: the YAML with merge keys applied (as the parser reads it). */
const dataOf = (text: string): unknown => parseDocument(text, { merge: true }).toJS();
const schemaErrors = (data: unknown): string => (validate(data) ? '' : ajv.errorsText(validate.errors));

describe('the config file JSON Schema', () => {
  it('is the one the zod schema generates (run `npx tsx electron/engine/config/writeJsonSchema.ts` after changing it)', () => {
    expect(committed).toBe(configJsonSchemaText());
  });

  it('accepts the example file', () => {
    expect(schemaErrors(dataOf(readFileSync(EXAMPLE, 'utf8')))).toBe('');
  });

  it('accepts what export writes and an import produces', () => {
    const exported = exportDefinitions(jobsOf(loadConfigFile(EXAMPLE)), { baseDir: FIXTURES });
    expect(schemaErrors(dataOf(exported))).toBe('');
    const imported = exportDefinitions(jobsOf(importProcessComposeFile(join(FIXTURES, 'compose', 'process-compose.yaml'))));
    expect(schemaErrors(dataOf(imported))).toBe('');
  });

  it('describes every key, for completion in an editor', () => {
    const job = (JSON.parse(committed) as { properties: { jobs: { additionalProperties: { properties: Record<string, { description?: string }> } } } }).properties.jobs.additionalProperties.properties;
    const undescribed = Object.entries(job).filter(([, schema]) => !schema.description).map(([key]) => key);
    expect(undescribed).toEqual([]);
  });

  describe('on the bad files the parser refuses', () => {
    for (const bad of BAD_FILES.filter((file) => file.schema !== 'not-data')) {
      const data = dataOf(marked(bad.yaml).text);
      if (bad.schema === 'refuses') {
        it(`refuses ${bad.name} too`, () => expect(schemaErrors(data)).not.toBe(''));
      } else {
        // Said plainly rather than skipped: the parser alone refuses these.
        it(`cannot say ${bad.name} is wrong (the parser refuses it)`, () => {
          expect(schemaErrors(data)).toBe('');
          const dir = configDir();
          for (const [name, text] of Object.entries(bad.files ?? {})) writeFile(dir, name, text);
          expect(parseConfig(marked(bad.yaml).text, join(dir, 'procdeck.yaml')).ok).toBe(false);
        });
      }
    }
  });
});
