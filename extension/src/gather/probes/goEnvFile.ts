// The file `go env -w` writes: GOENV as `go env` reports it, else as the environment sets it,
// else Go's default for this OS (os.UserConfigDir()/go/env).
import * as path from 'path';
import type { FileText } from '../../engine/generated/FileText';
import { defaultGoEnvFile } from '../env';
import { readFileText } from './workspace';

export async function readGoEnvFile(goEnv: Record<string, string> | undefined, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<FileText | undefined> {
  const file = goEnv?.GOENV || env.GOENV || defaultGoEnvFile(env, platform);
  if (!file || file === 'off') return undefined;
  return readFileText(path.resolve(file));
}
