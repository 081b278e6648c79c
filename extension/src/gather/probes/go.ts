// Every `go` in vscode-go's order (GO-FACTS §4b; vscode-go util.ts getBinPathWithExplanation,
// utils/pathUtils.ts getBinPathWithPreferredGopathGorootWithExplanation), and the one in use.
// File system only: running them is snapshot.ts's job.
import * as fs from 'fs';
import type { GoSource } from '../../engine/generated/GoSource';
import { splitPathList } from '../env';
import { exeName, inspectFile, pathApi, searchPath } from './paths';

export type { GoSource };

/** One `go` found, with where it came from. */
export interface GoCandidateInfo {
  path: string;
  realPath?: string;
  source: GoSource;
  executable: boolean;
  /** False when an untrusted workspace's settings chose it: it is listed, never run. */
  runnable: boolean;
  /** The setting that named it, for messages. */
  setting?: string;
}

export interface GoSearchInput {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home?: string;
  /** go.alternateTools.go values to consider, in order, each marked runnable or not. */
  alternateTools: { value: string; runnable: boolean; setting: string }[];
  /** go.goroot values (already resolved), in order. */
  goroots: { value: string; runnable: boolean; setting: string }[];
}

/** Directories where Go is commonly installed, beyond PATH (in this order). */
export async function wellKnownGoDirs(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string | undefined): Promise<string[]> {
  const p = pathApi(platform);
  const dirs: string[] = [];
  const sdkDirs = async (root: string): Promise<string[]> => {
    try {
      const names = (await fs.promises.readdir(root)).filter((n) => /^go\d/.test(n));
      // Newest first: go1.22.5 before go1.9.
      names.sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
      return names.map((n) => p.join(root, n, 'bin'));
    } catch {
      return [];
    }
  };
  if (platform === 'win32') {
    const pf = env.ProgramFiles ?? 'C:\\Program Files';
    const pf86 = env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)';
    dirs.push(p.join(pf, 'Go', 'bin'), p.join(pf86, 'Go', 'bin'));
    if (home) dirs.push(p.join(home, 'go', 'bin'), ...(await sdkDirs(p.join(home, 'sdk'))));
    return dirs;
  }
  // vscode-go's own defaults come first: /usr/local/go/bin/go and /usr/local/bin/go.
  dirs.push('/usr/local/go/bin', '/usr/local/bin');
  if (home) dirs.push(p.join(home, 'go', 'bin'), ...(await sdkDirs(p.join(home, 'sdk'))));
  try {
    const names = (await fs.promises.readdir('/usr/lib')).filter((n) => /^go-\d/.test(n));
    names.sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
    dirs.push(...names.map((n) => `/usr/lib/${n}/bin`));
  } catch {
    /* no /usr/lib */
  }
  dirs.push('/opt/homebrew/bin', '/snap/go/current/bin');
  return dirs;
}

/** Paths vscode-go itself falls back to when nothing else is found (its `default` source). */
export function vscodeGoDefaultGoPaths(platform: NodeJS.Platform): string[] {
  if (platform === 'win32') return ['C:\\Program Files\\Go\\bin\\go.exe', 'C:\\Program Files (x86)\\Go\\bin\\go.exe'];
  return ['/usr/local/go/bin/go', '/usr/local/bin/go'];
}

/**
 * Every `go` in vscode-go's order: go.alternateTools.go, <go.goroot>/bin/go, $GOROOT/bin/go,
 * each PATH entry, then well-known install directories. Deduplicated by realpath (the first
 * source is kept).
 */
export async function findGoCandidates(input: GoSearchInput): Promise<GoCandidateInfo[]> {
  const { platform, env, home } = input;
  const p = pathApi(platform);
  const go = exeName('go', platform);
  const pathDirs = splitPathList(env.PATH ?? (platform === 'win32' ? env.Path : undefined), platform);
  const raw: { path: string; source: GoSource; runnable: boolean; setting?: string }[] = [];

  for (const alt of input.alternateTools) {
    if (p.isAbsolute(alt.value)) {
      raw.push({ path: alt.value, source: 'alternateTools', runnable: alt.runnable, setting: alt.setting });
    } else {
      // A bare name is searched along PATH (vscode-go does the same for relative values).
      const hit = await searchPath(alt.value, pathDirs, platform);
      raw.push({ path: hit.found ?? alt.value, source: 'alternateTools', runnable: alt.runnable, setting: alt.setting });
    }
  }
  for (const root of input.goroots) {
    raw.push({ path: p.join(root.value, 'bin', go), source: 'gorootSetting', runnable: root.runnable, setting: root.setting });
  }
  if (env.GOROOT) raw.push({ path: p.join(env.GOROOT, 'bin', go), source: 'gorootEnv', runnable: true });
  for (const dir of pathDirs) {
    let candidate = p.join(dir, go);
    // vscode-go rewrites the snap wrapper (golang/vscode-go#166).
    if (candidate === '/snap/bin/go') candidate = '/snap/go/current/bin/go';
    raw.push({ path: candidate, source: 'path', runnable: true });
  }
  for (const dir of await wellKnownGoDirs(platform, env, home)) {
    raw.push({ path: p.join(dir, go), source: 'wellKnown', runnable: true });
  }

  const infos = await Promise.all(raw.map((r) => inspectFile(r.path)));
  const out: GoCandidateInfo[] = [];
  const seen = new Set<string>();
  raw.forEach((r, i) => {
    const info = infos[i];
    // Settings-named candidates are always listed (the engine reports them even if missing);
    // PATH and well-known entries only when something is there.
    const fromSetting = r.source === 'alternateTools' || r.source === 'gorootSetting';
    if (!info.exists && !fromSetting) return;
    const key = info.realPath ?? r.path;
    if (seen.has(key)) return;
    seen.add(key);
    const c: GoCandidateInfo = { path: r.path, source: r.source, executable: info.executable, runnable: r.runnable };
    if (info.realPath !== undefined) c.realPath = info.realPath;
    if (r.setting !== undefined) c.setting = r.setting;
    out.push(c);
  });
  return out;
}

/**
 * The `go` that will be used: the first executable, runnable candidate that is not a mere
 * well-known directory. vscode-go also falls back to /usr/local/go/bin/go and /usr/local/bin/go
 * (its `default`); those two (and only those) are used when nothing else is found.
 */
export function chooseGo(candidates: GoCandidateInfo[], platform: NodeJS.Platform): number | undefined {
  const first = candidates.findIndex((c) => c.executable && c.runnable && c.source !== 'wellKnown');
  if (first >= 0) return first;
  const defaults = vscodeGoDefaultGoPaths(platform);
  const fallback = candidates.findIndex((c) => c.executable && c.runnable && c.source === 'wellKnown' && defaults.includes(c.path));
  return fallback >= 0 ? fallback : undefined;
}

