package org.creneau.journal.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The Merkle tree hash of RFC 6962 (Certificate Transparency): leaves hashed with a 0x00 prefix,
 * inner nodes with 0x01, the left subtree the largest power of two below the size. A checkpoint signs
 * the root over every chain's head; an audit path proves one head is in it without the others.
 */
public final class MerkleTree {

    private static final byte LEAF = 0x00;
    private static final byte NODE = 0x01;

    private MerkleTree() {}

    /** One chain's end as a leaf: its id, its last position and that entry's hash. */
    public record Head(String chain, long seq, byte[] hash) {

        /** Chain ids never hold '|', so the text is unambiguous. */
        byte[] leaf() {
            return (chain + "|" + seq + "|" + HexFormat.of().formatHex(hash)).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Head h && h.chain.equals(chain) && h.seq == seq && Arrays.equals(h.hash, hash);
        }

        @Override
        public int hashCode() {
            return chain.hashCode() * 31 + Long.hashCode(seq);
        }

        @Override
        public String toString() {
            return chain + "@" + seq;
        }
    }

    /** The heads sorted as the tree's leaves are: by chain id, byte by byte (ids are ASCII). */
    public static List<Head> sorted(List<Head> heads) {
        List<Head> copy = new ArrayList<>(heads);
        copy.sort((a, b) -> a.chain().compareTo(b.chain()));
        return List.copyOf(copy);
    }

    /** MTH(D[n]) over the heads in the order given. */
    public static byte[] root(List<Head> heads) {
        return rootOf(heads.stream().map(Head::leaf).toList());
    }

    /** MTH over raw leaf data, as RFC 6962 section 2.1 defines it. */
    public static byte[] rootOf(List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            return sha256();
        }
        if (leaves.size() == 1) {
            return sha256(new byte[] {LEAF}, leaves.get(0));
        }
        int k = largestPowerOfTwoBelow(leaves.size());
        return sha256(new byte[] {NODE}, rootOf(leaves.subList(0, k)), rootOf(leaves.subList(k, leaves.size())));
    }

    /** The audit path of leaf {@code index} (RFC 6962 section 2.1.1), nearest sibling first. */
    public static List<byte[]> path(List<Head> heads, int index) {
        return pathOf(heads.stream().map(Head::leaf).toList(), index);
    }

    static List<byte[]> pathOf(List<byte[]> leaves, int index) {
        if (leaves.size() <= 1) {
            return new ArrayList<>();
        }
        int k = largestPowerOfTwoBelow(leaves.size());
        List<byte[]> path;
        if (index < k) {
            path = pathOf(leaves.subList(0, k), index);
            path.add(rootOf(leaves.subList(k, leaves.size())));
        } else {
            path = pathOf(leaves.subList(k, leaves.size()), index - k);
            path.add(rootOf(leaves.subList(0, k)));
        }
        return path;
    }

    /** Whether {@code head}, at {@code index} of a tree of {@code size} leaves, is under {@code root}. */
    public static boolean proves(Head head, int index, int size, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        byte[] computed = sha256(new byte[] {LEAF}, head.leaf());
        // RFC 9162 section 2.1.3.2: walk up from the leaf, the path's order fixed by the index's bits.
        long fn = index;
        long sn = size - 1L;
        for (byte[] sibling : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                computed = sha256(new byte[] {NODE}, sibling, computed);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                computed = sha256(new byte[] {NODE}, computed, sibling);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(computed, root);
    }

    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
