// Tools (gopls, dlv, the format and lint tools): found in vscode-go's order, then identified.
import * as fs from 'fs';
import type { CommandRun } from '../../engine/generated/CommandRun';
import type { SkippedProbe } from '../../engine/generated/SkippedProbe';
import type { ToolLookup } from '../../engine/generated/ToolLookup';
import { splitPathList } from '../env';
import type { Exec, RunOptions } from '../exec';
import { exeName, inspectFile, pathApi } from './paths';
import { mountLinesFor, unescapeMountPath } from './platform';

export interface ToolSearchInput {
  name: string;
  platform: NodeJS.Platform;
  /** go.alternateTools.<name> (accepted value only), resolved. */
  alternate?: string;
  gobin?: string;
  /** go.toolsGopath entries (a path list). */
  toolsGopath?: string;
  /** GOPATH (a path list). */
  gopath?: string;
  goroot?: string;
  pathDirs: string[];
}

export interface ToolFound {
  path?: string;
  foundVia?: string;
  searched: string[];
  /** Other executable copies further down the lookup order (shadowed by `path`), in order. */
  alsoFound?: string[];
  /** Searched places where something exists that cannot be run, and what it is. */
  unusable?: Record<string, string>;
}

/**
 * The mount holding `file` when it is mounted `noexec` (Linux: the longest mount point of
 * /proc/self/mountinfo that is a prefix of the file's real path; the last one when stacked).
 */
async function noexecMount(file: string, procRoot: string): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  let real = file;
  try {
    real = await fs.promises.realpath(file);
  } catch {
    /* keep file */
  }
  let text: string;
  try {
    text = await fs.promises.readFile(`${procRoot}/self/mountinfo`, 'utf8');
  } catch {
    return undefined;
  }
  let best: { point: string; opts: string } | undefined;
  for (const line of mountLinesFor(text, [real])) {
    const f = line.split(' ');
    const point = unescapeMountPath(f[4] ?? '');
    if (!best || point.length >= best.point.length) best = { point, opts: f[5] ?? '' };
  }
  return best && best.opts.split(',').includes('noexec') ? best.point : undefined;
}

