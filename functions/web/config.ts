import { z } from 'zod';
import { loadConfig } from '../../layers/core/config';

export const webConfig = loadConfig({
  // the built app (`web/build.ts`), relative to the working directory: the project locally,
  // the package's root on Lambda (serverless.yml's package.patterns put it there)
  WEB_DIST_DIR: z.string().min(1).default('web/dist'),
});
