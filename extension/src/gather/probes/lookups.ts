// Programs named by variables (CC, CXX, GOPACKAGESDRIVER): looked up on disk the way their
// user would (a path as written, a bare name on PATH), never executed — the values may come
// from workspace settings, so running them would break the Workspace Trust invariant.
import * as fs from 'fs';
import type { ProgramLookup } from '../../engine/generated/ProgramLookup';
import type { SettingsLayer } from '../../engine/generated/SettingsLayer';
import { scopeLabel, type Settings } from '../layers';
import { exeName, inspectFile, pathApi, resolveSettingPath } from './paths';

/** What is at `file`, which exists but is not an executable file. */
async function describe(file: string): Promise<string> {
  try {
    const st = await fs.promises.stat(file);
    if (st.isDirectory()) return 'a directory';
    if (st.isFile()) return `a file without execute permission (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')})`;
    return 'not a regular file';
  } catch (e) {
    return `unreadable (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

/** The first word of a CC/CXX value, as cmd/go splits it (quoted.Split: spaces, '…' or "…"). */
export function firstWord(value: string): string {
  const v = value.trimStart();
  const q = v[0];
  if (q === '"' || q === "'") {
    const end = v.indexOf(q, 1);
    return end > 0 ? v.slice(1, end) : v.slice(1);
  }
  return v.split(/\s+/)[0] ?? '';
}

export interface LookupInput {
  var: string;
  source: string;
  value: string;
  /** The program to look for (already split/expanded). */
  program: string;
  platform: NodeJS.Platform;
  /** PATH directories of the process that would run it. */
  pathDirs: string[];
  /** Directory a relative path is resolved against (the workspace folder). */
  cwd?: string;
}

export async function lookupProgram(input: LookupInput): Promise<ProgramLookup> {
  const { platform, program } = input;
  const p = pathApi(platform);
  const out: ProgramLookup = {
    var: input.var,
    source: input.source,
    value: input.value,
    program,
    searched: [],
    exists: false,
    executable: false,
  };
  if (program === '') return out;
  const hasSep = program.includes('/') || (platform === 'win32' && program.includes('\\'));
  if (hasSep) {
    const abs = p.isAbsolute(program) ? program : p.resolve(input.cwd ?? '/', program);
    const info = await inspectFile(abs);
    out.resolved = abs;
    out.exists = info.exists;
    out.executable = info.executable;
    if (info.exists && !info.executable) out.problem = await describe(abs);
    return out;
  }
  for (const dir of input.pathDirs) {
    out.searched.push(dir);
    const candidate = p.join(dir, exeName(program, platform));
    const info = await inspectFile(candidate);
    if (info.executable) {
      out.resolved = candidate;
      out.exists = true;
      out.executable = true;
      return out;
    }
  }
  return out;
}

export interface LookupsInput {
  platform: NodeJS.Platform;
  /** Parsed `go env -json` (absent when go env failed). */
  goEnv?: Record<string, string>;
  /** The environment VS Code (or the CLI) was started with. */
  env: NodeJS.ProcessEnv;
  /** The environment go and the tools run with (env + go.toolsEnvVars). */
  runEnv: NodeJS.ProcessEnv;
  settings: Settings;
  /** Layers whose values are used (untrusted workspace: workspace layers are not). */
  accept: (l: SettingsLayer) => boolean;
  pathDirs: string[];
  home?: string;
  folder?: string;
}

/** CC and CXX as `go env` reports them; the GOPACKAGESDRIVER gopls would see. */
export async function probeLookups(input: LookupsInput): Promise<ProgramLookup[]> {
  const { platform, goEnv, pathDirs, folder } = input;
  const jobs: Promise<ProgramLookup>[] = [];
  for (const v of ['CC', 'CXX']) {
    const value = goEnv?.[v];
    if (!value) continue;
    jobs.push(lookupProgram({ var: v, source: 'go env', value, program: firstWord(value), platform, pathDirs, cwd: folder }));
  }
  // gopls's environment: build.env over go.toolsEnvVars over the process environment.
  let driver: { value: string; source: string } | undefined;
  const gopls = input.settings.getObject('gopls', input.accept);
  for (const key of ['build.env', 'env']) {
    const s = gopls.get(key);
    const v = s && typeof s.value === 'object' && s.value !== null ? (s.value as Record<string, unknown>).GOPACKAGESDRIVER : undefined;
    if (s && typeof v === 'string') {
      driver = { value: v, source: `gopls ${key} (${scopeLabel(s.layer.scope)} settings)` };
      break;
    }
  }
  if (!driver) {
    const t = input.settings.getObject('go.toolsEnvVars', input.accept).get('GOPACKAGESDRIVER');
    if (t && typeof t.value === 'string') driver = { value: t.value, source: `go.toolsEnvVars (${scopeLabel(t.layer.scope)} settings)` };
  }
  if (!driver && input.env.GOPACKAGESDRIVER !== undefined) driver = { value: input.env.GOPACKAGESDRIVER, source: 'env' };
  if (driver && driver.value !== '' && driver.value !== 'off') {
    const program = resolveSettingPath(driver.value, input.env, input.home, folder);
    jobs.push(lookupProgram({ var: 'GOPACKAGESDRIVER', ...driver, program, platform, pathDirs, cwd: folder }));
  }
  return Promise.all(jobs);
}