/** What is at `file`, which exists but is not an executable file. */
async function describeUnusable(file: string, procRoot = '/proc'): Promise<string> {
  try {
    const st = await fs.promises.stat(file);
    if (st.isDirectory()) return 'a directory';
    if (st.isFile()) {
      const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
      // Execute bits set but access(X_OK) refused: the mount (Linux: EACCES on noexec).
      if ((st.mode & 0o111) !== 0) {
        const mount = await noexecMount(file, procRoot);
        if (mount) return `a file on a noexec mount (${mount}; mode ${mode})`;
        return `a file this user may not execute (mode ${mode}, owner uid ${st.uid})`;
      }
      return `a file without execute permission (mode ${mode})`;
    }
    return 'not a regular file';
  } catch (e) {
    return `unreadable (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

/**
 * vscode-go's lookup for a tool (`getBinPath` -> `getBinPathWithPreferredGopathGorootWithExplanation`
 * in vscode-go extension/src/util.ts and utils/pathUtils.ts): alternateTools (absolute), GOBIN,
 * toolsGopath/bin, each GOPATH/bin, GOROOT/bin, PATH. A relative alternateTools value is searched
 * by that name. The first executable wins; the lookup goes on to record every other copy
 * (`alsoFound`, for shadowing) and every non-executable file in the way (`unusable`).
 */
export async function findTool(input: ToolSearchInput): Promise<ToolFound> {
  const { platform } = input;
  const p = pathApi(platform);
  const searched: string[] = [];
  const unusable: Record<string, string> = {};
  let hit: { path: string; foundVia: string; real?: string } | undefined;
  const alsoFound: string[] = [];
  const seenReal = new Set<string>();
  const check = async (file: string, via: string): Promise<void> => {
    // `searched` is what vscode-go looks at: up to the winner.
    if (!hit) searched.push(file);
    const info = await inspectFile(file);
    if (info.executable) {
      const real = info.realPath ?? file;
      if (!hit) hit = { path: file, foundVia: via, real };
      // The same binary reached through a symlink or a repeated dir is not a second copy.
      else if (!seenReal.has(real)) alsoFound.push(file);
      seenReal.add(real);
      return;
    }
    if (info.exists) unusable[file] = await describeUnusable(file);
  };
  let name = input.name;
  if (input.alternate) {
    if (p.isAbsolute(input.alternate)) {
      await check(input.alternate, 'alternateTools');
    } else {
      name = input.alternate;
    }
  }
  const bin = exeName(name, platform);
  const steps: [string, string][] = [];
  if (input.gobin) steps.push([p.join(input.gobin, bin), 'gobin']);
  for (const g of splitPathList(input.toolsGopath, platform)) steps.push([p.join(g, 'bin', bin), 'toolsGopath']);
  for (const g of splitPathList(input.gopath, platform)) steps.push([p.join(g, 'bin', bin), 'gopath']);
  if (input.goroot) steps.push([p.join(input.goroot, 'bin', bin), 'goroot']);
  for (const d of input.pathDirs) steps.push([p.join(d, bin), 'path']);
  const seen = new Set<string>();
  if (input.alternate && p.isAbsolute(input.alternate)) seen.add(input.alternate);
  for (const [file, via] of steps) {
    if (seen.has(file)) continue;
    seen.add(file);
    await check(file, via);
  }
  const out: ToolFound = { searched };
  if (hit) {
    out.path = hit.path;
    out.foundVia = hit.foundVia;
  }
  if (alsoFound.length > 0) out.alsoFound = alsoFound;
  if (Object.keys(unusable).length > 0) out.unusable = unusable;
  return out;
}

/** What the tool probe needs: where to look, and how to run things. */
export interface ToolProbeInput {
  names: string[];
  platform: NodeJS.Platform;
  /** go.alternateTools.<name> values we may use (already resolved). */
  alternates: Record<string, string | undefined>;
  gobin?: string;
  toolsGopath?: string;
  gopath?: string;
  goroot?: string;
  pathDirs: string[];
  exec: Exec;
  /** How to run the tools' own version commands. */
  toolRun: RunOptions;
  /** Runs `go <args>` with the go in use; absent when `go version -m` must not run. */
  goRun?: (args: string[]) => Promise<CommandRun>;
  /** Why `go version -m` is not run, when goRun is absent. */
  noGoReason?: string;
}

export interface ToolProbeResult {
  tools: ToolLookup[];
  buildInfo?: CommandRun;
  skipped: SkippedProbe[];
}

/** The tools' own version commands; the others are identified by `go version -m` only. */
export const TOOL_VERSION_ARGS: Record<string, string[]> = { gopls: ['version', '-json'], dlv: ['version'] };

/**
 * Look every tool up, then in parallel: ONE `go version -m <all found binaries>`, and the version
 * commands of gopls (`version -json`: the only way to learn a Debian gopls's version) and dlv.
 */
export async function probeTools(input: ToolProbeInput): Promise<ToolProbeResult> {
  const found = await Promise.all(
    input.names.map((name) =>
      findTool({
        name,
        platform: input.platform,
        alternate: input.alternates[name],
        gobin: input.gobin,
        toolsGopath: input.toolsGopath,
        gopath: input.gopath,
        goroot: input.goroot,
        pathDirs: input.pathDirs,
      }),
    ),
  );
  const skipped: SkippedProbe[] = [];
  // Shadowed copies too: GSD208 compares the winner's version with theirs.
  const binaries = [...new Set(found.flatMap((f) => [f.path, ...(f.alsoFound ?? [])]).filter((p): p is string => !!p))];
  let buildInfoP: Promise<CommandRun | undefined> = Promise.resolve(undefined);
  if (binaries.length > 0) {
    if (input.goRun) buildInfoP = input.goRun(['version', '-m', ...binaries]);
    else skipped.push({ probe: 'toolsBuildInfo', reason: input.noGoReason ?? 'No go binary to run `go version -m` on the tools.' });
  }
  const versionRuns = await Promise.all(
    input.names.map((name, i) => {
      const p = found[i].path;
      const args = TOOL_VERSION_ARGS[name];
      return p && args ? input.exec([p, ...args], input.toolRun) : Promise.resolve(undefined);
    }),
  );
  const tools = input.names.map((name, i) => {
    const t: ToolLookup = { name, searched: found[i].searched };
    if (found[i].path) t.path = found[i].path;
    if (found[i].foundVia) t.foundVia = found[i].foundVia;
    if (found[i].alsoFound) t.alsoFound = found[i].alsoFound;
    if (found[i].unusable) t.unusable = found[i].unusable;
    const v = versionRuns[i];
    if (v) t.version = v;
    return t;
  });
  const result: ToolProbeResult = { tools, skipped };
  const buildInfo = await buildInfoP;
  if (buildInfo) result.buildInfo = buildInfo;
  return result;
}
