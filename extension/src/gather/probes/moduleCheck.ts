// Is the module's go.mod / go.sum in sync? `go list -mod=readonly -m all`, run in each folder
// that has its own go.mod, offline (GOPROXY=off) and with GOTOOLCHAIN=local: it loads the module
// graph from go.mod, go.sum and the module cache only, writes no file (-mod=readonly), downloads
// nothing and never runs another toolchain. It fails with "updates to go.mod needed" or
// "missing go.sum entry" when they are stale (`go help modules`, "-mod=readonly"), which is what
// GSD409 looks for. Runs through the probe cache (cache.ts): keyed by the go binary, the
// environment, go.mod / go.work text and go.sum's identity; only successful runs are stored.
import type { CommandRun } from '../../engine/generated/CommandRun';
import type { Exec } from '../exec';

export const MODULE_CHECK_ARGS = ['list', '-mod=readonly', '-m', 'all'];
export const MODULE_CHECK_TIMEOUT_MS = 10000;

/** The environment of the check: the tools environment, offline, local toolchain only. */
export function moduleCheckEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, GOPROXY: 'off', GOTOOLCHAIN: 'local' };
}

export function checkModule(input: {
  go: string;
  folder: string;
  /** The environment go runs with (the tools environment). */
  env: NodeJS.ProcessEnv;
  baseEnv: NodeJS.ProcessEnv;
  /** The go exec (with the probe cache when there is one). */
  exec: Exec;
  timeoutMs?: number;
}): Promise<CommandRun> {
  return input.exec([input.go, ...MODULE_CHECK_ARGS], {
    cwd: input.folder,
    env: moduleCheckEnv(input.env),
    baseEnv: input.baseEnv,
    timeoutMs: input.timeoutMs ?? MODULE_CHECK_TIMEOUT_MS,
  });
}
