//! Huffman tree construction exactly as zlib's trees.c does it: the heap
//! with its tie-breaking on subtree depth, the node numbering, the forcing
//! of at least two codes, the bit-length overflow fix-up and the canonical
//! (bit-reversed) code assignment. Any other valid Huffman construction
//! would give other code lengths, hence other output bytes.

use super::static_tables::{first_codes, reverse_bits, HuffCode, MAX_BITS};

/// Size of the heap and of the node arrays: leaves plus internal nodes of
/// the largest tree (286 literal/length codes).
pub(crate) const HEAP_SIZE: usize = 2 * super::static_tables::L_CODES + 1;

/// What is fixed about one kind of tree (zlib's `static_tree_desc`).
pub(crate) struct TreeKind {
    /// The fixed tree of this kind, for the static-block cost estimate.
    pub(crate) static_tree: Option<&'static [HuffCode]>,
    /// Extra bits of the symbols from `extra_base` on.
    pub(crate) extra_bits: &'static [u8],
    /// First symbol that has extra bits.
    pub(crate) extra_base: usize,
    /// Number of symbols.
    pub(crate) elems: usize,
    /// Longest allowed code.
    pub(crate) max_length: usize,
}

/// A tree as zlib keeps it (`ct_data`): per node, `code` holds the
/// frequency until the codes are assigned and the code after, `len` holds
/// the parent while the tree is built and the code length after. Sharing
/// halves the trees' memory, as in zlib; no step needs both meanings of a
/// node at once. `NODES` leaves room for the internal nodes (2 * leaves +
/// 1); the first `LEAVES` are the symbols.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tree<const LEAVES: usize, const NODES: usize> {
    nodes: [HuffCode; NODES],
    /// Largest symbol with a non-zero frequency after the last build.
    pub(crate) max_code: usize,
}

impl<const LEAVES: usize, const NODES: usize> Tree<LEAVES, NODES> {
    /// A tree with all frequencies zero.
    pub(crate) fn new() -> Self {
        Tree {
            nodes: [HuffCode::default(); NODES],
            max_code: 0,
        }
    }

    /// Zeroes the frequencies of the symbols (lengths stay until the next
    /// build).
    pub(crate) fn clear_freqs(&mut self) {
        for node in self.nodes.iter_mut().take(LEAVES) {
            node.code = 0;
        }
    }

    /// The frequency of symbol `n` (before the build).
    pub(crate) fn freq(&self, n: usize) -> u16 {
        self.nodes.get(n).map_or(0, |node| node.code)
    }

    /// Counts `by` more of symbol `n`, wrapping like zlib's `ush`.
    #[inline(always)]
    pub(crate) fn count(&mut self, n: usize, by: u16) {
        if let Some(node) = self.nodes.get_mut(n) {
            node.code = node.code.wrapping_add(by);
        }
    }

    /// The nodes, whose `code` holds the frequencies until the build.
    #[inline(always)]
    pub(crate) fn freqs_mut(&mut self) -> &mut [HuffCode] {
        &mut self.nodes
    }

    /// The code length of symbol `n` (after the build).
    pub(crate) fn len(&self, n: usize) -> u16 {
        self.nodes.get(n).map_or(0, |node| node.len)
    }

    /// Codes and lengths of the symbols (after the build).
    pub(crate) fn codes(&self) -> &[HuffCode] {
        &self.nodes[..LEAVES.min(NODES)]
    }

    /// The codes as an array for the block coder, if the tree has exactly
    /// `N` leaves.
    pub(crate) fn code_table<const N: usize>(&self) -> Option<&[HuffCode; N]> {
        self.codes().try_into().ok()
    }
}

/// Bit lengths and code values for a tree: zlib's heap, depth and
/// `bl_count` scratch arrays, shared by the three trees.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TreeBuilder {
    heap: [u16; HEAP_SIZE],
    heap_len: usize,
    heap_max: usize,
    depth: [u8; HEAP_SIZE],
    bl_count: [u16; MAX_BITS + 1],
}

/// The running block cost in bits with the optimal and with the fixed trees
/// (zlib's `opt_len`, `static_len`). Both wrap modulo 2^64 like zlib's
/// unsigned longs: forcing codes subtracts before the lengths add.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BlockCost {
    pub(crate) optimal: u64,
    pub(crate) fixed: u64,
}

impl TreeBuilder {
    pub(crate) fn new() -> TreeBuilder {
        TreeBuilder {
            heap: [0; HEAP_SIZE],
            heap_len: 0,
            heap_max: HEAP_SIZE,
            depth: [0; HEAP_SIZE],
            bl_count: [0; MAX_BITS + 1],
        }
    }

