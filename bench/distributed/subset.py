#!/usr/bin/env python3
"""Copy the first N training and M test images of an MNIST-format folder into a new folder.

The scaling runs train one epoch; a subset keeps vgg-small's epoch to a minute on two cores.
Standard library only (gzip, struct): this runs wherever build.sh does.
"""
import gzip, os, struct, sys

def read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read()

def find(folder, prefix, kind):
    for name in sorted(os.listdir(folder)):
        if name.startswith(prefix) and kind in name:
            return os.path.join(folder, name)
    sys.exit(f"subset.py: no {prefix}*{kind}* file in {folder}")

def cut(data, count):
    magic, n = struct.unpack(">II", data[:8])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    if count > shape[0]:
        sys.exit(f"subset.py: asked for {count} items, the file has {shape[0]}")
    per_item = 1
    for d in shape[1:]:
        per_item *= d
    header = struct.pack(">I", magic) + struct.pack(">I", count) + data[8:4 + 4 * dims]
    return header + data[4 + 4 * dims: 4 + 4 * dims + count * per_item]

source, target, train, test = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.makedirs(target, exist_ok=True)
for prefix, count in (("train", train), ("t10k", test)):
    for kind in ("images", "labels"):
        with open(os.path.join(target, f"{prefix}-{kind}-idx{3 if kind == 'images' else 1}-ubyte"), "wb") as out:
            out.write(cut(read(find(source, prefix, kind)), count))
classes = os.path.join(source, "classes.txt")
if os.path.exists(classes):
    with open(classes) as f, open(os.path.join(target, "classes.txt"), "w") as out:
        out.write(f.read())
