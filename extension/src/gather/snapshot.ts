// Assembles the Snapshot: every probe, in parallel where independent, each with a timeout.
// Headless: no 'vscode' import. The VS Code shell passes its own settings layers, trust state
// and VS Code facts; the headless CLI builds layers from the settings files (settingsFiles.ts).
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL, fileURLToPath } from 'url';
import type { CommandRun } from '../engine/generated/CommandRun';
import type { GoCandidate } from '../engine/generated/GoCandidate';
import type { SettingsLayer } from '../engine/generated/SettingsLayer';
import type { SkippedProbe } from '../engine/generated/SkippedProbe';
import type { Snapshot } from '../engine/generated/Snapshot';
import type { VsCode } from '../engine/generated/VsCode';
import { memoryProbeCache, withProbeCache, type ProbeCache } from './cache';
import { allowListEnv, defaultGoEnvFile, homeOf, splitPathList, substituteEnv } from './env';
import { runCommand, type Exec, type RunOptions } from './exec';
import { isWorkspaceScope, scopeLabel, Settings, type Sourced } from './layers';
import { chooseGo, findGoCandidates, type GoCandidateInfo } from './probes/go';
import { readGoEnvFile } from './probes/goEnvFile';
import { probeHost } from './probes/host';
import { probeLoginShell, readVersionFiles } from './probes/loginShell';
import { probeDirs, probePlatform } from './probes/platform';
import { resolveSettingPath } from './probes/paths';
import { probeLookups } from './probes/lookups';
import { probeRuntime } from './probes/runtime';
import { findTool, probeTools, TOOL_VERSION_ARGS, type ToolSearchInput } from './probes/tools';
import { checkModule } from './probes/moduleCheck';
import { probeFolder } from './probes/workspace';

/** Must equal `SCHEMA_VERSION` in crates/engine/src/protocol/snapshot.rs. */
export const SNAPSHOT_SCHEMA = 1;
export const DEFAULT_GO_TIMEOUT_MS = 5000;
export const DEFAULT_TOOL_TIMEOUT_MS = 3000;

export interface GatherOptions {
  /** Workspace folders (absolute or relative paths); the first one is where `go env` runs. */
  folders: string[];
  /** Every settings layer (raw JSONC texts); order does not matter. */
  layers: SettingsLayer[];
  /** The open `*.code-workspace` file, if any. */
  workspaceFile?: string;
  /** The environment to diagnose (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Workspace Trust; when false, binaries chosen by workspace settings are never run. */
  trusted?: boolean;
  /** VS Code facts, when gathered inside VS Code. */
  vscode?: VsCode;
  /** Injected for tests. */
  exec?: Exec;
  /**
   * Where `go version`, `go env -json`, `go version -m` and the tools' version runs are cached
   * (cache.ts). Default: the process-wide in-memory cache, or none when `exec` is injected;
   * `null`: no cache.
   */
  cache?: ProbeCache | null;
  /** Timeout of each go command (default 5 s). */
  timeoutMs?: number;
  /** Timeout of each tool command (default 3 s, never above timeoutMs). */
  toolTimeoutMs?: number;
  /** `headless` (default) or `vscode`. */
  origin?: string;
  /** For tests of other platforms' path rules. */
  platform?: NodeJS.Platform;
  /** The proc file system and the root the platform probe reads (tests: fake trees). */
  procRoot?: string;
  fsRoot?: string;
  /**
   * Run the user's login shell (probes/loginShell.ts). Default: yes, unless `exec` is injected
   * (fake execs answer only the commands they know).
   */
  loginShell?: boolean;
  /** Timeout of the login shell (default 3 s). */
  loginShellTimeoutMs?: number;
  /** The extension host's log directory (`dirname(context.logUri)`): where gopls's output logs are. */
  exthostLogDir?: string;
  /** Where cgroup file systems are mounted (tests: a fake tree). */
  cgroupRoot?: string;
}

/** Settings whose workspace values choose binaries: ignored when the workspace is not trusted. */
const RESTRICTED_STRING_SETTINGS = ['go.goroot', 'go.toolsGopath', 'go.gopath'];
const RESTRICTED_OBJECT_SETTINGS = ['go.alternateTools', 'go.toolsEnvVars'];

function layerPath(layer: SettingsLayer): string {
  try {
    return fileURLToPath(layer.uri);
  } catch {
    return layer.uri;
  }
}