    /// zlib's build_tree: sets the lengths and codes of `tree` from its
    /// frequencies, sets `tree.max_code`, and adds the block cost to `cost`.
    pub(crate) fn build<const L: usize, const N: usize>(
        &mut self,
        tree: &mut Tree<L, N>,
        kind: &TreeKind,
        cost: &mut BlockCost,
    ) {
        let elems = kind.elems.min(L);
        self.heap_len = 0;
        self.heap_max = HEAP_SIZE;
        let mut max_code: isize = -1;
        for n in 0..elems {
            if tree.nodes[n].code != 0 {
                self.heap_len += 1;
                self.heap[self.heap_len] = n as u16;
                max_code = n as isize;
                self.depth[n] = 0;
            } else {
                tree.nodes[n].len = 0;
            }
        }
        // deflate needs at least one distance code and at least one bit per
        // code, so a tree always gets two codes: the missing ones are
        // symbols 0 and 1 (or 0 when the used one is above 1), which have no
        // extra bits.
        while self.heap_len < 2 {
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            self.heap_len += 1;
            self.heap[self.heap_len] = node as u16;
            tree.nodes[node].code = 1;
            self.depth[node] = 0;
            cost.optimal = cost.optimal.wrapping_sub(1);
            if let Some(fixed) = kind.static_tree {
                let len = fixed.get(node).map_or(0, |c| c.len);
                cost.fixed = cost.fixed.wrapping_sub(u64::from(len));
            }
        }
        let max_code = max_code as usize;
        tree.max_code = max_code;

        // The second half of the heap array holds leaves: order the rest.
        for k in (1..=self.heap_len / 2).rev() {
            self.sift_down(tree, k);
        }

        // Combine the two least frequent nodes until one is left, recording
        // nodes in decreasing frequency at the top of the heap array.
        let mut node = elems;
        loop {
            let n = self.heap[1] as usize;
            self.heap[1] = self.heap[self.heap_len];
            self.heap_len -= 1;
            self.sift_down(tree, 1);
            let m = self.heap[1] as usize;

            self.heap_max -= 1;
            self.heap[self.heap_max] = n as u16;
            self.heap_max -= 1;
            self.heap[self.heap_max] = m as u16;

            tree.nodes[node].code = tree.nodes[n].code.wrapping_add(tree.nodes[m].code);
            self.depth[node] = self.depth[n].max(self.depth[m]).wrapping_add(1);
            // The parents, in the length halves.
            tree.nodes[n].len = node as u16;
            tree.nodes[m].len = node as u16;

            self.heap[1] = node as u16;
            node += 1;
            self.sift_down(tree, 1);
            if self.heap_len < 2 {
                break;
            }
        }
        self.heap_max -= 1;
        self.heap[self.heap_max] = self.heap[1];

        self.assign_lengths(tree, kind, max_code, cost);
        assign_codes(&mut tree.nodes, max_code, &self.bl_count);
    }

    /// The fast profile's build: the same result as [`TreeBuilder::build`]
    /// (lengths, codes, `max_code`, the costs, the two forced codes) for
    /// another Huffman code of the same quality, made without a heap: the
    /// used symbols sorted by frequency, the tree merged from two queues
    /// (the sorted leaves, and the internal nodes, made in order of
    /// weight), lengths longer than the kind's maximum cut and the code
    /// made whole again by moving leaves down (as miniz does), and the
    /// lengths handed out longest first to the least frequent symbols.
    pub(crate) fn build_fast<const L: usize, const N: usize>(
        &mut self,
        tree: &mut Tree<L, N>,
        kind: &TreeKind,
        cost: &mut BlockCost,
    ) {
        let leaves = kind.elems.min(L);
        tree.max_code = self.build_fast_nodes(&mut tree.nodes, leaves, kind, cost);
    }

