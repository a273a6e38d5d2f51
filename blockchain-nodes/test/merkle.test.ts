import { describe, expect, it } from 'vitest';
import { fromHex, sha256, toHex } from '../src/chain/encoding';
import {
  consistencyProof,
  EMPTY_TREE_ROOT,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from '../src/chain/merkle';

// Certificate Transparency's reference leaves and tree heads (transparency-dev/merkle
// testonly/constants.go and proof/verify_test.go, the RFC 6962 test data), copied as data.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) =>
  new Uint8Array(Buffer.from(h, 'hex')),
);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// Leaf numbers are 1-based in the reference data.
const CT_INCLUSION = [
  { leaf: 1, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { leaf: 6, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { leaf: 3, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  { leaf: 2, size: 5, proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];
const CT_CONSISTENCY = [
  { size1: 1, size2: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { size1: 6, size2: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { size1: 2, size2: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { size1: 6, size2: 7, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

const ctLeafHashes = CT_LEAVES.map(leafHash);
const hexes = (hs: Uint8Array[]) => hs.map(toHex);

describe('RFC 6962 Merkle tree against the Certificate Transparency reference data', () => {
  it('the empty tree is SHA-256 of nothing', () => {
    expect(toHex(EMPTY_TREE_ROOT)).toBe(CT_ROOTS[0]);
  });

  it('roots equal the reference roots for every prefix of the reference leaves', () => {
    for (let size = 0; size <= CT_LEAVES.length; size++) expect(toHex(merkleRoot(ctLeafHashes.slice(0, size))), `size ${size}`).toBe(CT_ROOTS[size]);
  });

  it('splits at the largest power of two below n, not at the midpoint', () => {
    expect([2, 3, 4, 5, 6, 7, 8, 9, 1000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 4, 4, 8, 512]);
    // Three leaves: ((a b) c), never (a (b c)).
    const [a, b, c] = ctLeafHashes;
    expect(toHex(merkleRoot([a, b, c]))).toBe(toHex(nodeHash(nodeHash(a, b), c)));
  });

  it('builds the reference inclusion proofs, and they verify', () => {
    for (const { leaf, size, proof } of CT_INCLUSION) {
      const tree = ctLeafHashes.slice(0, size);
      expect(hexes(inclusionProof(tree, leaf - 1))).toEqual(proof);
      expect(verifyInclusion(tree[leaf - 1], leaf - 1, size, proof.map(fromHex), fromHex(CT_ROOTS[size]))).toBe(true);
    }
  });

  it('builds the reference consistency proofs, and they verify', () => {
    for (const { size1, size2, proof } of CT_CONSISTENCY) {
      expect(hexes(consistencyProof(ctLeafHashes.slice(0, size2), size1))).toEqual(proof);
      expect(verifyConsistency(size1, size2, fromHex(CT_ROOTS[size1]), fromHex(CT_ROOTS[size2]), proof.map(fromHex))).toBe(true);
    }
  });
});

// Every way the reference verifier tests tamper with a proof, applied to our own proofs.
function alteredInclusions(index: number, size: number, proof: Uint8Array[], leaf: Uint8Array, root: Uint8Array) {
  const someHash = sha256(Uint8Array.of(1, 2, 3));
  const probes: { what: string; index: number; size: number; proof: Uint8Array[]; leaf: Uint8Array; root: Uint8Array }[] = [
    { what: 'index - 1', index: index - 1, size, proof, leaf, root },
    { what: 'index + 1', index: index + 1, size, proof, leaf, root },
    { what: 'index ^ 2', index: index ^ 2, size, proof, leaf, root },
    { what: 'size * 2', index, size: size * 2, proof, leaf, root },
    { what: 'size / 2', index, size: Math.floor(size / 2), proof, leaf, root },
    { what: 'wrong leaf', index, size, proof, leaf: someHash, root },
    { what: 'empty root', index, size, proof, leaf, root: EMPTY_TREE_ROOT },
    { what: 'trailing hash', index, size, proof: [...proof, someHash], leaf, root },
    { what: 'trailing root', index, size, proof: [...proof, root], leaf, root },
    { what: 'preceding root', index, size, proof: [root, ...proof], leaf, root },
  ];
  proof.forEach((_, i) => {
    const flipped = proof.map((h) => h.slice());
    flipped[i][i % 32] ^= 8;
    probes.push({ what: `flipped bit in proof[${i}]`, index, size, proof: flipped, leaf, root });
  });
  if (proof.length > 0) probes.push({ what: 'dropped last', index, size, proof: proof.slice(0, -1), leaf, root });
  if (proof.length > 1) probes.push({ what: 'inserted hash', index, size, proof: [proof[0], someHash, ...proof.slice(1)], leaf, root });
  if (proof.length > 1) probes.push({ what: 'swapped first two', index, size, proof: [proof[1], proof[0], ...proof.slice(2)], leaf, root });
  return probes;
}

function alteredConsistencies(m: number, n: number, oldRoot: Uint8Array, newRoot: Uint8Array, proof: Uint8Array[]) {
  const someHash = sha256(Uint8Array.of(4, 5, 6));
  const probes = [
    { what: 'size1 - 1', m: m - 1, n, oldRoot, newRoot, proof },
    { what: 'size1 + 1', m: m + 1, n, oldRoot, newRoot, proof },
    { what: 'size1 ^ 2', m: m ^ 2, n, oldRoot, newRoot, proof },
    { what: 'size2 * 2', m, n: n * 2, oldRoot, newRoot, proof },
    { what: 'size2 / 2', m, n: Math.floor(n / 2), oldRoot, newRoot, proof },
    { what: 'wrong old root', m, n, oldRoot: someHash, newRoot, proof },
    { what: 'wrong new root', m, n, oldRoot, newRoot: someHash, proof },
    { what: 'swapped roots', m, n, oldRoot: newRoot, newRoot: oldRoot, proof },
    { what: 'empty proof', m, n, oldRoot, newRoot, proof: [] as Uint8Array[] },
    { what: 'trailing old root', m, n, oldRoot, newRoot, proof: [...proof, oldRoot] },
    { what: 'trailing new root', m, n, oldRoot, newRoot, proof: [...proof, newRoot] },
    { what: 'preceding old root', m, n, oldRoot, newRoot, proof: [oldRoot, ...proof] },
    { what: 'preceding new root', m, n, oldRoot, newRoot, proof: [newRoot, ...proof] },
    { what: 'preceding proof[0]', m, n, oldRoot, newRoot, proof: [proof[0], ...proof] },
    { what: 'truncated', m, n, oldRoot, newRoot, proof: proof.slice(0, -1) },
  ];
  proof.forEach((_, i) => {
    const flipped = proof.map((h) => h.slice());
    flipped[i][(i * 7) % 32] ^= 16;
    probes.push({ what: `flipped bit in proof[${i}]`, m, n, oldRoot, newRoot, proof: flipped });
  });
  return probes;
}

describe('proofs for every tree size from 1 to 64', () => {
  const leaves = Array.from({ length: 64 }, (_, i) => leafHash(Uint8Array.of(i, i * 7 + 1, 0xca, 0xfe)));
  const roots = Array.from({ length: 65 }, (_, size) => merkleRoot(leaves.slice(0, size)));

  it('every inclusion proof verifies, and every altered one fails', () => {
    const wrong: string[] = [];
    let verified = 0;
    let refused = 0;
    for (let size = 1; size <= 64; size++) {
      const tree = leaves.slice(0, size);
      for (let i = 0; i < size; i++) {
        const proof = inclusionProof(tree, i);
        if (verifyInclusion(tree[i], i, size, proof, roots[size])) verified++;
        else wrong.push(`leaf ${i} of ${size} refused`);
        for (const p of alteredInclusions(i, size, proof, tree[i], roots[size])) {
          if (verifyInclusion(p.leaf, p.index, p.size, p.proof, p.root)) wrong.push(`leaf ${i} of ${size} accepted with ${p.what}`);
          else refused++;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(verified).toBe((64 * 65) / 2);
    expect(refused).toBeGreaterThan(verified * 8);
  });

  it('every consistency proof verifies, and every altered one fails', () => {
    const wrong: string[] = [];
    let refused = 0;
    for (let n = 1; n <= 64; n++) {
      const tree = leaves.slice(0, n);
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(tree, m);
        if (!verifyConsistency(m, n, roots[m], roots[n], proof)) wrong.push(`${m} → ${n} refused`);
        if (m === 0 || m === n) {
          if (proof.length) wrong.push(`${m} → ${n} has a non-empty proof`);
          continue;
        }
        for (const p of alteredConsistencies(m, n, roots[m], roots[n], proof)) {
          if (verifyConsistency(p.m, p.n, p.oldRoot, p.newRoot, p.proof)) wrong.push(`${m} → ${n} accepted with ${p.what}`);
          else refused++;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(2000 * 15);
  });

  it('a prefix of a different history is not consistent', () => {
    const other = leaves.slice(0, 10).map((h, i) => (i === 3 ? leafHash(Uint8Array.of(99)) : h));
    const proof = consistencyProof(leaves.slice(0, 20), 10);
    expect(verifyConsistency(10, 20, merkleRoot(other), roots[20], proof)).toBe(false);
  });
});
