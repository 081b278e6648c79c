// "Refresh": run the diagnosis again now (view title button).
import type { Ctx } from '../ctx';

export const refresh = (ctx: Ctx) => async (): Promise<void> => {
  await ctx.runner.runNow('refresh', true);
};
