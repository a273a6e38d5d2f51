// The ledger explorer, for anyone: a replica's blocks and transactions page by page, and a
// verification that runs here, in the auditor's browser, with the genesis they trust — the
// same verifier module `cinema chain verify` and `cinema proof verify` run (bundled, not
// fetched). No replica and no server of ours is believed: the page checks what they hand over.
import { useEffect, useRef, useState } from 'preact/hooks';
import { chainOf, genesisProblems, verifySource, type BlockSource, type CommittedBlock, type Genesis, type SourceEntry, type VerifyReport } from '../../../blockchain-nodes/verifier';
import { provenBookingInWords, verifyBookingProof, type ProofVerdict } from '../../../functions/ledger/proof';
import { COMMITTED_FIELDS } from '../../../functions/ledger/disclosure';
import { api } from '../../shared/api';

const PAGE = 10;
/** `npm start`'s first replica: the field's value until a genesis names the cluster's own. */
const LOCAL_REPLICA = 'http://127.0.0.1:4006';

/** A replica's GET /blocks as a block source for the shared verifier; what it serves is checked, not believed. */
export function replicaSource(baseUrl: string): BlockSource {
  const base = baseUrl.trim().replace(/\/+$/, '');
  const get = async (path: string) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { cache: 'no-store' });
    } catch {
      throw new Error(`cannot reach ${base} (is the address right, and is the replica up?)`);
    }
    if (!res.ok) throw new Error(`${base}${path} answered HTTP ${res.status}`);
    return res.json();
  };
  return {
    describe: `replica ${base}`,
    async claimedHeight() {
      const body = await get('/blocks?from=1&limit=1');
      return Number.isSafeInteger(body?.height) ? body.height : undefined;
    },
    async page(from, limit) {
      const body = await get(`/blocks?from=${from}&limit=${limit}`);
      if (!Array.isArray(body?.blocks)) throw new Error(`${base}: /blocks did not answer a list of blocks`);
      return body.blocks.map((b: CommittedBlock, i: number): SourceEntry => {
        const h = b?.block?.header?.height;
        return typeof h === 'number' ? { height: h, committed: b } : { height: from + i, problem: 'the replica served something that is not a block' };
      });
    },
    close: async () => undefined,
  };
}

type Trusted = { genesis: Genesis; hash: string; from: string };

function parseGenesis(text: string, from: string): Trusted | string {
  let genesis: Genesis;
  try {
    genesis = JSON.parse(text);
  } catch {
    return 'That is not JSON.';
  }
  const problems = typeof genesis === 'object' && genesis !== null ? genesisProblems(genesis) : ['not an object'];
  if (problems.length) return `That is not a genesis: ${problems.join('; ')}.`;
  return { genesis, hash: chainOf(genesis).genesisHash, from };
}

const short = (hex: string) => `${hex.slice(0, 12)}…`;
const at = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

function GenesisPanel({ trusted, onTrust }: { trusted: Trusted | null; onTrust: (t: Trusted) => void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const use = (t: Trusted | string) => (typeof t === 'string' ? setProblem(t) : (setProblem(null), onTrust(t)));
  const fetchServed = async () => {
    try {
      use(parseGenesis(JSON.stringify(await api.ledgerGenesis()), "this cinema's server (GET /ledger/genesis)"));
    } catch {
      setProblem('This cinema did not hand over its genesis. Paste or upload one instead.');
    }
  };
  return (
    <section class="panel" aria-labelledby="genesis-title">
      <h2 id="genesis-title">1. The genesis you trust</h2>
      <p class="muted small">
        The genesis lists the replicas' and the ledger's public keys: everything below is checked against it alone. The one this cinema serves is only as good as
        the server; compare its hash with one you got another way, or paste or upload your own.
      </p>
      {trusted ? (
        <p data-testid="genesis-in-use">
          Using chain <strong>"{trusted.genesis.chainName}"</strong>, {trusted.genesis.replicas.length} replicas (a block needs {chainOf(trusted.genesis).quorum} of their
          signatures), genesis hash <code>{trusted.hash}</code>, from {trusted.from}.
        </p>
      ) : (
        <p>No genesis yet.</p>
      )}
      <div class="form">
        <div class="actions">
          <button type="button" class="secondary" onClick={fetchServed}>
            Fetch this cinema's genesis
          </button>
        </div>
        <label>
          Genesis JSON
          <textarea rows={3} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} placeholder='{"chainName": …}' />
        </label>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => use(parseGenesis(text, 'what you pasted'))} disabled={!text.trim()}>
            Use the pasted genesis
          </button>
          <label class="file-button">
            Genesis file
            <input
              type="file"
              accept="application/json,.json"
              onChange={async (e) => {
                const file = (e.target as HTMLInputElement).files?.[0];
                if (file) use(parseGenesis(await file.text(), `the file ${file.name}`));
              }}
            />
          </label>
        </div>
      </div>
      {problem && (
        <p role="alert" class="error-text">
          {problem}
        </p>
      )}
    </section>
  );
}

