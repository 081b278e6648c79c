// The real Go toolchains and tools installed by scripts/install-go-toolchains.sh.
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
/** Overridable to check the skip path: GSD_TOOLCHAIN_MANIFEST=/nonexistent. */
export const MANIFEST = process.env.GSD_TOOLCHAIN_MANIFEST ?? path.join(ROOT, '.cache', 'toolchains', 'manifest.json');

export interface GoInstall {
  version: string;
  goroot: string;
  bin: string;
}
export interface ToolInstall {
  version: string;
  path: string;
  goVersion: string;
  source: string;
}
export interface Manifest {
  go: GoInstall[];
  gopls: ToolInstall[];
  dlv: ToolInstall[];
}

function load(): { manifest?: Manifest; skip: string | false } {
  if (!fs.existsSync(MANIFEST)) {
    return { skip: `no Go toolchains: ${MANIFEST} is missing (run bash scripts/install-go-toolchains.sh)` };
  }
  try {
    const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Manifest;
    const missing = [...manifest.go.map((g) => g.bin), ...manifest.gopls.map((t) => t.path), ...manifest.dlv.map((t) => t.path)].filter(
      (p) => !fs.existsSync(p),
    );
    if (missing.length > 0) return { skip: `toolchains listed in ${MANIFEST} are missing: ${missing.join(', ')}` };
    return { manifest, skip: false };
  } catch (e) {
    return { skip: `cannot read ${MANIFEST}: ${(e as Error).message}` };
  }
}

const loaded = load();
/** `false` when the toolchains are there, else why the scenario tests are skipped. */
export const skipScenarios: string | false = loaded.skip;
if (loaded.skip) process.stderr.write(`# scenario tests skipped: ${loaded.skip}\n`);

function manifest(): Manifest {
  if (!loaded.manifest) throw new Error(loaded.skip || 'no manifest');
  return loaded.manifest;
}

/** The Go install whose version starts with `go<minor>` (e.g. '1.22'). */
export function go(minor: string): GoInstall {
  const g = manifest().go.find((x) => x.version === `go${minor}` || x.version.startsWith(`go${minor}.`));
  if (!g) throw new Error(`no go${minor} in ${MANIFEST}`);
  return g;
}

/** The bin directory of that Go install (what a PATH entry for it is). */
export function binDir(minor: string): string {
  return path.dirname(go(minor).bin);
}

export function gopls(version: string): ToolInstall {
  const t = manifest().gopls.find((x) => x.version === version);
  if (!t) throw new Error(`no gopls ${version} in ${MANIFEST}`);
  return t;
}

export function dlv(version: string): ToolInstall {
  const t = manifest().dlv.find((x) => x.version === version);
  if (!t) throw new Error(`no dlv ${version} in ${MANIFEST}`);
  return t;
}
