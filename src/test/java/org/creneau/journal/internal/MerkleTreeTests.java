package org.creneau.journal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.creneau.journal.internal.MerkleTree.Head;
import org.junit.jupiter.api.Test;

/** The checkpoint's Merkle tree hashes as RFC 6962 does, and no head can change under a signed root. */
class MerkleTreeTests {

    private static final HexFormat HEX = HexFormat.of();

    /** The published test data of Certificate Transparency and MTH(D[n]) for n = 0..8. */
    private static final List<String> LEAVES =
            List.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f");

    private static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void rootsMatchTheRfc6962TestVectors() {
        List<byte[]> leaves = LEAVES.stream().map(HEX::parseHex).toList();
        for (int n = 0; n <= leaves.size(); n++) {
            assertThat(HEX.formatHex(MerkleTree.rootOf(leaves.subList(0, n))))
                    .as("tree of %d leaves", n)
                    .isEqualTo(ROOTS.get(n));
        }
    }

    @Test
    void theAuditPathOfTheFirstLeafMatchesTheRfc6962TestVector() {
        List<byte[]> leaves = LEAVES.stream().map(HEX::parseHex).toList();
        assertThat(MerkleTree.pathOf(leaves, 0).stream().map(HEX::formatHex))
                .containsExactly(
                        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    }

    @Test
    void everyHeadIsProvedInItsTreeAndAChangedHeadIsNot() {
        for (int size = 1; size <= 21; size++) {
            List<Head> heads = heads(size);
            byte[] root = MerkleTree.root(heads);
            for (int i = 0; i < size; i++) {
                Head head = heads.get(i);
                List<byte[]> path = MerkleTree.path(heads, i);
                assertThat(MerkleTree.proves(head, i, size, path, root))
                        .as("head %d of %d", i, size)
                        .isTrue();
                Head moved = new Head(head.chain(), head.seq() + 1, head.hash());
                assertThat(MerkleTree.proves(moved, i, size, path, root))
                        .as("head %d of %d moved on", i, size)
                        .isFalse();
                if (size > 1) {
                    assertThat(MerkleTree.proves(head, (i + 1) % size, size, path, root))
                            .as("head %d of %d at another index", i, size)
                            .isFalse();
                }
            }
        }
    }

    @Test
    void aHeadChangedAfterTheRootWasComputedBreaksTheRoot() {
        List<Head> heads = heads(5);
        byte[] signed = MerkleTree.root(heads);

        List<Head> cut = new ArrayList<>(heads);
        Head third = heads.get(2);
        cut.set(2, new Head(third.chain(), third.seq() - 1, third.hash()));
        assertThat(MerkleTree.root(cut)).isNotEqualTo(signed);

        List<Head> rewritten = new ArrayList<>(heads);
        byte[] other = third.hash().clone();
        other[0] ^= 1;
        rewritten.set(2, new Head(third.chain(), third.seq(), other));
        assertThat(MerkleTree.root(rewritten)).isNotEqualTo(signed);

        List<Head> dropped = new ArrayList<>(heads);
        dropped.remove(4);
        assertThat(MerkleTree.root(dropped)).isNotEqualTo(signed);

        List<Head> shuffled = new ArrayList<>(heads);
        Collections.reverse(shuffled);
        assertThat(MerkleTree.root(MerkleTree.sorted(shuffled))).isEqualTo(signed);
    }

    private static List<Head> heads(int size) {
        return IntStream.range(0, size)
                .mapToObj(i -> new Head(
                        String.format("chain-%03d", i), 10L + i, MerkleTree.rootOf(List.of(new byte[] {(byte) i}))))
                .toList();
    }
}
