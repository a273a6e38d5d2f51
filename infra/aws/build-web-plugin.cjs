// A local Serverless plugin: builds the web app (web/dist) before serverless-esbuild
// packages the functions, so a deployed stage's webApp function has the files to serve.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

class BuildWebApp {
  constructor(serverless) {
    const root = serverless.config.servicePath;
    const build = () => execFileSync(process.execPath, ['--import', 'tsx', join(root, 'web', 'build.ts')], { cwd: root, stdio: 'inherit' });
    this.hooks = { 'before:package:createDeploymentArtifacts': build, 'before:deploy:function:packageFunction': build };
  }
}

module.exports = BuildWebApp;
