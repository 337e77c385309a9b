/**
 * Compiles the engine's WebAssembly text (the .wat files in WAT_MODULES) into the .ts module
 * beside each, which holds the binary as base64: the server runs compiled code with plain node,
 * so no compiler is needed at run time, and vite bundles the bytes like any other module.
 * `npm run build:wasm` writes them; test/engine/logs/wasmEntryEncoder.test.ts fails when a
 * checked-in binary is not what its source compiles to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtModule from 'wabt';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Each WebAssembly text and the module its binary is written to. */
export const WAT_MODULES = [{ source: 'electron/engine/logs/wasm/entryEncoder.wat', binary: 'electron/engine/logs/wasm/entryEncoderBinary.ts' }];

/** The binary a .wat file compiles to (128-bit SIMD allowed). */
export async function compileWat(sourcePath: string): Promise<Uint8Array> {
  const wabt = await wabtModule();
  const parsed = wabt.parseWat(sourcePath, readFileSync(`${root}/${sourcePath}`, 'utf8'), { simd: true });
  try {
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

/** The .ts module that holds a binary. */
export function binaryModuleText(sourcePath: string, binary: Uint8Array): string {
  return `// Written by \`npm run build:wasm\` from ${sourcePath.split('/').pop()}: do not edit.\nexport const WASM_BASE64 =\n  '${Buffer.from(binary).toString('base64')}';\n`;
}

/** What a binary module holds now, to compare with what its source compiles to. */
export const checkedInBinaryModule = (binaryPath: string): string => readFileSync(`${root}/${binaryPath}`, 'utf8');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const { source, binary } of WAT_MODULES) {
    writeFileSync(`${root}/${binary}`, binaryModuleText(source, await compileWat(source)));
    console.log(`${source} → ${binary}`);
  }
}