    /// [`TreeBuilder::build_fast`] on the first `elems` nodes, one copy
    /// for the three kinds of tree; returns `max_code`.
    #[inline(never)]
    fn build_fast_nodes(
        &mut self,
        nodes: &mut [HuffCode],
        elems: usize,
        kind: &TreeKind,
        cost: &mut BlockCost,
    ) -> usize {
        const MAX_LEAVES: usize = 288;
        let elems = elems.min(MAX_LEAVES);
        // Frequency above the symbol, so that sorting the words sorts by
        // frequency.
        let mut leaves = [0u32; MAX_LEAVES];
        let mut count = 0;
        let mut max_code: isize = -1;
        for (n, node) in nodes.iter_mut().enumerate().take(elems) {
            if node.code != 0 {
                leaves[count] = u32::from(node.code) << 9 | n as u32;
                count += 1;
                max_code = n as isize;
            } else {
                node.len = 0;
            }
        }
        // zlib's two forced codes.
        while count < 2 {
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            if let Some(n) = nodes.get_mut(node) {
                n.code = 1;
            }
            leaves[count] = 1 << 9 | node as u32;
            count += 1;
            cost.optimal = cost.optimal.wrapping_sub(1);
            if let Some(fixed) = kind.static_tree {
                let len = fixed.get(node).map_or(0, |c| c.len);
                cost.fixed = cost.fixed.wrapping_sub(u64::from(len));
            }
        }
        let max_code = max_code as usize;
        let leaves = &mut leaves[..count];
        sort_by_frequency(leaves);

        // Two queues: leaves from `li`, internal nodes from `ii` (made at
        // `made`). Parents are internal node numbers; the root is the last.
        let mut leaf_parent = [0u16; MAX_LEAVES];
        let mut node_parent = [0u16; MAX_LEAVES];
        let mut weight = [0u32; MAX_LEAVES];
        let (mut li, mut ii) = (0, 0);
        for made in 0..count - 1 {
            for _ in 0..2 {
                let leaf_weight = leaves.get(li).map(|&w| w >> 9);
                let take_leaf = match leaf_weight {
                    Some(w) => ii >= made || w <= weight[ii],
                    None => false,
                };
                let w = if take_leaf {
                    leaf_parent[li] = made as u16;
                    li += 1;
                    leaf_weight.unwrap_or(0)
                } else {
                    node_parent[ii] = made as u16;
                    ii += 1;
                    weight[ii - 1]
                };
                weight[made] += w;
            }
        }
        // Depths: a parent is made after its children, so from the root
        // down every parent's depth is known first.
        let root = count - 2;
        let mut depth = [0u8; MAX_LEAVES];
        for k in (0..root).rev() {
            depth[k] = depth[usize::from(node_parent[k])].saturating_add(1);
        }
        let max_length = kind.max_length.min(MAX_BITS);
        self.bl_count = [0; MAX_BITS + 1];
        for &parent in &leaf_parent[..count] {
            let bits = (usize::from(depth[usize::from(parent)]) + 1).min(max_length);
            self.bl_count[bits] += 1;
        }
        // Cut lengths leave the code over-full: each step moves one leaf
        // down a level to pair with a cut one, one unit of excess less.
        let mut total: u32 = (1..=max_length)
            .map(|bits| u32::from(self.bl_count[bits]) << (max_length - bits))
            .sum();
        while total > 1 << max_length && self.bl_count[max_length] != 0 {
            self.bl_count[max_length] -= 1;
            if let Some(bits) = (1..max_length).rev().find(|&b| self.bl_count[b] != 0) {
                self.bl_count[bits] -= 1;
                self.bl_count[bits + 1] += 2;
            }
            total -= 1;
        }
        // Longest codes to the least frequent symbols.
        let mut next = leaves.iter();
        for bits in (1..=max_length).rev() {
            for _ in 0..self.bl_count[bits] {
                let Some(&leaf) = next.next() else { break };
                let n = (leaf & 0x1ff) as usize;
                let f = u64::from(leaf >> 9);
                let extra = n
                    .checked_sub(kind.extra_base)
                    .and_then(|i| kind.extra_bits.get(i))
                    .map_or(0, |&x| u64::from(x));
                cost.optimal = cost.optimal.wrapping_add(f * (bits as u64 + extra));
                if let Some(fixed) = kind.static_tree {
                    let len = fixed.get(n).map_or(0, |c| u64::from(c.len));
                    cost.fixed = cost.fixed.wrapping_add(f * (len + extra));
                }
                if let Some(node) = nodes.get_mut(n) {
                    node.len = bits as u16;
                }
            }
        }
        assign_codes(nodes, max_code, &self.bl_count);
        max_code
    }

    /// zlib's `smaller`: by frequency, then by depth (so that equal-weight
    /// merges keep the tree shallow).
    fn smaller<const L: usize, const N: usize>(
        &self,
        tree: &Tree<L, N>,
        n: usize,
        m: usize,
    ) -> bool {
        let (fn_, fm) = (tree.nodes[n].code, tree.nodes[m].code);
        fn_ < fm || (fn_ == fm && self.depth[n] <= self.depth[m])
    }

    /// zlib's pqdownheap: moves `heap[k]` down to its place.
    fn sift_down<const L: usize, const N: usize>(&mut self, tree: &Tree<L, N>, mut k: usize) {
        let v = self.heap[k] as usize;
        let mut j = k << 1;
        while j <= self.heap_len {
            if j < self.heap_len
                && self.smaller(tree, self.heap[j + 1] as usize, self.heap[j] as usize)
            {
                j += 1;
            }
            if self.smaller(tree, v, self.heap[j] as usize) {
                break;
            }
            self.heap[k] = self.heap[j];
            k = j;
            j <<= 1;
        }
        self.heap[k] = v as u16;
    }

