import { sha256 } from './encoding';

// RFC 6962 §2.1, so that any Certificate Transparency tool can check our proofs: leaves and
// interior nodes are hashed under different prefixes (a leaf can never pass for a node), and a
// tree of n leaves splits at the largest power of two below n, which keeps old subtrees intact
// as the tree grows — what makes consistency proofs possible.

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);
const HASH_BYTES = 32;

export const EMPTY_TREE_ROOT = sha256();

export const leafHash = (data: Uint8Array): Uint8Array => sha256(LEAF_PREFIX, data);
export const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(NODE_PREFIX, left, right);

/** Largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes already computed. */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  return leaves.length === 0 ? EMPTY_TREE_ROOT : subtreeRoot(leaves, 0, leaves.length);
}

function subtreeRoot(leaves: readonly Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 1) return leaves[start];
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(leaves, start, start + k), subtreeRoot(leaves, start + k, end));
}

/** PATH(m, D[n]): the sibling hashes from leaf `index` up to the root, nearest first. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  const path: Uint8Array[] = [];
  collectPath(leaves, index, 0, leaves.length, path);
  return path;
}

function collectPath(leaves: readonly Uint8Array[], m: number, start: number, end: number, path: Uint8Array[]): void {
  const n = end - start;
  if (n === 1) return;
  const k = splitPoint(n);
  if (m < k) {
    collectPath(leaves, m, start, start + k, path);
    path.push(subtreeRoot(leaves, start + k, end));
  } else {
    collectPath(leaves, m - k, start + k, end, path);
    path.push(subtreeRoot(leaves, start, start + k));
  }
}

/** PROOF(m, D[n]): shows the first `oldSize` leaves are a prefix of the tree — that history was only appended to. */
export function consistencyProof(leaves: readonly Uint8Array[], oldSize: number): Uint8Array[] {
  const n = leaves.length;
  if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > n) throw new RangeError(`no tree of ${oldSize} inside a tree of ${n}`);
  const proof: Uint8Array[] = [];
  if (oldSize > 0 && oldSize < n) collectSubproof(leaves, oldSize, 0, n, true, proof);
  return proof;
}

function collectSubproof(leaves: readonly Uint8Array[], m: number, start: number, end: number, whole: boolean, proof: Uint8Array[]): void {
  const n = end - start;
  if (m === n) {
    if (!whole) proof.push(subtreeRoot(leaves, start, end));
    return;
  }
  const k = splitPoint(n);
  if (m <= k) {
    collectSubproof(leaves, m, start, start + k, whole, proof);
    proof.push(subtreeRoot(leaves, start + k, end));
  } else {
    collectSubproof(leaves, m - k, start + k, end, false, proof);
    proof.push(subtreeRoot(leaves, start, start + k));
  }
}

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const wellFormed = (proof: readonly Uint8Array[]) => proof.every((h) => h instanceof Uint8Array && h.length === HASH_BYTES);

/** RFC 9162 §2.1.3.2: recomputes the root from a leaf and its path; any altered step changes the root. */
export function verifyInclusion(leaf: Uint8Array, index: number, treeSize: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  if (leaf.length !== HASH_BYTES || root.length !== HASH_BYTES || !wellFormed(proof)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 §2.1.4.2: both roots are rebuilt from one proof, so the old tree must be a prefix of the new. */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Uint8Array, newRoot: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (!wellFormed(proof)) return false;
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0 || oldRoot.length !== HASH_BYTES || newRoot.length !== HASH_BYTES) return false;
  const path = (oldSize & (oldSize - 1)) === 0 ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}
