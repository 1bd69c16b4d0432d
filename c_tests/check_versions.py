"""check_versions.py LIB -- the symbol versions of rzlib's drop-in libz.so.1.

Checks, with objdump, that LIB defines zlib 1.3.2's version nodes (ZLIB_1.2.0
through ZLIB_1.3.2, each inheriting the one before), puts zlib 1.3.2's new
functions in its two new nodes, and exports nothing but zlib functions; and,
when the machine has a zlib of its own, that every function both define has
the same version in both (unversioned ones included). Exits 1 with the
differences."""
import re
import subprocess
import sys

NODES = ["ZLIB_1.2.0", "ZLIB_1.2.0.2", "ZLIB_1.2.0.8", "ZLIB_1.2.2", "ZLIB_1.2.2.3",
         "ZLIB_1.2.2.4", "ZLIB_1.2.3.3", "ZLIB_1.2.3.4", "ZLIB_1.2.3.5", "ZLIB_1.2.5.1",
         "ZLIB_1.2.5.2", "ZLIB_1.2.7.1", "ZLIB_1.2.9", "ZLIB_1.2.12", "ZLIB_1.3.1.2",
         "ZLIB_1.3.2"]
# rzlib's own functions (rz_deflateSetProfile), in a node of rzlib's after zlib's.
RZLIB_NODE = "RZLIB_0.1"
# The functions of zlib 1.3.2's two new nodes, which older system zlibs lack.
NEW_IN_1_3_2 = {"deflateUsed": "ZLIB_1.3.1.2", "compress_z": "ZLIB_1.3.2",
                "compress2_z": "ZLIB_1.3.2", "compressBound_z": "ZLIB_1.3.2",
                "deflateBound_z": "ZLIB_1.3.2", "uncompress_z": "ZLIB_1.3.2",
                "uncompress2_z": "ZLIB_1.3.2"}
SYSTEM_ZLIB = ["/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1",
               "/lib64/libz.so.1", "/usr/lib64/libz.so.1", "/lib/libz.so.1", "/usr/lib/libz.so.1"]


def objdump(*args):
    return subprocess.run(["objdump", *args], check=True, capture_output=True, text=True).stdout


def exports(lib):
    """Defined dynamic functions and their versions ('Base' for none)."""
    found = {}
    for line in objdump("-T", lib).splitlines():
        fields = line.split()
        if len(fields) >= 7 and "DF" in fields and fields[3] != "*UND*":
            version, name = fields[-2], fields[-1]
            found[name] = version.strip("()") if version.startswith("(") else version
    return found


def definitions(lib):
    """Version nodes and the parent each names, in order."""
    text = objdump("-p", lib)
    section = text.split("Version definitions:")[1].split("Version References:")[0]
    nodes, parents = [], {}
    for line in section.strip().splitlines():
        fields = line.split()
        if len(fields) == 4:
            nodes.append(fields[3])
        elif len(fields) == 1 and nodes:
            parents[nodes[-1]] = fields[0]
    return nodes, parents


def main():
    lib = sys.argv[1]
    problems = []
    nodes, parents = definitions(lib)
    if nodes[1:] != NODES + [RZLIB_NODE]:
        problems.append(f"version nodes {nodes[1:]}, zlib's are {NODES} (then {RZLIB_NODE})")
    for child, parent in zip(NODES[1:] + [RZLIB_NODE], NODES):
        if parents.get(child) != parent:
            problems.append(f"{child} inherits {parents.get(child)}, not {parent}")
    ours = exports(lib)
    foreign = sorted(n for n in ours if not re.match(r"(adler32|compress|crc32|deflate|inflate|"
                                                     r"uncompress|zError|zlib|get_crc_table|gz)", n)
                     and ours[n] != RZLIB_NODE)
    if foreign:
        problems.append(f"exports that are not zlib functions: {foreign}")
    for name, version in NEW_IN_1_3_2.items():
        if ours.get(name) != version:
            problems.append(f"{name}: version {ours.get(name)}, zlib 1.3.2's is {version}")
    system = next((p for p in SYSTEM_ZLIB if subprocess.run(["test", "-e", p]).returncode == 0), None)
    if system:
        theirs = exports(system)
        for name in sorted(set(ours) & set(theirs)):
            if ours[name] != theirs[name]:
                problems.append(f"{name}: version {ours[name]}, {system} has {theirs[name]}")
        print(f"check_versions: {len(set(ours) & set(theirs))} functions versioned as in {system}")
    else:
        print("check_versions: no system zlib to compare the versions with")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    print(f"check_versions: {len(ours)} exports, nodes {NODES[0]} .. {NODES[-1]}")


if __name__ == "__main__":
    main()
