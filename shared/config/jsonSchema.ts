import { z } from 'zod';
import { configFileSchema } from './fileSchema';

/**
 * The JSON Schema (draft 2020-12) of a config file, for editors: generated from the zod schema
 * the parser uses, so completion and the parser never disagree on a key. It checks shapes and
 * patterns; what JSON Schema cannot say (a cron expression, a dependency that exists, a range
 * that runs upwards) only the parser checks. Committed as shared/procdeck-config.schema.json
 * (`npx tsx electron/engine/config/writeJsonSchema.ts` writes it; a test says when it is stale).
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configFileSchema, { io: 'input', unrepresentable: 'throw', target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'Procdeck jobs',
    description: 'Jobs declared for Procdeck: `jobs:` maps a name to a definition. Relative paths are relative to the file.',
    ...rest,
  };
}

export const CONFIG_JSON_SCHEMA_FILE = 'procdeck-config.schema.json';
