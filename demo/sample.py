"""Writes the demo's built-in sample: deterministic English-like text, and its
zlib stream made by Python's zlib module (the demo needs no corpus)."""
import random
import sys
import zlib

WORDS = (
    "the of and to in a is that for it as was with be by on not he i this are or his from at which but have an they "
    "you were her she there been one all we their has would when if so no will more about them what out can up my do "
    "compression stream window deflate inflate buffer length distance literal huffman code block header checksum adler "
    "zlib rust memory safety legacy program library function return error data byte bits table fast slow match hash"
).split()


def sample_text(size: int) -> bytes:
    rng = random.Random(1950)
    out, n = [], 0
    while n < size:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + ".\n"
        out.append(line)
        n += len(line)
    return "".join(out).encode()[:size]


if __name__ == "__main__":
    path, size = sys.argv[1], int(sys.argv[2])
    with open(path, "wb") as f:
        f.write(zlib.compress(sample_text(size), 6))
