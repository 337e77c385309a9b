import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_JSON_SCHEMA_FILE, configJsonSchema } from '../../../shared/config/jsonSchema';

/** Writes shared/procdeck-config.schema.json from the zod schema: `npx tsx electron/engine/config/writeJsonSchema.ts`. */
export const configJsonSchemaPath = join(dirname(fileURLToPath(import.meta.url)), '../../../shared', CONFIG_JSON_SCHEMA_FILE);
export const configJsonSchemaText = (): string => `${JSON.stringify(configJsonSchema(), null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(configJsonSchemaPath, configJsonSchemaText());
  console.log(`wrote ${configJsonSchemaPath}`);
}
