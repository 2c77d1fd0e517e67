// `app.info`: what the UI needs to know about the server it talks to.
import type { KartStreamServices } from '../../contract/services.ts';
import type { ServiceContext } from './service-context.ts';

export const createAppService = (ctx: ServiceContext): KartStreamServices['app'] => ({
  info: async () => ({ version: ctx.version, defaultLab: ctx.defaultLab, desktop: ctx.desktop }),
});
