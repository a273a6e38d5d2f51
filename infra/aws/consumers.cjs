// serverless.yml's door to infra/aws/consumers.ts: osls reads `${file(x.cjs)}` with require(),
// which loads no TypeScript, so tsx (a dependency) loads the module for it.
const { require: load } = require('tsx/cjs/api');

module.exports = load('./consumers.ts', __filename).serverless;
