// "Show log": the Go Setup Doctor output channel.
import type { Ctx } from '../ctx';

export const showLog = (ctx: Ctx) => (): void => {
  ctx.log.show(true);
};