function ignoredConsequence(key: string): string {
  if (key === 'go.alternateTools.go' || key === 'go.goroot') {
    return 'the go binary it names was not run; the go from user settings, GOROOT or PATH was used instead';
  }
  if (key.startsWith('go.alternateTools.')) return 'the binary it names was not run; the usual lookup (GOBIN, GOPATH/bin, GOROOT/bin, PATH) was used instead';
  if (key.startsWith('go.toolsEnvVars.')) return 'go and the tools were probed without this variable';
  return 'tools were looked up without it';
}

/** skippedProbes entries for every workspace-level value of a restricted setting. */
function noteIgnoredSettings(settings: Settings, out: SkippedProbe[]): void {
  for (const { layer } of settings.layers) {
    if (!isWorkspaceScope(layer.scope)) continue;
    const where = `${scopeLabel(layer.scope)} settings (${layerPath(layer)})`;
    const note = (key: string, value: unknown) =>
      out.push({
        probe: key,
        reason: `Workspace is not trusted: ignored ${key} = ${JSON.stringify(value)} from the ${where}. Binaries chosen by workspace settings are never run in an untrusted workspace; ${ignoredConsequence(key)}.`,
      });
    const get = (key: string) => new Settings([layer]).get(key)?.value;
    for (const key of RESTRICTED_STRING_SETTINGS) {
      const v = get(key);
      if (v !== undefined && v !== null && v !== '') note(key, v);
    }
    for (const key of RESTRICTED_OBJECT_SETTINGS) {
      const v = get(key);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) continue;
      for (const [k, sub] of Object.entries(v)) {
        if (sub !== undefined && sub !== null && sub !== '') note(`${key}.${k}`, sub);
      }
    }
  }
}

/**
 * The values of a string setting to consider, highest precedence first, up to and including the
 * first one we may use: a workspace value that trust forbids is listed (to be shown, not run).
 */
function settingChain(settings: Settings, key: string, accept: (l: SettingsLayer) => boolean): Sourced<string>[] {
  const out: Sourced<string>[] = [];
  for (const s of settings.all(key)) {
    if (typeof s.value !== 'string' || s.value === '') continue;
    out.push(s as Sourced<string>);
    if (accept(s.layer)) break;
  }
  return out;
}

function parseGoEnv(run: CommandRun | undefined): Record<string, string> | undefined {
  if (!run || run.exitCode !== 0) return undefined;
  try {
    const v: unknown = JSON.parse(run.stdout);
    if (typeof v !== 'object' || v === null) return undefined;
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : JSON.stringify(x);
    return out;
  } catch {
    return undefined;
  }
}

/** Did the command run to an exit of its own (any status)? */
function completed(run: CommandRun | undefined): boolean {
  return !!run && !run.timedOut && run.signal === undefined && run.spawnError === undefined;
}