    /// zlib's gen_bitlen: lengths from depths, capped at the kind's maximum,
    /// then the overflow redistributed the way zlib does it.
    fn assign_lengths<const L: usize, const N: usize>(
        &mut self,
        tree: &mut Tree<L, N>,
        kind: &TreeKind,
        max_code: usize,
        cost: &mut BlockCost,
    ) {
        let max_length = kind.max_length.min(MAX_BITS);
        self.bl_count = [0; MAX_BITS + 1];
        tree.nodes[self.heap[self.heap_max] as usize].len = 0;
        let mut overflow = 0i32;

        // Parents come before children in heap[heap_max..], so a node's
        // parent already holds its length when the node's parent is read
        // and replaced by its own length.
        for h in self.heap_max + 1..HEAP_SIZE {
            let n = self.heap[h] as usize;
            let dad = tree.nodes[n].len as usize;
            let mut bits = tree.nodes[dad].len as usize + 1;
            if bits > max_length {
                bits = max_length;
                overflow += 1;
            }
            tree.nodes[n].len = bits as u16;
            if n > max_code {
                continue; // an internal node
            }
            self.bl_count[bits] = self.bl_count[bits].wrapping_add(1);
            let extra = n
                .checked_sub(kind.extra_base)
                .and_then(|i| kind.extra_bits.get(i))
                .map_or(0, |&x| u64::from(x));
            let f = u64::from(tree.nodes[n].code);
            cost.optimal = cost.optimal.wrapping_add(f * (bits as u64 + extra));
            if let Some(fixed) = kind.static_tree {
                let len = fixed.get(n).map_or(0, |c| u64::from(c.len));
                cost.fixed = cost.fixed.wrapping_add(f * (len + extra));
            }
        }
        if overflow == 0 {
            return;
        }

        // Each step moves a leaf one level down to pair it with an overflowed
        // leaf, which frees room for two overflowed leaves.
        loop {
            let mut bits = max_length - 1;
            while bits > 0 && self.bl_count[bits] == 0 {
                bits -= 1;
            }
            self.bl_count[bits] = self.bl_count[bits].wrapping_sub(1);
            self.bl_count[bits + 1] = self.bl_count[bits + 1].wrapping_add(2);
            self.bl_count[max_length] = self.bl_count[max_length].wrapping_sub(1);
            overflow -= 2;
            if overflow <= 0 {
                break;
            }
        }

        // Hand out the corrected lengths again, longest first to the least
        // frequent leaves.
        let mut h = HEAP_SIZE;
        for bits in (1..=max_length).rev() {
            let mut count = self.bl_count[bits];
            while count != 0 && h > 0 {
                h -= 1;
                let m = self.heap[h] as usize;
                if m > max_code {
                    continue;
                }
                let old = u64::from(tree.nodes[m].len);
                if old != bits as u64 {
                    let delta = (bits as u64).wrapping_sub(old);
                    let f = u64::from(tree.nodes[m].code);
                    cost.optimal = cost.optimal.wrapping_add(delta.wrapping_mul(f));
                    tree.nodes[m].len = bits as u16;
                }
                count -= 1;
            }
        }
    }
}

/// Sorts `keys` (frequency above bit 9, symbol below, made in symbol
/// order) by frequency, symbols in order among equal ones: two stable
/// counting passes over the frequency's bytes, little code and no
/// unpredictable branch.
fn sort_by_frequency(keys: &mut [u32]) {
    let mut scratch = [0u32; 288];
    for shift in [9, 17] {
        let mut start = [0usize; 257];
        for &k in keys.iter() {
            start[(k >> shift & 0xff) as usize + 1] += 1;
        }
        for b in 1..257 {
            start[b] += start[b - 1];
        }
        for &k in keys.iter() {
            let b = (k >> shift & 0xff) as usize;
            if let Some(slot) = scratch.get_mut(start[b]) {
                *slot = k;
            }
            start[b] += 1;
        }
        let n = keys.len().min(scratch.len());
        keys[..n].copy_from_slice(&scratch[..n]);
    }
}

/// zlib's gen_codes: canonical codes from the lengths, bit-reversed for LSB
/// first output, for symbols `0..=max_code` with a non-zero length (their
/// frequencies are no longer needed).
fn assign_codes(nodes: &mut [HuffCode], max_code: usize, bl_count: &[u16; MAX_BITS + 1]) {
    let mut next = first_codes(bl_count);
    for node in nodes.iter_mut().take(max_code + 1) {
        let len = node.len;
        if len == 0 || len as usize > MAX_BITS {
            continue;
        }
        let slot = &mut next[len as usize];
        node.code = reverse_bits(*slot, len);
        *slot = slot.wrapping_add(1);
    }
}
