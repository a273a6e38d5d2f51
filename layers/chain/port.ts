// What the platform's services need of the PBFT cluster. The HTTP client of the replicas
// (layers/chain/client.ts) implements it; tests may run it against real replica processes.
import type { Transaction, TransactionProof } from '../../blockchain-nodes/protocol';

export interface FinalReceipt {
  transactionId: string;
  height: number;
  blockHash: string;
  /** how finality was established: f+1 replicas reporting the same block, or a commit certificate */
  evidence: 'replies' | 'certificate';
}

export class ChainUnavailableError extends Error {
  override name = 'ChainUnavailableError';
}

/** The cluster refused the transaction for good (bad signature, unknown submitter, malformed). */
export class ChainRejectedError extends Error {
  override name = 'ChainRejectedError';
}

export interface ChainClient {
  /**
   * Submits the transaction (idempotent by its id: a resubmission commits nothing new) and
   * resolves once it is final. Throws ChainUnavailableError when no quorum answered in time,
   * ChainRejectedError when the replicas refuse it.
   */
  submitAndAwaitFinal(tx: Transaction, options?: { timeoutMs?: number }): Promise<FinalReceipt>;
  /** The inclusion proof of a committed transaction, verified against genesis by the caller. */
  proofOf(transactionId: string): Promise<TransactionProof | undefined>;
}
