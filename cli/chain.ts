// `cinema chain …`: make a dev cluster's genesis and keys, and verify a chain — served by a
// replica or read from a replica's database — against the genesis alone.
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ROOT } from '../infra/local/gateway';
import { initCluster, loadCluster, readKeyFile, databaseBlockSource, httpBlockSource, verifySource, type BlockSource, chainOf, genesisProblems, type Genesis } from '../blockchain-nodes/protocol';

export const CHAIN_USAGE = `  chain init [--dir DIR] [--replicas N] [--host H] [--base-port P] [--name NAME] [--force]
                               a dev cluster: genesis.json and keys (mode 0600) for each replica
                               and for the ledger (LEDGER_SIGNING_KEY); default DIR .data/chain
  chain env [--dir DIR]        print the cluster's keys as .env lines for docker-compose.yml
                               (npx cinema chain env >> .env; keep .env private)
  chain verify (--node URL | --database URL) [--genesis GENESIS]
                               check a replica's chain against the genesis keys alone: parent
                               links, Merkle roots, certificates, every transaction's signature;
                               names the first bad block`;

const dataDir = () => resolve(ROOT, process.env.CINEMA_DATA_DIR ?? '.data');
export const defaultChainDir = () => join(dataDir(), 'chain');
const shown = (file: string) => (file.startsWith(ROOT) ? relative(process.cwd(), file) || '.' : file);

function fail(message: string): number {
  console.error(`cinema chain: ${message}`);
  return 2;
}

export async function runChain(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'init': {
      const { values } = parseArgs({
        args: rest,
        options: {
          dir: { type: 'string' },
          replicas: { type: 'string' },
          host: { type: 'string' },
          'base-port': { type: 'string' },
          name: { type: 'string' },
          force: { type: 'boolean' },
        },
      });
      const replicas = values.replicas === undefined ? 4 : Number(values.replicas);
      if (!Number.isSafeInteger(replicas) || replicas < 1 || replicas > 100) return fail('--replicas must be a number from 1 to 100 (3f+1: 4, 7, 10…)');
      const basePort = values['base-port'] === undefined ? 4006 : Number(values['base-port']);
      if (!Number.isSafeInteger(basePort) || basePort < 1 || basePort + replicas - 1 > 65_535) return fail('--base-port must be a port number');
      const dir = resolve(values.dir ?? defaultChainDir());
      let made;
      try {
        made = initCluster({ dir, replicas, host: values.host, basePort, chainName: values.name, force: values.force });
      } catch (err) {
        return fail((err as Error).message);
      }
      const { genesis } = made;
      console.log(`Cluster "${genesis.chainName}": ${genesis.replicas.length} replicas (f = ${Math.floor((genesis.replicas.length - 1) / 3)}), genesis hash ${chainOf(genesis).genesisHash}`);
      console.log(`  genesis      ${shown(made.genesisFile)}   (CHAIN_GENESIS_FILE)`);
      for (const r of genesis.replicas) console.log(`  replica ${r.id}    ${r.address}   key ${shown(made.replicaKeyFiles[r.id])}`);
      console.log(`  ledger key   ${shown(made.submitterKeyFiles.ledger)}   (LEDGER_SIGNING_KEY=$(cat ${shown(made.submitterKeyFiles.ledger)}))`);
      console.log(`Keys are secrets (mode 0600, git-ignored); genesis.json is public.`);
      return 0;
    }
    case 'env': {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' } } });
      const dir = resolve(values.dir ?? defaultChainDir());
      let files;
      try {
        files = loadCluster(dir);
      } catch (err) {
        return fail(`no cluster in ${dir} (make one with \`cinema chain init\`): ${(err as Error).message}`);
      }
      if (!files.submitterKeyFiles.ledger) return fail(`${dir} has no ledger key`);
      console.log(`# chain "${files.genesis.chainName}" (${dir}); these are secrets: keep .env private`);
      console.log(`CHAIN_DIR=${dir}`);
      files.replicaKeyFiles.forEach((file, id) => console.log(`CHAIN_REPLICA_${id}_KEY=${readKeyFile(file)}`));
      console.log(`LEDGER_SIGNING_KEY=${readKeyFile(files.submitterKeyFiles.ledger)}`);
      return 0;
    }
    case 'verify': {
      const { values } = parseArgs({ args: rest, options: { node: { type: 'string' }, database: { type: 'string' }, genesis: { type: 'string' } } });
      if (!values.node === !values.database) return fail('usage: cinema chain verify (--node URL | --database URL) [--genesis GENESIS.json]');
      const genesisFile = values.genesis ?? process.env.CHAIN_GENESIS_FILE ?? join(defaultChainDir(), 'genesis.json');
      if (!existsSync(genesisFile)) return fail(`no genesis at ${genesisFile} (--genesis FILE or CHAIN_GENESIS_FILE)`);
      let genesis: Genesis;
      try {
        genesis = JSON.parse(readFileSync(genesisFile, 'utf8'));
      } catch {
        return fail(`${genesisFile} is not JSON`);
      }
      const problems = genesisProblems(genesis);
      if (problems.length) return fail(`${genesisFile} is not a genesis: ${problems.join('; ')}`);
      let source: BlockSource;
      try {
        source = values.node ? httpBlockSource(values.node) : databaseBlockSource(values.database!);
      } catch (err) {
        return fail((err as Error).message);
      }
      const started = Date.now();
      try {
        const report = await verifySource(genesis, source);
        const against = `against genesis "${genesis.chainName}" (${chainOf(genesis).genesisHash.slice(0, 16)}…)`;
        if (!report.verdict.ok) {
          console.error(`INVALID: block ${report.verdict.height}: ${report.verdict.reason}`);
          console.error(`  ${source.describe}, checked ${against}; blocks 1–${report.verdict.height - 1} are valid`);
          return 1;
        }
        console.log(`VALID: ${report.verdict.height} blocks, ${report.transactions} transactions, head ${report.verdict.headHash}`);
        console.log(`  ${source.describe}, checked ${against} in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
        console.log('  parent links, Merkle roots and counts, every transaction signed by a registered submitter and committed once,');
        console.log('  every commit certificate signed by a quorum of the genesis replicas');
        return 0;
      } catch (err) {
        console.error(`cinema chain: cannot read the chain from ${source.describe}: ${(err as Error).message}`);
        return 1;
      } finally {
        await source.close();
      }
    }
  }
  return fail(`unknown command: chain ${argv.join(' ')}\n\nUsage:\n${CHAIN_USAGE}`);
}