async function dirExists(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Binary names of the format and lint tools the settings ask for. */
function extraTools(settings: Settings): string[] {
  const out: string[] = [];
  const format = settings.getString('go.formatTool')?.value;
  if (format && format !== 'default') out.push(format === 'custom' ? 'customFormatter' : format);
  const lint = settings.getString('go.lintTool')?.value;
  if (lint) out.push(lint);
  return out;
}

/** `exec` where an identical call (argv, cwd, timeout; same options object otherwise) joins the run in flight. */
function shared(exec: Exec): Exec {
  const runs = new Map<string, Promise<CommandRun>>();
  return (argv, o) => {
    const key = JSON.stringify([argv, o.cwd ?? null, o.timeoutMs]);
    let run = runs.get(key);
    if (!run) runs.set(key, (run = exec(argv, o)));
    return run;
  };
}

/**
 * What `go env` will most likely say about GOBIN, GOPATH and GOROOT, without running it: the
 * environment, else the go env file (`go env -w`), else Go's defaults. Only used to start the
 * tools' version commands early; the lookup that counts uses go env's real answer.
 */
async function predictGoEnv(
  runEnv: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  home: string | undefined,
  goRealPath: string | undefined,
): Promise<{ gobin?: string; gopath?: string; goroot?: string }> {
  const file = runEnv.GOENV || defaultGoEnvFile(runEnv, platform);
  const fromFile: Record<string, string> = {};
  if (file && file !== 'off') {
    try {
      for (const line of (await fs.promises.readFile(file, 'utf8')).split(/\r?\n/)) {
        const eq = line.indexOf('=');
        if (eq > 0) fromFile[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
      }
    } catch {
      /* no go env file */
    }
  }
  return {
    gobin: runEnv.GOBIN || fromFile.GOBIN || undefined,
    gopath: runEnv.GOPATH || fromFile.GOPATH || (home ? path.join(home, 'go') : undefined),
    goroot: runEnv.GOROOT || (goRealPath ? path.dirname(path.dirname(goRealPath)) : undefined),
  };
}

/** Look the tools up and start their own version commands (through `exec`); resolves once started. */
async function startToolVersions(
  input: Omit<ToolSearchInput, 'name' | 'alternate'> & { names: string[]; alternates: Record<string, string | undefined> },
  exec: Exec,
  run: RunOptions,
): Promise<void> {
  const found = await Promise.all(input.names.map((name) => findTool({ ...input, name, alternate: input.alternates[name] })));
  input.names.forEach((name, i) => {
    const p = found[i].path;
    const args = TOOL_VERSION_ARGS[name];
    if (p && args) void exec([p, ...args], run);
  });
}

export async function gatherSnapshot(opts: GatherOptions): Promise<Snapshot> {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const exec = opts.exec ?? runCommand;
  const cache = opts.cache === undefined ? (opts.exec ? null : memoryProbeCache) : opts.cache;
  const goExec = cache ? withProbeCache(exec, cache, 'go', platform) : exec;
  const toolExec = cache ? withProbeCache(exec, cache, 'tool', platform) : exec;
  const trusted = opts.trusted ?? opts.vscode?.trusted ?? true;
  const goTimeout = opts.timeoutMs ?? DEFAULT_GO_TIMEOUT_MS;
  const toolTimeout = Math.min(opts.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS, goTimeout);
  const folders = opts.folders.map((f) => path.resolve(f));
  const firstFolder = folders[0];
  const home = homeOf(env, platform);
  const settings = new Settings(opts.layers, firstFolder ? pathToFileURL(firstFolder).href : undefined);
  const accept = (l: SettingsLayer) => trusted || !isWorkspaceScope(l.scope);
  const skipped: SkippedProbe[] = [];
  if (!trusted) noteIgnoredSettings(settings, skipped);
  const resolve = (v: string) => resolveSettingPath(v, env, home, firstFolder);
  const sep = platform === 'win32' ? ';' : ':';

  // Workspace, host: independent of everything else.
  // A workspace file's `launch` block: its relative paths and ${workspaceFolder} are clear only
  // with one folder.
  const wsLaunch = folders.length === 1 ? opts.layers.find((l) => l.scope === 'workspaceFile')?.text : undefined;
  const foldersP = Promise.all(folders.map((f) => probeFolder(f, skipped, wsLaunch ?? undefined)));
  const hostP = probeHost({ env, exec, timeoutMs: toolTimeout, platform });
  // The login shell starts in the workspace folder only when it is trusted: its rc files may run
  // hooks (prompt helpers, version managers) that read files of the directory they start in.
  const runLoginShell = opts.loginShell ?? !opts.exec;
  const loginShellP = runLoginShell
    ? dirExists(firstFolder ?? '').then((isDir) =>
        probeLoginShell({
          env,
          exec,
          platform,
          cwd: trusted && isDir ? firstFolder : home,
          timeoutMs: opts.loginShellTimeoutMs,
          cache: cache ? undefined : null,
        }),
      )
    : Promise.resolve(undefined);
  const versionFilesP = firstFolder ? readVersionFiles(firstFolder, home).catch(() => []) : Promise.resolve([]);
  const platformP = probePlatform({ env, exec, timeoutMs: toolTimeout, platform, procRoot: opts.procRoot, fsRoot: opts.fsRoot });
  const runtimeP = probeRuntime({
    env,
    exec,
    timeoutMs: toolTimeout,
    platform,
    procRoot: opts.procRoot,
    cgroupRoot: opts.cgroupRoot,
    exthostLogDir: opts.exthostLogDir,
  });

  // 1. Every go, in vscode-go's order.
  const altGo = settingChain(settings, 'go.alternateTools.go', accept).map((s) => ({
    value: resolve(s.value),
    runnable: accept(s.layer),
    setting: `go.alternateTools.go (${scopeLabel(s.layer.scope)} settings)`,
  }));
  const goroots = settingChain(settings, 'go.goroot', accept).map((s) => ({
    value: resolve(s.value),
    runnable: accept(s.layer),
    setting: `go.goroot (${scopeLabel(s.layer.scope)} settings)`,
  }));
  const candidates: GoCandidateInfo[] = await findGoCandidates({ platform, env, home, alternateTools: altGo, goroots });
  const inUse = chooseGo(candidates, platform);
  const goPath = inUse !== undefined ? candidates[inUse].path : undefined;
  if (inUse === undefined) {
    const held = candidates.filter((c) => c.executable && !c.runnable);
    if (held.length > 0) {
      skipped.push({
        probe: 'go',
        reason: `Workspace is not trusted: the only go found (${held.map((c) => `${c.path} from ${c.setting}`).join(', ')}) is chosen by workspace settings and was not run.`,
      });
    }
  }

  // 2. The environment go and the tools run with (vscode-go's toolExecutionEnvironment).
  const runEnv: NodeJS.ProcessEnv = { ...env };
  // Windows spells it Path; keep whichever key the environment has.
  const pathKey = platform === 'win32' ? (Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'Path') : 'PATH';
  if (inUse !== undefined && candidates[inUse].source !== 'path') {
    // vscode-go puts the chosen go's bin dir first on PATH when it did not come from PATH.
    runEnv[pathKey] = [path.dirname(candidates[inUse].path), ...splitPathList(env[pathKey], platform)].join(sep);
  }
  const lookupPathDirs = splitPathList(runEnv[pathKey], platform);
  const gorootSetting = goroots.find((g) => g.runnable)?.value;
  if (gorootSetting && (await dirExists(gorootSetting))) runEnv.GOROOT = gorootSetting;
  const gopathSetting = settings.getString('go.gopath', accept);
  if (gopathSetting) runEnv.GOPATH = resolve(gopathSetting.value);
  for (const [k, s] of settings.getObject('go.toolsEnvVars', accept)) {
    if (typeof s.value === 'string') runEnv[k] = substituteEnv(s.value, env);
    else if (typeof s.value === 'number' || typeof s.value === 'boolean') runEnv[k] = String(s.value);
  }
  const cwd = firstFolder && (await dirExists(firstFolder)) ? firstFolder : undefined;
  const goRun = (args: string[]) => goExec([goPath as string, ...args], { cwd, env: runEnv, baseEnv: env, timeoutMs: goTimeout });

  // 3. Start the slow probes first, so that they overlap (each spawn also blocks this thread for
  //    a few ms): `go env -json` of the go in use; the tools' own version commands (gopls's is the
  //    slowest probe of all) on a lookup that predicts what go env will say (probeTools below
  //    re-runs nothing when the prediction holds, see `shared`); then `go version` of every
  //    candidate, the ones not in use with GOTOOLCHAIN=local: we want each binary's own version,
  //    and no toolchain download because the workspace's go.mod asks for a newer Go.
  const goEnvP: Promise<CommandRun | undefined> = goPath !== undefined ? goRun(['env', '-json']) : Promise.resolve(undefined);
  const candidateVersion = (c: GoCandidateInfo, i: number): Promise<CommandRun | undefined> => {
    if (!c.executable || !c.runnable) return Promise.resolve(undefined);
    const candidateEnv = i === inUse ? runEnv : { ...runEnv, GOTOOLCHAIN: 'local' };
    return goExec([c.path, 'version'], { cwd, env: candidateEnv, baseEnv: env, timeoutMs: goTimeout });
  };

  const toolNames = [...new Set(['gopls', 'dlv', ...extraTools(settings)])];
  const alternates: Record<string, string | undefined> = {};
  for (const name of toolNames) {
    const alt = settings.getString(`go.alternateTools.${name}`, accept);
    alternates[name] = alt ? resolve(alt.value) : undefined;
  }
  const toolsGopathSetting = settings.getString('go.toolsGopath', accept);
  const toolsGopath = toolsGopathSetting ? resolve(toolsGopathSetting.value) : undefined;
  const toolRun = { cwd, env: runEnv, baseEnv: env, timeoutMs: toolTimeout };
  const sharedToolExec = shared(toolExec);
  const toolVersionsStarted = predictGoEnv(runEnv, platform, home, inUse !== undefined ? candidates[inUse].realPath : undefined)
    .then((predicted) => startToolVersions({ names: toolNames, platform, alternates, toolsGopath, pathDirs: lookupPathDirs, ...predicted }, sharedToolExec, toolRun))
    .catch(() => undefined); // only a head start: never a reason to fail
  const versionsP = toolVersionsStarted.then(() => Promise.all(candidates.map(candidateVersion)));

  // 4. The go env file and the tools, once go env is known.
  const dirsP = goEnvP.then((run) => probeDirs({ platform, procRoot: opts.procRoot, env: runEnv, goEnv: parseGoEnv(run), folders }));
  const goEnvFileP = goEnvP.then((run) => readGoEnvFile(parseGoEnv(run), runEnv, platform));
  const lookupsP = goEnvP.then((run) =>
    probeLookups({ platform, goEnv: parseGoEnv(run), env, runEnv, settings, accept, pathDirs: lookupPathDirs, home, folder: cwd }),
  );
  const toolsP = goEnvP.then((goEnvRun) => {
    const goEnv = parseGoEnv(goEnvRun);
    // `go version -m` only with a go that answered: a hanging go would hang a second time.
    const goUsable = goPath !== undefined && completed(goEnvRun);
    return probeTools({
      names: toolNames,
      platform,
      alternates,
      gobin: goEnv?.GOBIN || runEnv.GOBIN || undefined,
      toolsGopath,
      gopath: goEnv?.GOPATH || runEnv.GOPATH || (home ? path.join(home, 'go') : undefined),
      goroot: goEnv?.GOROOT || runEnv.GOROOT || undefined,
      pathDirs: lookupPathDirs,
      exec: sharedToolExec,
      toolRun,
      goRun: goUsable ? goRun : undefined,
      noGoReason:
        goPath === undefined
          ? 'No go binary to run `go version -m` on the tools.'
          : `\`${goPath} env -json\` did not complete, so \`go version -m\` was not run either.`,
    });
  });

  // 5. Is each module's go.mod / go.sum in sync? Offline, read-only, local toolchain (moduleCheck.ts);
  //    only with a go that answered go env, and only in folders with their own go.mod.
  const moduleChecksP = Promise.all([foldersP, goEnvP]).then(([fs_, goEnvRun]) =>
    Promise.all(
      fs_.map((f) =>
        goPath !== undefined && completed(goEnvRun) && f.goMod
          ? checkModule({ go: goPath, folder: f.path, env: runEnv, baseEnv: env, exec: goExec })
          : Promise.resolve(undefined),
      ),
    ),
  );

  const [versions, goEnvRun, goEnvFile, toolResult, workspaceFolders, host, moduleChecks] = await Promise.all([
    versionsP,
    goEnvP,
    goEnvFileP,
    toolsP,
    foldersP,
    hostP,
    moduleChecksP,
  ]);
  workspaceFolders.forEach((f, i) => {
    const run = moduleChecks[i];
    if (run) f.moduleCheck = run;
  });
  const [platformFacts, dirFacts, programLookups, loginShell, versionFiles, runtimeFacts] = await Promise.all([
    platformP,
    dirsP,
    lookupsP,
    loginShellP,
    versionFilesP,
    runtimeP,
  ]);
  if (loginShell?.skipped) skipped.push(loginShell.skipped);

  const goCandidates: GoCandidate[] = candidates.map((c, i) => {
    const out: GoCandidate = { path: c.path, source: c.source, executable: c.executable };
    if (c.realPath !== undefined) out.realPath = c.realPath;
    const v = versions[i];
    if (v) out.version = v;
    return out;
  });

  const snapshot: Snapshot = {
    schema: SNAPSHOT_SCHEMA,
    origin: opts.origin ?? (opts.vscode ? 'vscode' : 'headless'),
    host,
    env: allowListEnv(env, platform),
    settings: orderLayers(opts.layers),
    goCandidates,
    tools: toolResult.tools,
    workspace: { folders: workspaceFolders },
    skippedProbes: [...skipped, ...toolResult.skipped],
  };
  if (opts.vscode) snapshot.vscode = opts.vscode;
  Object.assign(snapshot.host, platformFacts.host, dirFacts);
  if (platformFacts.processes) snapshot.processes = platformFacts.processes;
  Object.assign(snapshot.host, runtimeFacts.host);
  if (runtimeFacts.languageServerLogs) snapshot.languageServerLogs = runtimeFacts.languageServerLogs;
  if (inUse !== undefined) {
    snapshot.go = { candidate: inUse };
    const v = versions[inUse];
    if (v) snapshot.go.version = v;
    if (goEnvRun) snapshot.go.env = goEnvRun;
  }
  if (toolResult.buildInfo) snapshot.toolsBuildInfo = toolResult.buildInfo;
  if (goEnvFile) snapshot.goEnvFile = goEnvFile;
  snapshot.programLookups = programLookups;
  if (loginShell?.run) snapshot.loginShell = loginShell.run;
  if (versionFiles.length > 0) snapshot.versionFiles = versionFiles;
  if (opts.workspaceFile) snapshot.workspace.workspaceFile = path.resolve(opts.workspaceFile);
  return snapshot;
}

const RANK: Record<string, number> = { default: 0, user: 1, remote: 2, workspaceFile: 3, workspaceFolder: 4 };

/** Layers lowest precedence first (stable within a scope). */
export function orderLayers(layers: SettingsLayer[]): SettingsLayer[] {
  return layers
    .map((l, i) => ({ l, i }))
    .sort((a, b) => RANK[a.l.scope] - RANK[b.l.scope] || a.i - b.i)
    .map(({ l }) => l);
}

