// Tools (gopls, dlv, the format and lint tools): found in vscode-go's order, then identified.
import * as fs from 'fs';
import type { CommandRun } from '../../engine/generated/CommandRun';
import type { SkippedProbe } from '../../engine/generated/SkippedProbe';
import type { ToolLookup } from '../../engine/generated/ToolLookup';
import { splitPathList } from '../env';
import type { Exec, RunOptions } from '../exec';
import { exeName, inspectFile, pathApi } from './paths';

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
  /** Searched places where something exists that cannot be run, and what it is. */
  unusable?: Record<string, string>;
}

/** What is at `file`, which exists but is not an executable file. */
async function describeUnusable(file: string): Promise<string> {
  try {
    const st = await fs.promises.stat(file);
    if (st.isDirectory()) return 'a directory';
    if (st.isFile()) return `a file without execute permission (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')})`;
    return 'not a regular file';
  } catch (e) {
    return `unreadable (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

/**
 * vscode-go's lookup for a tool: alternateTools (absolute), GOBIN, toolsGopath/bin, each
 * GOPATH/bin, GOROOT/bin, PATH. A relative alternateTools value is searched by that name.
 */
export async function findTool(input: ToolSearchInput): Promise<ToolFound> {
  const { platform } = input;
  const p = pathApi(platform);
  const searched: string[] = [];
  const unusable: Record<string, string> = {};
  const check = async (file: string, via: string): Promise<ToolFound | undefined> => {
    searched.push(file);
    const info = await inspectFile(file);
    if (info.executable) return { path: file, foundVia: via, searched };
    if (info.exists) unusable[file] = await describeUnusable(file);
    return undefined;
  };
  let name = input.name;
  if (input.alternate) {
    if (p.isAbsolute(input.alternate)) {
      const hit = await check(input.alternate, 'alternateTools');
      if (hit) return hit;
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
  for (const [file, via] of steps) {
    if (seen.has(file)) continue;
    seen.add(file);
    const hit = await check(file, via);
    if (hit) return hit;
  }
  return Object.keys(unusable).length > 0 ? { searched, unusable } : { searched };
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
  const binaries = [...new Set(found.map((f) => f.path).filter((p): p is string => !!p))];
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