function TransactionRow({ tx }: { tx: CommittedBlock['block']['transactions'][number] }) {
  const payload = (tx.payload ?? {}) as { data?: Record<string, unknown>; commitments?: Record<string, string>; occurredAt?: string };
  const shown = Object.entries(payload.data ?? {}).filter(([k]) => /Id$|currency|reason|provider/.test(k));
  const hidden = Object.keys(payload.commitments ?? {}).sort((a, b) => COMMITTED_FIELDS.indexOf(a as never) - COMMITTED_FIELDS.indexOf(b as never));
  return (
    <li>
      <strong>{tx.type}</strong> <code>{tx.id}</code>
      <div class="muted small">
        {shown.map(([k, v]) => `${k} ${String(v)}`).join(' · ')}
        {hidden.length > 0 && ` · committed, not shown: ${hidden.join(', ')}`}
      </div>
    </li>
  );
}

/** What the last verification of the replica shown found: blocks up to `valid` are good, `bad` is the first that is not. */
type Checked = { valid: number; bad?: number } | null;

function BlocksPanel({ replica, refresh, checked }: { replica: string; refresh: number; checked: Checked }) {
  const [height, setHeight] = useState<number | null>(null);
  const [top, setTop] = useState<number | null>(null);
  const [blocks, setBlocks] = useState<CommittedBlock[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (newest: number | null) => {
    setLoading(true);
    setProblem(null);
    try {
      const source = replicaSource(replica);
      const h = (await source.claimedHeight()) ?? 0;
      const first = Math.max(1, (newest === null ? h : Math.min(newest, h)) - PAGE + 1);
      const last = newest === null ? h : Math.min(newest, h);
      const entries = last >= 1 ? await source.page(first, last - first + 1) : [];
      setHeight(h);
      setTop(last);
      setBlocks(entries.flatMap((e) => ('committed' in e ? [e.committed] : [])).reverse());
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(null), [replica, refresh]);

  return (
    <section class="panel" aria-labelledby="blocks-title">
      <h2 id="blocks-title">3. Blocks, newest first</h2>
      {problem && (
        <p role="alert" class="error-text">
          {problem}
        </p>
      )}
      {height !== null && top !== null && (
        <p class="muted">
          {height === 0 ? 'The chain has no blocks yet.' : `Blocks ${Math.max(1, top - PAGE + 1)}–${top} of ${height}, as ${replica} serves them (${checked ? 'marked as your verification found them' : 'not verified yet: see 2'}).`}
        </p>
      )}
      <ol class="blocks" aria-busy={loading}>
        {blocks.map(({ block, certificate }) => (
          <li key={block.header.height} class="block">
            <details>
              <summary>
                <span class="block-height">Block {block.header.height}</span>
                {checked?.bad === block.header.height && <> <span class="badge invalid">not valid</span></>}
                {checked && block.header.height <= checked.valid && <> <span class="badge valid">verified</span></>} · {block.header.txCount} transaction{block.header.txCount === 1 ? '' : 's'} · {at(block.header.timestamp)} · proposed by
                replica {block.header.proposer} · signed by {certificate.commits.map((c) => c.replica).join(', ')}
              </summary>
              <dl class="facts small">
                <dt>Block hash</dt>
                <dd>
                  <code>{certificate.blockHash}</code>
                </dd>
                <dt>Parent</dt>
                <dd>
                  <code>{block.header.parentHash}</code>
                </dd>
                <dt>Merkle root</dt>
                <dd>
                  <code>{block.header.txRoot}</code>
                </dd>
              </dl>
              <ul class="transactions">
                {block.transactions.map((tx) => (
                  <TransactionRow key={tx.id} tx={tx} />
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ol>
      {height !== null && top !== null && height > 0 && (
        <nav class="actions" aria-label="Block pages">
          <button type="button" class="secondary" disabled={loading || top >= height} onClick={() => load(Math.min(height, top + PAGE))}>
            Newer blocks
          </button>
          <button type="button" class="secondary" disabled={loading || top - PAGE < 1} onClick={() => load(top - PAGE)}>
            Older blocks
          </button>
        </nav>
      )}
    </section>
  );
}

type ChainCheck = { state: 'running'; height: number } | { state: 'done'; report: VerifyReport; ms: number } | { state: 'failed'; message: string };

function VerifyPanel({ trusted, replica, onChecked }: { trusted: Trusted | null; replica: string; onChecked: (c: Checked) => void }) {
  const [check, setCheck] = useState<ChainCheck | null>(null);
  const run = async () => {
    if (!trusted) return;
    setCheck({ state: 'running', height: 0 });
    const started = performance.now();
    try {
      // small pages: the page says how far it got while the signatures are checked here
      const report = await verifySource(trusted.genesis, replicaSource(replica), { pageSize: 25, onProgress: (height) => setCheck({ state: 'running', height }) });
      setCheck({ state: 'done', report, ms: performance.now() - started });
      const v = report.verdict;
      onChecked(v.ok ? { valid: v.height } : { valid: v.height - 1, bad: v.height });
    } catch (err) {
      setCheck({ state: 'failed', message: (err as Error).message });
    }
  };
  return (
    <section class="panel" aria-labelledby="verify-title">
      <h2 id="verify-title">2. Verify the chain, here in your browser</h2>
      <p class="muted small">
        Every block from the first: its link to its parent, its Merkle root and count, every transaction's signature by a submitter the genesis registers, no
        transaction twice, and its commit certificate signed by a quorum of the genesis replicas.
      </p>
      <button type="button" onClick={run} disabled={!trusted || check?.state === 'running'}>
        Verify the whole chain
      </button>
      {!trusted && <p class="muted">Choose a genesis first (1).</p>}
      <div role="status" aria-live="polite" class="verdict-area">
        {check?.state === 'running' && <p>Checking… {check.height} blocks verified so far.</p>}
        {check?.state === 'failed' && <p class="verdict bad">Could not read the chain: {check.message}</p>}
        {check?.state === 'done' &&
          (check.report.verdict.ok ? (
            <p class="verdict good" data-testid="chain-verdict" data-transactions={check.report.transactions} data-ms={Math.round(check.ms)}>
              Valid: all {check.report.verdict.height} blocks and {check.report.transactions} transactions from {replica} check against the genesis "
              {trusted?.genesis.chainName}" — head <code>{short(check.report.verdict.headHash)}</code>. Checked in {(check.ms / 1000).toFixed(1)} s (
              {Math.round(check.report.transactions / (check.ms / 1000))} transactions a second).
            </p>
          ) : (
            <p class="verdict bad" data-testid="chain-verdict">
              Block {check.report.verdict.height} is not valid: {check.report.verdict.reason}.{' '}
              {check.report.verdict.height > 1 ? `Blocks 1–${check.report.verdict.height - 1} are valid.` : 'No block before it.'}
            </p>
          ))}
      </div>
    </section>
  );
}

function ProofPanel({ trusted }: { trusted: Trusted | null }) {
  const [verdict, setVerdict] = useState<(ProofVerdict & { file: string }) | { ok: false; reason: string; file: string } | null>(null);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const check = async (file: File | undefined) => {
    if (!file) return;
    if (!trusted) return setVerdict({ ok: false, reason: 'choose a genesis first (1): a proof is checked against it', file: file.name });
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      return setVerdict({ ok: false, reason: 'the file is not JSON', file: file.name });
    }
    setVerdict({ ...verifyBookingProof(trusted.genesis, parsed), file: file.name });
  };
  return (
    <section class="panel" aria-labelledby="proof-title">
      <h2 id="proof-title">4. Check a booking proof</h2>
      <p class="muted small">
        The proof a customer downloads from their booking: each fact's transaction, its Merkle path, its block's header and certificate, and the values behind
        the commitments ({COMMITTED_FIELDS.join(', ')}). Nothing leaves this page.
      </p>
      <div
        class={`dropzone${over ? ' over' : ''}`}
        role="group"
        aria-label="Drop a booking proof file here"
        onDragOver={(e) => (e.preventDefault(), setOver(true))}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void check(e.dataTransfer?.files?.[0]);
        }}
      >
        <p>Drop a booking proof file here, or</p>
        <label class="file-button">
          Booking proof file
          <input ref={input} type="file" accept="application/json,.json" onChange={(e) => void check((e.target as HTMLInputElement).files?.[0])} />
        </label>
      </div>
      <div role="status" aria-live="polite" class="verdict-area">
        {verdict &&
          (verdict.ok ? (
            <div class="verdict good" data-testid="proof-verdict">
              <p>
                <strong>Genuine:</strong> {verdict.file} proves this booking is on the chain, unaltered.
              </p>
              <ul>
                {provenBookingInWords(verdict.booking).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p class="verdict bad" data-testid="proof-verdict">
              <strong>Not valid:</strong> {verdict.file} does not prove a booking: {verdict.reason}.
            </p>
          ))}
      </div>
    </section>
  );
}

export function ExplorerPage() {
  const [trusted, setTrusted] = useState<Trusted | null>(null);
  const [replica, setReplica] = useState(LOCAL_REPLICA);
  const [typed, setTyped] = useState(LOCAL_REPLICA);
  const [refresh, setRefresh] = useState(0);
  const [checked, setChecked] = useState<Checked>(null);
  // the cinema's own genesis to start with, its replicas as the choices; the auditor may replace it
  useEffect(() => {
    api.ledgerGenesis().then(
      (g) => {
        const t = parseGenesis(JSON.stringify(g), "this cinema's server (GET /ledger/genesis)");
        if (typeof t === 'string') return;
        setTrusted((current) => current ?? t);
        const first = t.genesis.replicas[0]?.address;
        if (first) {
          setReplica(first);
          setTyped(first);
        }
      },
      () => undefined,
    );
  }, []);
  return (
    <section aria-labelledby="explorer-title">
      <h1 id="explorer-title">Ledger explorer</h1>
      <p>
        Every payment and booking is a signed transaction in a chain kept by independent replicas. Check it yourself: this page verifies it in your browser,
        trusting no server — only the genesis you choose.
      </p>
      <GenesisPanel trusted={trusted} onTrust={(t) => (setTrusted(t), setChecked(null))} />
      <form
        class="panel form replica-form"
        onSubmit={(e) => {
          e.preventDefault();
          setReplica(typed.trim());
          setRefresh((n) => n + 1);
          setChecked(null);
        }}
      >
        <label>
          Replica URL
          <input type="url" list="genesis-replicas" value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} required />
        </label>
        <datalist id="genesis-replicas">
          {trusted?.genesis.replicas.map((r) => (
            <option key={r.id} value={r.address}>{`replica ${r.id}`}</option>
          ))}
        </datalist>
        <div class="actions">
          <button type="submit">Read this replica</button>
        </div>
      </form>
      <VerifyPanel key={`${replica} ${refresh} ${trusted?.hash}`} trusted={trusted} replica={replica} onChecked={setChecked} />
      <BlocksPanel replica={replica} refresh={refresh} checked={checked} />
      <ProofPanel trusted={trusted} />
    </section>
  );
}
