// Typed facade over the WASM engine. The module is instantiated once, lazily, on first use.
// Types are generated from the Rust protocol by ts-rs (extension/src/engine/generated).
import * as fs from 'fs';
import * as path from 'path';
import { initSync, check as wasmCheck, rules as wasmRules, version as wasmVersion } from './pkg/gsd_wasm';
import type { Report } from './generated/Report';
import type { RuleInfo } from './generated/RuleInfo';
import type { Snapshot } from './generated/Snapshot';

export type { Report, RuleInfo, Snapshot };

let loaded = false;

/** Where the .wasm lives: next to the bundle (dist/) or in the build output (tests from source). */
function wasmPath(): string {
  const candidates = [
    process.env.GSD_WASM_PATH,
    path.join(__dirname, 'gsd_wasm_bg.wasm'),
    path.join(__dirname, 'pkg', 'gsd_wasm_bg.wasm'),
  ].filter((p): p is string => !!p);
  for (const p of candidates) {
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`Go Setup Doctor engine not built: none of ${candidates.join(', ')} exists (run npm run build)`);
}

function ensureLoaded(): void {
  if (loaded) return;
  initSync({ module: fs.readFileSync(wasmPath()) });
  loaded = true;
}

let preloading: Promise<void> | undefined;

/**
 * Compile and instantiate the engine in the background (`WebAssembly.compile` runs off the main
 * thread), so that the first runEngine does not wait for it. The headless CLI calls this before
 * gathering, where the probes' wait hides the compile. Never rejects: the first runEngine
 * reports a missing or broken engine.
 */
export function preloadEngine(): Promise<void> {
  preloading ??= (async () => {
    try {
      const module = await WebAssembly.compile(await fs.promises.readFile(wasmPath()));
      if (!loaded) {
        initSync({ module });
        loaded = true;
      }
    } catch {
      /* runEngine loads it synchronously and throws the real error */
    }
  })();
  return preloading;
}

/** Run every rule over a snapshot. Throws only for protocol errors (bad shape, unknown schema). */
export function runEngine(snapshot: Snapshot): Report {
  ensureLoaded();
  try {
    return wasmCheck(JSON.stringify(snapshot)) as Report;
  } catch (e) {
    // A trapped instance is unusable: the next call loads a fresh one.
    if (e instanceof WebAssembly.RuntimeError) loaded = false;
    throw e;
  }
}

export function engineRules(): RuleInfo[] {
  ensureLoaded();
  return wasmRules() as RuleInfo[];
}

export function engineVersion(): string {
  ensureLoaded();
  return wasmVersion();
}
